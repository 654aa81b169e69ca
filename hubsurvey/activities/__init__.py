"""Hub staff's activities: sessions, mentoring, network meetings, and feedback on each."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("activities", __name__, url_prefix="/hubs/<hub_slug>/activities")
hub_scoped(bp)

from hubsurvey.activities import series_views, views  # noqa: E402, F401  (routes register on import)
