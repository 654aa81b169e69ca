"""The plan as an XLSX workbook for a funder's review: a sheet per section (About, Objectives,
Measures, SWOT, People, Funding, Costs, Changes), written as the house's other workbooks are
(frozen headings, widths, text never run as a formula). Money is in pounds as numbers with a
currency format; measures' figures are numbers and their due dates real dates."""

from datetime import date, datetime

from hubsurvey.models import Plan
from hubsurvey.plans import evidence, figures, sections
from hubsurvey.plans.changes import plan_changes
from hubsurvey.reports.xlsx import Column, Formatted, Table, sheets, uk_time
from hubsurvey.school_years import today_in_england, year_words
from hubsurvey.vocabulary import COST_KINDS, MEASURE_KINDS, MEASURE_STATES, SWOT_QUADRANTS, TERMS

MONEY = "£#,##0.00"
NOT_JUDGED = "Not judged yet"
NO_BACKUP = "No backup: the hub relies on one person"


def _pounds(pence: int) -> Formatted:
    return Formatted(pence / 100, MONEY)


def _names(records, attribute: str = "name") -> str:
    return "; ".join(getattr(record, attribute) for record in records)


def plan_workbook(plan: Plan, made: datetime, today: date | None = None) -> str:
    """Write the plan's workbook to a temporary file; returns its path (the caller deletes
    it once sent). `made` is UK time."""
    today = today or today_in_england()
    return sheets(
        [
            _about(plan, made),
            _objectives(plan),
            _measures(plan, today),
            _swot(plan),
            _people(plan),
            _funding(plan),
            _costs(plan),
            _changes(plan),
        ]
    )


def _about(plan: Plan, made: datetime) -> Table:
    totals = figures.cost_totals(plan)
    balance = totals.balance
    rows = [
        ("Hub", plan.hub.name),
        ("School year", year_words(plan.year)),
        ("Aims", plan.aims),
        ("How the hub keeps going when a teacher leaves", plan.continuity),
        *(
            (f"Activity planned for {words}", getattr(plan, name))
            for name, words in sections.outlook_years(plan)
        ),
        ("Last reviewed", uk_time(plan.reviewed_at) if plan.reviewed_at else "Not yet"),
        ("Total costs", _pounds(totals.costs)),
        ("Total funding", _pounds(totals.funding)),
        ("Shortfall" if balance < 0 else "Surplus", _pounds(abs(balance))),
        ("Made", made.replace(tzinfo=None)),
        ("Times", "Dates and times are in UK time."),
    ]
    return Table("About", [Column("item", "Item"), Column("value", "Value")], rows)


def _objectives(plan: Plan) -> Table:
    totals = figures.cost_totals(plan)
    columns = [
        Column("number", "Number"),
        Column("objective", "Objective"),
        Column("owner", "Owner"),
        Column("terms", "Terms"),
        Column("need_areas", "Need areas"),
        Column("activities", "Activities that deliver it"),
        Column("costs", "Costs (£)", MONEY),
        Column("measures", "Measures"),
    ]
    rows = [
        (
            objective.position + 1,
            objective.title,
            objective.owner,
            ", ".join(TERMS[term] for term in objective.terms if term in TERMS),
            _names(objective.need_areas),
            _names(objective.activities, "title"),
            totals.of(objective.id) / 100,
            len(objective.measures),
        )
        for objective in plan.objectives
    ]
    return Table("Objectives", columns, rows)


def _measures(plan: Plan, today: date) -> Table:
    columns = [
        Column("objective_number", "Objective number"),
        Column("objective", "Objective"),
        Column("measure", "Measure"),
        Column("kind", "How it is measured"),
        Column("unit", "Unit"),
        Column("baseline", "Baseline"),
        Column("target", "Target"),
        Column("current", "Current"),
        Column("due_on", "Due"),
        Column("status", "Status"),
        Column("rule", "Rule"),
        Column("source", "Where the current value comes from"),
    ]
    rows = []
    reads = evidence.Reads()
    for objective in plan.objectives:
        for measure in objective.measures:
            reading = evidence.read(measure, today, reads)
            rows.append(
                (
                    objective.position + 1,
                    objective.title,
                    measure.title,
                    MEASURE_KINDS.get(measure.kind, measure.kind),
                    reading.unit or measure.unit,
                    measure.baseline,
                    measure.target,
                    None if reading.hidden else reading.value,
                    measure.due_on,
                    MEASURE_STATES.get(reading.status, NOT_JUDGED),
                    reading.rule,
                    reading.hidden or reading.source,
                )
            )
    return Table("Measures", columns, rows)


def _swot(plan: Plan) -> Table:
    rows = [
        (SWOT_QUADRANTS[quadrant], item.text)
        for quadrant, items in sections.swot(plan).items()
        for item in items
    ]
    return Table("SWOT", [Column("quadrant", "Quadrant"), Column("item", "Item")], rows)


def _people(plan: Plan) -> Table:
    columns = [
        Column("role", "Role"),
        Column("name", "Name"),
        Column("backup", "Backup"),
        Column("notes", "Notes"),
        Column("flag", "Flag"),
    ]
    rows = [
        (p.role, p.name, p.backup, p.notes, "" if p.backup else NO_BACKUP)
        for p in sections.key_people(plan)
    ]
    return Table("People", columns, rows)


def _funding(plan: Plan) -> Table:
    columns = [
        Column("source", "Source"),
        Column("amount", "Amount (£)", MONEY),
        Column("ends_on", "Ends on"),
        Column("notes", "Notes"),
        Column("flag", "Flag"),
    ]
    rows = [
        (f.source, f.amount_pence / 100, f.ends_on, f.notes, figures.funding_flag(plan, f))
        for f in sections.funding(plan)
    ]
    return Table("Funding", columns, rows)


def _costs(plan: Plan) -> Table:
    columns = [
        Column("for", "For"),
        Column("kind", "Kind"),
        Column("description", "Description"),
        Column("amount", "Amount (£)", MONEY),
    ]
    rows = [
        (
            f"Objective {c.objective.position + 1}: {c.objective.title}"
            if c.objective
            else "The hub as a whole",
            COST_KINDS[c.kind],
            c.description,
            c.amount_pence / 100,
        )
        for c in sections.costs(plan)
    ]
    return Table("Costs", columns, rows)


def _changes(plan: Plan) -> Table:
    columns = [Column("at", "When (UK time)"), Column("who", "Who"), Column("what", "What")]
    changes, _more = plan_changes(plan, size=100_000)
    rows = [
        (uk_time(change.at), change.user.email if change.user else "", change.what)
        for change in changes
    ]
    return Table("Changes", columns, rows)
