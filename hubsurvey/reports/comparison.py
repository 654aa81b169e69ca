"""Two waves of a survey side by side: each question's figures in both, as the results page
shows them, with the change in each."""

from dataclasses import dataclass

from hubsurvey.models import Question, Survey, Wave
from hubsurvey.reports.counting import count
from hubsurvey.reports.results import Result, number_words, survey_results, value_labels
from hubsurvey.reports.summary import GridCounts
from hubsurvey.surveys.outcomes import signed


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

    @property
    def answered_change(self) -> str:
        return signed(self.after.answered - self.before.answered, number_words)


def compare(survey: Survey, before: Wave, after: Wave) -> list[Comparison]:
    """Each question in two waves side by side, with the change in each figure."""
    # Counted once for both waves: the answers, and the needs grids' answers.
    tallies = count(survey, survey.questions, [before, after])
    grids = GridCounts()
    firsts = survey_results(survey, before, texts=0, tallies=tallies, grid_counts=grids)
    seconds = survey_results(survey, after, texts=0, tallies=tallies, grid_counts=grids)
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

    # The change between the figures as shown, written as every report writes one.
    if isinstance(a, str) or isinstance(b, str):
        change = None
    elif style == "percent":
        change = signed(round(b * 100) - round(a * 100), lambda d: f"{d} points")
    elif style == "decimal":
        change = signed(round(float(f"{b:.1f}") - float(f"{a:.1f}"), 1), lambda d: f"{d:.1f}")
    else:
        change = signed(b - a, number_words)
    return Change(label, words(a), words(b), change)
