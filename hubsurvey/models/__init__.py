"""Typed SQLAlchemy models, one module per part of the domain."""

from hubsurvey.models.accounts import LinkToken, User
from hubsurvey.models.activities import Activity, Attendance, FollowUp, Series
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
from hubsurvey.models.plans import (
    Cost,
    Funding,
    KeyPerson,
    Measure,
    Objective,
    Plan,
    PlanChange,
    SwotItem,
)
from hubsurvey.models.resources import Resource
from hubsurvey.models.responses import Answer, Invitee, Participant, Response, SchoolLink
from hubsurvey.models.sharing import ShareLink
from hubsurvey.models.surveys import GridRow, Question, Section, Survey, Wave

__all__ = [
    "Activity",
    "Answer",
    "Attendance",
    "AuditEntry",
    "Contact",
    "Cost",
    "ExportRecord",
    "FollowUp",
    "Funding",
    "GridRow",
    "HeadLink",
    "Hub",
    "HubType",
    "Invitee",
    "JobRun",
    "KeyPerson",
    "LinkToken",
    "Measure",
    "Membership",
    "Message",
    "Mou",
    "NeedArea",
    "Objective",
    "Participant",
    "Partnership",
    "Plan",
    "PlanChange",
    "Question",
    "Reminder",
    "Resource",
    "Response",
    "School",
    "SchoolLink",
    "Section",
    "Series",
    "ShareLink",
    "Signature",
    "StatusChange",
    "Survey",
    "SwotItem",
    "User",
    "UserSession",
    "Wave",
    "utcnow",
]
