"""Hub staff's pages: their hubs and each hub's partner schools."""

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user

from hubsurvey.extensions import db
from hubsurvey.models import Hub

bp = Blueprint("hubs", __name__)

# All a viewer (a senior leader or board member) may open in their hubs, and only to read:
# every other hub URL, and every POST, is a 404 for them.
VIEWER_PAGES = frozenset(
    {
        "hubs.index",
        "hubs.hub",
        "reports.board",
        "reports.needs",
        "reports.feedback",
        "reports.planning",
        "plans.index",
        "plans.show",
        "plans.printable",
        "plans.measure",
    }
)
READING = frozenset({"GET", "HEAD"})


def viewer_may_open(endpoint: str | None, method: str = "GET") -> bool:
    return endpoint in VIEWER_PAGES and method in READING


def hub_scoped(blueprint: Blueprint) -> None:
    """Every URL of `blueprint` with <hub_slug> in it checks, here and only here, that the
    signed-in user may see that hub, and a viewer that they may open that page; the hub is
    then `g.hub`."""

    @blueprint.url_value_preprocessor
    def take_hub_slug(_endpoint, values) -> None:
        if values and "hub_slug" in values:
            g.hub_slug = values.pop("hub_slug")

    @blueprint.url_defaults
    def keep_hub_slug(_endpoint, values) -> None:
        if "hub_slug" not in values and "hub" in g:
            values["hub_slug"] = g.hub.slug

    @blueprint.before_request
    def check_hub_access():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path))
        if current_user.is_viewer and not viewer_may_open(request.endpoint, request.method):
            abort(404)
        slug = g.pop("hub_slug", None)
        if slug is None:
            return None
        hub = db.session.scalar(db.select(Hub).where(Hub.slug == slug))
        # The same 404 for a hub that does not exist and one the user does not work for.
        if hub is None or not (current_user.is_admin or hub in current_user.hubs):
            abort(404)
        g.hub = hub
        return None


hub_scoped(bp)

from hubsurvey.hubs import views  # noqa: E402, F401  (routes register on import)
