"""Feedback summaries: how each activity and each need area was rated, over waves, and what
people wrote. Aggregated in SQL, one row per activity, need area or wave."""

from dataclasses import dataclass, field

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Answer, Hub, Question, Response, Section, Wave
from hubsurvey.models.activities import activity_need_area


@dataclass
class Rating:
    label: str
    responses: int
    mean: float | None
    spread: dict[int, int] = field(default_factory=dict)  # rating -> how many gave it


def _headline_questions():
    """The first question of each feedback survey: the one-tap 'how useful' rating."""
    first_section = (
        db.select(Section.survey_id, func.min(Section.position).label("position"))
        .group_by(Section.survey_id)
        .subquery()
    )
    return (
        db.select(Question.id)
        .join(Section, Section.id == Question.section_id)
        .join(
            first_section,
            (first_section.c.survey_id == Section.survey_id)
            & (first_section.c.position == Section.position),
        )
        .where(Question.position == 0, Question.kind.in_(["scale", "rating"]))
    )


def _ratings(hub: Hub, group_column):
    """Headline ratings of the hub's activities, counted per group and value."""
    headline = _headline_questions()
    return (
        db.select(group_column, Answer.number, func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(Activity, Activity.id == Response.activity_id)
        .where(
            Activity.hub_id == hub.id,
            Response.status == "submitted",
            Response.excluded.is_(False),  # left out by hub staff after review
            Answer.question_id.in_(headline),
        )
    )


def activity_ratings(hub: Hub) -> list[Rating]:
    """Per activity, latest first: responses, mean headline rating, and how many gave each."""
    rows = db.session.execute(_ratings(hub, Activity.id).group_by(Activity.id, Answer.number)).all()
    activities = {
        a.id: a
        for a in db.session.scalars(
            db.select(Activity).where(Activity.hub_id == hub.id).order_by(Activity.starts_at.desc())
        )
    }
    return _collect(rows, {a_id: a.title for a_id, a in activities.items()}, list(activities))


def need_area_ratings(hub: Hub) -> list[Rating]:
    """Per need area: the headline rating of the activities that targeted it."""
    rows = db.session.execute(
        _ratings(hub, activity_need_area.c.need_area_id)
        .join(activity_need_area, activity_need_area.c.activity_id == Activity.id)
        .group_by(activity_need_area.c.need_area_id, Answer.number)
    ).all()
    areas = {a.id: a for a in hub.hub_type.need_areas}
    return _collect(rows, {i: a.name for i, a in areas.items()}, list(areas))


def wave_ratings(hub: Hub) -> list[Rating]:
    """Per wave of the hub's feedback surveys, in order: the trend over time."""
    rows = db.session.execute(
        _ratings(hub, Wave.id)
        .join(Wave, Wave.id == Response.wave_id)
        .group_by(Wave.id, Answer.number)
    ).all()
    waves = db.session.scalars(
        db.select(Wave).where(Wave.id.in_({r[0] for r in rows})).order_by(Wave.opened_on)
    ).all()
    return _collect(rows, {w.id: w.label for w in waves}, [w.id for w in waves])


def _collect(rows, labels: dict, order: list) -> list[Rating]:
    spreads: dict = {}
    for key, value, count in rows:
        spreads.setdefault(key, {})[int(value)] = count
    result = []
    for key in order:
        spread = spreads.get(key, {})
        total = sum(spread.values())
        mean = sum(v * n for v, n in spread.items()) / total if total else None
        result.append(Rating(labels[key], total, mean, spread))
    return result


def comments(hub: Hub, activity_id: int | None = None, limit: int = 200):
    """Free-text feedback, newest first: (when, activity title, question, text)."""
    query = (
        db.select(Response.submitted_at, Activity.title, Question.prompt, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .join(Activity, Activity.id == Response.activity_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Activity.hub_id == hub.id,
            Response.status == "submitted",
            Response.excluded.is_(False),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Response.submitted_at.desc(), Answer.response_id.desc())
        .limit(limit)
    )
    if activity_id:
        query = query.where(Activity.id == activity_id)
    return db.session.execute(query).all()
