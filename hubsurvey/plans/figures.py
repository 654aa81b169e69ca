"""The plan's figures: costs by kind per objective and for the hub as a whole, against its
funding; funding that ends within the plan's year; and how many of each objective's measures
are on track, for the board."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import Cost, Funding, Hub, Objective, Plan
from hubsurvey.plans import evidence
from hubsurvey.school_years import school_year, today_in_england, year_ends, year_starts
from hubsurvey.vocabulary import COST_KINDS, MEASURE_STATES


@dataclass
class CostTotals:
    """Sums in whole pence. `cells` holds (objective id, or None for the hub as a whole,
    cost kind) -> sum; only what the plan has."""

    cells: dict[tuple[int | None, str], int]
    funding: int

    def of(self, objective_id: int | None, kind: str | None = None) -> int:
        return sum(
            total
            for (owner, each), total in self.cells.items()
            if owner == objective_id and kind in (None, each)
        )

    def kind(self, kind: str) -> int:
        return sum(total for (_owner, each), total in self.cells.items() if each == kind)

    @property
    def costs(self) -> int:
        return sum(self.cells.values())

    @property
    def balance(self) -> int:
        """Funding less costs: a surplus above nought, a shortfall below."""
        return self.funding - self.costs

    @property
    def kinds(self) -> list[str]:
        """The kinds of cost the plan has, in the usual order."""
        used = {each for _owner, each in self.cells}
        return [kind for kind in COST_KINDS if kind in used]


def cost_totals(plan: Plan) -> CostTotals:
    """The plan's costs summed per objective and kind, and its funding summed, in SQL."""
    rows = db.session.execute(
        db.select(Cost.objective_id, Cost.kind, func.sum(Cost.amount_pence))
        .where(Cost.plan_id == plan.id)
        .group_by(Cost.objective_id, Cost.kind)
    )
    funding = db.session.scalar(
        db.select(func.coalesce(func.sum(Funding.amount_pence), 0)).where(
            Funding.plan_id == plan.id
        )
    )
    return CostTotals(
        cells={(objective_id, kind): int(total) for objective_id, kind, total in rows},
        funding=int(funding),
    )


def funding_flag(plan: Plan, source: Funding) -> str:
    """Why a source of funding needs thought, in words; "" when it runs past the plan's year."""
    if source.ends_on is None:
        return ""
    if source.ends_on < year_starts(plan.year):
        return "Ended before this plan's year"
    if source.ends_on <= year_ends(plan.year).date():
        return "Ends within this plan's year"
    return ""


@dataclass
class ObjectiveStatus:
    objective: Objective
    # A count per key of MEASURE_STATES, and "unjudged" for measures with no status yet.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def measures(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanStatus:
    plan: Plan
    objectives: list[ObjectiveStatus]

    def total(self, state: str) -> int:
        return sum(each.counts.get(state, 0) for each in self.objectives)

    @property
    def measures(self) -> int:
        return sum(each.measures for each in self.objectives)


def plan_status(plan: Plan, today: date) -> PlanStatus:
    """Each objective with how many of its measures are on track, at risk or off track
    today (or not judged yet), as the measures' own pages state them."""
    objectives = []
    reads = evidence.Reads()
    for objective in plan.objectives:
        counts = dict.fromkeys([*MEASURE_STATES, "unjudged"], 0)
        for measure in objective.measures:
            status = evidence.read(measure, today, reads).status
            counts[status if status in MEASURE_STATES else "unjudged"] += 1
        objectives.append(ObjectiveStatus(objective, counts))
    return PlanStatus(plan, objectives)


def board_status(hub: Hub, today: date | None = None) -> PlanStatus | None:
    """The status of the hub's plan for the school year it is now, for the board report."""
    today = today or today_in_england()
    plan = db.session.scalar(
        db.select(Plan).where(Plan.hub_id == hub.id, Plan.year == school_year(today))
    )
    return plan_status(plan, today) if plan else None
