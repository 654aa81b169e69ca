"""A respondent's way through a survey: the start page, "about you", one section at a time,
"check your answers", send. Participant codes, school links and resume codes are in links.py;
what keeps ballot stuffing out is in abuse.py."""

from flask import abort, g, make_response, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from hubsurvey.extensions import db, reading_first, start_writing
from hubsurvey.htmx import go_to, render
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Response, Survey
from hubsurvey.resources import matching
from hubsurvey.resources.links import resource_url
from hubsurvey.respond import abuse, bp, participants, progress, services
from hubsurvey.respond.forms import NamedProfileForm, ProfileForm
from hubsurvey.surveys import questions
from hubsurvey.surveys.services import availability, normalise_code

PAGE = "respond/page.html"
TARGET = "#survey"
# The HTTP status for each reason a survey cannot be answered now.
UNAVAILABLE = {"not-yet": 403, "closed": 410, "school-link": 403}


def survey_for(code: str) -> Survey:
    """The survey behind a short link, or a page saying why it cannot be answered. The
    activity the link belongs to, if any, is `g.activity`."""
    survey, g.activity = services.find_survey(code)
    if survey is None:
        g.unknown_survey = True  # counted: see abuse.py
        abort(make_response(render_template("respond/unknown.html"), 404))
    state = availability(survey)
    if (
        survey.kind == "outcomes"
        and not _current_token(survey)
        and request.endpoint not in ("respond.school_link", "respond.school_link_qr")
    ):
        state = "school-link"
    if state in UNAVAILABLE:
        page = render_template("respond/unavailable.html", survey=survey, state=state)
        abort(make_response(page, UNAVAILABLE[state]))
    return survey


def remember(survey: Survey, response: Response) -> None:
    tokens = dict(session.get("responses", {}))
    tokens[survey.code] = response.token
    # An activity's link names its feedback survey: the limits in abuse.py know the link.
    tokens[normalise_code(request.view_args["code"])] = response.token
    session["responses"] = tokens
    # Kept when the phone's browser closes, so the teacher can carry on later.
    session.permanent = True


def _forget(survey: Survey) -> None:
    tokens = dict(session.get("responses", {}))
    tokens.pop(survey.code, None)
    tokens.pop(normalise_code(request.view_args["code"]), None)
    session["responses"] = tokens


def start_response(survey: Survey) -> Response:
    """A new response from this browser, timed from when it was shown the first question."""
    link = services.find_school_link(survey, session.get("school_links", {}).get(survey.code))
    response = services.start(
        survey,
        g.activity,
        browser=abuse.browser(),
        opened_at=abuse.take_opened(survey.code),
        school=link.school if link else None,
    )
    remember(survey, response)
    g.response_started = True  # counted: see abuse.starts
    return response


def _not_taken(survey: Survey):
    """The neutral refusal of a post that filled in the honeypot."""
    return render(PAGE, "respond/_not_taken.html", 400, survey=survey)


def refuse_school_link(survey: Survey):
    page = render_template("respond/unavailable.html", survey=survey, state="school-link")
    abort(make_response(page, 403))


def _current_token(survey: Survey) -> str | None:
    return session.get("responses", {}).get(survey.code)


def _current(survey: Survey) -> Response | None:
    """This browser's response to the survey in its current wave, if it has one."""
    response = services.find_response(survey, _current_token(survey))
    if response is not None and not services.in_current_wave(response):
        return None  # an earlier round's answers stay as they were
    return response


def next_url(response: Response) -> str:
    code = response.survey.code
    if response.status == "submitted":
        return url_for("respond.done", code=code)
    if not response.profile_saved:
        return url_for("respond.profile", code=code)
    if response.step < len(services.steps(response)):
        return url_for("respond.section", code=code, number=response.step + 1)
    return url_for("respond.check", code=code)


def response_or_start(survey: Survey) -> Response:
    response = _current(survey)
    if response is None:
        abort(redirect(url_for("respond.start", code=survey.code)))
    return response


def refused(error: services.RespondError, survey: Survey, response: Response):
    return render(
        PAGE,
        "respond/_refused.html",
        error.status,
        survey=survey,
        message=str(error),
        next_url=next_url(response),
    )


@bp.get("/<code>")
def start(code: str):
    survey = survey_for(code)
    response = _current(survey)
    if response is None and not survey.asks_profile:
        # Quick feedback: the first question is the first thing on the screen.
        return _section_page(survey, None, code, 1, MultiDict(), {})
    return render(
        PAGE,
        "respond/_start.html",
        survey=survey,
        response=response,
        next_url=response and next_url(response),
        section_count=progress.section_count(survey, response),
    )


@bp.post("/<code>")
@abuse.starts
def begin(code: str):
    survey = survey_for(code)
    response = _current(survey)
    if survey.kind == "outcomes":
        refuse_school_link(survey)  # only a school's own link makes its response
    if abuse.honeypot_filled():
        return _not_taken(survey)
    if response is None or response.status == "submitted":
        response = start_response(survey)
    return go_to(next_url(response), TARGET)


@bp.route("/<code>/about-you", methods=["GET", "POST"])
def profile(code: str):
    survey = survey_for(code)
    if not survey.asks_profile:
        abort(404)
    response = response_or_start(survey)
    if request.method == "POST" and abuse.honeypot_filled():
        # Nothing is kept, not even the empty response the start button made.
        if services.discard_untouched(response):
            _forget(survey)
        return _not_taken(survey)
    form_class = ProfileForm if survey.anonymous else NamedProfileForm
    form = form_class(obj=response if response.profile_saved else None)
    if not response.profile_saved and not form.is_submitted() and not survey.anonymous:
        # Invited by name: their name and address are filled in already.
        form.respondent_name.data = response.respondent_name or None
        form.respondent_email.data = response.respondent_email or None
    if (response.profile_saved or response.school) and not form.is_submitted():
        # As the list offers it, so that saving again finds the same school. A response
        # started from a school's own link has the school filled in already.
        known = response.school
        form.school.data = services.school_choice(known) if known else response.school_name
    if form.validate_on_submit() and _school_is_clear(form, survey):
        school, school_name = services.match_school(survey.hub, form.school.data)
        fields = {
            "school": school,
            "school_name": school_name,
            "phase": form.phase.data,
            "role": form.role.data,
            "career_stage": form.career_stage.data,
            "subject": form.subject.data,
        }
        if not survey.anonymous:
            fields["respondent_name"] = form.respondent_name.data.strip()
            fields["respondent_email"] = (form.respondent_email.data or "").strip().lower()
        try:
            services.save_profile(response, **fields)
        except services.RespondError as error:
            return refused(error, survey, response)
        if services.outside_hub_phases(response):
            return go_to(url_for("respond.phase_check", code=survey.code), TARGET)
        return go_to(_after_save(response), TARGET)
    return render(
        PAGE,
        "respond/_profile.html",
        422 if form.errors else 200,
        survey=survey,
        response=response,
        form=form,
        schools=[services.school_choice(s) for s in current_partners(survey.hub)],
        progress=progress.screen(survey, response, 0),
    )


def _school_is_clear(form, survey: Survey) -> bool:
    """False, with a message by the field, for a name like two of the hub's schools."""
    if services.must_choose_school(survey.hub, form.school.data):
        form.school.errors.append(services.UNCLEAR_SCHOOL)
        return False
    return True


@bp.get("/<code>/your-phase")
def phase_check(code: str):
    survey = survey_for(code)
    response = response_or_start(survey)
    return render(
        PAGE, "respond/_phase.html", survey=survey, response=response, next_url=next_url(response)
    )


@bp.route("/<code>/<int:number>", methods=["GET", "POST"])
@abuse.starts
def section(code: str, number: int):
    if request.method == "POST":
        reading_first()  # the checks below take no lock; the saving does
    survey = survey_for(code)
    response = _current(survey)
    if response is None and not (number == 1 and not survey.asks_profile):
        return redirect(url_for("respond.start", code=code))
    if response is not None and response.status == "submitted" and survey.kind != "outcomes":
        return redirect(url_for("respond.done", code=survey.code))
    reached = min(response.step + 1, len(services.steps(response))) if response else 1
    if (response and not response.profile_saved) or not 1 <= number <= reached:
        if request.method == "POST":
            error = services.RespondError(
                "Answer the sections in order: this one is not reached yet.", 409
            )
            return refused(error, survey, response)
        return redirect(next_url(response))
    profile = response.profile if response else {}
    _this, shown = services.steps_for(survey, profile)[number - 1]
    if request.method == "POST" and response is None and abuse.honeypot_filled():
        return _not_taken(survey)  # quick feedback: nothing is stored before this post
    if request.method == "GET":
        saved = services.saved_values(response) if response else {}
        data = MultiDict()
        for question in shown:
            for key, value in questions.form_values(question, saved.get(question.id)).items():
                data.setlist(key, value if isinstance(value, list) else [value])
        return _section_page(survey, response, code, number, data, {})

    values, errors = {}, {}
    for question in shown:
        reading = questions.read(question, request.form)
        values[question.id] = reading.value
        if reading.error:
            errors[questions.field_name(question)] = reading.error
        errors.update(reading.field_errors or {})
    if errors:
        return _section_page(survey, response, code, number, request.form, errors)
    start_writing()
    if response is not None:
        db.session.refresh(response)  # as it is now, under the lock
    if response is None:
        if survey.kind == "outcomes":
            refuse_school_link(survey)
        # Quick feedback starts with its first answer: nothing is stored until then.
        response = start_response(survey)
    try:
        services.save_section(response, number, values)
        last = response.step >= len(services.steps(response))
        if not survey.asks_profile and last and response.status == "draft":
            # Quick feedback has no 'check your answers' step: the last screen sends it.
            services.submit(response, abuse.pace())
    except services.RespondError as error:
        return refused(error, survey, response)
    return go_to(_after_save(response), TARGET)


def _section_page(survey, response, code, number, data, errors):
    if response is None:
        abuse.note_opened(survey.code)  # quick feedback's first question: the clock starts
    steps = services.steps_for(survey, response.profile if response else {})
    section, shown = steps[number - 1]
    if number > 1:
        back_url = url_for("respond.section", code=code, number=number - 1)
    elif survey.asks_profile:
        back_url = url_for("respond.profile", code=code)
    else:
        back_url = None
    return render(
        PAGE,
        "respond/_section.html",
        422 if errors else 200,
        survey=survey,
        response=response,
        section=section,
        shown=shown,
        number=number,
        data=data,
        errors=errors,
        error_list=_error_list(shown, errors),
        progress=progress.screen(survey, response, number),
        back_url=back_url,
        action=url_for("respond.section", code=code, number=number, **_from_check()),
    )


def _from_check() -> dict:
    """Carry 'came from check your answers' to the form's address, and nothing else."""
    return {"from": "check"} if request.args.get("from") == "check" else {}


def _after_save(response: Response) -> str:
    """Back to 'check your answers' after a change made from there; else onwards."""
    if request.args.get("from") == "check" and response.step >= len(services.steps(response)):
        return url_for("respond.check", code=response.survey.code)
    return next_url(response)


def _error_list(shown, errors: dict[str, str]) -> list[tuple[str, str]]:
    """Errors in the order the fields appear, for the summary at the top."""
    order = []
    for question in shown:
        name = questions.field_name(question)
        if name in errors:
            order.append((name, errors[name]))
        for area in question.grid_areas:
            field = questions.grid_field(question, area.id)
            if field in errors:
                order.append((field, errors[field]))
    return order


@bp.get("/<code>/check")
def check(code: str):
    survey = survey_for(code)
    response = response_or_start(survey)
    if response.status == "submitted" or next_url(response) != url_for("respond.check", code=code):
        return redirect(next_url(response))
    saved = services.saved_values(response)
    return render(
        PAGE,
        "respond/_check.html",
        survey=survey,
        response=response,
        steps=services.steps(response),
        saved=saved,
        describe=questions.describe,
        missing=services.missing_required(response),
        progress=progress.screen(survey, response, len(services.steps(response)) + 1),
    )


@bp.post("/<code>/send")
@abuse.sends
def submit(code: str):
    survey = survey_for(code)
    response = response_or_start(survey)
    try:
        services.submit(response, abuse.pace())
    except services.RespondError as error:
        return refused(error, survey, response)
    return go_to(url_for("respond.done", code=code), TARGET)


@bp.get("/<code>/done")
def done(code: str):
    survey = survey_for(code)
    response = response_or_start(survey)
    if response.status != "submitted":
        return redirect(next_url(response))
    return done_page(survey, response)


def done_page(survey, response, new_code=None, code_error=None, status=200):
    """'Answers sent', with the offer of a participant code (see links.py), and after a needs
    assessment the hub's resources and activities for the needs the teacher put first."""
    return render(
        PAGE,
        "respond/_done.html",
        status,
        survey=survey,
        response=response,
        can_link=participants.can_link(response),
        new_code=new_code and participants.show(new_code),
        code_error=code_error,
        matched=matching.matched(response) if survey.kind == "needs" else None,
        resource_url=resource_url,
    )
