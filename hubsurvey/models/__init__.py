"""Typed SQLAlchemy models, one module per part of the domain."""

from hubsurvey.models.accounts import LinkToken, User
from hubsurvey.models.base import utcnow
from hubsurvey.models.hubs import Hub, HubType, Membership, NeedArea, Partnership, School
from hubsurvey.models.responses import Answer, Response
from hubsurvey.models.surveys import GridRow, Question, Section, Survey

__all__ = [
    "Answer",
    "GridRow",
    "Hub",
    "HubType",
    "LinkToken",
    "Membership",
    "NeedArea",
    "Partnership",
    "Question",
    "Response",
    "School",
    "Section",
    "Survey",
    "User",
    "utcnow",
]
