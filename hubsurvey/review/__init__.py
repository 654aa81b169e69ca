"""Hub staff's review of suspect responses: those flagged as sent too fast or sent again from
one browser, which staff can leave out of summaries and exports, and bring back."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("review", __name__, url_prefix="/hubs/<hub_slug>/surveys/<int:survey_id>/review")
hub_scoped(bp)

from hubsurvey.review import views  # noqa: E402, F401  (routes register on import)
