"""Respondents' pages: a survey's short link, answered on a phone with no account."""

from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/s")

from hubsurvey.respond import abuse, links, views  # noqa: E402, F401  (routes register on import)

abuse.init_blueprint(bp)
