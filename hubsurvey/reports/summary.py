"""The needs summary: per need area, how confident respondents feel and what they put first.

Aggregated in SQL, one row per need area (and group): the cost grows with the number of
groups shown, not with the number of answers. Without a filter on respondents, the answers are
counted from an index of counted answers alone, in its order, without a sort or a lookup of
each answer's response: ix_answer_counted (GridCounts), or for a breakdown, the index of the
answers' own copies of that fact about the respondent (_by_wave). A filter on respondents
reads each answer's response."""

from dataclasses import dataclass, field, replace

from sqlalchemy import and_, case, func, literal_column, null

from hubsurvey.extensions import db
from hubsurvey.models import (
    Answer,
    Hub,
    NeedArea,
    Question,
    Response,
    School,
    Section,
    Survey,
    Wave,
)
from hubsurvey.models.responses import COUNTED
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

# What a summary can be filtered and broken down by: URL parameter -> (label, column, values).
FACETS = {
    "phase": ("Phase", Response.phase, PHASES),
    "role": ("Role", Response.role, RESPONDENT_ROLES),
    "career_stage": ("Career stage", Response.career_stage, CAREER_STAGES),
    "subject": ("Subject", Response.subject, SUBJECTS),
    "school": ("School", Response.school_id, None),
}
# What a breakdown alone groups by: each counted answer's copy of the fact (see _by_wave).
BREAKDOWNS = {
    name: getattr(Answer, f"counted_{column.key}") for name, (_label, column, _v) in FACETS.items()
}
# A group's figures: answers, answers with a confidence, their sum, how many low, how many
# named a priority.
FIGURES = (
    func.count(),
    func.count(Answer.number),
    func.sum(Answer.number),
    func.sum(case((Answer.number <= 2, 1), else_=0)),
    func.sum(case((Answer.priority.is_(True), 1), else_=0)),
)
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


def needs_summary(
    hub: Hub,
    filters: Filters,
    grids: list[int] | None = None,
    protect: bool = False,
    counts: "GridCounts | None" = None,
) -> list[Row]:
    """One row per need area (per group, with a breakdown), ranked by need score within
    each group. When any survey summarised is anonymous, figures resting on fewer than the
    hub's smallest group are suppressed, and so are figures that would let someone work out
    such a small group by subtraction (see _hidden). `grids` narrows it to those needs grid
    questions (a survey's results show each grid on its own); by default, every grid of the
    survey chosen, or of all the hub's needs assessments. `protect` applies the small-group
    rules to named surveys too, for readers outside the hub (a head's view of their school).
    `counts` may be given to share what was read between several summaries (two waves)."""
    if grids is None:
        grids = _grid_ids(hub, filters.survey)
    counts = counts or GridCounts()
    tallies = _tally(filters, grids, counts)
    protect = protect or _protects_small_groups(hub, filters)
    hidden = _hidden(hub, filters, grids, tallies, counts) if protect else set()
    areas = {
        a.id: a
        for a in db.session.scalars(
            db.select(NeedArea).where(NeedArea.id.in_({area_id for area_id, _group in tallies}))
        )
    }
    labels = _group_labels(filters.by, {group for _area, group in tallies})
    rows = []
    for (area_id, group), (count, mean, low, priority) in tallies.items():
        small = (area_id, group) in hidden
        rows.append(
            Row(
                need_area=areas[area_id],
                group=labels(group) if filters.by else "",
                respondents=count,
                mean_confidence=None if small else float(mean),
                low_share=None if small else low / count,
                priority_share=None if small else priority / count,
                suppressed=small,
            )
        )
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


Tallies = dict[tuple[int, object], tuple[int, float, int, int]]


def _tally(filters: Filters, grid_ids: list[int], counts: "GridCounts | None" = None) -> Tallies:
    """(need area id, group value) -> (respondents, mean confidence, how many low, how many
    priority) over the answers to these needs grids, aggregated in the database."""
    counts = counts or GridCounts()
    if not filters.values and not filters.by:
        return counts.tally(grid_ids, filters.wave_id)
    totals: dict[tuple[int, object], list] = {}
    for key, waves in counts.filtered(filters, grid_ids).items():
        for figures in waves.values():
            _add(totals, key, figures)
    return _tallies(totals)


def _add(totals: dict, key, figures) -> None:
    """Add one group's figures (answers, answers with a confidence, their sum, how many low,
    how many priority) to those kept under `key`."""
    total = totals.setdefault(key, [0, 0, 0.0, 0, 0])
    for i, figure in enumerate(figures):
        total[i] += figure


def _tallies(totals: dict) -> Tallies:
    """The figures added up, as _tally gives them: the mean worked out from the sum."""
    return {
        key: (count, confidence / rated if rated else None, low, priority)
        for key, (count, rated, confidence, low, priority) in totals.items()
    }


def _by_wave(filters: Filters, grid_ids: list[int]) -> dict[tuple[int, object], dict]:
    """(need area id, group value) -> {wave id: [answers, answers with a confidence, their
    sum, how many low, how many priority]}, for a filtered or broken-down summary: one
    aggregate in the database, split by wave so that pooled waves can be checked too."""
    if filters.values:
        return _through_responses(filters, grid_ids)
    # A breakdown alone is read from the answers' own copy of the fact (Answer.counted_*,
    # kept by the database), in the order of its index: no sort, no response looked up.
    group = BREAKDOWNS[filters.by]
    counted = Answer.counted_wave_id
    query = (
        db.select(counted, Answer.item, group, *FIGURES)
        .where(
            Answer.question_id.in_(grid_ids),
            counted == filters.wave_id if filters.wave_id else counted.is_not(None),
            # As the index's condition says it (a literal, not a bound parameter, so that
            # SQLite sees the index fits): every needs grid answer has an item, its need area.
            Answer.item > literal_column("0"),
        )
        .group_by(Answer.question_id, counted, Answer.item, group)
    )
    rows = db.session.execute(query)
    return _split(((item, value), wave, *rest) for wave, item, value, *rest in rows)


def _through_responses(filters: Filters, grid_ids: list[int]) -> dict[tuple[int, object], dict]:
    """As _by_wave, filtered on the respondents: read with each answer's response, in the
    order of ix_answer_tally, and sorted by the database into groups. With one wave in view
    there is nothing pooled, and nothing to split: the wave is then None."""
    # The grids' ids, not a join to their questions: the answers' covering index is read.
    conditions = [Answer.question_id.in_(grid_ids), *COUNTED]
    if filters.wave_id:
        conditions.append(Response.wave_id == filters.wave_id)
    for name, value in filters.values.items():
        column = FACETS[name][1]
        conditions.append(column == (int(value) if name == "school" else value))
    group = [FACETS[filters.by][1]] if filters.by else []
    # Each group of a breakdown adds to what the database sorts: the wave only when it counts.
    wave = [Response.wave_id] if not filters.wave_id and _waves_of(grid_ids) > 1 else []
    query = (
        db.select(Answer.item, *(group or [null()]), *(wave or [null()]), *FIGURES)
        .join(Response, Response.id == Answer.response_id)
        .where(and_(*conditions))
        .group_by(*group, Answer.item, *wave)
    )
    rows = db.session.execute(query)
    return _split(((item, value), wave, *rest) for item, value, wave, *rest in rows)


def _split(rows) -> dict[tuple[int, object], dict]:
    """Rows of (key, wave id, *FIGURES) added up by key and wave."""
    waves: dict[tuple[int, object], dict] = {}
    for key, wave, count, rated, confidence, low, priority in rows:
        figures = (count, rated, float(confidence or 0), low or 0, priority or 0)
        _add(waves.setdefault(key, {}), wave, figures)
    return waves


def _waves_of(grid_ids: list[int]) -> int:
    """How many waves the surveys asking these grids have had."""
    query = (
        db.select(func.count(func.distinct(Wave.id)))
        .join(Section, Section.survey_id == Wave.survey_id)
        .join(Question, Question.section_id == Section.id)
        .where(Question.id.in_(grid_ids))
    )
    return db.session.scalar(query)


class GridCounts:
    """The counted answers to needs grids (sent, not excluded), by wave, need area,
    confidence and priority: read in one pass over ix_answer_counted, in its order (no sort,
    no response looked up), once per set of grids, then added up for one wave or for all.
    So a wave's figures and the all-waves figures its small-group check compares them with
    come from the same single read. Summed as the database would: a mean is the sum of the
    confidences over how many there are."""

    def __init__(self) -> None:
        self._read: dict[tuple[int, ...], dict[tuple[int, int], list]] = {}
        self._filtered: dict[tuple, dict[tuple[int, object], dict]] = {}

    def filtered(self, filters: Filters, grid_ids: list[int]) -> dict[tuple[int, object], dict]:
        """A filtered or broken-down summary split by wave (_by_wave), read once."""
        key = (
            tuple(sorted(set(grid_ids))),
            filters.wave_id,
            tuple(sorted(filters.values.items())),
            filters.by,
        )
        if key not in self._filtered:
            self._filtered[key] = _by_wave(filters, grid_ids)
        return self._filtered[key]

    def tally(self, grid_ids: list[int], wave_id: int | None) -> Tallies:
        """As _tally gives it, for a wave (None: every wave), without a breakdown."""
        key = tuple(sorted(set(grid_ids)))
        if key not in self._read:
            self._read[key] = self._count(key)
        totals: dict[tuple[int, None], list] = {}
        for (wave, area_id), figures in self._read[key].items():
            if wave_id is None or wave == wave_id:
                _add(totals, (area_id, None), figures)
        return _tallies(totals)

    def by_wave(self, grid_ids: list[int]) -> dict[tuple[int, object], dict[int, int]]:
        """(need area id, None) -> {wave id: respondents}, from the same single read."""
        key = tuple(sorted(set(grid_ids)))
        if key not in self._read:
            self._read[key] = self._count(key)
        waves: dict[tuple[int, object], dict[int, int]] = {}
        for (wave, area_id), figures in self._read[key].items():
            waves.setdefault((area_id, None), {})[wave] = figures[0]
        return waves

    @staticmethod
    def _count(grid_ids: tuple[int, ...]) -> dict[tuple[int, int], list]:
        """(wave id, need area id) -> [answers, answers with a confidence, their sum, how many
        low, how many priority]: one row per wave, area, confidence and priority read."""
        query = (
            db.select(
                Answer.counted_wave_id,
                Answer.item,
                Answer.number,
                Answer.priority,
                func.count(),
            )
            .where(Answer.question_id.in_(grid_ids), Answer.counted_wave_id.is_not(None))
            .group_by(
                Answer.question_id,
                Answer.counted_wave_id,
                Answer.item,
                Answer.number,
                Answer.priority,
            )
        )
        figures: dict[tuple[int, int], list] = {}
        for wave_id, area_id, confidence, priority, n in db.session.execute(query):
            these = figures.setdefault((wave_id, area_id), [0, 0, 0.0, 0, 0])
            these[0] += n
            if confidence is not None:
                these[1] += n
                these[2] += confidence * n
                these[3] += n if confidence <= 2 else 0
            these[4] += n if priority else 0
        return figures


def _grid_ids(hub: Hub, survey: Survey | None, anonymous_only: bool = False) -> list[int]:
    """The needs grids summarised: the survey's, or those of the hub's needs surveys."""
    query = (
        db.select(Question.id)
        .join(Section, Section.id == Question.section_id)
        .join(Survey, Survey.id == Section.survey_id)
        .where(Survey.hub_id == hub.id, Survey.kind == "needs", Question.kind == "needs_grid")
        .order_by(Question.id)
    )
    if survey is not None:
        query = query.where(Survey.id == survey.id)
    if anonymous_only:
        query = query.where(Survey.anonymous.is_(True))
    return list(db.session.scalars(query))


def _hidden(
    hub: Hub, filters: Filters, grids: list[int], tallies: Tallies, counts: "GridCounts"
) -> set[tuple[int, object]]:
    """The (need area, group) figures not to show:
    - those resting on fewer respondents than the hub's smallest group;
    - pooled over waves, those where the waves too small to show hold fewer than that
      between them (each wave is a view of its own: the pooled figure minus the waves
      shown would show them);
    - those differing from the same figure without one of the filters (another view the
      hub lead can open) by fewer than that: the difference would show the few left out;
    - in a breakdown where just one group of a need area is hidden, the next smallest too,
      or the total minus the others would show it."""
    smallest = hub.smallest_group
    hidden = {key for key, (count, *_rest) in tallies.items() if count < smallest}
    if filters.wave_id is None:
        # Pooled waves: each wave is a view of its own, so the waves hidden there must not
        # be the pooled figure minus the waves shown (three waves: all - first - second).
        for key, waves in _wave_counts(filters, grids, counts).items():
            if 0 < sum(n for n in waves.values() if n < smallest) < smallest:
                hidden.add(key)
    for wider, grid_ids in _wider_views(hub, filters, grids):
        wider_counts = _tally(wider, grid_ids, counts)
        for key, (count, *_rest) in tallies.items():
            if 0 < wider_counts.get(key, (count,))[0] - count < smallest:
                hidden.add(key)
    if filters.by:
        groups: dict[int, list] = {}
        for (area_id, group), (count, *_rest) in tallies.items():
            groups.setdefault(area_id, []).append((count, (area_id, group)))
        for members in groups.values():
            shown = sorted(m for m in members if m[1] not in hidden)
            if len(members) - len(shown) == 1 and shown:
                hidden.add(shown[0][1])
    return hidden


def _wave_counts(
    filters: Filters, grid_ids: list[int], counts: "GridCounts"
) -> dict[tuple[int, object], dict[int, int]]:
    """(need area id, group value) -> {wave id: respondents}: the summary split by wave."""
    if not filters.values and not filters.by:
        return counts.by_wave(grid_ids)
    return {
        key: {wave: figures[0] for wave, figures in waves.items()}
        for key, waves in counts.filtered(filters, grid_ids).items()
    }


def _wider_views(hub: Hub, filters: Filters, grids: list[int]) -> list[tuple[Filters, list[int]]]:
    """The same summary (over `grids`) with one filter taken off, for each filter that narrows
    it, with the grids it reads. Without the survey, that is the hub's other anonymous surveys
    too: the answers to named surveys are shown in full anyway."""
    views = []
    if filters.survey is not None:
        others = set(_grid_ids(hub, None, anonymous_only=True)) - set(grids)
        if others:
            views.append((replace(filters, survey=None, wave_id=None), [*grids, *others]))
    if filters.wave_id and (filters.survey is None or len(filters.survey.waves) > 1):
        views.append((replace(filters, wave_id=None), grids))
    for name in filters.values:
        others = {k: v for k, v in filters.values.items() if k != name}
        views.append((replace(filters, values=others), grids))
    return views


def _rank(rows: list[Row]) -> None:
    """1 for the highest need score in each group; equal scores share a rank (1, 2, 2, 4)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    for members in groups.values():
        scored = sorted(
            (r for r in members if r.need_score is not None), key=lambda r: -r.need_score
        )
        for place, row in enumerate(scored, start=1):
            before = scored[place - 2] if place > 1 else None
            tied = before is not None and round(before.need_score, 6) == round(row.need_score, 6)
            row.rank = before.rank if tied else place


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
