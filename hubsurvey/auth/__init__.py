"""Sign-in, sign-out, the first administrator's setup link, password links, and the staff
member's own account page (password and sessions)."""

from flask import Blueprint, g, session

from hubsurvey.auth import sessions
from hubsurvey.extensions import login_manager
from hubsurvey.models import User

bp = Blueprint("auth", __name__)

# The key in the signed cookie that holds the staff session's token (see auth/sessions.py).
SESSION_TOKEN = "staff_session"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, only while the cookie's session lives on the server and the account
    is active: a copied cookie stops working when its session is ended."""
    staff_session = sessions.find(session.get(SESSION_TOKEN, ""))
    if staff_session is None or str(staff_session.user_id) != user_id:
        return None
    if not staff_session.user.active:
        return None
    g.staff_session = staff_session
    return staff_session.user


from hubsurvey.auth import views  # noqa: E402, F401  (routes register on import)
