"""The audit trail: who did what to accounts, surveys, privacy settings, exports and erasures.

Its pages are in views.py, which create_app imports. They are not imported from here, as
blueprints usually are: services.py is imported by most other blueprints' services to record
what they do, and importing the pages from here would pull the hubs blueprint into each of
those imports (and round in a circle back to them)."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
