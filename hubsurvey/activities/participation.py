"""Participation in figures: sessions held, the schools and teachers reached, and hours of
CPD, over a period. The plan's measures, the dashboard, the head's view and the CPD hours
pages read them from here.

A register has no account behind each name, so one person across sessions is recognised by
their email address when the register has one, and otherwise by their name (case, accents
and spacing aside) at the same school. A row without an email is the person with an email
whose rows carry the same name and school, when exactly one address does ("Ann Smith"
registered with her email at one session and without at another is one teacher); two
addresses under one name are two people, so the row without one stays by its name and
school. That is decided among the rows being counted (a period's sessions, a series'),
so the figures, the per-teacher file and the series page agree. Everything about people is
read from the registers' rows, so a person erased from the registers (privacy/, retention/)
is gone from every figure."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Attendance, FollowUp, Hub, Series, utcnow
from hubsurvey.models.base import in_uk


def _name_key(name: str, school_id: int | None) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return f"name:{' '.join(text.split())}|school:{school_id or ''}"


def person_key(name: str, email: str, school_id: int | None) -> str:
    """A register row's own key: its email address, or else its name at its school."""
    if email.strip():
        return "email:" + email.strip().casefold()
    return _name_key(name, school_id)


def person_keys(people: list[tuple[str, str, int | None]]) -> list[str]:
    """Each (name, email, school id) its person's key among these rows: a row without an
    email takes the email key of the rows with the same name and school when they hold
    exactly one address, and keeps its name and school otherwise."""
    emails: dict[str, set[str]] = {}
    for name, email, school_id in people:
        if email.strip():
            emails.setdefault(_name_key(name, school_id), set()).add(person_key(name, email, None))
    keys = []
    for name, email, school_id in people:
        key = person_key(name, email, school_id)
        found = emails.get(key, set()) if not email.strip() else set()
        keys.append(next(iter(found)) if len(found) == 1 else key)
    return keys


@dataclass
class Participation:
    sessions: int
    schools: int
    teachers: int
    cpd_hours: float


@dataclass(frozen=True)
class RegisterRow:
    """One person on one held session's register, as the figures need them."""

    activity_id: int
    starts_at: datetime
    name: str
    email: str
    school_id: int | None
    hours: float | None
    person: str  # the same for one person across registers (person_keys)


def england_clock(now: datetime | None = None) -> datetime:
    """A stored (UTC) moment, or now, as the clock in England shows it: activities' times
    are kept as typed, in England."""
    return in_uk(now or utcnow()).replace(tzinfo=None)


def _held(hub: Hub, start: date | None, end: date | None, now: datetime | None):
    """The conditions for the hub's sessions held in [start, end), up to now (`now` as
    stored, in UTC)."""
    conditions = [Activity.hub_id == hub.id, Activity.starts_at <= england_clock(now)]
    if start is not None:
        conditions.append(Activity.starts_at >= datetime.combine(start, time.min))
    if end is not None:
        conditions.append(Activity.starts_at < datetime.combine(end, time.min))
    return conditions


def held_attendance(
    hub: Hub,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> list[RegisterRow]:
    """Everyone on the registers of the sessions held in [start, end), each person once per
    session (someone put on one register twice counts once), in the order the sessions were
    held."""
    return _attendance(_held(hub, start, end, now))


def series_attendance(series: Series) -> list[RegisterRow]:
    """Everyone on the registers of a series' sessions, held or planned, counted as
    held_attendance counts them."""
    return _attendance([Activity.hub_id == series.hub_id, Activity.series_id == series.id])


def _attendance(conditions) -> list[RegisterRow]:
    rows = db.session.execute(
        db.select(
            Attendance.activity_id,
            Activity.starts_at,
            Attendance.name,
            Attendance.email,
            Attendance.school_id,
            Activity.hours,
        )
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(*conditions)
        .order_by(Activity.starts_at, Activity.id, Attendance.id)
    ).all()
    keys = person_keys([(row.name, row.email, row.school_id) for row in rows])
    seen, found = set(), []
    for row, key in zip(rows, keys, strict=True):
        if (row.activity_id, key) not in seen:
            seen.add((row.activity_id, key))
            found.append(RegisterRow(*row, person=key))
    return found


def follow_up_query(hub: Hub, start: date | None, end: date | None):
    """The hub's follow-ups with schools held in [start, end)."""
    query = db.select(FollowUp).where(FollowUp.hub_id == hub.id)
    if start is not None:
        query = query.where(FollowUp.held_on >= start)
    if end is not None:
        query = query.where(FollowUp.held_on < end)
    return query


def participation(
    hub: Hub,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
    rows: list[RegisterRow] | None = None,
) -> Participation:
    """Sessions held between start (inclusive) and end (exclusive), and not in the future;
    the schools reached by them or by follow-up in that time; the teachers on their registers;
    and their CPD hours (each session's hours, once per person on its register). Follow-up
    hours count for schools, not teachers, so they are not in cpd_hours. `rows`: what
    held_attendance gives for the same time, when already read."""
    conditions = _held(hub, start, end, now)
    sessions = db.session.scalar(db.select(func.count(Activity.id)).where(*conditions))
    rows = held_attendance(hub, start, end, now) if rows is None else rows
    schools = {row.school_id for row in rows if row.school_id is not None}
    follow_ups = follow_up_query(hub, start, end).with_only_columns(FollowUp.school_id)
    schools.update(db.session.scalars(follow_ups))
    hours = sum(row.hours for row in rows if row.hours is not None)
    return Participation(sessions, len(schools), len({row.person for row in rows}), hours)
