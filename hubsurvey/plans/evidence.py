"""A measure's figures: its current value, typed in or read from live evidence, and whether it
is on track against its target, by a rule stated in words (see progress.py).

Bound measures read the same summaries staff see, with the same small-group rules: a figure
the summary would hide is hidden here too, and says why. What each kind reads:
- need-score: the need area's need score in the needs summary of one survey's wave;
- confidence-change: for people who linked their answers with a participant code, their mean
  confidence in the wave against their first wave of the survey (surveys/impact.py);
- feedback-rating: the mean headline rating of the objective's activities, from the feedback
  summary;
- outcome: a figure across the partner schools that sent an outcomes survey's figures in a
  wave (outcome.py says which figure for each kind of question);
- schools-active, teachers-attending: the plan's school year's participation figures."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from hubsurvey.activities.participation import Participation, participation
from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, Measure, Response, Survey, Wave, utcnow
from hubsurvey.plans import outcome
from hubsurvey.plans.progress import judge
from hubsurvey.reports.feedback import Figure, feedback_figures, protect_total, total_of
from hubsurvey.reports.results import find_wave, sent
from hubsurvey.reports.summary import SCORE_RULE, Filters, Row, needs_summary
from hubsurvey.school_years import year_starts, year_words
from hubsurvey.surveys.impact import AreaChange, confidence_change

# The survey kind each bound measure reads, where it reads a survey.
SURVEY_KIND = {"need-score": "needs", "confidence-change": "needs", "outcome": "outcomes"}
UNITS = {
    "need-score": "",
    "confidence-change": "",
    "feedback-rating": "out of 5",
    "schools-active": "schools",
    "teachers-attending": "teachers",
}


@dataclass
class Reading:
    """What a measure shows: its value now (None when there is no evidence yet, or it is
    hidden), the status against its target (a key of MEASURE_STATES, or None when it cannot
    be judged), the rule that gave the status, and where the value came from. `hidden` says
    why a figure is not shown; `why` why the status is what it is (or why it is not judged);
    `expected` where the straight line from baseline to target stands today; `evidence` what
    the measure's page shows behind the figure (per kind)."""

    value: float | None
    unit: str
    status: str | None
    rule: str
    source: str
    hidden: str = ""
    why: str = ""
    expected: float | None = None
    evidence: Any = None


class Reads:
    """What measures read, kept while one page or file is made: the plan's six measures that
    read the same wave of a survey, or the hub's feedback, read it once."""

    def __init__(self) -> None:
        self._kept: dict[tuple, Any] = {}

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if key not in self._kept:
            self._kept[key] = compute()
        return self._kept[key]


@dataclass
class Found:
    """A figure read from evidence, before it is judged: or why there is none."""

    value: float | None
    unit: str
    source: str
    hidden: str = ""  # the small-group rule held the figure back
    missing: str = ""  # there is nothing to read yet
    evidence: Any = None


def read(measure: Measure, today: date, reads: Reads | None = None) -> Reading:
    """The measure's reading today: its figure, and its status by the rule. `reads` shares
    what is read between the measures of one page or file."""
    found = find(measure, today, reads)
    value = found.value
    if value is not None and measure.kind != "typed":
        value = round(value, 1)  # judged as shown
    no_value = f"the figure is not shown: {found.hidden}" if found.hidden else found.missing
    judgement = judge(measure, value, today, found.unit, no_value)
    return Reading(
        value=value,
        unit=found.unit,
        status=judgement.status,
        rule=judgement.rule,
        source=found.source,
        hidden=found.hidden,
        why=judgement.why,
        expected=judgement.expected,
        evidence=found.evidence,
    )


def find(measure: Measure, today: date, reads: Reads | None = None) -> Found:
    """The figure a measure reads today, by its kind. A measure's form reads it the same way
    before the measure is saved (measures.MeasureDetails has the same fields)."""
    hub = measure.objective.plan.hub
    reads = reads or Reads()
    if measure.kind == "typed":
        missing = "" if measure.current is not None else "no current value is typed in yet"
        return Found(measure.current, measure.unit, "Typed in by hub staff", missing=missing)
    if measure.kind in ("schools-active", "teachers-attending"):
        return _participation(measure, hub, today, reads)
    if measure.kind == "feedback-rating":
        return _feedback(measure, hub, reads)
    survey = measure.survey
    unit = UNITS.get(measure.kind, "")
    if survey is None or survey.hub_id != hub.id or survey.kind != SURVEY_KIND[measure.kind]:
        what = "an outcomes survey" if measure.kind == "outcome" else "a needs assessment"
        return Found(None, unit, "No survey chosen", missing=f"choose {what} for it to read")
    wave = chosen_wave(survey, measure.wave_id)
    if wave is None:
        return Found(None, unit, f"'{survey.title}'", missing="the survey has no answers yet")
    if measure.kind == "need-score":
        return _need_score(measure, hub, survey, wave, reads)
    if measure.kind == "confidence-change":
        return _confidence_change(measure, hub, survey, wave, reads)
    return _outcome(measure, survey, wave, reads)


def chosen_wave(survey: Survey, wave_id: int | None) -> Wave | None:
    """The wave a measure reads: the one chosen, or else the latest with sent responses (or,
    before any, the latest)."""
    if wave_id is not None:
        chosen = find_wave(survey, wave_id)
        if chosen is not None:
            return chosen
    latest = db.session.scalar(
        db.select(Wave)
        .join(Response, Response.wave_id == Wave.id)
        .where(sent(survey, None))
        .order_by(Wave.number.desc())
        .limit(1)
    )
    return latest or survey.current_wave


def wave_words(wave: Wave, chosen: bool) -> str:
    """Which wave, and why that one."""
    return wave.label if chosen else f"{wave.label} (the latest wave with answers)"


# -- Need score ------------------------------------------------------------------------------


@dataclass
class NeedScoreEvidence:
    """The needs summary of the survey's wave, with the row the measure reads."""

    survey: Survey
    wave: Wave
    rows: list[Row]
    row: Row | None
    score_rule: str = SCORE_RULE


def _need_score(measure: Measure, hub: Hub, survey: Survey, wave: Wave, reads: Reads) -> Found:
    area = measure.need_area
    when = wave_words(wave, measure.wave_id is not None)
    if area is None or area.hub_type_id != hub.hub_type_id:
        return Found(None, "", f"'{survey.title}', {when}", missing="choose a need area")
    rows = reads.get(
        ("needs", wave.id), lambda: needs_summary(hub, Filters(survey=survey, wave_id=wave.id))
    )
    row = next((r for r in rows if r.need_area.id == area.id), None)
    source = f"Need score of '{area.name}' in '{survey.title}', {when}"
    evidence = NeedScoreEvidence(survey, wave, rows, row)
    if row is None:
        missing = f"nobody has rated '{area.name}' in {wave.label} yet"
        return Found(None, "", source, missing=missing, evidence=evidence)
    if row.suppressed:
        k = hub.smallest_group
        hidden = (
            f"fewer than {k} people rated it in {wave.label}"
            if row.respondents < k
            else f"set against another view of the summary, it would give away fewer than {k} "
            "people's answers"
        )
        return Found(None, "", source, hidden=hidden, evidence=evidence)
    return Found(row.need_score, "", source, evidence=evidence)


# -- Change in confidence for linked participants --------------------------------------------


@dataclass
class ConfidenceEvidence:
    """The change for each need area of the survey's wave, and the one the measure reads: its
    need area's, or every need area's together."""

    survey: Survey
    wave: Wave
    areas: list[AreaChange]
    overall: AreaChange


def _confidence_change(
    measure: Measure, hub: Hub, survey: Survey, wave: Wave, reads: Reads
) -> Found:
    area = measure.need_area
    if area is not None and area.hub_type_id != hub.hub_type_id:
        return Found(None, "", f"'{survey.title}'", missing="choose a need area of the hub's")
    changes = reads.get(
        ("confidence", wave.id), lambda: confidence_change(survey, wave, hub.smallest_group)
    )
    overall = changes.of(area) if area is not None else changes.overall
    evidence = ConfidenceEvidence(survey, wave, changes.areas, overall)
    what = f"'{area.name}'" if area is not None else "every need area of the survey"
    when = wave_words(wave, measure.wave_id is not None)
    source = (
        f"Change in mean confidence (1 to 5) in {what}, {when} against each person's first "
        f"wave of '{survey.title}', for people who linked their answers with a participant code"
    )
    if overall.hidden:
        hidden = (
            f"fewer than {hub.smallest_group} people linked their answers to an earlier wave"
            if overall.people < hub.smallest_group
            else overall.hidden
        )
        return Found(None, "", source, hidden=hidden, evidence=evidence)
    if overall.change is None:
        missing = (
            f"nobody who answered {wave.label} with a participant code answered an earlier "
            "wave with it"
        )
        return Found(None, "", source, missing=missing, evidence=evidence)
    return Found(overall.change, "", f"{source}: {overall.people} people", evidence=evidence)


# -- Outcome figures -------------------------------------------------------------------------


def _outcome(measure: Measure, survey: Survey, wave: Wave, reads: Reads) -> Found:
    question = measure.question
    when = wave_words(wave, measure.wave_id is not None)
    asked = question is not None and question in survey.questions
    if not asked or question.kind not in outcome.KINDS:
        return Found(None, "%", f"'{survey.title}'", missing="choose a question of the survey")
    standard, problem = outcome.read_standard(question, measure.standard)
    if problem or (question.kind != "number" and not standard):
        missing = "its standard no longer fits the question: edit the measure"
        return Found(None, "%", f"'{survey.title}'", missing=missing)
    evidence = reads.get(
        ("outcome", wave.id, question.id, standard),
        lambda: outcome.outcome_evidence(survey, wave, question, standard),
    )
    source = f"'{question.prompt}' in '{survey.title}', {when}: {evidence.meaning}"
    if evidence.hidden:
        return Found(None, evidence.unit, source, hidden=evidence.hidden, evidence=evidence)
    if evidence.value is None:
        missing = f"no school has sent this figure in {wave.label} yet"
        return Found(None, evidence.unit, source, missing=missing, evidence=evidence)
    counted = f"{evidence.counted} {'school' if evidence.counted == 1 else 'schools'}"
    return Found(evidence.value, evidence.unit, f"{source} ({counted})", evidence=evidence)


# -- Feedback --------------------------------------------------------------------------------


@dataclass
class FeedbackEvidence:
    """The feedback summary's figure for each of the objective's activities, and in all."""

    activities: list[tuple[Activity, Figure]]
    total: Figure


def _feedback(measure: Measure, hub: Hub, reads: Reads) -> Found:
    unit = UNITS["feedback-rating"]
    activities = [a for a in measure.objective.activities if a.hub_id == hub.id]
    count = len(activities)
    source = (
        f"Mean rating of how useful the objective's {count} "
        f"{'activity was' if count == 1 else 'activities were'} (1 to 5), from their feedback"
    )
    if not activities:
        return Found(None, unit, source, missing="no activities are linked to the objective")
    figures = reads.get(("feedback", hub.id), lambda: feedback_figures(hub))
    parts = [figures.by_activity[a.id] for a in activities]
    total = total_of(parts)
    # The feedback page's rule for a total: hidden when too small itself, or when, less the
    # activities shown, it would give away the few ratings of those hidden.
    protect_total(total, parts, hub.smallest_group)
    evidence = FeedbackEvidence(list(zip(activities, parts, strict=True)), total)
    if not total.responses:
        return Found(None, unit, source, missing="no feedback yet", evidence=evidence)
    if total.suppressed:
        k = hub.smallest_group
        hidden = (
            f"fewer than {k} ratings"
            if total.responses < k
            else "it would give away a smaller group's ratings"
        )
        return Found(None, unit, source, hidden=hidden, evidence=evidence)
    return Found(total.mean, unit, f"{source}: {total.responses} ratings", evidence=evidence)


# -- Participation ---------------------------------------------------------------------------


@dataclass
class ParticipationEvidence:
    year: int
    figures: Participation


def _participation(measure: Measure, hub: Hub, today: date, reads: Reads) -> Found:
    year = measure.objective.plan.year
    # Sessions held by the end of `today`, and never in the future.
    now = min(utcnow(), datetime.combine(today, time.max))
    figures = reads.get(
        ("participation", hub.id, year, today),
        lambda: participation(hub, year_starts(year), year_starts(year + 1), now),
    )
    if measure.kind == "schools-active":
        value, what = figures.schools, "Schools reached by the hub's sessions or follow-up"
    else:
        value, what = figures.teachers, "Teachers on the registers of the hub's sessions"
    source = f"{what} in {year_words(year)}, so far"
    return Found(
        float(value),
        UNITS[measure.kind],
        source,
        evidence=ParticipationEvidence(year, figures),
    )
