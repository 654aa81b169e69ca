"""A survey's results: every question's figures for one wave or for all waves pooled.

Counted like the needs summary (see counting.py): sent responses only, not those hub staff
excluded in review, each question over the sent responses it was shown to. On an anonymous
survey a question's figures, and its written answers, are shown only when at least the hub's
smallest group answered it, and not when the figures for all waves would give away the few
who answered in other waves (as the needs summary does: see summary._hidden, and _hidden
below). A needs grid's figures are the needs summary's own, for that grid alone.

Two waves side by side are in comparison.py; what 'All waves' pools, in wave_notes.py."""

from dataclasses import dataclass, field
from math import ceil

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Question, Response, Survey, Wave
from hubsurvey.reports.counting import CHOICES, Tallies, Tally, count, median, sent, shown_clause
from hubsurvey.reports.summary import Filters, GridCounts, Row, needs_summary

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


def find_wave(survey: Survey, wave_id: int | None) -> Wave | None:
    return next((w for w in survey.waves if w.id == wave_id), None)


def survey_results(
    survey: Survey,
    wave: Wave | None,
    only: Question | None = None,
    texts: int = PREVIEW,
    tallies: Tallies | None = None,
    grid_counts: GridCounts | None = None,
) -> list[Result]:
    """Every question's result (or only one question's), in the survey's order, for one
    wave or (wave None) every wave pooled. `tallies` and `grid_counts` may be given when
    already counted (two waves side by side count once)."""
    questions = [only] if only is not None else survey.questions
    if tallies is None:
        tallies = count(survey, questions, [wave] if wave else None)
    grid_counts = grid_counts or GridCounts()
    results = [_result(survey, q, tallies[q.id], wave) for q in questions]
    for result in results:
        if not result.shows_figures:
            continue
        kind, question = result.question.kind, result.question
        if kind == "number":
            result.median = median(survey, question, wave, result.answered)
        elif kind in TEXTS and texts:
            result.texts = list(
                db.session.scalars(_texts(survey, sent(survey, wave), question).limit(texts))
            )
        elif kind == "needs_grid":
            # The needs summary's own figures and small-group rules, for this grid alone.
            filters = Filters(survey=survey, wave_id=wave.id if wave else None)
            rows = needs_summary(survey.hub, filters, grids=[question.id], counts=grid_counts)
            order = {area.id: i for i, area in enumerate(question.grid_areas)}
            result.needs = sorted(rows, key=lambda r: order.get(r.need_area.id, len(order)))
    return results


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


def number_words(value: float) -> str:
    """A figure as a reader writes it: 12, 12.5, 1,250 (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# -- Written answers ----------------------------------------------------------------------


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
