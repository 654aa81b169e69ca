"""Typed SQLAlchemy models, one module per part of the domain."""

from hubsurvey.models.accounts import LinkToken, User
from hubsurvey.models.activities import Activity, Attendance
from hubsurvey.models.audit import AuditEntry, JobRun, UserSession
from hubsurvey.models.base import utcnow
from hubsurvey.models.exports import ExportRecord
from hubsurvey.models.hubs import Hub, HubType, Membership, NeedArea, Partnership, School
from hubsurvey.models.outreach import (
    Contact,
    HeadLink,
    Message,
    Mou,
    Reminder,
    Signature,
    StatusChange,
)
from hubsurvey.models.responses import Answer, Invitee, Participant, Response, SchoolLink
from hubsurvey.models.sharing import ShareLink
from hubsurvey.models.surveys import GridRow, Question, Section, Survey, Wave

__all__ = [
    "Activity",
    "Answer",
    "Attendance",
    "AuditEntry",
    "Contact",
    "ExportRecord",
    "GridRow",
    "HeadLink",
    "Hub",
    "HubType",
    "Invitee",
    "JobRun",
    "LinkToken",
    "Membership",
    "Message",
    "Mou",
    "NeedArea",
    "Participant",
    "Partnership",
    "Question",
    "Reminder",
    "Response",
    "School",
    "SchoolLink",
    "Section",
    "ShareLink",
    "Signature",
    "StatusChange",
    "Survey",
    "User",
    "UserSession",
    "Wave",
    "utcnow",
]
