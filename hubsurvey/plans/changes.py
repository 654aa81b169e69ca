"""The plan's change log: every change to a plan, who made it and when, in words a lead reads
("Objective 2 'Reading fluency': owner changed, need areas changed"). Each is also audited as
"plan-changed" with only the kind of change: the audit log never holds what was typed, nor
anyone's name."""

from sqlalchemy.orm import selectinload

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import Objective, Plan, PlanChange, User, utcnow
from hubsurvey.school_years import year_words


def short(text: str, limit: int = 80) -> str:
    """Typed text as the log quotes it: on one line, and not too long to read."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def objective_words(objective: Objective) -> str:
    """An objective as the log names it: "Objective 2 'Reading fluency'"."""
    return f"Objective {objective.position + 1} '{short(objective.title)}'"


def differences(record_, values: dict) -> list[str]:
    """Set the record's fields; return "name changed" for each that differed."""
    changed = []
    for field, value in values.items():
        if getattr(record_, field) != value:
            setattr(record_, field, value)
            changed.append(f"{field.replace('_', ' ')} changed")
    return changed


def log(plan: Plan, what: str, by: User | None, kind: str) -> None:
    """Log a change in the caller's transaction: in the plan's own log in words, in the
    audit log by its kind only ("Objective 2: owner changed")."""
    db.session.add(PlanChange(plan_id=plan.id, user_id=by.id if by else None, what=what[:500]))
    plan.updated_at = utcnow()
    record(
        "plan-changed",
        hub=plan.hub,
        target=f"plan {plan.id}: {year_words(plan.year)}",
        detail=kind,
        user=by,
    )


def plan_changes(plan: Plan, page: int = 1, size: int = 50) -> tuple[list[PlanChange], bool]:
    """A page of the change log, latest first, and whether older changes follow."""
    rows = db.session.scalars(
        db.select(PlanChange)
        .options(selectinload(PlanChange.user))  # each change names who made it
        .where(PlanChange.plan_id == plan.id)
        .order_by(PlanChange.at.desc(), PlanChange.id.desc())
        .offset((page - 1) * size)
        .limit(size + 1)
    ).all()
    return list(rows[:size]), len(rows) > size
