"""A survey's results: every question's figures for one wave or for all waves pooled, and two
waves side by side.

Counted like the needs summary: sent responses only, not those hub staff excluded in review,
aggregated in SQL (one row per question and value). Each question is counted over the sent
responses it was shown to, by the audience of its section and its own. On an anonymous survey
a question's figures, and its written answers, are shown only when at least the hub's smallest
group answered it, and not when the figures for all waves would give away the few who answered
in other waves (as the needs summary does: see summary._hidden, and _hidden below). A needs
grid's figures are the needs summary's own, for that grid alone."""

from dataclasses import dataclass, field
from math import ceil

from sqlalchemy import and_, case, exists, func, literal_column, null, or_, true
from sqlalchemy.sql import ColumnElement

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Question, Response, Survey, Wave
from hubsurvey.reports.summary import Filters, Row, needs_summary
from hubsurvey.surveys import audience

CHOICES = ("single", "multiple", "scale", "rating")
TEXTS = ("short_text", "long_text")
PREVIEW = 5  # written answers shown on the results page; the rest on the question's page
PAGE_SIZE = 25


@dataclass
class Bar:
    """One option or value of a question: how many chose it, out of those who answered."""

    label: str
    count: int
    share: float

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class Result:
    """One question's figures over the responses chosen."""

    question: Question
    shown: int  # sent responses the question was shown to
    answered: int
    hidden: str | None = None  # why the figures are not shown
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None  # scales and ratings
    median: float | None = None  # numbers
    low: float | None = None
    high: float | None = None
    texts: list[str] = field(default_factory=list)  # the newest written answers
    needs: list[Row] = field(default_factory=list)  # a needs grid: one row per need area

    @property
    def shows_figures(self) -> bool:
        return self.hidden is None and self.answered > 0

    def figure(self, value: float) -> str:
        """A number question's figure with its unit: '12 pupils', '85%'."""
        unit = self.question.settings.get("unit", "")
        return number_words(value) + (unit if unit == "%" else f" {unit}".rstrip())


def sent(survey: Survey, wave: Wave | None) -> ColumnElement[bool]:
    """The responses counted: sent, not excluded in review, in the wave (None: every wave)."""
    conditions = [
        Response.survey_id == survey.id,
        Response.status == "submitted",
        Response.excluded.is_(False),  # left out by hub staff after review
    ]
    if wave is not None:
        conditions.append(Response.wave_id == wave.id)
    return and_(*conditions)


def find_wave(survey: Survey, wave_id: int | None) -> Wave | None:
    return next((w for w in survey.waves if w.id == wave_id), None)


def survey_results(
    survey: Survey,
    wave: Wave | None,
    only: Question | None = None,
    texts: int = PREVIEW,
    tallies: "Tallies | None" = None,
) -> list[Result]:
    """Every question's result (or only one question's), in the survey's order, for one
    wave or (wave None) every wave pooled. `tallies` may be given when already counted."""
    questions = [only] if only is not None else survey.questions
    if tallies is None:
        tallies = count(survey, questions, [wave] if wave else None)
    results = [_result(survey, q, tallies[q.id], wave) for q in questions]
    condition = sent(survey, wave)
    for result in results:
        if not result.shows_figures:
            continue
        kind, question = result.question.kind, result.question
        if kind == "number":
            result.median = _median(survey, condition, question, result.answered)
        elif kind in TEXTS and texts:
            result.texts = list(
                db.session.scalars(_texts(survey, condition, question).limit(texts))
            )
        elif kind == "needs_grid":
            # The needs summary's own figures and small-group rules, for this grid alone.
            filters = Filters(survey=survey, wave_id=wave.id if wave else None)
            rows = needs_summary(survey.hub, filters, grids=[question.id])
            order = {area.id: i for i, area in enumerate(question.grid_areas)}
            result.needs = sorted(rows, key=lambda r: order.get(r.need_area.id, len(order)))
    return results


# -- Counting: who was shown each question, who answered it, and what -----------------------


@dataclass
class Tally:
    """One question in one wave: who it was shown to, who answered, and how many gave each
    value (choices, scales, ratings) or the smallest and largest (numbers)."""

    shown: int = 0
    answered: int = 0
    values: dict[int, int] = field(default_factory=dict)
    low: float | None = None
    high: float | None = None


Tallies = dict[int, dict[int, Tally]]  # question id -> wave id -> tally


def shown_clause(survey: Survey, question: Question) -> ColumnElement[bool]:
    """The responses a question was shown to. A survey that asks nobody about themselves
    shows everyone everything (as respond.services.steps_for does)."""
    if not survey.asks_profile:
        return true()
    return and_(audience.clause(question.section.audience), audience.clause(question.audience))


def _audience_key(survey: Survey, question: Question) -> tuple:
    if not survey.asks_profile:
        return ()
    rules = (audience.clean(question.section.audience), audience.clean(question.audience))
    return tuple(tuple((fact, tuple(codes)) for fact, codes in rule.items()) for rule in rules)


def _answer_filter(survey: Survey, questions: list[Question]) -> ColumnElement[bool]:
    """Answers to these questions from responses each was shown to: one IN list per audience."""
    groups: dict[tuple, list[Question]] = {}
    for question in questions:
        groups.setdefault(_audience_key(survey, question), []).append(question)
    parts = []
    for key, members in groups.items():
        ids = Answer.question_id.in_([q.id for q in members])
        parts.append(and_(ids, shown_clause(survey, members[0])) if any(key) else ids)
    return or_(*parts)


def count(survey: Survey, questions: list[Question], waves: list[Wave] | None) -> Tallies:
    """Each question's tally in each of these waves (None: every wave), in two passes. One
    over the responses counts who each audience covers, and who answered the questions stored
    as several rows (multiple choice, needs grid). One over the answers to the other
    questions counts them by value. An anonymous survey with several waves is always counted
    in every wave: whether a wave's figures may be shown depends on the others (_hidden)."""
    if survey.anonymous and len(survey.waves) > 1:
        waves = None
    condition = sent(survey, None)
    if waves is not None:
        condition = and_(condition, Response.wave_id.in_([w.id for w in waves]))
    tallies: Tallies = {q.id: {} for q in questions}

    def tally(question_id: int, wave_id: int) -> Tally:
        return tallies[question_id].setdefault(wave_id, Tally())

    keys = {q.id: _audience_key(survey, q) for q in questions}
    audiences: dict[tuple, Question] = {}
    for question in questions:
        audiences.setdefault(keys[question.id], question)
    many = [q for q in questions if q.kind in ("multiple", "needs_grid")]
    columns = [func.count(case((shown_clause(survey, q), 1))) for q in audiences.values()]
    for question in many:
        answered = exists().where(
            Answer.response_id == Response.id, Answer.question_id == question.id
        )
        columns.append(func.count(case((and_(shown_clause(survey, question), answered), 1))))
    rows = db.session.execute(
        db.select(Response.wave_id, *columns).where(condition).group_by(Response.wave_id)
    )
    for wave_id, *figures in rows:
        shown = dict(zip(audiences, figures[: len(audiences)], strict=True))
        for question in questions:
            tally(question.id, wave_id).shown = shown[keys[question.id]]
        for question, answered in zip(many, figures[len(audiences) :], strict=True):
            tally(question.id, wave_id).answered = answered

    others = [q for q in questions if q.kind != "needs_grid"]  # grids: the needs summary's
    if not others:
        return tallies
    kinds = {q.id: q.kind for q in others}
    # Answers grouped by value for choices only, not numbers (as many values as answers).
    # The ids are written into the SQL, so that the value grouped by reads the same as the
    # value selected (PostgreSQL compares the two as written).
    choices = [literal_column(str(q.id)) for q in others if q.kind in CHOICES]
    value = case((Answer.question_id.in_(choices), Answer.number)) if choices else null()
    by_value = [value] if choices else []  # PostgreSQL refuses GROUP BY NULL
    rows = db.session.execute(
        db.select(
            Answer.question_id,
            Response.wave_id,
            Answer.item,
            value,
            func.count(),
            func.min(Answer.number),
            func.max(Answer.number),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(condition, _answer_filter(survey, others))
        .group_by(Answer.question_id, Response.wave_id, Answer.item, *by_value)
    )
    for question_id, wave_id, item, number, rows_counted, low, high in rows:
        this = tally(question_id, wave_id)
        if kinds[question_id] != "multiple":
            this.answered += rows_counted  # one row per answer
        if kinds[question_id] in CHOICES:
            # A multiple choice stores option i as item i + 1; the others store the value.
            this.values[item - 1 if item else int(number)] = rows_counted
        if kinds[question_id] == "number":
            this.low, this.high = low, high
    return tallies


def _result(survey: Survey, question: Question, per_wave: dict[int, Tally], wave) -> Result:
    """A question's result in the wave (None: every wave) from its tallies."""
    chosen = [t for w, t in per_wave.items() if wave is None or w == wave.id]
    result = Result(question, sum(t.shown for t in chosen), sum(t.answered for t in chosen))
    if survey.anonymous:
        answered = {w: t.answered for w, t in per_wave.items()}
        result.hidden = _hidden(answered, wave.id if wave else None, survey.hub.smallest_group)
    if not result.shows_figures:
        return result
    if question.kind in CHOICES:
        spread: dict[int, int] = {}
        for each in chosen:
            for value, n in each.values.items():
                spread[value] = spread.get(value, 0) + n
        result.bars = [
            Bar(label, spread.get(value, 0), spread.get(value, 0) / result.answered)
            for value, label in value_labels(question)
        ]
        if question.kind in ("scale", "rating"):
            result.mean = sum(v * n for v, n in spread.items()) / sum(spread.values())
    elif question.kind == "number":
        result.low = min(t.low for t in chosen if t.low is not None)
        result.high = max(t.high for t in chosen if t.high is not None)
    return result


def _hidden(answered: dict[int, int], wave_id: int | None, smallest: int) -> str | None:
    """Why a question's figures in a wave (None: all waves) are not shown, given how many
    answered it in each wave. Like a breakdown's groups in the needs summary: a wave with
    fewer than `smallest` answers is hidden, and so are the next smallest waves until the
    hidden ones add up to none or to at least `smallest`, or else 'all waves' minus the
    waves shown would give them away."""
    total = sum(answered.values())
    if wave_id is None:
        return f"fewer than {smallest} answered" if 0 < total < smallest else None
    count = answered.get(wave_id, 0)
    if 0 < count < smallest:
        return f"fewer than {smallest} answered"
    hidden = {w for w, n in answered.items() if 0 < n < smallest}
    while 0 < sum(answered[w] for w in hidden) < smallest:
        shown = sorted((n, w) for w, n in answered.items() if n and w not in hidden)
        if not shown:
            break
        hidden.add(shown[0][1])
    if wave_id in hidden:
        return (
            f"set against all waves together, it would give away the fewer than {smallest} "
            "who answered in another wave"
        )
    return None


# -- Figures per kind of question ---------------------------------------------------------


def value_labels(question: Question) -> list[tuple[int, str]]:
    """Each value a choice, scale or rating question can take, with its label."""
    settings = question.settings
    if question.kind == "scale":
        labels = settings.get("labels") or []
        return [
            (v, f"{v}: {labels[v - 1]}" if len(labels) == 5 and labels[v - 1] else str(v))
            for v in range(1, 6)
        ]
    if question.kind == "rating":
        ends = {0: settings.get("low_label"), 10: settings.get("high_label")}
        return [(v, f"{v}: {ends[v]}" if ends.get(v) else str(v)) for v in range(11)]
    return list(enumerate(question.options))


def _median(survey: Survey, condition, question: Question, count: int) -> float | None:
    """The middle answer (the mean of the middle two for an even count): read by offset
    from the sorted answers, never all loaded."""
    middle = (
        db.select(Answer.number)
        .join(Response, Response.id == Answer.response_id)
        .where(
            condition,
            Answer.question_id == question.id,
            Answer.item == 0,
            shown_clause(survey, question),
        )
        .order_by(Answer.number)
        .offset((count - 1) // 2)
        .limit(2 - count % 2)
    )
    values = list(db.session.scalars(middle))
    return sum(values) / len(values) if values else None


def _texts(survey: Survey, condition, question: Question, search: str = ""):
    """A question's written answers, latest first, containing `search` if given."""
    query = (
        db.select(Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            condition,
            Answer.question_id == question.id,
            Answer.item == 0,
            shown_clause(survey, question),
        )
        # The latest first: ids follow the order responses were started, and the index on
        # answers holds them in that order, so the first few are read without a sort.
        .order_by(Answer.response_id.desc())
    )
    if search:
        # Matched as typed, case aside: % and _ are not wildcards here.
        query = query.where(Answer.text.icontains(search, autoescape=True))
    return query


@dataclass
class TextPage:
    """One page of a free-text question's answers, searched."""

    result: Result
    search: str
    answers: list[str]
    matches: int
    page: int
    pages: int


def text_answers(
    survey: Survey, question: Question, wave: Wave | None, search: str = "", page: int = 1
) -> TextPage:
    """The written answers to one question, PAGE_SIZE at a time: none when small-group rules
    hold its figures back."""
    result = survey_results(survey, wave, only=question, texts=0)[0]
    if not result.shows_figures:
        return TextPage(result, search, [], 0, 1, 1)
    query = _texts(survey, sent(survey, wave), question, search)
    matches = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    pages = max(1, ceil(matches / PAGE_SIZE))
    page = min(max(page, 1), pages)
    answers = list(db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return TextPage(result, search, answers, matches, page, pages)


# -- Waves: what is pooled, and two waves side by side ------------------------------------


def sent_per_wave(survey: Survey) -> list[tuple[Wave, int]]:
    """Every wave, newest first, with its number of sent responses."""
    counts = dict(
        db.session.execute(
            db.select(Response.wave_id, func.count())
            .where(sent(survey, None))
            .group_by(Response.wave_id)
        )
        .tuples()
        .all()
    )
    return [(wave, counts.get(wave.id, 0)) for wave in reversed(survey.waves)]


def _repeat_people(condition) -> tuple[int, int]:
    """Among these responses: how many carry a participant code, and how many people (by
    their code) answered in more than one wave."""
    coded = Response.participant_id.is_not(None)
    with_code = db.session.scalar(db.select(func.count()).where(condition, coded))
    repeats = (
        db.select(Response.participant_id)
        .where(condition, coded)
        .group_by(Response.participant_id)
        .having(func.count(func.distinct(Response.wave_id)) > 1)
        .subquery()
    )
    return with_code, db.session.scalar(db.select(func.count()).select_from(repeats))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _people_words(condition, anonymous: bool, smallest: int, several_surveys=False) -> str:
    """What participant codes tell about people counted more than once."""
    with_code, repeats = _repeat_people(condition)
    if not with_code:
        return (
            "Nobody linked their answers with a participant code, so the app cannot tell how "
            "many people answered more than once."
        )
    if not repeats:
        return "No participant code was given in more than one wave."
    people = (
        f"fewer than {smallest} people"
        if anonymous and repeats < smallest
        else f"{repeats} {'person' if repeats == 1 else 'people'}"
    )
    where = "more than one wave" + (" or survey" if several_surveys else "")
    return (
        f"Participant codes show that {people} answered in {where}: each of their "
        "responses is counted."
    )


def pooled_note(survey: Survey) -> str:
    """What 'All waves' adds up, and how people who answered in more than one are counted."""
    waves = [(w, n) for w, n in reversed(sent_per_wave(survey)) if n]
    total = sum(n for _w, n in waves)
    if not waves:
        return "No responses yet."
    if len(waves) < 2:
        return f"{total} {'response' if total == 1 else 'responses'}, all in {waves[0][0].label}."
    both = "both waves" if len(waves) == 2 else "more than one wave"
    return (
        f"{_and([w.label for w, _n in waves])}: {total} responses. A person who answered in "
        f"{both} is counted in each. "
        + _people_words(sent(survey, None), survey.anonymous, survey.hub.smallest_group)
    )


def needs_waves_note(hub, filters: Filters) -> str:
    """Which waves the needs summary reads, in a sentence: it pools every wave unless one is
    chosen, and every needs assessment unless one is chosen."""
    survey = filters.survey
    if survey is not None:
        wave = find_wave(survey, filters.wave_id)
        if wave is not None:
            return f"Uses {wave.label} of '{survey.title}' only."
        if len([n for _w, n in sent_per_wave(survey) if n]) < 2:
            return f"Uses every response to '{survey.title}' (one wave)."
        return f"Uses every wave of '{survey.title}', pooled. " + pooled_note(survey)
    surveys = db.session.scalars(
        db.select(Survey)
        .where(Survey.hub_id == hub.id, Survey.kind == "needs")
        .order_by(Survey.created_at, Survey.id)
    ).all()
    described = []
    for each in surveys:
        labels = [w.label for w, n in reversed(sent_per_wave(each)) if n]
        if labels:
            described.append(f"'{each.title}' ({_and(labels)})")
    if not described:
        return "Uses every needs assessment of the hub, in every wave: none has answers yet."
    anonymous = any(s.anonymous for s in surveys)
    condition = and_(
        Response.survey_id.in_([s.id for s in surveys]),
        Response.status == "submitted",
        Response.excluded.is_(False),
    )
    return (
        f"Uses every wave of every needs assessment, pooled: {_and(described)}. A person who "
        "answered more than once is counted each time. "
        + _people_words(condition, anonymous, hub.smallest_group, several_surveys=True)
    )


@dataclass
class Change:
    """One figure in two waves as the page shows them, and the difference between the two
    figures shown (so the arithmetic on the page adds up): none if either is missing."""

    label: str
    before: str
    after: str
    change: str | None


@dataclass
class Comparison:
    question: Question
    before: Result
    after: Result
    changes: list[Change]


def compare(survey: Survey, before: Wave, after: Wave) -> list[Comparison]:
    """Each question in two waves side by side, with the change in each figure."""
    tallies = count(survey, survey.questions, [before, after])
    firsts = survey_results(survey, before, texts=0, tallies=tallies)
    seconds = survey_results(survey, after, texts=0, tallies=tallies)
    return [
        Comparison(a.question, a, b, list(_changes(a, b)))
        for a, b in zip(firsts, seconds, strict=True)
    ]


Figure = float | str  # a figure, or why there is none


def _missing(result: Result) -> str:
    return "Not shown" if result.hidden else "No answers"


def _changes(a: Result, b: Result):
    question = a.question
    if not (a.answered or b.answered):
        return

    def figures(read, *args) -> list[Figure]:
        return [read(r, *args) if r.shows_figures else _missing(r) for r in (a, b)]

    if question.kind in ("single", "multiple"):
        for value, label in value_labels(question):
            yield _change(label, *figures(_share, value), "percent")
    elif question.kind in ("scale", "rating"):
        yield _change("Mean", *figures(getattr, "mean"), "decimal")
    elif question.kind == "number":
        unit = question.settings.get("unit", "")
        yield _change("Median", *figures(getattr, "median"), "number", unit)
    elif question.kind == "needs_grid":
        for area in question.grid_areas:
            for label, attribute, style in (
                ("mean confidence", "mean_confidence", "decimal"),
                ("a priority", "priority_share", "percent"),
            ):
                pair = figures(_area, area.id, attribute)
                yield _change(f"{area.name}: {label}", *pair, style)


def _share(result: Result, value: int) -> float:
    return result.bars[value].share


def _area(result: Result, area_id: int, attribute: str) -> Figure:
    row = next((row for row in result.needs if row.need_area.id == area_id), None)
    if row is None:
        return "No answers"
    return "Not shown" if row.suppressed else getattr(row, attribute)


def _change(label: str, a: Figure, b: Figure, style: str, unit: str = "") -> Change:
    """`style`: 'percent' (a share, changing in percentage points), 'decimal' (a mean, to one
    decimal place) or 'number' (as written, with the question's unit)."""

    def words(value: Figure) -> str:
        if isinstance(value, str):
            return value
        if style == "percent":
            return f"{round(value * 100)}%"
        if style == "decimal":
            return f"{value:.1f}"
        return number_words(value) + (unit if unit == "%" else f" {unit}".rstrip())

    if isinstance(a, str) or isinstance(b, str):
        change = None
    elif style == "percent":
        change = f"{round(b * 100) - round(a * 100):+d} points"
    elif style == "decimal":
        change = f"{float(f'{b:.1f}') - float(f'{a:.1f}'):+.1f}"
    else:
        change = ("+" if b >= a else "-") + number_words(abs(b - a))
    return Change(label, words(a), words(b), change)


def number_words(value: float) -> str:
    """A figure as a reader writes it: 12, 12.5, 1,250 (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
