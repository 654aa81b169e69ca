"""The plan's pages: the hub's plans by year, a year's plan, its objectives and sections, the
change log, and the plan printed or as a workbook."""

import os

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from hubsurvey.forms import choices
from hubsurvey.inputs import row_id, whole_number
from hubsurvey.models import Plan
from hubsurvey.plans import bp, figures, sections, services, starting_points, workbook
from hubsurvey.plans.changes import plan_changes
from hubsurvey.plans.forms import (
    HUB_AS_A_WHOLE,
    WORDS_FORMS,
    CostForm,
    FundingForm,
    NeedForm,
    NewObjectiveForm,
    ObjectiveForm,
    PersonForm,
    StartForm,
    SwotForm,
)
from hubsurvey.plans.money import pounds, typed
from hubsurvey.plans.review import mark_reviewed, review_prompt
from hubsurvey.reports import about
from hubsurvey.reports import exports as exports_module
from hubsurvey.reports.xlsx import uk_now
from hubsurvey.school_years import this_year, year_words
from hubsurvey.vocabulary import COST_KINDS, SWOT_QUADRANTS, TERMS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGES_SHOWN = 10  # on the plan page; the rest a page at a time
CHANGES_PAGE = 50


@bp.context_processor
def plan_words() -> dict:
    return {
        "pounds": pounds,
        "year_words": year_words,
        "terms": TERMS,
        "cost_kinds": COST_KINDS,
        "swot_quadrants": SWOT_QUADRANTS,
    }


def _me():
    return current_user._get_current_object()


def _plan(year: int) -> Plan:
    return services.find_plan(g.hub, year) or abort(404)


def _objective(plan: Plan, objective_id: int):
    return services.find_objective(plan, objective_id) or abort(404)


def _to_plan(plan: Plan, anchor: str | None = None):
    return redirect(url_for("plans.show", year=plan.year, _anchor=anchor), 303)


# The hub's plans, and starting one


def _startable() -> list[tuple[int, bool]]:
    """The years a plan may be started for, each with whether last year's can be copied."""
    have = {plan.year for plan in services.hub_plans(g.hub)}
    return [(year, year - 1 in have) for year in services.years_to_start(g.hub)]


def _index_page(form: StartForm | None = None) -> str:
    return render_template(
        "plans/index.html",
        plans=services.hub_plans(g.hub),
        years=_startable(),
        this_year=this_year(),
        form=form,
    )


@bp.get("")
def index():
    return _index_page()


@bp.post("/start")
def start():
    startable = _startable()
    form = StartForm(
        years=[year for year, _ in startable],
        copyable=[year for year, copyable in startable if copyable],
    )
    if not form.validate_on_submit():
        existing = services.find_plan(g.hub, whole_number(form.year.data or ""))
        if existing is not None:  # a second click: the plan the first one made
            return _to_plan(existing)
        return _index_page(form), 422
    year = form.chosen_year
    last = services.find_plan(g.hub, year - 1) if form.start.data == "copy" else None
    plan, made = services.start_plan(g.hub, year, _me(), copy_from=last)
    if made:
        flash(f"Started the plan for {year_words(year)}.")
    return _to_plan(plan)


@bp.post("/objectives/from-need")
def from_need():
    """One click from the needs summary's top needs: this year's objective for the need."""
    form = NeedForm(areas=g.hub.hub_type.need_areas)
    if not form.validate_on_submit():
        flash("That need area is not in this hub's framework: choose one from the summary.")
        return redirect(url_for("reports.needs"), 303)
    objective = services.objective_for_need(g.hub, form.area, _me())
    flash(f"Objective for {form.area.name}: say who owns it, when it runs and what delivers it.")
    return redirect(
        url_for("plans.objective", year=objective.plan.year, objective_id=objective.id), 303
    )


# A year's plan


def _plan_context(plan: Plan) -> dict:
    """What the plan page and its printed version show."""
    changes, more = plan_changes(plan, size=CHANGES_SHOWN)
    return {
        "plan": plan,
        "swot": sections.swot(plan),
        "swot_prompts": starting_points.for_category(g.hub.hub_type.category).swot,
        "people": sections.key_people(plan),
        "funding": [(each, figures.funding_flag(plan, each)) for each in sections.funding(plan)],
        "costs": sections.costs(plan),
        "totals": figures.cost_totals(plan),
        "review": review_prompt(plan),
        "changes": changes,
        "more_changes": more,
        "outlook": sections.outlook_years(plan),
        "editing": not current_user.is_viewer,
    }


@bp.get("/<int:year>")
def show(year: int):
    plan = _plan(year)
    return render_template(
        "plans/plan.html", new_objective=NewObjectiveForm(), **_plan_context(plan)
    )


@bp.get("/<int:year>/print")
def printable(year: int):
    """The plan for paper: every section, no controls, with a title block."""
    context = _plan_context(_plan(year)) | {"editing": False}
    return render_template("plans/print.html", **context)


@bp.get("/<int:year>/plan.xlsx")
def download(year: int):
    """The plan as a workbook, a sheet per section; recorded as an export (it names people)."""
    plan = _plan(year)
    made = uk_now()
    exports_module.record(g.hub, _me(), None, "plan", "xlsx", f"year={plan.year}")
    path = workbook.plan_workbook(plan, made)
    name = f"plan-{exports_module.slug(g.hub.name) or 'hub'}-{plan.year}-{made:%Y-%m-%d}.xlsx"
    response = send_file(path, mimetype=XLSX)
    response.headers.update(
        {"Content-Disposition": about.disposition(name), "Cache-Control": "no-store"}
    )
    response.call_on_close(lambda: os.remove(path))
    return response


@bp.get("/<int:year>/changes")
def changes(year: int):
    plan = _plan(year)
    page = request.args.get("page", 1, type=row_id) or 1
    rows, more = plan_changes(plan, page, CHANGES_PAGE)
    return render_template("plans/changes.html", plan=plan, changes=rows, more=more, page=page)


@bp.route("/<int:year>/<any(aims, continuity, outlook):part>", methods=["GET", "POST"])
def words(year: int, part: str):
    """The aims, how the hub keeps going, or the three-year outlook."""
    plan = _plan(year)
    form = WORDS_FORMS[part](obj=plan)
    if part == "outlook":
        form.label_years(sections.outlook_years(plan))
    if form.validate_on_submit():
        values = {name: value for name, value in form.data.items() if name != "csrf_token"}
        changed = sections.save_words(plan, values, _me())
        flash(f"Saved: {', '.join(changed).lower()}." if changed else "Nothing was changed.")
        return _to_plan(plan, part)
    page = render_template("plans/words.html", plan=plan, form=form, part=part)
    return page, 422 if form.errors else 200


@bp.post("/<int:year>/review")
def review(year: int):
    plan = _plan(year)
    mark_reviewed(plan, _me())
    flash("Marked the plan as reviewed.")
    return _to_plan(plan, "review")


# Objectives


@bp.post("/<int:year>/objectives/new")
def new_objective(year: int):
    plan = _plan(year)
    form = NewObjectiveForm()
    if form.validate_on_submit():
        objective = services.add_objective(plan, form.title.data, _me())
        flash(f"Added objective {objective.position + 1}.")
        return redirect(url_for("plans.objective", year=year, objective_id=objective.id), 303)
    page = render_template("plans/plan.html", new_objective=form, **_plan_context(plan))
    return page, 422


@bp.route("/<int:year>/objectives/<int:objective_id>", methods=["GET", "POST"])
def objective(year: int, objective_id: int):
    """An objective's page: what it is, who owns it, when, for which needs, delivered by
    which activities; its costs and its measures."""
    plan = _plan(year)
    objective = _objective(plan, objective_id)
    areas = g.hub.hub_type.need_areas
    activities = services.hub_activities(g.hub, plan, objective)
    # Not filled from the objective when sent: a field left out is empty, never the old value.
    form = ObjectiveForm()
    form.need_areas.choices = choices((a.id, a.name) for a in areas)
    form.activities.choices = choices(
        (a.id, f"{a.title} ({a.starts_at:%-d %b %Y})") for a in activities
    )
    if not form.is_submitted():
        form.title.data, form.owner.data = objective.title, objective.owner
        form.terms.data = list(objective.terms)
        form.need_areas.data = [a.id for a in objective.need_areas]
        form.activities.data = [a.id for a in objective.activities]
    if form.validate_on_submit():
        changed = services.save_objective(
            objective,
            _me(),
            title=form.title.data,
            owner=form.owner.data or "",
            terms=form.terms.data or [],
            need_areas=[a for a in areas if a.id in (form.need_areas.data or [])],
            activities=[a for a in activities if a.id in (form.activities.data or [])],
        )
        flash(f"Saved objective {objective.position + 1}." if changed else "Nothing was changed.")
        return _to_plan(plan, f"objective-{objective.id}")
    page = render_template(
        "plans/objective.html",
        plan=plan,
        objective=objective,
        form=form,
        costs=[c for c in sections.costs(plan) if c.objective_id == objective.id],
        totals=figures.cost_totals(plan),
        editing=True,
    )
    return page, 422 if form.errors else 200


@bp.post("/<int:year>/objectives/<int:objective_id>/remove")
def remove_objective(year: int, objective_id: int):
    plan = _plan(year)
    objective = _objective(plan, objective_id)
    title = objective.title
    services.remove_objective(objective, _me())
    flash(f"Removed the objective {title}, with its measures and costs.")
    return _to_plan(plan, "objectives")


# The SWOT


@bp.post("/<int:year>/swot/<any(strength, weakness, opportunity, threat):quadrant>")
def add_swot(year: int, quadrant: str):
    plan = _plan(year)
    form = SwotForm()
    if form.validate_on_submit():
        sections.add_swot_item(plan, quadrant, form.text.data, _me())
        flash(f"Added to {SWOT_QUADRANTS[quadrant].lower()}.")
        return _to_plan(plan, f"swot-{quadrant}")
    form.text.id = f"swot-{quadrant}-text"  # the error summary links to the field shown
    page = render_template(
        "plans/plan.html",
        new_objective=NewObjectiveForm(formdata=None),
        swot_form=form,
        swot_failed=quadrant,
        **_plan_context(plan),
    )
    return page, 422


@bp.post("/<int:year>/swot/<int:swot_item_id>/remove")
def remove_swot(year: int, swot_item_id: int):
    plan = _plan(year)
    item = sections.find_swot_item(plan, swot_item_id) or abort(404)
    sections.remove_swot_item(plan, item, _me())
    flash(f"Removed from {SWOT_QUADRANTS[item.quadrant].lower()}.")
    return _to_plan(plan, f"swot-{item.quadrant}")


# Key people, funding and costs: a page each to add or change one


def _item_page(plan, form, title: str, fields: dict, remove_url: str | None = None):
    page = render_template(
        "plans/item.html",
        plan=plan,
        form=form,
        title=title,
        fields=fields,
        remove_url=remove_url,
    )
    return page, 422 if form.errors else 200


PERSON_FIELDS = {"role": {}, "name": {}, "backup": {}, "notes": {}}


@bp.route("/<int:year>/people/new", methods=["GET", "POST"])
@bp.route("/<int:year>/people/<int:person_id>", methods=["GET", "POST"])
def person(year: int, person_id: int | None = None):
    plan = _plan(year)
    person = (sections.find_person(plan, person_id) or abort(404)) if person_id else None
    form = PersonForm(obj=person)
    if form.validate_on_submit():
        saved = sections.save_person(
            plan,
            person,
            _me(),
            role=form.role.data,
            name=form.name.data or "",
            backup=form.backup.data or "",
            notes=form.notes.data or "",
        )
        flash(f"Saved {saved.role}.")
        return _to_plan(plan, "people")
    remove = url_for("plans.remove_person", year=year, person_id=person.id) if person else None
    title = f"Change {person.role}" if person else "Add a key person"
    return _item_page(plan, form, title, PERSON_FIELDS, remove)


@bp.post("/<int:year>/people/<int:person_id>/remove")
def remove_person(year: int, person_id: int):
    plan = _plan(year)
    person = sections.find_person(plan, person_id) or abort(404)
    sections.remove_person(plan, person, _me())
    flash(f"Removed {person.role}.")
    return _to_plan(plan, "people")


MONEY = {"classes": "govuk-input--width-10", "inputmode": "decimal"}
FUNDING_FIELDS = {
    "source": {},
    "amount": MONEY,
    "ends_on": {"classes": "govuk-input--width-10"},
    "notes": {},
}


@bp.route("/<int:year>/funding/new", methods=["GET", "POST"])
@bp.route("/<int:year>/funding/<int:funding_id>", methods=["GET", "POST"])
def funding(year: int, funding_id: int | None = None):
    plan = _plan(year)
    source = (sections.find_funding(plan, funding_id) or abort(404)) if funding_id else None
    form = FundingForm(obj=source)
    if source is not None and not form.is_submitted():
        form.amount.data = typed(source.amount_pence)
    if form.validate_on_submit():
        saved = sections.save_funding(
            plan,
            source,
            _me(),
            name=form.source.data,
            amount_pence=form.amount.pence,
            ends_on=form.ends_on.data,
            notes=form.notes.data or "",
        )
        flash(f"Saved {saved.source}: {pounds(saved.amount_pence)}.")
        return _to_plan(plan, "funding")
    remove = url_for("plans.remove_funding", year=year, funding_id=source.id) if source else None
    title = f"Change {source.source}" if source else "Add a source of funding"
    return _item_page(plan, form, title, FUNDING_FIELDS, remove)


@bp.post("/<int:year>/funding/<int:funding_id>/remove")
def remove_funding(year: int, funding_id: int):
    plan = _plan(year)
    source = sections.find_funding(plan, funding_id) or abort(404)
    sections.remove_funding(plan, source, _me())
    flash(f"Removed {source.source}.")
    return _to_plan(plan, "funding")


COST_FIELDS = {"objective": {}, "kind": {}, "description": {}, "amount": MONEY}


@bp.route("/<int:year>/costs/new", methods=["GET", "POST"])
@bp.route("/<int:year>/costs/<int:cost_id>", methods=["GET", "POST"])
def cost(year: int, cost_id: int | None = None):
    plan = _plan(year)
    cost = (sections.find_cost(plan, cost_id) or abort(404)) if cost_id else None
    form = CostForm(objectives=plan.objectives)
    if not form.is_submitted():
        if cost is not None:
            form.objective.data = cost.objective_id or HUB_AS_A_WHOLE
            form.kind.data, form.description.data = cost.kind, cost.description
            form.amount.data = typed(cost.amount_pence)
        else:
            wanted = request.args.get("objective", type=row_id)
            form.objective.data = wanted if wanted in form.objectives else HUB_AS_A_WHOLE
    if form.validate_on_submit():
        saved = sections.save_cost(
            plan,
            cost,
            _me(),
            objective=form.chosen_objective,
            kind=form.kind.data,
            description=form.description.data or "",
            amount_pence=form.amount.pence,
        )
        flash(f"Saved the cost: {COST_KINDS[saved.kind]}, {pounds(saved.amount_pence)}.")
        return _to_plan(plan, "costs")
    remove = url_for("plans.remove_cost", year=year, cost_id=cost.id) if cost else None
    return _item_page(plan, form, "Change a cost" if cost else "Add a cost", COST_FIELDS, remove)


@bp.post("/<int:year>/costs/<int:cost_id>/remove")
def remove_cost(year: int, cost_id: int):
    plan = _plan(year)
    cost = sections.find_cost(plan, cost_id) or abort(404)
    sections.remove_cost(plan, cost, _me())
    flash("Removed the cost.")
    return _to_plan(plan, "costs")
