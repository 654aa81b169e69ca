"""The hub's outbox: every email the hub sends, waiting for the lead to send by hand when no
mail server is set up, or sent by the worker when one is (services.py, sending.py, tasks.py)."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("outbox", __name__, url_prefix="/hubs/<hub_slug>/outbox")
hub_scoped(bp)

from hubsurvey.outbox import views  # noqa: E402, F401  (routes register on import)
