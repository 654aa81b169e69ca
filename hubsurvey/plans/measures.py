"""A plan's measures: finding them within a hub's plan, and adding, changing and removing
them, each change written to the plan's change log and the audit trail (changes.log, as every
other change to the plan is)."""

from dataclasses import dataclass, fields
from datetime import date

from hubsurvey.extensions import db
from hubsurvey.models import Measure, NeedArea, Objective, Plan, Question, Survey, User, Wave
from hubsurvey.plans.changes import log, objective_words, short


def find_measure(plan: Plan, measure_id: int) -> Measure | None:
    return db.session.scalar(
        db.select(Measure)
        .join(Objective, Objective.id == Measure.objective_id)
        .where(Measure.id == measure_id, Objective.plan_id == plan.id)
    )


@dataclass
class MeasureDetails:
    """What a measure's form gives: the fields of a Measure, for an objective. It reads
    evidence as a saved measure would (evidence.find), before it is saved."""

    objective: Objective
    title: str
    kind: str
    higher_is_better: bool = True
    baseline: float | None = None
    target: float | None = None
    due_on: date | None = None
    unit: str = ""
    current: float | None = None
    survey: Survey | None = None
    wave: Wave | None = None
    need_area: NeedArea | None = None
    question: Question | None = None
    standard: str = ""

    @property
    def wave_id(self) -> int | None:
        return self.wave.id if self.wave is not None else None


# The fields a change names in the plan's change log, in the words of the form.
CHANGED_WORDS = {
    "title": "title",
    "kind": "what it reads",
    "higher_is_better": "direction",
    "baseline": "baseline",
    "target": "target",
    "due_on": "due date",
    "unit": "unit",
    "current": "current value",
    "survey": "survey",
    "wave": "wave",
    "need_area": "need area",
    "question": "question",
    "standard": "standard",
}


def _name(title: str) -> str:
    """A measure as the change log names it: "Measure 'Schools active'" (a long title cut
    short, as the log cuts an objective's)."""
    return f"Measure '{short(title)}'"


def add_measure(details: MeasureDetails, user: User | None) -> Measure:
    objective = details.objective
    measure = Measure(
        objective=objective,
        position=max((m.position for m in objective.measures), default=-1) + 1,
    )
    _apply(measure, details)
    db.session.add(measure)
    log(
        objective.plan,
        f"{_name(measure.title)} added to {objective_words(objective)}",
        user,
        "Measure added",
    )
    db.session.commit()
    return measure


def update_measure(measure: Measure, details: MeasureDetails, user: User | None) -> list[str]:
    """Change the measure; returns what changed, in words (nothing logged if nothing did)."""
    before = {name: getattr(measure, name) for name in CHANGED_WORDS}
    _apply(measure, details)
    changed = [
        words for name, words in CHANGED_WORDS.items() if getattr(measure, name) != before[name]
    ]
    if changed:
        what = f"{', '.join(changed)} changed"
        plan = measure.objective.plan
        log(plan, f"{_name(before['title'])}: {what}", user, f"Measure: {what}")
    db.session.commit()
    return changed


def remove_measure(measure: Measure, user: User | None) -> None:
    objective = measure.objective
    what = f"{_name(measure.title)} removed from {objective_words(objective)}"
    log(objective.plan, what, user, "Measure removed")
    objective.measures.remove(measure)
    db.session.delete(measure)
    db.session.commit()


def _apply(measure: Measure, details: MeasureDetails) -> None:
    for each in fields(MeasureDetails):
        if each.name != "objective":
            setattr(measure, each.name, getattr(details, each.name))
