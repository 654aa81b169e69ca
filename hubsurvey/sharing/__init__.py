"""Sharing a hub's reports read-only: links that open the report for the board without an
account, and viewer accounts for senior leaders and board members. Both expire, can be
withdrawn, and are recorded in the audit log."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

# Hub staff's page for making and withdrawing links and viewers.
bp = Blueprint("sharing", __name__, url_prefix="/hubs/<hub_slug>/sharing")
hub_scoped(bp)

# The page a link opens: no sign-in, so not hub-scoped.
shared_bp = Blueprint("shared", __name__)

from hubsurvey.sharing import views  # noqa: E402, F401  (routes register on import)
