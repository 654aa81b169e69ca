"""The hub's sustainability and impact plan: objectives tied to need areas, measures that read
live evidence, a SWOT, key people and their backups, funding and costs, and a change log."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("plans", __name__, url_prefix="/hubs/<hub_slug>/plan")
hub_scoped(bp)

from hubsurvey.plans import measure_views, views  # noqa: E402, F401  (routes register on import)
