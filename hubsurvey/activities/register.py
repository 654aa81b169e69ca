"""An activity's register: who came, from which school and in what role, taken on a phone at
the door or afterwards. Names and email addresses are personal data: the audit log names the
register entry by its number, never the person, and privacy/ and retention/ find and remove
entries as they do named responses."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func

from hubsurvey.activities.forms import hours_text
from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Activity, Attendance, Hub, School, User
from hubsurvey.vocabulary import RESPONDENT_ROLES

REGISTER_HEADINGS = ["name", "email", "school", "role", "hours"]


@dataclass
class Person:
    """What hub staff record about someone on the register, as the form cleaned it."""

    name: str
    email: str = ""
    school_id: int | None = None
    role: str | None = None


@dataclass
class Totals:
    """The register in figures: people, their schools, and the CPD hours they had in all."""

    people: int
    schools: int
    with_email: int
    hours_each: float | None

    @property
    def cpd_hours(self) -> float | None:
        return None if self.hours_each is None else self.hours_each * self.people

    @property
    def cpd_hours_text(self) -> str:
        return hours_text(self.cpd_hours)


def activity_words(activity: Activity) -> str:
    """An activity as the audit log names it."""
    return f"activity {activity.id}: {activity.title}"


def attendees(activity: Activity) -> list[Attendance]:
    """Everyone on the register, A to Z (by name, then as they were added)."""
    return list(
        db.session.scalars(
            db.select(Attendance)
            .where(Attendance.activity_id == activity.id)
            .order_by(func.lower(Attendance.name), Attendance.id)
        )
    )


def find_attendance(activity: Activity, attendance_id: int) -> Attendance | None:
    """Someone on this activity's register; None for anyone else's, another hub's included."""
    return db.session.scalar(
        db.select(Attendance).where(
            Attendance.id == attendance_id,
            Attendance.activity_id == activity.id,
            Attendance.hub_id == activity.hub_id,
        )
    )


def totals(activity: Activity) -> Totals:
    """Counted in SQL: people, the schools they came from, and how many gave an email."""
    people, schools, with_email = db.session.execute(
        db.select(
            func.count(Attendance.id),
            func.count(func.distinct(Attendance.school_id)),
            func.count(Attendance.id).filter(Attendance.email != ""),
        ).where(Attendance.activity_id == activity.id)
    ).one()
    return Totals(people, schools, with_email, activity.hours)


def register_schools(hub: Hub, current: School | None = None) -> list[School]:
    """The schools a person on the register may come from: the hub's current partners, and the
    school already recorded for them (a school that has since left the hub stays choosable)."""
    schools = current_partners(hub)
    if current is not None and current not in schools:
        schools.append(current)
    return schools


def _changes(attendance: Attendance, person: Person) -> list[str]:
    """The details that differ, named as the page names them."""
    return [
        name.removesuffix("_id")
        for name, value in vars(person).items()
        if getattr(attendance, name) != value
    ]


def add_person(activity: Activity, person: Person, by: User | None) -> Attendance:
    """Put someone on the register; audited without their name or email."""
    attendance = Attendance(
        hub_id=activity.hub_id,
        activity_id=activity.id,
        created_by_id=by.id if by else None,
        **vars(person),
    )
    db.session.add(attendance)
    db.session.flush()
    record(
        "attendance-saved",
        hub=activity.hub,
        target=activity_words(activity),
        detail=f"register entry {attendance.id}: added",
    )
    db.session.commit()
    return attendance


def change_person(attendance: Attendance, person: Person) -> list[str]:
    """Change someone's details on the register; audited by which details changed."""
    changed = _changes(attendance, person)
    for name, value in vars(person).items():
        setattr(attendance, name, value)
    record(
        "attendance-saved",
        hub=attendance.activity.hub,
        target=activity_words(attendance.activity),
        detail=f"register entry {attendance.id}: changed {', '.join(changed) or 'nothing'}",
    )
    db.session.commit()
    return changed


def remove_person(attendance: Attendance) -> None:
    """Take someone off the register: their row goes."""
    activity = attendance.activity
    record(
        "attendance-removed",
        hub=activity.hub,
        target=activity_words(activity),
        detail=f"register entry {attendance.id}: removed",
    )
    db.session.delete(attendance)
    db.session.commit()


def register_rows(activity: Activity) -> Iterator[list]:
    """The register file's rows: a heading, then one row per person, A to Z. Hours are the
    session's, for each person, as a number."""
    yield REGISTER_HEADINGS
    query = (
        db.select(Attendance.name, Attendance.email, School.name, Attendance.role)
        .outerjoin(School, School.id == Attendance.school_id)
        .where(Attendance.activity_id == activity.id)
        .order_by(func.lower(Attendance.name), Attendance.id)
    )
    hours = activity.hours if activity.hours is not None else ""
    for name, email, school, role in db.session.execute(query):
        yield [name, email, school or "", RESPONDENT_ROLES.get(role or "", ""), hours]
