"""Outcome figures across partner schools, as a plan's measure reads them from an outcomes
survey's question in one wave. Each school sends one set of figures per wave.

What each kind of question gives:
- a number, with no standard: the hub's figure, as the outcomes page shows it: for a share
  (unit %), the share of all pupils across the schools that sent it, each school weighted by
  its pupil count where the survey asks for one; for a count, the total over those schools;
- a number, with a standard (a number): the percentage of the schools that sent the figure
  whose figure is at or above the standard;
- a single choice, with a standard (one of its options): the percentage of the schools that
  answered who chose that option;
- a scale (1 to 5) or a rating (0 to 10), with a standard (a whole number): the percentage of
  the schools that answered who gave the standard or more.
Numbers are school figures, shown school by school on the outcomes page, so they are shown in
full; choices are counted by the survey's results, with their small-group rule."""

import math
import re
from dataclasses import dataclass, field

from hubsurvey.models import Question, Survey, Wave
from hubsurvey.reports.results import Bar, survey_results, value_labels
from hubsurvey.surveys import outcomes

KINDS = ("number", "single", "scale", "rating")
SCALE_RANGE = {"scale": (1, 5), "rating": (0, 10)}
_NUMBER = re.compile(r"-?[0-9]{1,9}(?:\.[0-9]{1,3})?")


@dataclass
class OutcomeEvidence:
    """What the measure's page shows: each school's figure (numbers), or how many gave each
    answer (choices), with the figure worked out and how."""

    question: Question
    wave: Wave
    meaning: str
    unit: str
    value: float | None = None
    counted: int = 0  # schools counted
    meeting: int | None = None  # of which meet the standard, where there is one
    # Numbers: each school, its figure, and whether it meets the standard (None: no standard).
    schools: list[tuple[str, float, bool | None]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    hidden: str = ""


def question_unit(question: Question) -> str:
    return question.settings.get("unit", "") if question.kind == "number" else ""


def read_standard(question: Question, text: str) -> tuple[str, str | None]:
    """The standard as stored for this question, or a message saying what to type."""
    text = " ".join((text or "").split())
    if question.kind == "number":
        if not text:
            return "", None
        bare = text.removesuffix("%").strip().replace(",", "")
        if not _NUMBER.fullmatch(bare) or not math.isfinite(float(bare)):
            return text, "Enter the standard as a number, like 70, or leave it empty"
        return f"{float(bare):g}", None
    if question.kind == "single":
        match = next((o for o in question.options if o.casefold() == text.casefold()), None)
        if match is None:
            return text, "Enter the standard as one of the question's answers, word for word"
        return match, None
    low, high = SCALE_RANGE[question.kind]
    if not re.fullmatch(r"[0-9]{1,2}", text) or not low <= int(text) <= high:
        return text, f"Enter the standard as a whole number from {low} to {high}"
    return text, None


def meaning(question: Question, standard: str) -> str:
    """What the figure is, in the measure page's words."""
    unit = question_unit(question)
    if question.kind == "number" and not standard:
        if unit == "%":
            return (
                "the hub's figure: the share across all the pupils of the schools that sent "
                "it, each school weighted by its number of pupils where the survey asks for it"
            )
        return "the hub's figure: the total across the schools that sent it"
    if question.kind == "number":
        written = f"{standard}%" if unit == "%" else f"{standard} {unit}".strip()
        return f"the percentage of the schools that sent it whose figure is {written} or more"
    if question.kind == "single":
        return f"the percentage of the schools that answered who chose '{standard}'"
    return f"the percentage of the schools that answered who gave {standard} or more"


def outcome_evidence(survey: Survey, wave: Wave, question: Question, standard: str):
    """The figure for this question and standard in the wave, with what lies behind it."""
    unit = "%" if standard or question.kind != "number" else question_unit(question)
    evidence = OutcomeEvidence(question, wave, meaning(question, standard), unit)
    if question.kind == "number":
        _numbers(evidence, survey, standard)
    else:
        _choices(evidence, survey, standard)
    return evidence


def _numbers(evidence: OutcomeEvidence, survey: Survey, standard: str) -> None:
    figures = outcomes.outcomes(survey)
    trends = figures.trends if figures else []
    trend = next((t for t in trends if t.question.id == evidence.question.id), None)
    if trend is None:
        return
    position = [w.id for w in survey.waves].index(evidence.wave.id)
    level = float(standard) if standard else None
    evidence.schools = [
        (school, value, None if level is None else value >= level)
        for school, values in trend.schools.items()
        if (value := values[position]) is not None
    ]
    evidence.counted = len(evidence.schools)
    if not evidence.counted:
        return
    if level is not None:
        evidence.meeting = sum(1 for *_figures, meets in evidence.schools if meets)
        evidence.value = 100 * evidence.meeting / evidence.counted
    else:
        evidence.value = trend.hub[position]


def _choices(evidence: OutcomeEvidence, survey: Survey, standard: str) -> None:
    question = evidence.question
    result = survey_results(survey, evidence.wave, only=question, texts=0)[0]
    evidence.counted = result.answered
    if result.hidden:
        evidence.hidden = result.hidden
        return
    if not result.answered:
        return
    evidence.bars = result.bars
    pairs = list(zip(value_labels(question), result.bars, strict=True))
    if question.kind == "single":
        chosen = question.options.index(standard)
        evidence.meeting = sum(bar.count for (value, _l), bar in pairs if value == chosen)
    else:
        evidence.meeting = sum(bar.count for (value, _l), bar in pairs if value >= int(standard))
    evidence.value = 100 * evidence.meeting / result.answered
