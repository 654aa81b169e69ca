"""The plan's sections beside its objectives: the SWOT, the key people and their backups,
funding and costs, and its words (aims, how the hub keeps going, the three-year outlook). Each
change is logged (changes.py)."""

from datetime import date

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import Cost, Funding, KeyPerson, Objective, Plan, SwotItem, User
from hubsurvey.plans.changes import differences, log, objective_words, short
from hubsurvey.plans.money import pounds
from hubsurvey.school_years import year_words
from hubsurvey.vocabulary import COST_KINDS, SWOT_QUADRANTS

# The plan's free-text parts, with the words the change log uses for each.
WORDS = {
    "aims": "Aims",
    "continuity": "How the hub keeps going when a teacher leaves",
    "outlook_1": "Outlook",
    "outlook_2": "Outlook",
    "outlook_3": "Outlook",
}


def outlook_years(plan: Plan) -> list[tuple[str, str]]:
    """The three-year outlook's fields with the school years they cover."""
    return [(f"outlook_{n}", year_words(plan.year + n - 1)) for n in (1, 2, 3)]


# The SWOT


def swot_items(plan: Plan) -> list[SwotItem]:
    return list(
        db.session.scalars(
            db.select(SwotItem)
            .where(SwotItem.plan_id == plan.id)
            .order_by(SwotItem.position, SwotItem.id)
        )
    )


def swot(plan: Plan) -> dict[str, list[SwotItem]]:
    """The four lists, in the SWOT's order."""
    lists = {quadrant: [] for quadrant in SWOT_QUADRANTS}
    for item in swot_items(plan):
        lists[item.quadrant].append(item)
    return lists


def find_swot_item(plan: Plan, item_id: int) -> SwotItem | None:
    return db.session.scalar(
        db.select(SwotItem).where(SwotItem.id == item_id, SwotItem.plan_id == plan.id)
    )


def _one(quadrant: str) -> str:
    """One item of a quadrant: "Strength", "Weakness", "Opportunity", "Threat"."""
    return quadrant.capitalize()


def add_swot_item(plan: Plan, quadrant: str, text: str, by: User | None) -> SwotItem:
    position = db.session.scalar(
        db.select(func.count(SwotItem.id)).where(
            SwotItem.plan_id == plan.id, SwotItem.quadrant == quadrant
        )
    )
    item = SwotItem(plan_id=plan.id, quadrant=quadrant, text=text, position=position)
    db.session.add(item)
    log(plan, f"{_one(quadrant)} added: '{short(text)}'", by, "SWOT item added")
    db.session.commit()
    return item


def remove_swot_item(plan: Plan, item: SwotItem, by: User | None) -> None:
    db.session.delete(item)
    log(plan, f"{_one(item.quadrant)} removed: '{short(item.text)}'", by, "SWOT item removed")
    db.session.commit()


# Key people


def key_people(plan: Plan) -> list[KeyPerson]:
    return list(
        db.session.scalars(
            db.select(KeyPerson).where(KeyPerson.plan_id == plan.id).order_by(KeyPerson.id)
        )
    )


def find_person(plan: Plan, person_id: int) -> KeyPerson | None:
    return db.session.scalar(
        db.select(KeyPerson).where(KeyPerson.id == person_id, KeyPerson.plan_id == plan.id)
    )


def save_person(
    plan: Plan,
    person: KeyPerson | None,
    by: User | None,
    *,
    role: str,
    name: str,
    backup: str,
    notes: str,
) -> KeyPerson:
    """Add or change a key person. The log names the role, never the people."""
    if person is None:
        person = KeyPerson(plan_id=plan.id, role=role, name=name, backup=backup, notes=notes)
        db.session.add(person)
        log(plan, f"Key person added: '{short(role)}'", by, "Key person added")
    else:
        changed = differences(
            person, {"role": role, "name": name, "backup": backup, "notes": notes}
        )
        if changed:
            log(
                plan,
                f"Key person '{short(role)}': {', '.join(changed)}",
                by,
                "Key person changed",
            )
    db.session.commit()
    return person


def remove_person(plan: Plan, person: KeyPerson, by: User | None) -> None:
    db.session.delete(person)
    log(plan, f"Key person removed: '{short(person.role)}'", by, "Key person removed")
    db.session.commit()


# Funding and costs


def funding(plan: Plan) -> list[Funding]:
    return list(
        db.session.scalars(
            db.select(Funding)
            .where(Funding.plan_id == plan.id)
            .order_by(Funding.ends_on.is_(None), Funding.ends_on, Funding.id)
        )
    )


def find_funding(plan: Plan, funding_id: int) -> Funding | None:
    return db.session.scalar(
        db.select(Funding).where(Funding.id == funding_id, Funding.plan_id == plan.id)
    )


def save_funding(
    plan: Plan,
    source: Funding | None,
    by: User | None,
    *,
    name: str,
    amount_pence: int,
    ends_on: date | None,
    notes: str,
) -> Funding:
    ending = f", ending {ends_on:%-d %B %Y}" if ends_on else ""
    if source is None:
        source = Funding(
            plan_id=plan.id, source=name, amount_pence=amount_pence, ends_on=ends_on, notes=notes
        )
        db.session.add(source)
        log(
            plan,
            f"Funding added: '{short(name)}', {pounds(amount_pence)}{ending}",
            by,
            "Funding added",
        )
    else:
        was = source.amount_pence
        changed = differences(
            source,
            {"source": name, "amount_pence": amount_pence, "ends_on": ends_on, "notes": notes},
        )
        words = [
            f"amount changed from {pounds(was)} to {pounds(amount_pence)}"
            if each == "amount pence changed"
            else each.replace("ends on", "end date").replace("source", "name")
            for each in changed
        ]
        if words:
            log(plan, f"Funding '{short(name)}': {', '.join(words)}", by, "Funding changed")
    db.session.commit()
    return source


def remove_funding(plan: Plan, source: Funding, by: User | None) -> None:
    db.session.delete(source)
    log(plan, f"Funding removed: '{short(source.source)}'", by, "Funding removed")
    db.session.commit()


def costs(plan: Plan) -> list[Cost]:
    """The plan's costs: the hub's as a whole first, then each objective's, by kind."""
    kinds = list(COST_KINDS)
    rows = db.session.scalars(db.select(Cost).where(Cost.plan_id == plan.id)).all()
    order = {objective.id: objective.position for objective in plan.objectives}
    return sorted(
        rows,
        key=lambda c: (
            -1 if c.objective_id is None else order.get(c.objective_id, 0),
            kinds.index(c.kind),
            c.id,
        ),
    )


def find_cost(plan: Plan, cost_id: int) -> Cost | None:
    return db.session.scalar(db.select(Cost).where(Cost.id == cost_id, Cost.plan_id == plan.id))


def cost_for_words(objective: Objective | None) -> str:
    return objective_words(objective) if objective else "the hub as a whole"


def save_cost(
    plan: Plan,
    cost: Cost | None,
    by: User | None,
    *,
    objective: Objective | None,
    kind: str,
    description: str,
    amount_pence: int,
) -> Cost:
    what = f"{COST_KINDS[kind]}, {pounds(amount_pence)}"
    if cost is None:
        cost = Cost(
            plan_id=plan.id,
            objective=objective,
            kind=kind,
            description=description,
            amount_pence=amount_pence,
        )
        db.session.add(cost)
        log(plan, f"Cost added for {cost_for_words(objective)}: {what}", by, "Cost added")
    else:
        was = pounds(cost.amount_pence)
        changed = differences(
            cost,
            {
                "objective_id": objective.id if objective else None,
                "kind": kind,
                "description": description,
                "amount_pence": amount_pence,
            },
        )
        cost.objective = objective
        words = [
            {
                "objective id changed": "moved",
                "amount pence changed": f"amount changed from {was}",
            }.get(each, each)
            for each in changed
        ]
        if words:
            log(
                plan,
                f"Cost for {cost_for_words(objective)} ({what}): {', '.join(words)}",
                by,
                "Cost changed",
            )
    db.session.commit()
    return cost


def remove_cost(plan: Plan, cost: Cost, by: User | None) -> None:
    what = f"{COST_KINDS[cost.kind]}, {pounds(cost.amount_pence)}"
    db.session.delete(cost)
    log(plan, f"Cost removed from {cost_for_words(cost.objective)}: {what}", by, "Cost removed")
    db.session.commit()


# The plan's words


def save_words(plan: Plan, values: dict[str, str], by: User | None) -> list[str]:
    """Save the aims, continuity or outlook; returns the parts that changed."""
    years = dict(outlook_years(plan))
    changed = []
    for field, value in values.items():
        if getattr(plan, field) != value:
            setattr(plan, field, value)
            label = WORDS[field] + (f" for {years[field]}" if field in years else "")
            changed.append(label)
    if changed:
        log(plan, f"{', '.join(changed)} changed", by, f"{', '.join(changed)} changed")
        db.session.commit()
    return changed
