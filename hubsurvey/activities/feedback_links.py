"""The feedback link, emailed to each person on an activity's register who gave an email
address, when the session ends (the worker looks every five minutes), or earlier when the lead
asks. One message per person, ever: its key names the activity and the register entry, so the
job running twice, or the lead pressing the button after it, sends nobody a second one.

An activity's times are kept as the clock in England shows them (the form's date and time, as
typed); the moments the app records, such as when the links were sent, are UTC."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import exists

from hubsurvey.activities.participation import england_clock
from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.invitations import texts
from hubsurvey.models import Activity, Attendance, Message, User, utcnow
from hubsurvey.outbox import services as outbox

# A session that ended longer ago than this is not emailed about by the job: a link arriving
# weeks later would puzzle people (the lead can still send it with the button).
WITHIN = timedelta(days=7)
JOB = "feedback-links"

FEEDBACK = texts.Template(
    subject="How was {activity}?",
    body=texts.paragraphs(
        "Dear {name},",
        "Thank you for coming to {activity} on {date}. How was it? Tell {hub} in a couple of "
        "minutes, on your phone or computer:",
        "{link}",
        "{privacy}",
        "Thank you,\n{hub}",
    ),
)


@dataclass
class LinkStatus:
    """Where the activity's feedback links are, for its page."""

    state: str  # sent, no-end, nobody, later, due, too-late
    with_email: int  # people on the register with an email address
    unsent: int  # of those, people not sent the link yet
    ends_at: datetime | None
    sent_at: datetime | None


def feedback_url(activity: Activity) -> str:
    return url_for("respond.start", code=activity.code, _external=True)


def _key(activity: Activity, attendance: Attendance) -> str:
    return f"feedback:{activity.id}:{attendance.id}"


def _sent_keys(activity: Activity) -> set[str]:
    return set(
        db.session.scalars(
            db.select(Message.key).where(
                Message.hub_id == activity.hub_id,
                Message.key.startswith(f"feedback:{activity.id}:", autoescape=True),
            )
        )
    )


def _with_email(activity: Activity) -> list[Attendance]:
    return list(
        db.session.scalars(
            db.select(Attendance)
            .where(Attendance.activity_id == activity.id, Attendance.email != "")
            .order_by(Attendance.id)
        )
    )


def link_status(activity: Activity, now: datetime | None = None) -> LinkStatus:
    """Whether the links were sent, will be sent at the end time, or cannot be, and why."""
    clock = england_clock(now)
    people = _with_email(activity)
    sent = _sent_keys(activity)
    unsent = sum(1 for person in people if _key(activity, person) not in sent)
    if activity.feedback_sent_at is not None:
        state = "sent"
    elif not people:
        state = "nobody"
    elif activity.ends_at is None:
        state = "no-end"
    elif activity.ends_at > clock:
        state = "later"
    elif activity.ends_at > clock - WITHIN:
        state = "due"
    else:
        state = "too-late"
    return LinkStatus(state, len(people), unsent, activity.ends_at, activity.feedback_sent_at)


def send_links(activity: Activity, by: User | None = None) -> int:
    """Queue the feedback link for everyone on the register with an email address who has not
    had it, note that the links went, and commit; returns how many were queued."""
    sent = _sent_keys(activity)
    link = outbox.with_links(feedback_url, activity)
    survey = activity.survey
    privacy = (
        "You are not asked your name, and your answers are not linked to this email."
        if survey.anonymous
        else "The survey asks your name, as it says before you start."
    )
    messages = []
    for person in _with_email(activity):
        key = _key(activity, person)
        if key in sent:
            continue
        filled = {
            "name": person.name,
            "activity": activity.title,
            "date": f"{activity.starts_at:%-d %B %Y}",
            "hub": activity.hub.name,
            "link": link,
            "privacy": privacy,
        }
        messages.append(
            outbox.queue(
                activity.hub,
                kind="feedback",
                key=key,
                to_email=person.email,
                to_name=person.name,
                subject=texts.fill(FEEDBACK.subject, filled),
                body=texts.fill(FEEDBACK.body, filled),
                survey=survey,
                school=person.school,
                by=by,
            )
        )
    if messages or sent:
        activity.feedback_sent_at = activity.feedback_sent_at or utcnow()
    if messages:
        record(
            "people-invited",
            hub=activity.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=f"Feedback link of activity {activity.id} to {len(messages)} on its register",
            user=by,
        )
    db.session.commit()
    outbox.dispatch(messages)
    return len(messages)


def due_activities(now: datetime) -> list[Activity]:
    """Activities that ended within the last week, with someone on the register to email, and
    whose links have not gone yet. (A register typed in after the session, within the week,
    is emailed too.)"""
    clock = england_clock(now)
    someone = exists().where(Attendance.activity_id == Activity.id, Attendance.email != "")
    return list(
        db.session.scalars(
            db.select(Activity)
            .where(
                Activity.feedback_sent_at.is_(None),
                Activity.ends_at <= clock,
                Activity.ends_at > clock - WITHIN,
                someone,
            )
            .order_by(Activity.ends_at, Activity.id)
        )
    )


def send_due(now: datetime | None = None) -> str:
    """The worker's job: send the links of every activity that has just ended. Says what it
    did, for the job's last-run note."""
    done = []
    for activity in due_activities(now or utcnow()):
        count = send_links(activity)
        done.append(f"activity {activity.id}: {count}")
    return f"Feedback links sent for {'; '.join(done)}" if done else "No sessions ended"
