"""What the daily purge removes, and whether anything expired is still there."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, select, update

from hubsurvey.audit import services as audit
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Attendance,
    FollowUp,
    JobRun,
    Message,
    Participant,
    Response,
    Series,
    Survey,
    UserSession,
    utcnow,
)
from hubsurvey.sharing import services as sharing

JOB = "purge"


@dataclass
class Purged:
    """What one run of the purge removed."""

    surveys: int = 0
    responses: int = 0
    drafts: int = 0
    participants: int = 0
    audit_entries: int = 0
    sessions: int = 0
    share_links: int = 0
    register_entries: int = 0
    messages: int = 0
    follow_ups: int = 0

    def __str__(self) -> str:
        return (
            f"{self.responses} responses from {self.surveys} surveys past their keep-until date, "
            f"{self.drafts} unsent drafts, {self.participants} participant links that no longer "
            f"link anything, {self.audit_entries} audit entries past their keeping time, "
            f"{self.sessions} ended staff sessions, {self.share_links} read-only links "
            f"that ended long ago, {self.register_entries} register entries past their "
            f"feedback survey's keep-until date, {self.messages} emails to named people about "
            f"surveys past their keep-until date, {self.follow_ups} follow-ups with schools "
            "past their series' feedback survey's keep-until date"
        )


def draft_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=current_app.config["DRAFT_KEEP_DAYS"])


def expired_surveys(today: date):
    """Surveys whose keep-until date has passed and that still hold responses."""
    return (
        select(Survey)
        .where(Survey.keep_until < today)
        .where(exists().where(Response.survey_id == Survey.id))
        .order_by(Survey.id)
    )


def purge_expired(now: datetime | None = None) -> Purged:
    """Delete what is past its time, in one transaction, and say what went. A survey past its
    keep-until date is closed too, so it takes no answers that would be deleted at once."""
    now = now or utcnow()
    today = now.date()
    purged = Purged()
    for survey in db.session.scalars(expired_surveys(today)).all():
        removed = db.session.execute(delete(Response).where(Response.survey_id == survey.id))
        purged.surveys += 1
        purged.responses += removed.rowcount
        audit.record(
            "purge",
            hub=survey.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=f"{removed.rowcount} responses deleted: kept until {survey.keep_until}",
        )
    purged.register_entries = _purge_registers(today)
    purged.follow_ups = _purge_follow_ups(today)
    purged.messages = db.session.execute(_messages_past_their_time(today, delete(Message))).rowcount
    db.session.execute(
        update(Survey)
        .where(Survey.keep_until < today, Survey.status == "open")
        .values(status="closed")
    )
    drafts = db.session.execute(
        delete(Response).where(Response.status == "draft", Response.saved_at < draft_cutoff(now))
    )
    purged.drafts = drafts.rowcount
    unlinked = db.session.execute(
        delete(Participant).where(~exists().where(Response.participant_id == Participant.id))
    )
    purged.participants = unlinked.rowcount
    purged.audit_entries = audit.purge_old_entries(now)
    # Staff sessions nobody came back to: where and on what device someone signed in.
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    purged.sessions = db.session.execute(
        delete(UserSession).where(UserSession.last_seen_at < now - idle)
    ).rowcount
    purged.share_links = sharing.purge_ended_links(now)
    run = db.session.get(JobRun, JOB) or JobRun(name=JOB)
    run.started_at = run.finished_at = utcnow()
    run.detail = str(purged)[:500]
    db.session.add(run)
    if purged.drafts or purged.participants:
        audit.record("purge", detail=f"{purged.drafts} drafts, {purged.participants} codes")
    db.session.commit()
    return purged


def _purge_registers(today: date) -> int:
    """Delete the register entries of activities whose feedback survey's keep-until date has
    passed: names on a register are kept as long as named responses, and no longer. One audit
    entry per activity, saying how many went."""
    expired = (
        _expired_registers(today, select(Activity.id, func.count(Attendance.id)))
        .group_by(Activity.id)
        .order_by(Activity.id)
    )
    removed = 0
    for activity_id, count in db.session.execute(expired).all():
        activity = db.session.get(Activity, activity_id)
        db.session.execute(delete(Attendance).where(Attendance.activity_id == activity_id))
        removed += count
        audit.record(
            "purge",
            hub=activity.hub,
            target=f"activity {activity.id}: {activity.title}",
            detail=f"{count} register entries deleted: kept until {activity.survey.keep_until}",
        )
    return removed


def _expired_registers(today: date, statement):
    """Register entries of activities whose feedback survey's keep-until date has passed."""
    return (
        statement.select_from(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .join(Survey, Survey.id == Activity.survey_id)
        .where(Survey.keep_until < today)
    )


def _expired_follow_ups(today: date, statement):
    """Follow-ups of series whose feedback survey's keep-until date has passed."""
    past = (
        select(Series.id)
        .join(Survey, Survey.id == Series.survey_id)
        .where(Survey.keep_until < today)
    )
    return statement.where(FollowUp.series_id.in_(past))


def _purge_follow_ups(today: date) -> int:
    """Delete the follow-ups of series whose feedback survey's keep-until date has passed:
    their notes may name people, so they are kept as long as the series' registers and
    named answers, and no longer. One audit entry per series, saying how many went (never
    what the notes said)."""
    expired = (
        _expired_follow_ups(today, select(FollowUp.series_id, func.count(FollowUp.id)))
        .group_by(FollowUp.series_id)
        .order_by(FollowUp.series_id)
    )
    removed = 0
    for series_id, count in db.session.execute(expired).all():
        series = db.session.get(Series, series_id)
        db.session.execute(delete(FollowUp).where(FollowUp.series_id == series_id))
        removed += count
        audit.record(
            "purge",
            hub=series.hub,
            target=f"series {series.id}: {series.title}",
            detail=f"{count} follow-ups deleted: kept until {series.survey.keep_until}",
        )
    return removed


# Messages addressed to a named person (a personal invitation, an attendee's feedback link):
# their address goes when the survey's answers and its register do.
NAMED_MESSAGES = ("personal", "feedback")


def _messages_past_their_time(today: date, statement):
    """The outbox's messages to named people about surveys past their keep-until date."""
    past = select(Survey.id).where(Survey.keep_until < today)
    return statement.where(Message.kind.in_(NAMED_MESSAGES), Message.survey_id.in_(past))


def still_expired(now: datetime | None = None) -> dict[str, int]:
    """What the purge should have removed but is still there: a warning for administrators."""
    now = now or utcnow()
    responses = db.session.scalar(
        select(func.count(Response.id))
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.keep_until < now.date())
    )
    drafts = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.status == "draft", Response.saved_at < draft_cutoff(now)
        )
    )
    register_entries = db.session.scalar(
        _expired_registers(now.date(), select(func.count(Attendance.id)))
    )
    messages = db.session.scalar(
        _messages_past_their_time(now.date(), select(func.count(Message.id)))
    )
    follow_ups = db.session.scalar(_expired_follow_ups(now.date(), select(func.count(FollowUp.id))))
    return {
        "responses": responses or 0,
        "drafts": drafts or 0,
        "register_entries": register_entries or 0,
        "messages": messages or 0,
        "follow_ups": follow_ups or 0,
    }
