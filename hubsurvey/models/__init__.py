"""Typed SQLAlchemy models, one module per part of the domain."""

from hubsurvey.models.accounts import LinkToken, User
from hubsurvey.models.base import utcnow
from hubsurvey.models.hubs import Hub, HubType, Membership, NeedArea, Partnership, School

__all__ = [
    "Hub",
    "HubType",
    "LinkToken",
    "Membership",
    "NeedArea",
    "Partnership",
    "School",
    "User",
    "utcnow",
]
