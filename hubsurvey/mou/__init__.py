"""The hub's memorandum of understanding, as hub staff keep it: its versions, which schools'
heads have signed it this school year, and sending it (and each school's view) to heads
through their private links. The heads' own pages are hubsurvey/heads."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("mou", __name__, url_prefix="/hubs/<hub_slug>")
hub_scoped(bp)

from hubsurvey.mou import views  # noqa: E402, F401  (routes register on import)
