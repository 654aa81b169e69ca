"""Hub staff's reports: the needs summary, and exports of responses and summaries."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("reports", __name__, url_prefix="/hubs/<hub_slug>/reports")
hub_scoped(bp)

from hubsurvey.reports import views  # noqa: E402, F401  (routes register on import)
