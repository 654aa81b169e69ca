"""Typed SQLAlchemy models, one module per part of the domain."""

from hubsurvey.models.accounts import LinkToken, User
from hubsurvey.models.activities import Activity
from hubsurvey.models.audit import AuditEntry, JobRun, UserSession
from hubsurvey.models.base import utcnow
from hubsurvey.models.exports import ExportRecord
from hubsurvey.models.hubs import Hub, HubType, Membership, NeedArea, Partnership, School
from hubsurvey.models.responses import Answer, Participant, Response, SchoolLink
from hubsurvey.models.sharing import ShareLink
from hubsurvey.models.surveys import GridRow, Question, Section, Survey, Wave

__all__ = [
    "Activity",
    "Answer",
    "AuditEntry",
    "ExportRecord",
    "GridRow",
    "Hub",
    "HubType",
    "JobRun",
    "LinkToken",
    "Membership",
    "NeedArea",
    "Participant",
    "Partnership",
    "Question",
    "Response",
    "School",
    "SchoolLink",
    "Section",
    "ShareLink",
    "Survey",
    "User",
    "UserSession",
    "Wave",
    "utcnow",
]
