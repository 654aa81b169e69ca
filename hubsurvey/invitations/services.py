"""Inviting partner schools to a survey and reminding them: each school's own link, who
at the school gets the message, and where each school is (invited, link opened, responded).

Messages go through the hub's outbox (hubsurvey/outbox): each has a key naming the survey,
wave, school, contact and purpose (and a reminder's day), so asking twice, or a job run
twice, never writes to anyone twice."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.invitations import texts
from hubsurvey.models import (
    Contact,
    Message,
    Reminder,
    School,
    SchoolLink,
    Survey,
    User,
    utcnow,
)
from hubsurvey.models.base import in_uk
from hubsurvey.outbox import services as outbox
from hubsurvey.surveys.services import SchoolStatus, availability, ensure_links, school_statuses
from hubsurvey.surveys.waves import current_wave

# Who at each school a message goes to.
RECIPIENTS = {
    "main": "The main contact for the hub (the headteacher where there is none)",
    "head": "The headteacher",
    "both": "Both the main contact and the headteacher",
}


@dataclass
class Sent:
    """What a send did: the messages written, and the schools skipped, with why."""

    messages: list[Message] = field(default_factory=list)
    schools: set[int] = field(default_factory=set)
    skipped: list[tuple[School, str]] = field(default_factory=list)

    def summary(self, verb: str) -> str:
        count = len(self.schools)
        words = f"{verb} {count} {'school' if count == 1 else 'schools'}"
        if self.skipped:
            words += f"; {len(self.skipped)} skipped"
        return words


def reminded_lately(survey: Survey, reminded_at: datetime | None, today: date) -> bool:
    """Reminded within the survey's gap (in days, by the clock in England): not again yet."""
    if reminded_at is None:
        return False
    return (today - in_uk(reminded_at).date()).days < survey.remind_gap_days


def school_url(survey: Survey, link: SchoolLink) -> str:
    return url_for("respond.school_link", code=survey.code, token=link.token, _external=True)


def choose_contacts(status: SchoolStatus, to: str) -> tuple[list[Contact], str | None]:
    """Who at the school gets the message, or why nobody does."""
    by_kind = {c.kind: c for c in status.contacts}
    if to == "both":
        wanted = [by_kind.get("main"), by_kind.get("head")]
    elif to == "head":
        wanted = [by_kind.get("head")]
    else:
        main = by_kind.get("main")
        wanted = [main if main is not None and main.email else by_kind.get("head")]
    wanted = [c for c in wanted if c is not None and c.email]
    chosen = [c for c in wanted if c.opted_out_at is None]
    if chosen:
        return chosen, None
    if wanted:
        return [], "its contact has asked us to stop emailing them"
    return [], "no email address for this school: add a contact on the school's page"


def values(survey: Survey, status: SchoolStatus, link: SchoolLink | None, contact: Contact) -> dict:
    """What the placeholders stand for in one school's message (a preview's school may have
    no link yet: it is made when the message is sent)."""
    head = next((c for c in status.contacts if c.kind == "head"), None)
    closes = survey.closes_on
    return {
        "school": status.school.name,
        "name": contact.name or f"colleague at {status.school.name}",
        "head": head.name if head and head.name else "the headteacher",
        "survey": survey.title,
        "closing_date": f"{closes:%-d %B %Y}" if closes else "soon",
        "link": school_url(survey, link) if link else "[the school's own link]",
        "qr_code": url_for(
            "respond.school_link_qr", code=survey.code, token=link.token, _external=True
        )
        if link
        else "[a link to the school's QR code]",
        "hub": survey.hub.name,
    }


def compose(template: texts.Template, filled: dict) -> texts.Template:
    """One school's message. The subject stays one line whatever was typed or filled in."""
    subject = " ".join(texts.fill(template.subject, filled).split())
    return texts.Template(subject=subject[:200], body=texts.fill(template.body, filled))


def preview(
    survey: Survey, statuses: list[SchoolStatus], template: texts.Template, to: str
) -> tuple[SchoolStatus, Contact | None, texts.Template] | None:
    """The message as the first chosen school that can receive it will: made with a link
    that is not saved, since nothing is sent."""
    for status in statuses:
        contacts, _why = choose_contacts(status, to)
        if contacts:
            filled = values(survey, status, status.link, contacts[0])
            return status, contacts[0], compose(template, filled)
    return None


def send(
    survey: Survey,
    statuses: list[SchoolStatus],
    template: texts.Template,
    to: str,
    purpose: str,
    by: User | None,
    today: date,
) -> Sent:
    """Write to each of these schools (purpose "invite" or "remind") and commit. Reminders
    skip a school reminded within the survey's gap; nobody is written to twice for one key."""
    sent = Sent()
    wave = current_wave(survey, today)
    now = utcnow()
    links = ensure_links(survey, [s.school for s in statuses])
    for status in statuses:
        link = links[status.school.id]
        if purpose == "remind" and reminded_lately(survey, link.reminded_at, today):
            when = f"{in_uk(link.reminded_at):%-d %B}"
            sent.skipped.append((status.school, f"already reminded on {when}"))
            continue
        contacts, why = choose_contacts(status, to)
        if why:
            sent.skipped.append((status.school, why))
            continue
        for contact in contacts:
            key = f"{purpose}:survey{survey.id}:wave{wave.id}:school{status.school.id}"
            key += f":contact{contact.id}" + (f":{today}" if purpose == "remind" else "")
            if outbox.find_message(survey.hub, key) is not None:
                continue  # asked twice, or a job run twice: nobody gets it twice
            message = compose(template, values(survey, status, link, contact))
            queued = outbox.queue(
                survey.hub,
                kind=_kind(survey, purpose),
                key=key,
                to_email=contact.email,
                to_name=contact.name,
                subject=message.subject,
                body=message.body,
                survey=survey,
                school=status.school,
                contact=contact,
                by=by,
            )
            if queued is not None:
                sent.messages.append(queued)
                sent.schools.add(status.school.id)
        if status.school.id not in sent.schools and purpose == "invite" and link.invited_at:
            sent.skipped.append((status.school, f"already invited on {_day(link.invited_at)}"))
        if status.school.id in sent.schools:
            if purpose == "invite":
                link.invited_at = link.invited_at or now
            else:
                link.reminded_at = now
    if sent.schools:
        action = "schools-invited" if purpose == "invite" else "schools-reminded"
        record(
            action,
            hub=survey.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=sent.summary("Invited" if purpose == "invite" else "Reminded"),
            user=by,
        )
    db.session.commit()
    outbox.dispatch(sent.messages)
    return sent


def _day(moment: datetime) -> str:
    return f"{in_uk(moment):%-d %B}"


def _kind(survey: Survey, purpose: str) -> str:
    if purpose == "remind":
        return "reminder"
    return "outcomes" if survey.kind == "outcomes" else "invitation"


def short_of(statuses: list[SchoolStatus], below: int) -> list[SchoolStatus]:
    """The schools with fewer than `below` sent responses in the current wave."""
    return [s for s in statuses if s.responses < below]


def remind(
    survey: Survey,
    below: int,
    template: texts.Template,
    to: str,
    by: User | None,
    today: date,
) -> Sent:
    return send(survey, short_of(school_statuses(survey), below), template, to, "remind", by, today)


def due_reminders(today: date) -> list[str]:
    """Send the reminders due today: those the leads set for a date up to today, and each
    open survey's automatic ones (so many days before it closes). Safe to run again: a
    reminder is done once, and each message's key names its day. Returns what it did."""
    done = []
    for reminder in db.session.scalars(
        db.select(Reminder).where(Reminder.send_on <= today, Reminder.done_at.is_(None))
    ):
        survey = db.session.get(Survey, reminder.survey_id)
        if availability(survey, today) != "open":
            reminder.outcome = "Not sent: the survey was not open"
        else:
            sent = remind(survey, reminder.below, texts.REMINDER, "main", None, today)
            reminder.outcome = sent.summary("Reminded")
        reminder.done_at = datetime.combine(today, datetime.min.time())
        db.session.commit()
        done.append(f"{survey.title}: {reminder.outcome}")
    for survey in db.session.scalars(
        db.select(Survey).where(Survey.status == "open", Survey.closes_on.is_not(None))
    ):
        days_left = (survey.closes_on - today).days
        if days_left in (survey.remind_days or []) and availability(survey, today) == "open":
            sent = remind(survey, survey.remind_below, texts.REMINDER, "main", None, today)
            done.append(
                f"{survey.title} ({days_left} days before closing): {sent.summary('Reminded')}"
            )
    return done
