"""Sign-in, sign-out, the first administrator's setup link and password links."""

from flask import Blueprint

from hubsurvey.extensions import db, login_manager
from hubsurvey.models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    # A stopped account is signed out at its next request, not when its session ends.
    return user if user is not None and user.active else None


from hubsurvey.auth import views  # noqa: E402, F401  (routes register on import)
