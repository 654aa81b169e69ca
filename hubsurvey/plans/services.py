"""The plan itself: finding a year's plan, starting one (from the starting point for the
hub's kind, or from last year's), and its objectives. Its other sections are in sections.py;
every change is logged (changes.py)."""

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Cost,
    Funding,
    Hub,
    KeyPerson,
    Measure,
    NeedArea,
    Objective,
    Plan,
    SwotItem,
    User,
)
from hubsurvey.plans import starting_points
from hubsurvey.plans.changes import log, objective_words, short
from hubsurvey.plans.sections import costs, funding, key_people, swot_items
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.school_years import this_year, today_in_england, year_starts, year_words
from hubsurvey.vocabulary import TERMS

# Finding plans


def hub_plans(hub: Hub) -> list[Plan]:
    """The hub's plans, the latest school year first."""
    return list(
        db.session.scalars(db.select(Plan).where(Plan.hub_id == hub.id).order_by(Plan.year.desc()))
    )


def find_plan(hub: Hub, year: int) -> Plan | None:
    return db.session.scalar(db.select(Plan).where(Plan.hub_id == hub.id, Plan.year == year))


def years_to_start(hub: Hub, now: datetime | None = None) -> list[int]:
    """This school year and the next (leads plan ahead in the summer term), without a plan."""
    first = this_year(now)
    taken = {plan.year for plan in hub_plans(hub)}
    return [year for year in (first, first + 1) if year not in taken]


# Starting a plan


def start_plan(
    hub: Hub,
    year: int,
    by: User | None,
    copy_from: Plan | None = None,
    with_objectives: bool = True,
    now: datetime | None = None,
) -> tuple[Plan, bool]:
    """The hub's plan for `year`, and whether it was made now: copied from `copy_from`, or
    from the starting point for the hub's kind. A plan already there (a second click, or
    another lead at the same moment) is returned as it is: one plan per hub per year."""
    plan, made = _new_plan(hub, year, by, copy_from, with_objectives, now)
    db.session.commit()
    return plan, made


def _new_plan(
    hub: Hub,
    year: int,
    by: User | None,
    copy_from: Plan | None = None,
    with_objectives: bool = True,
    now: datetime | None = None,
) -> tuple[Plan, bool]:
    """start_plan's work, in the caller's transaction: the caller commits."""
    plan = Plan(hub_id=hub.id, year=year)
    try:
        with db.session.begin_nested():
            db.session.add(plan)
    except IntegrityError:
        return find_plan(hub, year), False
    if copy_from is not None:
        _copy(plan, copy_from, now or datetime.now())
        words = f"Plan started from the plan for {year_words(copy_from.year)}"
    else:
        _from_starting_point(plan, hub, with_objectives)
        words = f"Plan started from the starting point for a {hub.hub_type.name.lower()}"
    log(plan, words, by, "Plan started")
    return plan, True


def top_need_areas(hub: Hub, count: int) -> list[NeedArea]:
    """The hub's top needs by need score, then its framework's need areas in order."""
    ranked = sorted((row for row in needs_summary(hub, Filters()) if row.rank), key=_rank)
    areas = [row.need_area for row in ranked]
    areas += [area for area in hub.hub_type.need_areas if area not in areas]
    return areas[:count]


def _rank(row) -> int:
    return row.rank


def _from_starting_point(plan: Plan, hub: Hub, with_objectives: bool) -> None:
    category = hub.hub_type.category
    point = starting_points.for_category(category)
    plan.aims = point.aims
    if with_objectives:
        for position, area in enumerate(top_need_areas(hub, starting_points.OBJECTIVES)):
            plan.objectives.append(
                Objective(
                    title=starting_points.objective_title(category, area.name),
                    terms=list(TERMS),
                    position=position,
                    need_areas=[area],
                )
            )
    db.session.add_all(KeyPerson(plan_id=plan.id, role=role, name="") for role in point.roles)


def _a_year_on(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _copy(plan: Plan, last: Plan, now: datetime) -> None:
    """Last year's plan carried into this one: objectives with their need areas, owners,
    terms, activities still to come, measures (bound as they were, targets a year on, no typed
    value yet) and costs; the SWOT; key people; funding still running. The outlook moves on a
    year."""
    plan.aims, plan.continuity = last.aims, last.continuity
    plan.outlook_1, plan.outlook_2, plan.outlook_3 = last.outlook_2, last.outlook_3, ""
    copied: dict[int, Objective] = {}
    for old in last.objectives:
        new = Objective(
            title=old.title,
            owner=old.owner,
            terms=list(old.terms),
            position=old.position,
            need_areas=list(old.need_areas),
            # Past activities delivered last year's plan, not this one.
            activities=[a for a in old.activities if a.starts_at >= now],
        )
        new.measures = [_copied_measure(measure) for measure in old.measures]
        plan.objectives.append(new)
        copied[old.id] = new
    for item in swot_items(last):
        db.session.add(
            SwotItem(
                plan_id=plan.id, quadrant=item.quadrant, text=item.text, position=item.position
            )
        )
    for person in key_people(last):
        db.session.add(
            KeyPerson(
                plan_id=plan.id,
                role=person.role,
                name=person.name,
                backup=person.backup,
                notes=person.notes,
            )
        )
    running_from = max(today_in_england(), year_starts(plan.year))
    for source in funding(last):
        if source.ends_on is None or source.ends_on >= running_from:
            db.session.add(
                Funding(
                    plan_id=plan.id,
                    source=source.source,
                    amount_pence=source.amount_pence,
                    ends_on=source.ends_on,
                    notes=source.notes,
                )
            )
    for cost in costs(last):
        db.session.add(
            Cost(
                plan_id=plan.id,
                objective=copied.get(cost.objective_id),
                kind=cost.kind,
                description=cost.description,
                amount_pence=cost.amount_pence,
            )
        )


def _copied_measure(old: Measure) -> Measure:
    return Measure(
        title=old.title,
        kind=old.kind,
        unit=old.unit,
        higher_is_better=old.higher_is_better,
        baseline=old.baseline,
        target=old.target,
        due_on=_a_year_on(old.due_on),
        current=None,
        survey_id=old.survey_id,
        wave_id=old.wave_id,
        need_area_id=old.need_area_id,
        question_id=old.question_id,
        standard=old.standard,
        position=old.position,
    )


def objective_for_need(hub: Hub, area: NeedArea, by: User | None) -> Objective:
    """This school year's objective for a need area, from the needs summary: the plan is
    started if there is none (from the starting point, with no other objectives), and an
    objective titled from the need area is added, unless that one is there already. One
    transaction: a plan is never left started without the objective asked for."""
    year = this_year()
    plan = find_plan(hub, year) or _new_plan(hub, year, by, with_objectives=False)[0]
    title = starting_points.objective_title(hub.hub_type.category, area.name)
    for objective in plan.objectives:
        if objective.title == title and area in objective.need_areas:
            return objective
    objective = _new_objective(plan, title, by, [area])
    db.session.commit()
    return objective


# Objectives


def find_objective(plan: Plan, objective_id: int) -> Objective | None:
    return db.session.scalar(
        db.select(Objective).where(Objective.id == objective_id, Objective.plan_id == plan.id)
    )


def add_objective(
    plan: Plan, title: str, by: User | None, need_areas: list[NeedArea] = ()
) -> Objective:
    objective = _new_objective(plan, title, by, need_areas)
    db.session.commit()
    return objective


def _new_objective(plan: Plan, title: str, by: User | None, need_areas: list[NeedArea]):
    """add_objective's work, in the caller's transaction: the caller commits."""
    objective = Objective(
        title=title, position=len(plan.objectives), terms=[], need_areas=list(need_areas)
    )
    plan.objectives.append(objective)
    db.session.flush()
    log(plan, f"{objective_words(objective)} added", by, "Objective added")
    return objective


def save_objective(
    objective: Objective,
    by: User | None,
    *,
    title: str,
    owner: str,
    terms: list[str],
    need_areas: list[NeedArea],
    activities: list[Activity],
) -> list[str]:
    """Save the objective; returns what changed, in words (none: nothing is logged)."""
    terms = [term for term in TERMS if term in terms]
    changed = [
        words
        for words, before, after in (
            ("title changed", objective.title, title),
            ("owner changed", objective.owner, owner),
            ("terms changed", objective.terms, terms),
            ("need areas changed", _ids(objective.need_areas), _ids(need_areas)),
            ("activities changed", _ids(objective.activities), _ids(activities)),
        )
        if before != after
    ]
    if not changed:
        return []
    was = objective.title
    objective.title, objective.owner, objective.terms = title, owner, terms
    objective.need_areas, objective.activities = list(need_areas), list(activities)
    what = f"{objective_words(objective)}: {', '.join(changed)}"
    if title != was:
        what += f" (was '{short(was)}')"
    log(objective.plan, what, by, f"Objective {objective.position + 1}: {', '.join(changed)}")
    db.session.commit()
    return changed


def remove_objective(objective: Objective, by: User | None) -> None:
    """Remove the objective with its measures and its costs; the others are numbered again."""
    plan = objective.plan
    words = objective_words(objective)
    for cost in list(objective.costs):
        db.session.delete(cost)
    db.session.flush()
    plan.objectives.remove(objective)  # deleted as an orphan, with its measures
    for position, each in enumerate(plan.objectives):
        each.position = position
    log(plan, f"{words} removed, with its measures and costs", by, "Objective removed")
    db.session.commit()


def hub_activities(hub: Hub, plan: Plan, objective: Objective) -> list[Activity]:
    """The activities an objective may be delivered by: the hub's in the plan's school year,
    and any already linked."""
    # Activities' times are the wall clock's, as typed: from 1 September to 31 August.
    start = datetime.combine(year_starts(plan.year), datetime.min.time())
    end = datetime.combine(year_starts(plan.year + 1), datetime.min.time())
    chosen = db.session.scalars(
        db.select(Activity)
        .where(Activity.hub_id == hub.id, Activity.starts_at >= start, Activity.starts_at < end)
        .order_by(Activity.starts_at)
    ).all()
    linked = [a for a in objective.activities if a not in chosen]
    return sorted([*chosen, *linked], key=lambda a: a.starts_at)


def _ids(records) -> list[int]:
    return sorted(record.id for record in records)
