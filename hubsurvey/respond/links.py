"""Ways back to a respondent's answers: participant codes (the same person over time), a
partner school's own link to an outcomes survey, and resume codes (another device)."""

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from hubsurvey import private_links, qr
from hubsurvey.htmx import go_to, render
from hubsurvey.invitations import people
from hubsurvey.respond import abuse, bp, participants, services
from hubsurvey.respond.forms import ResumeForm
from hubsurvey.respond.views import (
    PAGE,
    TARGET,
    done_page,
    next_url,
    refused,
    remember,
    response_or_start,
    start_response,
    survey_for,
)


@bp.post("/<code>/participant-code/new")
def new_participant_code(code: str):
    """Give this person a participant code, to enter in later surveys."""
    survey = survey_for(code)
    response = response_or_start(survey)
    try:
        new_code = participants.issue(response)
    except services.RespondError as error:
        return refused(error, survey, response)
    return done_page(survey, response, new_code=new_code)


@bp.post("/<code>/participant-code")
@abuse.wrong_codes("10 per hour", ceiling="100 per hour")
def enter_participant_code(code: str):
    """Link these answers to the person's earlier ones, by the code they were given."""
    survey = survey_for(code)
    response = response_or_start(survey)
    try:
        participants.link(response, request.form.get("participant_code", ""))
    except services.RespondError as error:
        return done_page(survey, response, code_error=str(error), status=error.status)
    return done_page(survey, response)


@bp.get("/<code>/school/<token>")
def school_link(code: str, token: str):
    """A partner school's own link. To an outcomes survey: enter, or correct, the school's
    figures. To any other: the survey's start, with the school filled in for whoever starts
    from this browser, so that they are counted for it exactly."""
    survey = survey_for(code)
    link = services.find_school_link(survey, token)
    if link is None:
        abort(make_response(render_template("respond/unknown.html"), 404))
    services.note_link_opened(link)
    if survey.kind == "outcomes":
        response = services.school_response(survey, link)
        remember(survey, response)
        return redirect(url_for("respond.section", code=survey.code, number=1))
    came_through = dict(session.get("school_links", {}))
    came_through[survey.code] = link.token
    session["school_links"] = came_through
    return redirect(url_for("respond.start", code=survey.code))


@bp.get("/<code>/p/<token>")
@private_links.limit("PERSONAL_LINK_LIMIT", "personal-link")
def personal_link(code: str, token: str):
    """A person's own link to a named survey: their answers are kept with their name, and
    the link leads back to them until they are sent."""
    survey = survey_for(code)
    invitee = people.find_invitee(survey, token) if not survey.anonymous else None
    if invitee is None:
        abort(make_response(render_template("respond/unknown.html"), 404))
    response = services.find_response_by_id(survey, invitee.response_id)
    if response is None or not services.in_current_wave(response):
        response = start_response(survey)
        services.name_response(response, invitee)
    remember(survey, response)
    return redirect(url_for("respond.start", code=survey.code))


@bp.get("/<code>/school/<token>/qr.png")
def school_link_qr(code: str, token: str):
    """A large QR code of a school's own link, for the staffroom or a slide."""
    survey = survey_for(code)
    link = services.find_school_link(survey, token)
    if link is None:
        abort(make_response(render_template("respond/unknown.html"), 404))
    url = url_for("respond.school_link", code=survey.code, token=link.token, _external=True)
    return qr.png_download(url, f"survey-{survey.code}-school-qr.png")


@bp.route("/<code>/resume", methods=["GET", "POST"])
@abuse.wrong_codes("20 per hour", ceiling="200 per hour")
def resume(code: str):
    """Carry on with answers started on another device, from the resume code."""
    survey = survey_for(code)
    form = ResumeForm()
    if form.validate_on_submit():
        response = services.resume(survey, form.code.data)
        if response is not None:
            remember(survey, response)
            flash("Welcome back. Your answers so far are saved.")
            return go_to(next_url(response), TARGET)
        form.code.errors.append(
            "That code does not match any unfinished answers to this survey. Check it and try again"
        )
    return render(
        PAGE, "respond/_resume.html", 422 if form.errors else 200, survey=survey, form=form
    )
