"""The needs summary: per need area, how confident respondents feel and what they put first.

Aggregated in SQL, one row per need area (and group): the cost grows with the number of
groups shown, not with the number of answers."""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Hub, NeedArea, Question, Response, School, Section, Survey
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

# What a summary can be filtered and broken down by: URL parameter -> (label, column, values).
FACETS = {
    "phase": ("Phase", Response.phase, PHASES),
    "role": ("Role", Response.role, RESPONDENT_ROLES),
    "career_stage": ("Career stage", Response.career_stage, CAREER_STAGES),
    "subject": ("Subject", Response.subject, SUBJECTS),
    "school": ("School", Response.school_id, None),
}
SCORE_RULE = (
    "Need score: half the share of respondents with low confidence (1 or 2 out of 5) plus half "
    "the share naming the area a priority, from 0 (no need) to 100 (everyone)."
)


@dataclass
class Filters:
    """What the hub lead chose: the survey (or the whole hub), a wave, facets, a breakdown."""

    survey: Survey | None = None
    wave_id: int | None = None
    values: dict[str, str] = field(default_factory=dict)
    by: str | None = None


@dataclass
class Row:
    need_area: NeedArea
    group: str  # '' without a breakdown
    respondents: int
    mean_confidence: float | None
    low_share: float | None
    priority_share: float | None
    suppressed: bool
    rank: int | None = None

    @property
    def need_score(self) -> float | None:
        if self.suppressed or self.low_share is None:
            return None
        return 50 * self.low_share + 50 * self.priority_share


def needs_summary(hub: Hub, filters: Filters) -> list[Row]:
    """One row per need area (per group, with a breakdown), ranked by need score within
    each group. Figures on fewer than the hub's smallest group are suppressed when any
    survey summarised is anonymous."""
    conditions = [
        Response.status == "submitted",
        Question.kind == "needs_grid",
        Survey.hub_id == hub.id,
        Survey.kind == "needs",
    ]
    if filters.survey is not None:
        conditions.append(Survey.id == filters.survey.id)
    if filters.wave_id:
        conditions.append(Response.wave_id == filters.wave_id)
    for name, value in filters.values.items():
        column = FACETS[name][1]
        conditions.append(column == (int(value) if name == "school" else value))
    group_column = FACETS[filters.by][1] if filters.by else None
    columns = [
        Answer.item,
        func.count(Answer.response_id),
        func.avg(Answer.number),
        func.sum(case((Answer.number <= 2, 1), else_=0)),
        func.sum(case((Answer.priority.is_(True), 1), else_=0)),
    ]
    if group_column is not None:
        columns.append(group_column)
    query = (
        db.select(*columns)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Section, Section.id == Question.section_id)
        .join(Survey, Survey.id == Section.survey_id)
        .where(and_(*conditions))
        .group_by(Answer.item, *([group_column] if group_column is not None else []))
    )
    results = db.session.execute(query).all()
    areas = {
        a.id: a
        for a in db.session.scalars(
            db.select(NeedArea).where(NeedArea.id.in_({r[0] for r in results}))
        )
    }
    protect = _protects_small_groups(hub, filters)
    labels = _group_labels(filters.by, {r[5] for r in results} if filters.by else set())
    rows = []
    for area_id, count, mean, low, priority, *group in results:
        small = protect and count < hub.smallest_group
        rows.append(
            Row(
                need_area=areas[area_id],
                group=labels(group[0]) if group else "",
                respondents=count,
                mean_confidence=None if small else float(mean),
                low_share=None if small else low / count,
                priority_share=None if small else priority / count,
                suppressed=small,
            )
        )
    if protect and filters.by:
        _protect_by_subtraction(rows)
    _rank(rows)
    # Groups in the order the app lists them (phases, roles... as in the forms); schools A-Z.
    known = list(FACETS[filters.by][2].values()) if filters.by and FACETS[filters.by][2] else []
    order = {label: i for i, label in enumerate(known)}
    return sorted(
        rows,
        key=lambda r: (
            order.get(r.group, len(order)),
            r.group,
            r.rank or 10**6,
            r.need_area.position,
        ),
    )


def _protect_by_subtraction(rows: list[Row]) -> None:
    """With one group of a breakdown hidden, the total minus the others would reveal it:
    hide the next smallest group of that need area too."""
    by_area: dict[int, list[Row]] = {}
    for row in rows:
        by_area.setdefault(row.need_area.id, []).append(row)
    for members in by_area.values():
        shown = sorted((r for r in members if not r.suppressed), key=lambda r: r.respondents)
        if len(members) - len(shown) == 1 and shown:
            smallest = shown[0]
            smallest.suppressed = True
            smallest.mean_confidence = smallest.low_share = smallest.priority_share = None


def _rank(rows: list[Row]) -> None:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    for members in groups.values():
        scored = sorted(
            (r for r in members if r.need_score is not None), key=lambda r: -r.need_score
        )
        for rank, row in enumerate(scored, start=1):
            row.rank = rank


def _protects_small_groups(hub: Hub, filters: Filters) -> bool:
    if filters.survey is not None:
        return filters.survey.anonymous
    return bool(
        db.session.scalar(
            db.select(func.count(Survey.id)).where(
                Survey.hub_id == hub.id, Survey.kind == "needs", Survey.anonymous.is_(True)
            )
        )
    )


def _group_labels(by: str | None, values_seen: set):
    if by is None:
        return lambda value: None
    if by == "school":
        # Only the schools in these results, not every school in the database.
        query = db.select(School.id, School.name).where(School.id.in_(values_seen - {None}))
        names = dict(db.session.execute(query).tuples().all())
        return lambda value: names.get(value, "School not on the list")
    values = FACETS[by][2]
    return lambda value: values.get(value, "Not given")
