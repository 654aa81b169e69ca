"""Inviting people by name to a named survey: each gets a personal link, and what they send
through it is linked to them. A link's secret is an HMAC of the invitation under the app's
secret key, so a reminder can carry the same link, and only its hash is stored: a copy of the
database, which holds no secret key, opens nothing. Reminders go only to those who have not
sent their answers."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, url_for
from sqlalchemy import update

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.forms import EMAIL_PATTERN
from hubsurvey.invitations import texts
from hubsurvey.invitations.services import reminded_lately
from hubsurvey.models import Invitee, Message, Response, Survey, User, utcnow
from hubsurvey.outbox import services as outbox
from hubsurvey.surveys.waves import current_wave

MOST_AT_ONCE = 500
WITHDRAWN = "Not sent: the personal link in it was withdrawn."

PERSONAL = texts.Template(
    subject="{survey}: your own link",
    body=texts.paragraphs(
        "Dear {name},",
        "{hub} would like your answers to {survey}. This link is yours alone: what you send "
        "through it is kept with your name, so please do not forward it.",
        "{link}",
        "It closes on {closing_date}.",
        "Thank you,\n{hub}",
    ),
)
PERSONAL_REMINDER = texts.Template(
    subject="Reminder: {survey} closes on {closing_date}",
    body=texts.paragraphs(
        "Dear {name},",
        "A reminder that {survey} closes on {closing_date}, and we have not had your answers "
        "yet. Your own link:",
        "{link}",
        "Thank you,\n{hub}",
    ),
)


class PeopleError(ValueError):
    """A list of people the app cannot use, with what to change."""


@dataclass
class Person:
    name: str
    email: str


@dataclass
class Invited:
    invitees: list[Invitee] = field(default_factory=list)  # each sent a link, new or again
    already: list[str] = field(default_factory=list)  # emails invited before
    again: list[str] = field(default_factory=list)  # emails whose withdrawn link is replaced


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token(invitee: Invitee) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    made = f"invitee:{invitee.id}:{invitee.invited_at.isoformat()}"
    return hmac.new(key, made.encode(), hashlib.sha256).hexdigest()


def parse_people(text: str) -> list[Person]:
    """One person a line, as "Name, email" (or "Name <email>", or a bare email). Every line
    must be right, or none is used: the error names the lines to fix."""
    people, problems, seen = [], [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(?:(.*?)[,;<\t]\s*)?([^\s,;<>]+@[^\s,;<>]+)>?", line)
        email = match.group(2).lower() if match else ""
        name = " ".join((match.group(1) or "").split()) if match else ""
        if not match or not EMAIL_PATTERN.match(email) or len(email) > 254:
            problems.append(f"line {number} has no email address we can use")
        elif len(name) > 120:
            problems.append(f"line {number}: the name must be 120 characters or fewer")
        elif email not in seen:
            seen.add(email)
            people.append(Person(name=name or email.split("@")[0], email=email))
    if problems:
        shown = "; ".join(problems[:5]) + ("; and more" if len(problems) > 5 else "")
        raise PeopleError(f"Write each person as Name, email: {shown}")
    if not people:
        raise PeopleError("Enter at least one person, as Name, email")
    if len(people) > MOST_AT_ONCE:
        raise PeopleError(f"Invite at most {MOST_AT_ONCE} people at once")
    return people


def invitees(survey: Survey) -> list[tuple[Invitee, bool]]:
    """Everyone invited to the survey, A to Z, with whether they have sent their answers in
    the current wave."""
    wave = current_wave(survey)
    sent = set(
        db.session.scalars(
            db.select(Response.id).where(
                Response.survey_id == survey.id,
                Response.wave_id == wave.id,
                Response.status == "submitted",
            )
        )
    )
    people = db.session.scalars(
        db.select(Invitee).where(Invitee.survey_id == survey.id).order_by(Invitee.name)
    )
    return [(person, person.response_id in sent) for person in people]


def invite(survey: Survey, people: list[Person], by: User | None) -> Invited:
    """A personal link and message for each person not invited before, and a new link for
    each whose link was withdrawn (the withdrawn one still opens nothing); commits."""
    done = Invited()
    known = {
        invitee.email: invitee
        for invitee in db.session.scalars(db.select(Invitee).where(Invitee.survey_id == survey.id))
    }
    messages = []
    for person in people:
        invitee, now = known.get(person.email), utcnow()
        if invitee is None:
            invitee = Invitee(
                survey_id=survey.id,
                name=person.name,
                email=person.email,
                invited_at=now,
                token_hash=secrets.token_hex(32),  # until it has an id to make its link from
            )
            db.session.add(invitee)
            db.session.flush()
            key = f"personal:{invitee.id}"
        elif _renew(invitee, person, now):
            done.again.append(person.email)
            key = f"personal:{invitee.id}:{now:%Y%m%dT%H%M%S%f}"  # not the first one's key
        else:
            done.already.append(person.email)
            continue
        token = _token(invitee)  # made from its id and when it was invited: a new link
        invitee.token_hash = _hash(token)
        messages.append(_queue(survey, invitee, token, PERSONAL, key, by))
        done.invitees.append(invitee)
    if done.invitees:
        renewed = [str(i.id) for i in done.invitees if i.email in done.again]
        again = f" (again, with a new link: {', '.join(renewed)})" if renewed else ""
        record(
            "people-invited",
            hub=survey.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=f"Invited {len(done.invitees)} by name{again}",
            user=by,
        )
    db.session.commit()
    outbox.dispatch(messages)
    return done


def _renew(invitee: Invitee, person: Person, now: datetime) -> bool:
    """Make a withdrawn invitation new: once, however many times it is asked for at the same
    moment (one conditional update claims it). False when it is not withdrawn."""
    claimed = db.session.execute(
        update(Invitee)
        .where(Invitee.id == invitee.id, Invitee.withdrawn_at.is_not(None))
        .values(withdrawn_at=None, reminded_at=None, name=person.name, invited_at=now)
    )
    return claimed.rowcount == 1


def remind(survey: Survey, by: User | None, today: date) -> int:
    """A reminder, with their personal link, to each person who has not sent answers in the
    current wave and was not reminded within the survey's gap; commits. How many."""
    messages = []
    for invitee, answered in invitees(survey):
        if (
            answered
            or invitee.withdrawn_at is not None
            or reminded_lately(survey, invitee.reminded_at, today)
        ):
            continue
        invitee.reminded_at = utcnow()
        # One reminder a day for each invitation (a new link after a withdrawal is another).
        key = f"personal-reminder:{invitee.id}:{invitee.invited_at:%Y%m%dT%H%M%S%f}:{today}"
        messages.append(_queue(survey, invitee, _token(invitee), PERSONAL_REMINDER, key, by))
    if messages:
        record(
            "schools-reminded",
            hub=survey.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=f"Reminded {len(messages)} people invited by name",
            user=by,
        )
    db.session.commit()
    outbox.dispatch(messages)
    return len(messages)


def _queue(survey, invitee, token, template, key, by):
    closes = survey.closes_on
    filled = {
        "name": invitee.name,
        "survey": survey.title,
        "hub": survey.hub.name,
        "closing_date": f"{closes:%-d %B %Y}" if closes else "soon",
        "link": url_for("respond.personal_link", code=survey.code, token=token, _external=True),
    }
    return outbox.queue(
        survey.hub,
        kind="personal",
        key=key,
        to_email=invitee.email,
        to_name=invitee.name,
        subject=" ".join(texts.fill(template.subject, filled).split()),
        body=texts.fill(template.body, filled),
        survey=survey,
        by=by,
    )


def find_invitee(survey: Survey, token: str) -> Invitee | None:
    """The invitation a personal link belongs to; None once it is withdrawn."""
    return db.session.scalar(
        db.select(Invitee).where(
            Invitee.survey_id == survey.id,
            Invitee.token_hash == _hash(token),
            Invitee.withdrawn_at.is_(None),
        )
    )


def find_survey_invitee(survey: Survey, invitee_id: int) -> Invitee | None:
    return db.session.scalar(
        db.select(Invitee).where(Invitee.survey_id == survey.id, Invitee.id == invitee_id)
    )


@dataclass
class Withdrawn:
    stopped: int  # messages not yet sent, stopped
    draft_deleted: bool  # answers begun through the link and not sent


def withdraw(invitee: Invitee, by: User | None) -> Withdrawn:
    """Withdraw one person's link: it opens nothing from now on and is never reminded.
    Their messages not yet sent are stopped, without the link. Answers sent through it are
    kept; answers begun through it and not sent are deleted, since whoever has the link may
    not be the person (a new link, if they are invited again, starts afresh). Commits."""
    invitee.withdrawn_at = utcnow()
    unsent = db.session.scalars(
        db.select(Message).where(
            Message.hub_id == invitee.survey.hub_id,
            Message.kind == "personal",
            Message.state.in_(("waiting", "queued")),
            (Message.key == f"personal:{invitee.id}")
            | Message.key.startswith(f"personal:{invitee.id}:")  # invited again
            | Message.key.startswith(f"personal-reminder:{invitee.id}:"),
        )
    ).all()
    for message in unsent:
        message.state, message.last_error = "failed", WITHDRAWN
        message.body = outbox.forget_private_links(message)
    begun = db.session.get(Response, invitee.response_id) if invitee.response_id else None
    draft_deleted = begun is not None and begun.status == "draft"
    if draft_deleted:
        invitee.response_id = None
        db.session.delete(begun)
    record(
        "personal-link-withdrawn",
        hub=invitee.survey.hub,
        target=f"survey {invitee.survey_id}: {invitee.survey.title}",
        detail=f"Withdrew personal link {invitee.id}; stopped {len(unsent)} unsent messages"
        + ("; deleted the answers begun through it, not sent" if draft_deleted else ""),
        user=by,
    )
    db.session.commit()
    return Withdrawn(len(unsent), draft_deleted)
