"""The demo's plan: this school year's sustainability and impact plan for a demo hub, from the
hub's starting point, with an objective for each need its activities address and measures
bound to the evidence the demo made, so that the plan shows each status a lead will meet.

A bound measure's figure is whatever the demo's answers, feedback and outcomes give. So its
baseline and target are set around that figure, with the plan's own rule (plans/progress.py),
for the status it is meant to show today: on track, at risk or off track. Measures with no
target, or no baseline, show why they are not judged."""

from datetime import date, timedelta

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, Measure, NeedArea, Objective, Plan, Survey
from hubsurvey.plans import starting_points
from hubsurvey.plans.evidence import read
from hubsurvey.plans.measures import MeasureDetails, add_measure
from hubsurvey.plans.services import add_objective, save_objective, start_plan
from hubsurvey.school_years import school_year, year_starts
from hubsurvey.vocabulary import TERMS

# How far the target is from the baseline, for each kind of figure (a need score's: most of
# the way from its figure to none).
SPAN = {
    "confidence-change": 1.0,
    "feedback-rating": 0.8,
    "outcome": 20,
    "schools-active": 6,
    "teachers-attending": 30,
}
# Where the figure stands against the straight line from baseline to target, as a share of
# the span: ahead of it (on track), a little behind (at risk), far behind (off track).
BEHIND = {"on-track": -0.1, "at-risk": 0.125, "off-track": 0.5}
# What a figure of each kind can be.
RANGE = {"need-score": (0, 100), "feedback-rating": (1, 5), "outcome": (0, 100)}
OWNERS = ["Hub lead", "Specialist leader of education", "Lead practitioner"]


def plan(hub: Hub, needs_survey: Survey, activities: list[Activity], today: date) -> Plan:
    """This school year's plan for the hub, with an objective for each need area its
    activities target (the needs assessment's greatest needs) and measures in every state."""
    year = school_year(today)
    made, _new = start_plan(hub, year, None, with_objectives=False)
    areas: list[NeedArea] = []
    for activity in activities:
        areas.extend(a for a in activity.need_areas if a not in areas)
    objectives = [_objective(made, hub, area, activities, n) for n, area in enumerate(areas)]
    due = _due(year, today)
    first = objectives[0]
    _bound(first, "need-score", "on-track", today, due, survey=needs_survey, need_area=areas[0])
    _bound(
        first, "confidence-change", "on-track", today, due, survey=needs_survey, need_area=areas[0]
    )
    _bound(first, "feedback-rating", "at-risk", today, due)
    # No target yet: the lead has still to agree one with the board.
    _add(first, "teachers-attending", "Teachers attending the hub's sessions")
    second = objectives[-1]
    if second is not first:
        _bound(
            second, "need-score", "off-track", today, due, survey=needs_survey, need_area=areas[-1]
        )
    outcomes = db.session.scalar(
        db.select(Survey)
        .where(Survey.hub_id == hub.id, Survey.kind == "outcomes")
        .order_by(Survey.id.desc())
    )
    if outcomes is not None:
        share = next(q for q in outcomes.questions if q.settings.get("unit") == "%")
        _bound(
            second,
            "outcome",
            "at-risk",
            today,
            due,
            survey=outcomes,
            question=share,
            standard="70",
            title="Schools where 70% of pupils or more meet the expected standard",
        )
    # A target but no baseline: progress towards it cannot be judged until one is set.
    schools = _add(second, "schools-active", "Partner schools taking part this year")
    schools.target = 8
    db.session.commit()
    return made


def _objective(made: Plan, hub: Hub, area: NeedArea, activities: list[Activity], n: int):
    title = starting_points.objective_title(hub.hub_type.category, area.name)
    objective = add_objective(made, title, None, need_areas=[area])
    save_objective(
        objective,
        None,
        title=title,
        owner=OWNERS[n % len(OWNERS)],
        terms=list(TERMS),
        need_areas=[area],
        activities=[a for a in activities if area in a.need_areas],
    )
    return objective


def _due(year: int, today: date) -> date:
    """Due at the end of the summer term, or a month on if that is near."""
    end_of_term = date(year + 1, 7, 16)
    return end_of_term if today + timedelta(days=30) < end_of_term else today + timedelta(days=30)


def _add(objective: Objective, kind: str, title: str = "", **binding) -> Measure:
    details = MeasureDetails(
        objective=objective,
        title=title or _title(kind, binding),
        kind=kind,
        higher_is_better=kind != "need-score",
        **binding,
    )
    return add_measure(details, None)


def _title(kind: str, binding: dict) -> str:
    area = binding.get("need_area")
    if kind == "need-score":
        return f"Fewer teachers needing support with {area.name.lower()}"
    if kind == "confidence-change":
        return f"Teachers more confident in {area.name.lower()}"
    return "Sessions rated useful"


def _bound(objective, kind, state, today, due, title="", **binding) -> None:
    """A measure bound to evidence, with a baseline and target that put today's figure in
    `state` by the plan's rule (a figure the evidence cannot give is not judged)."""
    measure = _add(objective, kind, title, **binding)
    value = read(measure, today).value
    if value is None:
        return
    better = 1 if measure.higher_is_better else -1
    start = year_starts(objective.plan.year)
    done = max((today - start).days, 1) / max((due - start).days, 1)
    size = max(value, 5) * 0.6 if kind == "need-score" else SPAN[kind]
    span = size * better
    # The line stands at value + behind today: baseline + span x done = value + behind.
    behind = BEHIND[state] * size * better
    baseline = value + behind - span * done
    low, high = RANGE.get(kind, (None, None))
    measure.baseline = _within(round(baseline, 1), low, high)
    measure.target = _within(round(baseline + span, 1), low, high)
    measure.due_on = due
    db.session.commit()


def _within(figure: float, low: float | None, high: float | None) -> float:
    """A figure kept to what its kind can be: a rating from 1 to 5, a share up to 100."""
    if low is not None:
        figure = max(figure, low)
    return min(figure, high) if high is not None else figure
