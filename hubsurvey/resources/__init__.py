"""The hub's resource library: links and checked uploads, tagged with need areas and phases,
and offered to teachers for the needs they put first."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

bp = Blueprint("resources", __name__, url_prefix="/hubs/<hub_slug>/resources")
hub_scoped(bp)

# A teacher's link to a resource, from the page after they send a needs assessment: no
# sign-in, so not hub-scoped; the link's signature is the key (links.py).
public_bp = Blueprint("public_resources", __name__)

from hubsurvey.resources import views  # noqa: E402, F401  (routes register on import)
