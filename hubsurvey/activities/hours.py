"""Hours of CPD per teacher and per school over a school year, for the CPD hours page, its
two files and the head's view of their school.

A teacher's hours are their sessions' hours, once per session (participation.person_keys
tells one person across registers). A school's hours are its staff's hours at sessions
plus the hours of follow-up with the school between a series' sessions: follow-up counts
for the school, not for anyone on a register. Everything about people comes from the
registers' rows, so someone erased from the registers is gone from the figures and files."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func

from hubsurvey.activities.participation import (
    Participation,
    follow_up_query,
    held_attendance,
    participation,
)
from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Activity, FollowUp, Hub, School
from hubsurvey.school_years import school_year, year_starts

TEACHER_HEADINGS = ["name", "school", "school_urn", "sessions", "cpd_hours"]
SCHOOL_HEADINGS = [
    "school", "school_urn", "sessions_attended", "teachers", "session_hours", "follow_ups",
    "follow_up_hours", "cpd_hours",
]  # fmt: skip
# How the files and pages name people from no partner school on the list.
NO_SCHOOL = "Another school, or none"
# The earliest school year offered: this many before this one.
YEARS_BACK = 10


@dataclass
class TeacherHours:
    """One person across the year's registers: as named on their latest session."""

    name: str
    school: School | None
    sessions: int = 0
    hours: float = 0.0


@dataclass
class SchoolHours:
    """One school's year: None for people from another school, or none."""

    school: School | None
    sessions: set[int] = field(default_factory=set)
    teachers: set[str] = field(default_factory=set)
    session_hours: float = 0.0
    follow_ups: int = 0
    follow_up_hours: float = 0.0

    @property
    def cpd_hours(self) -> float:
        return self.session_hours + self.follow_up_hours


@dataclass
class YearHours:
    """The CPD hours page: per teacher and per school, and what the lead should know."""

    year: int
    teachers: list[TeacherHours]
    schools: list[SchoolHours]
    # Held sessions with people on the register but no hours set: they count as sessions,
    # with no hours.
    without_hours: list[Activity]
    # Current partner schools with nobody at a session and no follow-up in the year.
    not_reached: list[School]
    totals: Participation  # the year's participation, from the same registers

    @property
    def teacher_hours(self) -> float:
        return sum(t.hours for t in self.teachers)

    @property
    def follow_up_hours(self) -> float:
        return sum(s.follow_up_hours for s in self.schools)


def period(year: int) -> tuple[date, date]:
    """A school year as [start, end): 1 September to the next 1 September."""
    return year_starts(year), year_starts(year + 1)


def _by_name(school: School | None) -> tuple:
    return (school is None, (school.name.casefold(), school.id) if school else ())


def year_hours(hub: Hub, year: int, now: datetime | None = None) -> YearHours:
    """Per teacher and per school, for the sessions held in the school year (up to now) and
    the follow-ups logged in it."""
    start, end = period(year)
    rows = held_attendance(hub, start, end, now)
    schools = {
        s.id: s for s in db.session.scalars(db.select(School).where(School.hub_id == hub.id))
    }
    teachers: dict[str, TeacherHours] = {}
    per_school: dict[int | None, SchoolHours] = {}
    for row in rows:  # in the order the sessions were held: the latest name wins
        school = schools.get(row.school_id)
        teacher = teachers.setdefault(row.person, TeacherHours(row.name, school))
        teacher.name, teacher.school = row.name, school
        teacher.sessions += 1
        each = per_school.setdefault(row.school_id, SchoolHours(school))
        each.sessions.add(row.activity_id)
        each.teachers.add(row.person)
        if row.hours is not None:
            teacher.hours += row.hours
            each.session_hours += row.hours
    for follow_up in db.session.scalars(follow_up_query(hub, start, end)):
        each = per_school.setdefault(follow_up.school_id, SchoolHours(schools[follow_up.school_id]))
        each.follow_ups += 1
        each.follow_up_hours += follow_up.hours or 0.0
    without = {row.activity_id for row in rows if row.hours is None}
    reached = {key for key in per_school if key is not None}
    return YearHours(
        year=year,
        teachers=sorted(teachers.values(), key=lambda t: (t.name.casefold(), _by_name(t.school))),
        schools=sorted(per_school.values(), key=lambda s: _by_name(s.school)),
        without_hours=list(
            db.session.scalars(
                db.select(Activity).where(Activity.id.in_(without)).order_by(Activity.starts_at)
            )
        ),
        not_reached=[s for s in current_partners(hub) if s.id not in reached],
        totals=participation(hub, start, end, now, rows),
    )


def school_year_figures(
    hub: Hub, school: School, year: int, now: datetime | None = None
) -> SchoolHours:
    """One school's sessions attended, teachers and hours in the year: counts only, for
    the head's view of their school."""
    return next(
        (s for s in year_hours(hub, year, now).schools if s.school == school), SchoolHours(school)
    )


def _school_cells(school: School | None) -> list[str]:
    return [school.name, school.urn or ""] if school else [NO_SCHOOL, ""]


def teacher_rows(figures: YearHours) -> Iterator[list]:
    """The per-teacher file: a heading, then one row per person, hours as numbers."""
    yield TEACHER_HEADINGS
    for teacher in figures.teachers:
        yield [teacher.name, *_school_cells(teacher.school), teacher.sessions, teacher.hours]


def school_rows(figures: YearHours) -> Iterator[list]:
    """The per-school file: a heading, then one row per school reached."""
    yield SCHOOL_HEADINGS
    for each in figures.schools:
        yield [
            *_school_cells(each.school), len(each.sessions), len(each.teachers),
            each.session_hours, each.follow_ups, each.follow_up_hours, each.cpd_hours,
        ]  # fmt: skip


def years_with_sessions(hub: Hub, this_year: int) -> list[int]:
    """This school year and the earlier ones since the hub's first session or follow-up (ten
    at most), newest first: the years the CPD hours page offers."""
    first = db.session.execute(
        db.select(func.min(Activity.starts_at)).where(Activity.hub_id == hub.id)
    ).scalar()
    held = db.session.execute(
        db.select(func.min(FollowUp.held_on)).where(FollowUp.hub_id == hub.id)
    ).scalar()
    days = [day for day in (first and first.date(), held) if day is not None]
    earliest = min((school_year(day) for day in days), default=this_year)
    earliest = max(min(earliest, this_year), this_year - YEARS_BACK)
    return list(range(this_year, earliest - 1, -1))
