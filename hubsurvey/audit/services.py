"""The audit trail: who did what to accounts, surveys, privacy settings, exports and erasures.

An entry says who, what, when and from where. It never holds answers."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func

from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, Hub, User

# Each action in words, as the log pages show it. An action missing here shows as recorded.
ACTIONS = {
    "sign-in": "Signed in",
    "sign-in-failed": "Sign-in failed",
    "sign-out": "Signed out",
    "password-changed": "Changed a password",
    "password-link-issued": "Made a password link",
    "session-ended": "Ended a session",
    "account-created": "Created an account",
    "role-changed": "Changed an account's role",
    "account-disabled": "Disabled an account",
    "account-enabled": "Enabled an account",
    "membership-added": "Added someone to a hub",
    "membership-removed": "Removed someone from a hub",
    "survey-opened": "Opened a survey",
    "survey-closed": "Closed a survey",
    "survey-deleted": "Deleted a survey",
    "privacy-changed": "Changed a privacy setting",
    "export": "Exported answers",
    "responses-erased": "Erased a person's responses",
    "access-download": "Downloaded a person's responses",
    "purge": "Deleted expired answers",
    "response-excluded": "Left a response out",
    "response-restored": "Brought a response back",
    "share-link-created": "Made a read-only link",
    "share-link-revoked": "Withdrew a read-only link",
    "viewer-invited": "Invited a viewer",
    "viewer-revoked": "Withdrew a viewer's access",
    "contact-saved": "Saved a school contact",
    "contact-removed": "Removed a school contact",
    "contact-opted-out": "A contact stopped the hub's email",
    "contact-opted-in": "A contact took the hub's email again",
    "schools-invited": "Invited schools to a survey",
    "schools-reminded": "Reminded schools about a survey",
    "reminders-set": "Set survey reminders",
    "people-invited": "Invited people by name",
    "personal-link-withdrawn": "Withdrew a personal link",
    "message-retried": "Tried sending a message again",
    "messages-marked-sent": "Marked messages as sent by hand",
    "mou-saved": "Saved the memorandum of understanding",
    "mou-sent": "Sent the memorandum of understanding",
    "mou-signed": "A head signed the memorandum of understanding",
    "mou-withdrawn": "A school withdrew from the memorandum of understanding",
    "status-changed": "Changed a school's status",
    "schools-imported": "Imported schools from a file",
    "head-link-revoked": "Withdrew a head's link",
    "head-view-sent": "Sent a head their school's view",
    "head-view-opened": "A head opened their school's view",
    "attendance-saved": "Saved someone on an activity's register",
    "attendance-removed": "Removed someone from an activity's register",
    "resource-added": "Added a resource to the library",
    "resource-changed": "Changed a resource in the library",
    "resource-removed": "Removed a resource from the library",
    "series-saved": "Saved a series of sessions",
    "series-removed": "Removed a series of sessions",
    "follow-up-saved": "Logged follow-up with a school",
    "follow-up-removed": "Removed follow-up with a school",
    "follow-up-notes-cleared": "Cleared follow-up notes naming a person",
    "plan-changed": "Changed the sustainability and impact plan",
}
PAGE_SIZE = 50


def record(
    action: str,
    *,
    hub: Hub | None = None,
    target: str = "",
    detail: str = "",
    user: User | None = None,
) -> AuditEntry:
    """Add an entry to the caller's transaction, so it is kept exactly when the change is.
    `user` defaults to whoever is signed in."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        hub_id=hub.id if hub else None,
        user_id=user.id if user else None,
        actor=user.email if user else "",
        target=target[:200],
        detail=detail[:500],
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def action_words(action: str) -> str:
    return ACTIONS.get(action, action)


def actor_words(entry: AuditEntry) -> str:
    """Who did it: their email as it was, "system" for scheduled jobs and commands, or
    "not signed in" for a request with nobody signed in (a failed sign-in, say)."""
    if entry.actor:
        return entry.actor
    return "not signed in" if entry.ip else "system"


@dataclass
class LogFilters:
    """What the log is narrowed to; empty values narrow nothing."""

    action: str = ""
    hub_id: int | None = None
    actor: str = ""
    since: date | None = None
    until: date | None = None


def log_page(
    filters: LogFilters, hub: Hub | None = None, page: int = 1
) -> tuple[list[AuditEntry], bool]:
    """One page of entries, newest first: all hubs' for administrators, or only `hub`'s.
    Also says whether older entries follow."""
    query = db.select(AuditEntry)
    if hub is not None:
        query = query.where(AuditEntry.hub_id == hub.id)
    elif filters.hub_id is not None:
        query = query.where(AuditEntry.hub_id == filters.hub_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor:
        # "contains" escapes % and _ in what was typed, so they match only themselves.
        typed = filters.actor.lower()
        query = query.where(func.lower(AuditEntry.actor).contains(typed, autoescape=True))
    if filters.since:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, time()))
    if filters.until:
        # The whole of the last day; the last day there is has no day after it.
        last = min(filters.until, date.max - timedelta(days=1))
        day_after = datetime.combine(last + timedelta(days=1), time())
        query = query.where(AuditEntry.created_at < day_after)
    rows = db.session.scalars(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def all_hubs() -> list[Hub]:
    return list(db.session.scalars(db.select(Hub).order_by(Hub.name)))


def actions_in_use() -> list[str]:
    """Every action the log can be filtered by: the known ones, and any others recorded."""
    recorded = db.session.scalars(db.select(AuditEntry.action).group_by(AuditEntry.action))
    return [*ACTIONS, *sorted(set(recorded) - set(ACTIONS))]


def purge_old_entries(now: datetime, keep_days: int | None = None) -> int:
    """Delete entries older than AUDIT_KEEP_DAYS, in the caller's transaction (the caller
    commits, as with `record`); returns how many went."""
    if keep_days is None:
        keep_days = current_app.config["AUDIT_KEEP_DAYS"]
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)  # stored times are UTC without a zone
    cutoff = now - timedelta(days=keep_days)
    removed = db.session.execute(delete(AuditEntry).where(AuditEntry.created_at < cutoff))
    return removed.rowcount
