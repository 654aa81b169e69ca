"""A headteacher's pages, through the private link the hub sent them (no account): their
school's memorandum of understanding, to read, sign or withdraw from, and their school's view
of its work with the hub. A link shows one school only, and works until the end of the school
year it was made in, or until the hub withdraws it."""

from flask import Blueprint

bp = Blueprint("heads", __name__, url_prefix="/head/<token>")

from hubsurvey.heads import views  # noqa: E402, F401  (routes register on import)
