"""A partner school's contacts: its headteacher and its main contact for the hub (often the CPD
lead). Hub staff add and change them from the school's page; each contact has a page of their
own, reached from the link in every message, saying why the hub holds their details and
letting them stop its email."""

from flask import Blueprint

from hubsurvey.hubs import hub_scoped

# Hub staff's pages for one school's contacts.
bp = Blueprint("contacts", __name__, url_prefix="/hubs/<hub_slug>/schools/<int:school_id>/contacts")
hub_scoped(bp)

# The contact's own page: no sign-in, so not hub-scoped; the link's signature is the key.
contact_page_bp = Blueprint("contact_page", __name__)

from hubsurvey.contacts import views  # noqa: E402, F401  (routes register on import)
