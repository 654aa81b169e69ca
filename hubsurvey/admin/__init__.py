"""Administrators: hubs, staff accounts, and the hub types with their need areas."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    # Not a 403: the admin pages are not advertised to anyone but administrators.
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(404)


from hubsurvey.admin import views  # noqa: E402, F401  (routes register on import)
