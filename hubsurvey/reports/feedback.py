"""Feedback summaries: how each activity and each need area was rated, over waves, and what
people wrote. Aggregated in SQL, one row per activity, wave and rating.

The Feedback page, the report for the board and the feedback files (hub_exports.py) all read
their figures from `feedback_figures`, so they show the same figures and hide the same ones."""

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Answer, Hub, Question, Response, Section, Wave
from hubsurvey.models.activities import activity_need_area

RATINGS = range(1, 6)  # the headline question: how useful, from 1 to 5


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


def _ratings(hub: Hub):
    """Headline ratings of the hub's activities, counted per activity, wave and value."""
    return (
        db.select(Activity.id, Response.wave_id, Answer.number, func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(Activity, Activity.id == Response.activity_id)
        .where(
            Activity.hub_id == hub.id,
            Response.status == "submitted",
            Response.excluded.is_(False),  # left out by hub staff after review
            Answer.question_id.in_(_headline_questions()),
        )
        .group_by(Activity.id, Response.wave_id, Answer.number)
    )


@dataclass
class Figure:
    """The headline ratings behind one row: how many gave each rating, and whether any of them
    came from an anonymous survey (protected) and so are held to the small-group rule."""

    spread: dict[int, int] = field(default_factory=dict)  # rating -> how many gave it
    protected: bool = False
    suppressed: bool = False

    @property
    def responses(self) -> int:
        return sum(self.spread.values())

    @property
    def mean(self) -> float | None:
        n = self.responses
        return sum(v * c for v, c in self.spread.items()) / n if n else None

    def counts(self) -> list[tuple[int, int]]:
        """(rating, how many gave it) for each rating from 1 to 5, zeros included."""
        return [(value, self.spread.get(value, 0)) for value in RATINGS]

    def add(self, spread: dict[int, int], protected: bool) -> None:
        for value, count in spread.items():
            self.spread[value] = self.spread.get(value, 0) + count
        self.protected = self.protected or protected


@dataclass
class FeedbackFigures:
    """The hub's feedback figures, by activity, need area and wave, and over all activities,
    with the small-group rule applied where ratings come from anonymous surveys:
    - a figure resting on fewer ratings than the hub's smallest group is not shown;
    - nor is a total (a need area's, a wave's, all activities') whose hidden activities gave
      fewer ratings than that together: the total less the activities shown would give them
      away."""

    activities: list[Activity]  # latest first
    by_activity: dict[int, Figure]
    by_area: list[tuple[str, Figure]]  # in the framework's order, areas with ratings only
    by_wave: list[tuple[Wave, Figure]]  # oldest first, waves with ratings only
    overall: Figure


def feedback_figures(hub: Hub) -> FeedbackFigures:
    """The hub's feedback figures, from one grouped count of its headline ratings."""
    cells = db.session.execute(_ratings(hub)).all()
    activities = list(
        db.session.scalars(
            db.select(Activity)
            .where(Activity.hub_id == hub.id)
            .order_by(Activity.starts_at.desc(), Activity.id.desc())
            .options(
                selectinload(Activity.survey),
                selectinload(Activity.need_areas),
                selectinload(Activity.schools),
            )
        )
    )
    anonymous = {a.id: a.survey.anonymous for a in activities}
    by_activity = {a.id: Figure() for a in activities}
    per_wave: dict[int, dict[int, dict[int, int]]] = {}  # wave -> activity -> spread
    for activity_id, wave_id, value, count in cells:
        by_activity[activity_id].add({int(value): count}, anonymous[activity_id])
        spread = per_wave.setdefault(wave_id, {}).setdefault(activity_id, {})
        spread[int(value)] = spread.get(int(value), 0) + count
    waves = db.session.scalars(
        db.select(Wave)
        .where(Wave.id.in_(per_wave))
        .order_by(Wave.opened_on, Wave.id)
        .options(selectinload(Wave.survey))
    ).all()
    k = hub.smallest_group
    for figure in by_activity.values():
        figure.suppressed = figure.protected and 0 < figure.responses < k
    by_area = []
    for area in hub.hub_type.need_areas:
        targeting = [by_activity[a.id] for a in activities if area in a.need_areas]
        total = total_of(targeting)
        if total.responses:
            protect_total(total, targeting, k)
            by_area.append((area.name, total))
    by_wave = []
    for wave in waves:
        total = Figure()
        for activity_id, spread in per_wave[wave.id].items():
            total.add(spread, anonymous[activity_id] or wave.survey.anonymous)
        # The activities whose every rating is in this wave: their own rows are part of it.
        inside = [
            by_activity[i]
            for i in per_wave[wave.id]
            if all(i not in others for w, others in per_wave.items() if w != wave.id)
        ]
        protect_total(total, inside, k)
        by_wave.append((wave, total))
    overall = total_of(list(by_activity.values()))
    protect_total(overall, list(by_activity.values()), k)
    return FeedbackFigures(activities, by_activity, by_area, by_wave, overall)


def total_of(parts: list[Figure]) -> Figure:
    """The ratings of several rows together (a need area's, or a plan objective's)."""
    total = Figure()
    for part in parts:
        total.add(part.spread, part.protected)
    return total


def protect_total(total: Figure, parts: list[Figure], k: int) -> None:
    """Hide a total that is too small itself, or that less its parts shown leaves too few."""
    if not total.protected:
        return
    hidden = total.responses - sum(p.responses for p in parts if not p.suppressed)
    total.suppressed = 0 < total.responses < k or 0 < hidden < k


# What people wrote


def _written(hub: Hub) -> tuple:
    """Sent, not left out, non-empty free text about this hub's activities."""
    return (
        Activity.hub_id == hub.id,
        Response.status == "submitted",
        Response.excluded.is_(False),
        Answer.text.is_not(None),
        Answer.text != "",
    )


def comments(hub: Hub, limit: int = 200):
    """Free-text feedback, newest first: (when, activity title, question, text)."""
    return db.session.execute(
        db.select(Response.submitted_at, Activity.title, Question.prompt, Answer.text)
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Activity, Activity.id == Response.activity_id)
        .join(Question, Question.id == Answer.question_id)
        .where(*_written(hub))
        .order_by(Response.submitted_at.desc(), Answer.response_id.desc())
        .limit(limit)
    ).all()


@dataclass
class CommentGroup:
    """What people wrote about one activity in one wave of its feedback survey."""

    activity: str
    wave: str
    comments: list[tuple]  # (sent at, question, text), newest first


def grouped_comments(hub: Hub, activity_id: int | None = None, limit: int = 200):
    """Free-text feedback grouped by activity and wave, the most recent groups first. At most
    `limit` comments are read, newest first, so a busy hub's page stays short."""
    query = (
        db.select(
            Activity.id,
            Activity.title,
            Wave.id,
            Wave.label,
            Response.submitted_at,
            Question.prompt,
            Answer.text,
        )
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Activity, Activity.id == Response.activity_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(Question, Question.id == Answer.question_id)
        .where(*_written(hub))
        .order_by(Response.submitted_at.desc(), Answer.response_id.desc())
        .limit(limit)
    )
    if activity_id:
        query = query.where(Activity.id == activity_id)
    groups: dict[tuple, CommentGroup] = {}
    for activity_id_, title, wave_id, wave, sent_at, prompt, text in db.session.execute(query):
        # By the wave's id: a label is words, which nothing keeps unique.
        group = groups.setdefault((activity_id_, wave_id), CommentGroup(title, wave, []))
        group.comments.append((sent_at, prompt, text))
    return list(groups.values())


def comment_counts(hub: Hub) -> list[tuple[str, int]]:
    """How many comments were written about the activities targeting each need area, in the
    framework's order; areas without any are listed with 0, so gaps show."""
    counts = dict(
        db.session.execute(
            db.select(activity_need_area.c.need_area_id, func.count())
            .select_from(Answer)
            .join(Response, Response.id == Answer.response_id)
            .join(Activity, Activity.id == Response.activity_id)
            .join(activity_need_area, activity_need_area.c.activity_id == Activity.id)
            .where(*_written(hub))
            .group_by(activity_need_area.c.need_area_id)
        )
        .tuples()
        .all()
    )
    return [(area.name, counts.get(area.id, 0)) for area in hub.hub_type.need_areas]
