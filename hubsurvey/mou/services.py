"""The hub's memorandum of understanding (MoU): its versions, sending it to heads with their
private links, and where each partner school is with it this school year.

A school year runs from 1 September to 31 August and is named by its first calendar year
(2026 is 2026 to 2027). A signature covers one school year: each September every school is
asked to sign again. A head's private link ends with the school year it was made in."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hubsurvey.audit.services import record
from hubsurvey.contacts.services import find_contact, school_words
from hubsurvey.extensions import db
from hubsurvey.models import (
    Contact,
    HeadLink,
    Hub,
    Message,
    Mou,
    Partnership,
    School,
    Signature,
    User,
    utcnow,
)
from hubsurvey.models.base import in_uk
from hubsurvey.mou import texts
from hubsurvey.outbox import services as outbox
from hubsurvey.school_years import signing_year, year_ends, year_words

# Each of the memorandum's two parts, as typed: room for a long one, not for a book.
TEXT_LIMIT = 10_000
# Sending to every school that has not signed skips a school whose head was sent it this
# recently: pressing the button twice does not write to every head twice.
RESEND_GAP = timedelta(days=7)


def day_words(moment: datetime) -> str:
    return f"{in_uk(moment):%-d %B %Y}"


# Versions


class MouConflict(Exception):
    """Someone saved another version while this one was being edited."""


def versions(hub: Hub) -> list[Mou]:
    """The hub's versions, newest first."""
    return list(
        db.session.scalars(db.select(Mou).where(Mou.hub_id == hub.id).order_by(Mou.version.desc()))
    )


def current_mou(hub: Hub) -> Mou | None:
    """The version heads read and sign now: the latest."""
    return db.session.scalar(
        db.select(Mou).where(Mou.hub_id == hub.id).order_by(Mou.version.desc()).limit(1)
    )


def authors(mous: list[Mou]) -> dict[int, str]:
    """Who saved each version, by user id: their email address."""
    ids = {mou.created_by_id for mou in mous if mou.created_by_id}
    rows = db.session.execute(db.select(User.id, User.email).where(User.id.in_(ids)))
    return dict(rows.tuples().all())


def signature_counts(hub: Hub) -> dict[int, int]:
    """How many signatures (withdrawn or not) each version has, by the version's id."""
    rows = db.session.execute(
        db.select(Signature.mou_id, func.count())
        .where(Signature.hub_id == hub.id)
        .group_by(Signature.mou_id)
    )
    return dict(rows.tuples().all())


def tidy(text: str) -> str:
    """The text as kept: one kind of line break, no spaces at line ends, none around it."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def save_mou(
    hub: Hub,
    hub_offers: str,
    school_commits: str,
    by: User | None,
    based_on: int | None,
    now: datetime | None = None,
) -> Mou | None:
    """Save the lead's text as a new version, the next number. A version is never changed
    once saved, so whatever a head signed stays as they read it. None when the text is the
    latest version's already. Raises MouConflict when the latest version is no longer the
    one the lead started from (`based_on`, None for the first)."""
    offers, commits = tidy(hub_offers), tidy(school_commits)
    latest = current_mou(hub)
    if (latest.version if latest else None) != based_on:
        raise MouConflict
    if latest and (latest.hub_offers, latest.school_commits) == (offers, commits):
        return None
    number = latest.version + 1 if latest else 1
    mou = Mou(
        hub_id=hub.id,
        version=number,
        hub_offers=offers,
        school_commits=commits,
        created_at=now or utcnow(),
        created_by_id=by.id if by else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(mou)
    except IntegrityError as error:  # another lead's version took the number first
        db.session.rollback()
        raise MouConflict from error
    record(
        "mou-saved",
        hub=hub,
        target=f"memorandum version {number}",
        detail="The first version" if latest is None else f"Replaces version {latest.version}",
        user=by,
    )
    db.session.commit()
    return mou


def find_version(hub: Hub, version: int) -> Mou | None:
    return db.session.scalar(db.select(Mou).where(Mou.hub_id == hub.id, Mou.version == version))


# Heads' private links


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_head_link(school: School, by: User | None, now: datetime) -> tuple[HeadLink, str]:
    """A new private link for the school's head, working until the end of this school year.
    Returns it with its secret, which is not stored: it can be put in a message only now."""
    token = secrets.token_urlsafe(32)
    link = HeadLink(
        hub_id=school.hub_id,
        school_id=school.id,
        token_hash=token_hash(token),
        created_at=now,
        created_by_id=by.id if by else None,
        expires_at=year_ends(signing_year(now)),
    )
    db.session.add(link)
    db.session.flush()  # for its id, in the message's key
    return link, token


def find_head_link(token: str, now: datetime | None = None) -> HeadLink | None:
    """The working link with this secret; None for one unknown, expired or withdrawn alike,
    so that nobody can tell them apart."""
    link = db.session.scalar(db.select(HeadLink).where(HeadLink.token_hash == token_hash(token)))
    if link is None or not link.works(now or utcnow()):
        return None
    return link


def school_links(school: School) -> list[HeadLink]:
    """The links made for the school's head, newest first."""
    return list(
        db.session.scalars(
            db.select(HeadLink)
            .where(HeadLink.school_id == school.id)
            .order_by(HeadLink.created_at.desc(), HeadLink.id.desc())
        )
    )


def revoke_head_link(
    school: School, link_id: int, by: User | None, now: datetime | None = None
) -> HeadLink | None:
    """Withdraw one of the school's links: it stops working at once. None if it is not one
    of this school's (so not this hub's)."""
    link = db.session.get(HeadLink, link_id)
    if link is None or link.school_id != school.id or link.hub_id != school.hub_id:
        return None
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        record(
            "head-link-revoked",
            hub=school.hub,
            target=school_words(school),
            detail=f"Head's link {link.id}, made on {day_words(link.created_at)}",
            user=by,
        )
        db.session.commit()
    return link


# Signatures


def year_signature(school: School, year: int) -> Signature | None:
    """The school's signature for this school year, unless withdrawn."""
    return db.session.scalar(
        db.select(Signature)
        .where(
            Signature.school_id == school.id,
            Signature.school_year == year,
            Signature.withdrawn_at.is_(None),
        )
        .order_by(Signature.signed_at.desc())
        .limit(1)
    )


def school_signatures(school: School) -> list[Signature]:
    """Every signature of the school's heads, newest first, with the version signed."""
    return list(
        db.session.scalars(
            db.select(Signature)
            .where(Signature.school_id == school.id)
            .options(selectinload(Signature.mou))
            .order_by(Signature.signed_at.desc(), Signature.id.desc())
        )
    )


def hub_signature(hub: Hub, school_id: int, signature_id: int) -> Signature | None:
    """One signature of one of the hub's schools; None for another hub's or school's."""
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.hub_id != hub.id or signature.school_id != school_id:
        return None
    return signature


# Sending to heads


def head_problem(head: Contact | None) -> str | None:
    """Why the school's head cannot be written to, or None when they can."""
    if head is None or not head.email:
        return "no email address for its headteacher"
    if head.opted_out_at is not None:
        return "its headteacher has asked the hub to stop emailing them"
    return None


@dataclass
class Sent:
    """What a send did: the messages written, the schools written to, and those skipped."""

    messages: list[Message] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    skipped: list[tuple[School, str]] = field(default_factory=list)

    def summary(self, what: str) -> str:
        count = len(self.schools)
        words = f"Sent {what} to the heads of {count} {'school' if count == 1 else 'schools'}"
        if count == 1:
            words = f"Sent {what} to the head of {self.schools[0].name}"
        if self.skipped:
            words += f"; {len(self.skipped)} skipped"
        return words + "."


class NoMou(Exception):
    """The hub has not saved its memorandum yet: there is nothing to sign."""


def _write(school: School, kind: str, by: User | None, now: datetime, sent: Sent) -> Message | None:
    """Make the head a new link and put the message holding it in the outbox, in the caller's
    transaction; or note in `sent` why the school was skipped."""
    head = find_contact(school, "head")
    problem = head_problem(head)
    if problem:
        sent.skipped.append((school, problem))
        return None
    year = signing_year(now)
    link, token = new_head_link(school, by, now)
    page = "heads.mou" if kind == "mou" else "heads.school"
    url = outbox.with_links(lambda: url_for(page, token=token, _external=True))
    name, ends = head.name or "Headteacher", day_words(link.expires_at)
    hub = school.hub
    if kind == "mou":
        email = texts.mou_email(hub, school.name, name, year_words(year), ends, url)
    else:
        email = texts.view_email(hub, school.name, name, ends, url)
    message = outbox.queue(
        hub,
        kind=kind,
        key=f"{kind}:{school.id}:{year}:link{link.id}",
        to_email=head.email,
        to_name=head.name,
        subject=email.subject,
        body=email.body,
        school=school,
        contact=head,
        by=by,
    )
    if message is not None:
        message.created_at = now  # the moment the send was asked for (tests fix it)
        sent.messages.append(message)
        sent.schools.append(school)
    return message


def send_mou(hub: Hub, schools: list[School], by: User | None, now: datetime | None = None) -> Sent:
    """Send the current version to each school's head, each with a new private link, and
    commit. Raises NoMou when the hub has no version yet."""
    mou = current_mou(hub)
    if mou is None:
        raise NoMou
    now = now or utcnow()
    sent = Sent()
    for school in schools:
        if _write(school, "mou", by, now, sent) is not None:
            record(
                "mou-sent",
                hub=hub,
                target=school_words(school),
                detail=f"Version {mou.version}, for {year_words(signing_year(now))}",
                user=by,
            )
    db.session.commit()
    outbox.dispatch(sent.messages)
    return sent


def send_view(hub: Hub, school: School, by: User | None, now: datetime | None = None) -> Sent:
    """Send the school's head a new private link to their school's view, and commit."""
    now = now or utcnow()
    sent = Sent()
    if _write(school, "head-view", by, now, sent) is not None:
        record(
            "head-view-sent",
            hub=hub,
            target=school_words(school),
            detail=f"A link working until {day_words(year_ends(signing_year(now)))}",
            user=by,
        )
    db.session.commit()
    outbox.dispatch(sent.messages)
    return sent


def unsigned(hub: Hub, now: datetime | None = None) -> list[School]:
    """The hub's current partners (not those that left) with no signature for this year."""
    year = signing_year(now)
    signed = (
        db.select(Signature.school_id)
        .where(
            Signature.hub_id == hub.id,
            Signature.school_year == year,
            Signature.withdrawn_at.is_(None),
        )
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            db.select(School)
            .join(Partnership, Partnership.school_id == School.id)
            .where(
                Partnership.hub_id == hub.id,
                Partnership.status != "left",
                School.id.not_in(signed),
            )
            .order_by(func.lower(School.name))
        )
    )


def send_to_unsigned(hub: Hub, by: User | None, now: datetime | None = None) -> Sent:
    """Send the current version to the heads of every current partner that has not signed for
    this school year, but for those sent it in the last RESEND_GAP."""
    now = now or utcnow()
    schools = unsigned(hub, now)
    recent = dict(
        db.session.execute(
            db.select(Message.school_id, func.max(Message.created_at))
            .where(
                Message.hub_id == hub.id,
                Message.kind == "mou",
                Message.created_at > now - RESEND_GAP,
            )
            .group_by(Message.school_id)
        )
        .tuples()
        .all()
    )
    due = [s for s in schools if s.id not in recent]
    sent = send_mou(hub, due, by, now)
    sent.skipped[:0] = [(s, f"sent on {day_words(recent[s.id])}") for s in schools if s not in due]
    return sent


# Where a school is with the memorandum


@dataclass
class SchoolMou:
    """One school's memorandum this school year, for the school page and the MoU page."""

    year: int
    current: Mou | None
    signature: Signature | None  # this year's, unless withdrawn
    signatures: list[Signature]  # every one, newest first
    head: Contact | None
    problem: str | None  # why the head cannot be written to
    links: list[HeadLink]
    now: datetime

    @property
    def year_words(self) -> str:
        return year_words(self.year)

    @property
    def withdrawn(self) -> Signature | None:
        """This year's signature, if the head withdrew it and has not signed again."""
        if self.signature is not None:
            return None
        return next(
            (s for s in self.signatures if s.school_year == self.year and s.withdrawn_at), None
        )

    @property
    def last_year(self) -> Signature | None:
        """The latest signature of an earlier year, not withdrawn."""
        return next(
            (s for s in self.signatures if s.school_year < self.year and not s.withdrawn_at),
            None,
        )


def school_mou(partnership: Partnership, now: datetime | None = None) -> SchoolMou:
    now = now or utcnow()
    school = partnership.school
    year = signing_year(now)
    signatures = school_signatures(school)
    head = find_contact(school, "head")
    return SchoolMou(
        year=year,
        current=current_mou(partnership.hub),
        signature=next(
            (s for s in signatures if s.school_year == year and s.withdrawn_at is None), None
        ),
        signatures=signatures,
        head=head,
        problem=head_problem(head),
        links=school_links(school),
        now=now,
    )


@dataclass
class SchoolRow:
    """A partner school on the MoU page: its signature this year, and whether its head can
    be written to."""

    partnership: Partnership
    signature: Signature | None
    problem: str | None


def schools_this_year(hub: Hub, now: datetime | None = None) -> list[SchoolRow]:
    """Every partner school, A to Z, with its signature for this school year."""
    year = signing_year(now)
    signatures = {
        s.school_id: s
        for s in db.session.scalars(
            db.select(Signature)
            .where(
                Signature.hub_id == hub.id,
                Signature.school_year == year,
                Signature.withdrawn_at.is_(None),
            )
            .options(selectinload(Signature.mou))
            .order_by(Signature.signed_at)
        )
    }
    heads = {
        c.school_id: c
        for c in db.session.scalars(
            db.select(Contact).where(Contact.hub_id == hub.id, Contact.kind == "head")
        )
    }
    partnerships = db.session.scalars(
        db.select(Partnership)
        .join(Partnership.school)
        .where(Partnership.hub_id == hub.id)
        .options(selectinload(Partnership.school))
        .order_by(func.lower(School.name))
    )
    return [
        SchoolRow(p, signatures.get(p.school_id), head_problem(heads.get(p.school_id)))
        for p in partnerships
    ]
