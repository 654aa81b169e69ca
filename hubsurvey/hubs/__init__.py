"""Hub staff's pages: their hubs and each hub's partner schools."""

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user

from hubsurvey.extensions import db
from hubsurvey.models import Hub

bp = Blueprint("hubs", __name__)


@bp.url_value_preprocessor
def load_hub(_endpoint, values) -> None:
    """Every URL with a hub in it checks, here and only here, that the user may see that hub."""
    if values and "hub_slug" in values:
        g.hub_slug = values.pop("hub_slug")


@bp.url_defaults
def keep_hub(endpoint, values) -> None:
    if "hub_slug" not in values and "hub" in g and bp.name + "." in endpoint:
        values.setdefault("hub_slug", g.hub.slug)


@bp.before_request
def check_hub_access():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path))
    slug = g.pop("hub_slug", None)
    if slug is None:
        return None
    hub = db.session.scalar(db.select(Hub).where(Hub.slug == slug))
    # The same 404 for a hub that does not exist and one the user does not work for.
    if hub is None or not (current_user.is_admin or hub in current_user.hubs):
        abort(404)
    g.hub = hub
    return None


from hubsurvey.hubs import views  # noqa: E402, F401  (routes register on import)
