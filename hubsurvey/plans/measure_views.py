"""A measure's pages: binding it to evidence, and the evidence behind its figure."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.validators import ValidationError

from hubsurvey.models import Measure, Objective, Plan
from hubsurvey.plans import bp, measures
from hubsurvey.plans.evidence import Reading, Reads, find, read
from hubsurvey.plans.measure_forms import (
    KIND_FIELDS,
    KIND_HINTS,
    KindForm,
    MeasureForm,
    RemoveMeasureForm,
    check_direction,
)
from hubsurvey.plans.progress import figure_words, status_words
from hubsurvey.plans.services import find_objective, find_plan
from hubsurvey.school_years import today_in_england
from hubsurvey.vocabulary import MEASURE_KINDS, MEASURE_STATES


@bp.app_template_global()
def measure_reading(measure: Measure) -> Reading:
    """A measure's reading today, for any page that lists measures (plans/_measures.html).
    The measures of one page share what they read (kept on the request, not on `g`, which
    outlives a request when an app context was already pushed, as in tests)."""
    reads = getattr(request, "measure_reads", None)
    if reads is None:
        reads = request.measure_reads = Reads()
    return read(measure, today_in_england(), reads)


@bp.app_context_processor
def measure_words() -> dict:
    return {
        "measure_figure": figure_words,
        "measure_status": status_words,
        "measure_kinds": MEASURE_KINDS,
        "measure_states": MEASURE_STATES,
    }


def _plan(year: int) -> Plan:
    return find_plan(g.hub, year) or abort(404)


def _objective(plan: Plan, objective_id: int) -> Objective:
    return find_objective(plan, objective_id) or abort(404)


def _measure(plan: Plan, measure_id: int) -> Measure:
    return measures.find_measure(plan, measure_id) or abort(404)


def _kind(default: str | None = None) -> str | None:
    """The kind chosen in the first step: in the address (or else the form), else `default`."""
    kind = request.args.get("kind") or request.form.get("kind") or default
    return kind if kind in MEASURE_KINDS else None


def _choose_kind(plan: Plan, objective: Objective, measure: Measure | None, refused: bool):
    """The first step: what the measure reads, sent by GET to the form for that kind."""
    form = KindForm(request.args)
    if refused:
        form.kind.errors = ["Choose what the measure reads"]
    return render_template(
        "plans/measure_kind.html",
        form=form,
        plan=plan,
        objective=objective,
        measure=measure,
        hints=KIND_HINTS,
    ), 422 if refused else 200


def _baseline_from_figure(form: MeasureForm, details: measures.MeasureDetails) -> bool:
    """For 'use the current figure as the baseline': take it, or say why it cannot be."""
    found = find(details, today_in_england())
    if found.value is None:
        why = f"it is not shown: {found.hidden}" if found.hidden else found.missing
        form.use_current.errors.append(
            f"There is no current figure to use: {why}. Type a baseline instead, or leave it empty"
        )
        return False
    details.baseline = round(found.value, 1)
    if details.target is not None:
        try:
            check_direction(details.baseline, details.target, details.higher_is_better)
        except ValidationError as error:
            form.target.errors.append(f"{error} (the current figure, {details.baseline:g})")
            return False
    return True


def _form_page(form, plan, objective, measure, kind):
    return render_template(
        "plans/measure_form.html",
        form=form,
        plan=plan,
        objective=objective,
        measure=measure,
        kind=kind,
        asks=KIND_FIELDS[kind],
        hint=KIND_HINTS[kind],
    ), 422 if form.errors else 200


@bp.route("/<int:year>/objectives/<int:objective_id>/measures/new", methods=["GET", "POST"])
def new_measure(year: int, objective_id: int):
    plan = _plan(year)
    objective = _objective(plan, objective_id)
    kind = _kind()
    if kind is None:
        return _choose_kind(plan, objective, None, refused=request.method == "POST")
    form = MeasureForm(hub=g.hub, plan=plan, kind=kind)
    if form.validate_on_submit():
        details = form.details(objective)
        if not form.use_current.data or kind == "typed" or _baseline_from_figure(form, details):
            measure = measures.add_measure(details, current_user._get_current_object())
            flash(f"Added the measure {measure.title}.")
            return redirect(_measure_url(plan, measure), 303)
    return _form_page(form, plan, objective, None, kind)


@bp.get("/<int:year>/measures/<int:measure_id>")
def measure(year: int, measure_id: int):
    plan = _plan(year)
    found = _measure(plan, measure_id)
    return render_template(
        "plans/measure.html",
        plan=plan,
        objective=found.objective,
        measure=found,
        reading=read(found, today_in_england()),
    )


@bp.route("/<int:year>/measures/<int:measure_id>/edit", methods=["GET", "POST"])
def edit_measure(year: int, measure_id: int):
    plan = _plan(year)
    found = _measure(plan, measure_id)
    if "choose" in request.args:
        return _choose_kind(plan, found.objective, found, refused=False)
    kind = _kind(found.kind)
    if kind is None:
        return _choose_kind(plan, found.objective, found, refused=True)
    form = MeasureForm(hub=g.hub, plan=plan, kind=kind)
    if not form.is_submitted():
        form.fill(found)
        if kind != found.kind:
            form.direction.data = "lower" if kind == "need-score" else "higher"
    if form.validate_on_submit():
        details = form.details(found.objective)
        if not form.use_current.data or kind == "typed" or _baseline_from_figure(form, details):
            changed = measures.update_measure(found, details, current_user._get_current_object())
            flash(f"Saved the measure {found.title}." if changed else "Nothing was changed.")
            return redirect(_measure_url(plan, found), 303)
    return _form_page(form, plan, found.objective, found, kind)


@bp.route("/<int:year>/measures/<int:measure_id>/remove", methods=["GET", "POST"])
def remove_measure(year: int, measure_id: int):
    """A page asking to confirm, then the measure goes (the plan's log keeps that it did)."""
    plan = _plan(year)
    found = _measure(plan, measure_id)
    form = RemoveMeasureForm()
    if form.validate_on_submit():
        objective, title = found.objective, found.title
        measures.remove_measure(found, current_user._get_current_object())
        flash(f"Removed the measure {title}.")
        return redirect(_objective_url(plan, objective), 303)
    return render_template(
        "plans/measure_remove.html", form=form, plan=plan, objective=found.objective, measure=found
    )


def _measure_url(plan: Plan, measure: Measure) -> str:
    return url_for("plans.measure", year=plan.year, measure_id=measure.id)


def _objective_url(plan: Plan, objective: Objective) -> str:
    return url_for("plans.objective", year=plan.year, objective_id=objective.id)
