"""A named person's answers: find them, hand them over (right of access) and erase them."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("privacy", __name__, url_prefix="/hubs/<hub_slug>/privacy")
hub_scoped(bp)

from hubsurvey.privacy import views  # noqa: E402, F401  (routes register on import)
