"""Series of sessions: a work group, a lesson study, an NPQ cohort. Its sessions share a
feedback survey, need areas and schools, and follow-up with a participant school between
sessions is logged against the series. Follow-up notes may name people: the audit log names
a follow-up by its number and its school, never by what the notes say."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func

from hubsurvey.activities.participation import RegisterRow, england_clock, series_attendance
from hubsurvey.activities.services import feedback_survey
from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import Activity, FollowUp, Hub, NeedArea, School, Series, User


@dataclass
class Session:
    """A session of the series, with its register in figures: people counted as the
    series' totals count them, so the held sessions' people and hours add up to them."""

    activity: Activity
    people: int
    held: bool

    @property
    def cpd_hours(self) -> float | None:
        hours = self.activity.hours
        return None if hours is None else hours * self.people


@dataclass
class SeriesTotals:
    """The series so far: sessions held and planned, the people and schools reached, and
    hours of CPD at sessions (per person) and in follow-up (per school)."""

    held: int
    planned: int
    people: int
    schools: int
    session_hours: float
    follow_ups: int
    follow_up_hours: float

    @property
    def cpd_hours(self) -> float:
        return self.session_hours + self.follow_up_hours


def series_words(series: Series) -> str:
    """A series as the audit log names it."""
    return f"series {series.id}: {series.title}"


def hub_series(hub: Hub) -> list[tuple[Series, int, datetime | None, datetime | None]]:
    """The hub's series, newest first, each with its number of sessions and the dates of
    its first and last."""
    rows = db.session.execute(
        db.select(
            Series,
            func.count(Activity.id),
            func.min(Activity.starts_at),
            func.max(Activity.starts_at),
        )
        .outerjoin(Activity, Activity.series_id == Series.id)
        .where(Series.hub_id == hub.id)
        .group_by(Series.id)
        .order_by(Series.created_at.desc(), Series.id.desc())
    )
    return [tuple(row) for row in rows]


def series_choices(hub: Hub) -> list[Series]:
    """The hub's series, A to Z, for the activity form's "Part of a series"."""
    return list(
        db.session.scalars(
            db.select(Series)
            .where(Series.hub_id == hub.id)
            .order_by(func.lower(Series.title), Series.id)
        )
    )


def find_series(hub: Hub, series_id: int) -> Series | None:
    return db.session.scalar(
        db.select(Series).where(Series.id == series_id, Series.hub_id == hub.id)
    )


def series_schools(hub_schools: list[School], series: Series | None) -> list[School]:
    """The schools a series may list: the hub's current partners, and those it lists
    already (a school that has since left the hub stays choosable)."""
    schools = list(hub_schools)
    for school in series.schools if series else []:
        if school not in schools:
            schools.append(school)
    return schools


def save_series(
    hub: Hub,
    series: Series | None,
    need_areas: list[NeedArea],
    schools: list[School],
    shared_survey=None,
    **fields,
) -> Series:
    """Record a series. A new one gets a feedback survey of its own from the hub's feedback
    template, open at once, unless it shares one the hub has; its sessions share it."""
    new = series is None
    if new:
        series = Series(hub=hub)
        db.session.add(series)
    with db.session.no_autoflush:
        for name, value in fields.items():
            setattr(series, name, value)
        series.need_areas, series.schools = need_areas, schools
        if series.survey is None:
            series.survey = shared_survey or feedback_survey(hub, series.title, need_areas)
    db.session.flush()
    record(
        "series-saved",
        hub=hub,
        target=series_words(series),
        detail="added" if new else "changed",
    )
    db.session.commit()
    return series


def adopt_survey(activity: Activity) -> None:
    """A session of a series whose feedback survey was deleted gives the series its own:
    the series' next sessions share it."""
    series = activity.series
    if series is not None and series.survey is None:
        series.survey = activity.survey
        db.session.commit()


def remove_series(series: Series) -> int:
    """Delete a series and its follow-ups; its sessions stay, in no series. Returns how
    many sessions it had."""
    sessions = len(series.sessions)
    for activity in series.sessions:
        activity.series = None
    db.session.execute(db.delete(FollowUp).where(FollowUp.series_id == series.id))
    record(
        "series-removed",
        hub=series.hub,
        target=series_words(series),
        detail=f"{sessions} sessions kept; its follow-ups deleted",
    )
    db.session.delete(series)
    db.session.commit()
    return sessions


@dataclass
class SeriesFigures:
    """What the series' page shows, from one read of its registers."""

    sessions: list[Session]
    follow_ups: list[FollowUp]
    totals: SeriesTotals


def figures(series: Series, now: datetime | None = None) -> SeriesFigures:
    """The series' sessions in date order, each with the people on its register (each
    person once, as the totals count them: someone put on it twice at the door counts once)
    and whether it has been held (`now` as stored, in UTC); its follow-ups; its totals."""
    every = series_attendance(series)
    listed = _sessions(series, every, now)
    done = follow_ups(series)
    return SeriesFigures(listed, done, _totals(listed, every, done))


def _sessions(series: Series, rows: list[RegisterRow], now: datetime | None) -> list[Session]:
    people = Counter(row.activity_id for row in rows)
    clock = england_clock(now)
    return [
        Session(activity, people[activity.id], activity.starts_at <= clock)
        for activity in db.session.scalars(
            db.select(Activity)
            .where(Activity.series_id == series.id)
            .order_by(Activity.starts_at, Activity.id)
        )
    ]


def follow_ups(series: Series) -> list[FollowUp]:
    """The series' follow-ups, latest first."""
    return list(
        db.session.scalars(
            db.select(FollowUp)
            .where(FollowUp.series_id == series.id)
            .order_by(FollowUp.held_on.desc(), FollowUp.id.desc())
        )
    )


def _totals(listed: list[Session], every: list[RegisterRow], done: list[FollowUp]) -> SeriesTotals:
    """The series in figures. People are counted once across its held sessions' registers
    (see participation.person_keys), and each held session's hours once per person on it:
    the sum of the held sessions' figures on its page."""
    held = {s.activity.id for s in listed if s.held}
    rows = [row for row in every if row.activity_id in held]
    schools = {row.school_id for row in rows if row.school_id is not None}
    schools.update(f.school_id for f in done)
    return SeriesTotals(
        held=sum(1 for s in listed if s.held),
        planned=sum(1 for s in listed if not s.held),
        people=len({row.person for row in rows}),
        schools=len(schools),
        session_hours=sum(row.hours for row in rows if row.hours is not None),
        follow_ups=len(done),
        follow_up_hours=sum(f.hours or 0.0 for f in done),
    )


# Follow-up with a school between sessions


def find_follow_up(series: Series, follow_up_id: int) -> FollowUp | None:
    """A follow-up of this series; None for any other, another hub's included."""
    return db.session.scalar(
        db.select(FollowUp).where(
            FollowUp.id == follow_up_id,
            FollowUp.series_id == series.id,
            FollowUp.hub_id == series.hub_id,
        )
    )


def follow_up_schools(series: Series, current: School | None = None) -> list[School]:
    """The schools follow-up may be logged with: the series' schools, and the one a
    follow-up was logged with already (though the series no longer lists it)."""
    schools = list(series.schools)
    if current is not None and current not in schools:
        schools.append(current)
    return schools


def save_follow_up(
    series: Series,
    follow_up: FollowUp | None,
    school: School,
    held_on: date,
    hours: float | None,
    notes: str,
    by: User | None,
) -> FollowUp:
    """Log follow-up with a school, or change it; audited by its number and school, not its
    notes."""
    new = follow_up is None
    if new:
        follow_up = FollowUp(
            hub_id=series.hub_id, series_id=series.id, created_by_id=by.id if by else None
        )
        db.session.add(follow_up)
    follow_up.school_id, follow_up.held_on = school.id, held_on
    follow_up.hours, follow_up.notes = hours, notes
    db.session.flush()
    record(
        "follow-up-saved",
        hub=series.hub,
        target=series_words(series),
        detail=f"follow-up {follow_up.id} with school {school.id}: {'added' if new else 'changed'}",
    )
    db.session.commit()
    return follow_up


def remove_follow_up(follow_up: FollowUp) -> None:
    series = follow_up.series
    record(
        "follow-up-removed",
        hub=series.hub,
        target=series_words(series),
        detail=f"follow-up {follow_up.id} with school {follow_up.school_id}: removed",
    )
    db.session.delete(follow_up)
    db.session.commit()
