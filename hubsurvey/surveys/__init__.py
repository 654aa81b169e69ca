"""Hub staff's surveys: create from a template, edit, open and close, watch responses."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("surveys", __name__, url_prefix="/hubs/<hub_slug>/surveys")
hub_scoped(bp)

from hubsurvey.surveys import views  # noqa: E402, F401  (routes register on import)
