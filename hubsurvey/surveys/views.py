from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from hubsurvey import qr
from hubsurvey.extensions import db
from hubsurvey.forms import choices
from hubsurvey.htmx import go_to, is_htmx, render
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Question, Section
from hubsurvey.reports.exports import csv_chunks, slug
from hubsurvey.respond.forms import NamedProfileForm, ProfileForm
from hubsurvey.respond.services import school_choice
from hubsurvey.review.services import suspect_count
from hubsurvey.surveys import bp, editor, impact, outcomes, removal, services, waves
from hubsurvey.surveys.forms import (
    DeleteSurveyForm,
    NewSurveyForm,
    QuestionForm,
    SectionForm,
    SettingsForm,
)
from hubsurvey.vocabulary import AUDIENCE_FACTS

EDITOR = "#editor"


def _survey(survey_id: int):
    return services.find_survey(g.hub, survey_id) or abort(404)


def _section(survey, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.survey_id != survey.id:
        abort(404)
    return section


def _question(survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.section.survey_id != survey.id:
        abort(404)
    return question


def _short_link(survey) -> str:
    return url_for("respond.start", code=survey.code, _external=True)


@bp.get("/")
def index():
    return render_template("surveys/index.html", surveys=services.hub_surveys(g.hub))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewSurveyForm()
    earlier = [row[0] for row in services.hub_surveys(g.hub)]
    form.copy_of.choices = choices([(0, "Choose a survey"), *((s.id, s.title) for s in earlier)])
    if form.validate_on_submit():
        copy_of = (
            services.find_survey(g.hub, form.copy_of.data) if form.start.data == "copy" else None
        )
        if form.start.data == "copy" and copy_of is None:
            form.copy_of.errors.append("Choose the survey to copy")
        else:
            survey = services.create_survey(g.hub, form.start.data, copy_of)
            flash("Your survey is ready to edit. Nobody can answer it until you open it.")
            return redirect(url_for("surveys.questions", survey_id=survey.id), 303)
    return render_template(
        "surveys/new.html", form=form, has_earlier=bool(earlier)
    ), 422 if form.errors else 200


@bp.get("/<int:survey_id>/")
def show(survey_id: int):
    survey = _survey(survey_id)
    return render_template(
        "surveys/show.html",
        survey=survey,
        state=services.availability(survey),
        link=_short_link(survey),
        qr_svg=qr.svg(_short_link(survey)),
        counts=services.response_counts(survey),
        suspects=suspect_count(survey),
        waves=services.wave_counts(survey),
        changes=impact.confidence_change(survey, None, survey.hub.smallest_group).areas,
        school_links=services.school_links(survey) if survey.kind == "outcomes" else [],
        outcomes=outcomes.outcomes(survey) if survey.kind == "outcomes" else None,
        progress=services.school_progress(survey),
        schools=services.school_statuses(survey),
        question_counts=services.question_counts(survey) if survey.status != "draft" else [],
    )


@bp.get("/<int:survey_id>/qr.png")
def qr_png(survey_id: int):
    """A large QR code of the short link, for a slide or a poster."""
    survey = _survey(survey_id)
    return qr.png_download(_short_link(survey), f"survey-{survey.code}-qr.png")


@bp.post("/<int:survey_id>/status/<any(open, closed):status>")
def set_status(survey_id: int, status: str):
    survey = _survey(survey_id)
    try:
        services.set_status(survey, status)
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash(
            "The survey is open: share its link or QR code."
            if status == "open"
            else "The survey is closed."
        )
    return redirect(url_for("surveys.show", survey_id=survey.id), 303)


@bp.post("/<int:survey_id>/school-links")
def make_school_links(survey_id: int):
    survey = _survey(survey_id)
    made = services.make_school_links(survey)
    flash(
        f"Made {made} school {'link' if made == 1 else 'links'}."
        if made
        else "Every school has its link."
    )
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="school-links"), 303)


@bp.get("/<int:survey_id>/school-links.csv")
def school_links_csv(survey_id: int):
    """Every school's link in one file, for a mail merge: school, URN, link."""
    survey = _survey(survey_id)
    rows = [["school", "school_urn", "link"]] + [
        [school.name, school.urn or "", _school_link(survey, school_link)]
        for school, school_link in services.school_links(survey)
        if school_link is not None
    ]
    filename = f"{slug(survey.title)}-school-links-{date.today():%Y-%m-%d}.csv"
    return Response(
        csv_chunks(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


def _school_link(survey, school_link) -> str:
    return url_for("respond.school_link", code=survey.code, token=school_link.token, _external=True)


@bp.post("/<int:survey_id>/waves/next")
def next_wave(survey_id: int):
    survey = _survey(survey_id)
    if not waves.recurs(survey):
        # The page offers no button for it: this is a stale page or a hand-made request.
        return render_template(
            "error.html",
            title="This survey does not recur",
            message="It has one set of answers, so there is no next wave to open. To run it "
            "in rounds, choose how often it recurs in its settings, then open the next wave.",
        ), 409
    if survey.status != "open":
        flash("Open the survey first.", "error")
    else:
        wave = waves.open_next_wave(survey)
        flash(f"{wave.label} is open. Answers from now on belong to it.")
    return redirect(url_for("surveys.show", survey_id=survey.id), 303)


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
def settings(survey_id: int):
    survey = _survey(survey_id)
    form = SettingsForm(obj=survey)
    if not form.is_submitted():
        # The stored True/False shown as the radios' "yes"/"no" (obj would win over a keyword).
        form.anonymous.data = "yes" if survey.anonymous else "no"
    valid = form.validate_on_submit()
    answered = services.count_responses(survey) if form.is_submitted() else 0
    if valid and survey.anonymous and form.anonymous.data == "no" and answered:
        form.anonymous.errors.append(services.ANSWERED_ANONYMOUSLY)
        valid = False
    # Named to anonymous is allowed, but once people have answered the lead confirms it,
    # having read what it changes for the answers already given.
    confirming = not survey.anonymous and form.anonymous.data == "yes" and answered > 0
    if valid and confirming and not form.confirm_anonymous.data:
        form.confirm_anonymous.errors.append("Tick the box to confirm, or choose Named")
        valid = False
    if valid:
        services.update_settings(
            survey,
            title=form.title.data.strip(),
            intro=(form.intro.data or "").strip(),
            anonymous=form.anonymous.data == "yes",
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            keep_until=form.keep_until.data,
            privacy_notice=form.privacy_notice.data.strip().replace("\r\n", "\n"),
        )
        waves.set_cycle(survey, form.cycle.data, form.cycle_weeks.data)
        flash("Saved the survey's settings.")
        return redirect(url_for("surveys.show", survey_id=survey.id), 303)
    return render_template(
        "surveys/settings.html",
        form=form,
        survey=survey,
        answered=answered if confirming else 0,
    ), 422 if form.errors else 200


@bp.route("/<int:survey_id>/delete", methods=["GET", "POST"])
def delete(survey_id: int):
    """A confirmation page that says what goes, then the survey and its answers go for good."""
    survey = _survey(survey_id)
    form = DeleteSurveyForm()
    answered = services.count_responses(survey)
    blockers = removal.blocking_activities(survey)
    can_delete = survey.status != "open" and not blockers
    if form.validate_on_submit() and can_delete:
        if answered and not form.confirm.data:
            form.confirm.errors.append("Tick the box to confirm that the responses go for good")
        else:
            removal.delete_survey(survey)
            gone = f" and its {answered} {'response' if answered == 1 else 'responses'}"
            flash(f"Deleted “{survey.title}”{gone if answered else ''}.")
            return redirect(url_for("surveys.index"), 303)
    refused = form.is_submitted() and not can_delete
    return render_template(
        "surveys/delete.html",
        form=form,
        survey=survey,
        answered=answered,
        blockers=blockers,
    ), 409 if refused else 422 if form.errors else 200


@bp.get("/<int:survey_id>/preview")
def preview(survey_id: int):
    """Every screen as a respondent sees it: "about you" (when asked), then each section,
    everyone's sections marked with their audience."""
    survey = _survey(survey_id)
    profile_form = (ProfileForm if survey.anonymous else NamedProfileForm)(formdata=None)
    return render_template(
        "surveys/preview.html",
        survey=survey,
        data=MultiDict(),
        errors={},
        form=profile_form,
        schools=[school_choice(school) for school in current_partners(survey.hub)],
    )


# The editor: sections and questions


def _editor(survey, status: int = 200):
    return render(
        "surveys/questions.html",
        "surveys/_editor.html",
        status,
        survey=survey,
        locked=services.has_responses(survey),
    )


@bp.get("/<int:survey_id>/questions")
def questions(survey_id: int):
    return _editor(_survey(survey_id))


def _locked(error: services.SurveyLocked):
    flash(str(error), "error")
    return go_to(url_for("surveys.questions", survey_id=error.survey.id), EDITOR)


@bp.route("/<int:survey_id>/sections/new", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/sections/<int:section_id>", methods=["GET", "POST"])
def section(survey_id: int, section_id: int | None = None):
    survey = _survey(survey_id)
    section = _section(survey, section_id) if section_id else None
    form = SectionForm(obj=section)
    if section is not None and not form.is_submitted():
        for fact in AUDIENCE_FACTS:
            getattr(form, fact).data = section.audience.get(fact, [])
    if form.validate_on_submit():
        try:
            editor.save_section(
                survey,
                section,
                title=form.title.data.strip(),
                intro=(form.intro.data or "").strip(),
                audience=form.audience(),
            )
        except services.SurveyLocked as error:
            return _locked(error)
        return go_to(url_for("surveys.questions", survey_id=survey.id), EDITOR)
    return render(
        "surveys/item.html",
        "surveys/_section_form.html",
        422 if form.errors else 200,
        survey=survey,
        section=section,
        form=form,
        facts=AUDIENCE_FACTS,
    )


@bp.post("/<int:survey_id>/sections/<int:section_id>/move/<any(up, down):direction>")
def move_section(survey_id: int, section_id: int, direction: str):
    survey = _survey(survey_id)
    try:
        editor.move_section(_section(survey, section_id), -1 if direction == "up" else 1)
    except services.SurveyLocked as error:
        return _locked(error)
    return _after_change(survey)


@bp.post("/<int:survey_id>/sections/<int:section_id>/remove")
def remove_section(survey_id: int, section_id: int):
    survey = _survey(survey_id)
    try:
        editor.remove_section(_section(survey, section_id))
    except services.SurveyLocked as error:
        return _locked(error)
    return _after_change(survey)


def _after_change(survey):
    """htmx gets the editor back in place; a plain form post goes back to the editor page."""
    if is_htmx():
        # Objects outlive commits (see extensions.py), and a move changes only positions:
        # reload, or the editor would show the old order until the page is reloaded.
        db.session.expire_all()
        return _editor(survey)
    return redirect(url_for("surveys.questions", survey_id=survey.id), 303)


@bp.route("/<int:survey_id>/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
def question(survey_id: int, section_id: int | None = None, question_id: int | None = None):
    survey = _survey(survey_id)
    question = _question(survey, question_id) if question_id else None
    section = question.section if question else _section(survey, section_id)
    form = QuestionForm(
        obj=question,
        kind=request.args.get("kind", "single") if question is None else question.kind,
        required=True if question is None else question.required,
    )
    if question is not None and not form.is_submitted():
        _fill_from(form, question)
    areas = survey.hub.hub_type.need_areas
    form.need_area_id.choices = choices([(0, "None"), *((a.id, a.name) for a in areas)])
    form.grid_areas.choices = choices((a.id, a.name) for a in areas)
    if question is None and not form.is_submitted():
        form.grid_areas.data = [a.id for a in areas]
    if form.validate_on_submit():
        chosen = [a for a in areas if a.id in form.grid_areas.data]
        try:
            editor.save_question(
                section,
                question,
                grid_areas=chosen,
                kind=form.kind.data,
                prompt=form.prompt.data.strip(),
                hint=(form.hint.data or "").strip(),
                required=form.required.data,
                options=form.option_list() if form.kind.data in ("single", "multiple") else [],
                settings=form.settings(),
                need_area_id=form.need_area_id.data or None,
                audience=form.audience(),
            )
        except services.SurveyLocked as error:
            return _locked(error)
        return go_to(
            url_for("surveys.questions", survey_id=survey.id) + f"#section-{section.id}", EDITOR
        )
    return render(
        "surveys/item.html",
        "surveys/_question_form.html",
        422 if form.errors else 200,
        survey=survey,
        section=section,
        question=question,
        form=form,
        facts=AUDIENCE_FACTS,
    )


def _fill_from(form: QuestionForm, question: Question) -> None:
    settings = question.settings
    form.options.data = "\n".join(question.options)
    form.labels.data = "\n".join(settings.get("labels", []))
    form.low_label.data = settings.get("low_label", "")
    form.high_label.data = settings.get("high_label", "")
    form.unit.data = settings.get("unit", "")
    form.minimum.data = "" if settings.get("min") is None else str(settings["min"])
    form.maximum.data = "" if settings.get("max") is None else str(settings["max"])
    form.integer.data = settings.get("integer", False)
    form.max_length.data = settings.get("max_length")
    form.need_area_id.data = question.need_area_id or 0
    form.grid_areas.data = [row.need_area_id for row in question.grid_rows]
    for fact in AUDIENCE_FACTS:
        getattr(form, fact).data = question.audience.get(fact, [])


@bp.post("/<int:survey_id>/questions/<int:question_id>/move/<any(up, down):direction>")
def move_question(survey_id: int, question_id: int, direction: str):
    survey = _survey(survey_id)
    try:
        editor.move_question(_question(survey, question_id), -1 if direction == "up" else 1)
    except services.SurveyLocked as error:
        return _locked(error)
    return _after_change(survey)


@bp.post("/<int:survey_id>/questions/<int:question_id>/remove")
def remove_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    try:
        editor.remove_question(_question(survey, question_id))
    except services.SurveyLocked as error:
        return _locked(error)
    return _after_change(survey)
