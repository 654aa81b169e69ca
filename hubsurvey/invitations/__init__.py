"""Inviting partner schools to a survey by email, and reminding those with few answers: by
hand, on a date, or automatically before the survey closes."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("invitations", __name__, url_prefix="/hubs/<hub_slug>/surveys/<int:survey_id>")
hub_scoped(bp)

from hubsurvey.invitations import views  # noqa: E402, F401  (routes register on import)
