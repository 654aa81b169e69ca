from flask import Response, abort, flash, g, redirect, render_template, url_for

from hubsurvey.models.base import utcnow
from hubsurvey.privacy import bp, services
from hubsurvey.privacy.forms import ChosenForm, SearchForm
from hubsurvey.reports.exports import csv_chunks


def _page(search_form: SearchForm, status: int = 200, **results):
    return render_template(
        "privacy/index.html",
        form=search_form,
        surveys=services.named_surveys(g.hub),
        anonymous_count=services.anonymous_survey_count(g.hub),
        **results,
    ), status


def _results(typed: str, status: int = 200, errors=()):
    """The search form with what it found, every response chosen."""
    search = services.search_for(typed)
    found = services.find(g.hub, search)
    return _page(
        SearchForm(formdata=None, term=search.term),
        status,
        search=search,
        found=found,
        attended=services.find_attendance(g.hub, search),
        noted=services.find_follow_ups(g.hub, search),
        about=services.about,
        about_attendance=services.about_attendance,
        answers=services.answers,
        chosen=ChosenForm(formdata=None, term=search.term),
        errors=errors,
    )


@bp.get("/")
def index():
    return _page(SearchForm(formdata=None))


@bp.post("/")
def search():
    form = SearchForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    return _results(form.term.data)


def _chosen(form: ChosenForm):
    """The search, and the responses, register entries and follow-ups chosen from it; a 404
    if any is not this hub's."""
    responses = services.chosen(g.hub, form.responses.data or [])
    attendances = services.chosen_attendance(g.hub, form.attendance.data or [])
    follow_ups = services.chosen_follow_ups(g.hub, form.follow_ups.data or [])
    if responses is None or attendances is None or follow_ups is None:
        abort(404)
    return services.search_for(form.term.data), responses, attendances, follow_ups


@bp.post("/download")
def download():
    """The chosen responses as CSV, for a person who asked for their data."""
    form = ChosenForm()
    if not form.validate_on_submit():
        return _invalid(form)
    search, responses, attendances, follow_ups = _chosen(form)
    services.record_download(g.hub, responses, search, attendances, follow_ups)
    body = "".join(csv_chunks(services.access_rows(responses, attendances, follow_ups)))
    name = f"personal-data-{utcnow():%Y-%m-%d}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={name}",
            "Cache-Control": "no-store",
        },
    )


@bp.post("/erase")
def confirm_erase():
    """Say exactly what will be deleted, before anything is."""
    form = ChosenForm()
    if not form.validate_on_submit():
        return _invalid(form)
    search, responses, attendances, follow_ups = _chosen(form)
    return render_template(
        "privacy/confirm.html",
        form=form,
        search=search,
        responses=responses,
        surveys=services.per_survey(responses),
        attendances=attendances,
        activities=services.per_activity(attendances),
        follow_ups=follow_ups,
        series=services.per_series(follow_ups),
    )


@bp.post("/erase/confirmed")
def erase():
    form = ChosenForm()
    if not form.validate_on_submit():
        return _invalid(form)
    search, responses, attendances, follow_ups = _chosen(form)
    count = services.erase(g.hub, responses, search, attendances, follow_ups)
    entries, notes, deleted = len(attendances), len(follow_ups), []
    if count or not (entries or notes):
        deleted.append(f"{count} {'response' if count == 1 else 'responses'} and their answers")
    if entries:
        deleted.append(f"{entries} {'register entry' if entries == 1 else 'register entries'}")
    done = [f"Deleted {' and '.join(deleted)}"] if deleted else []
    if notes:
        done.append(f"cleared the notes of {notes} {'follow-up' if notes == 1 else 'follow-ups'}")
    said = " and ".join(done)
    flash(
        f"{said[0].upper()}{said[1:]}. "
        "The audit log records that you did, without the person's name or email."
    )
    return redirect(url_for("privacy.index"), 303)


def _invalid(form: ChosenForm):
    if form.term.errors:
        abort(400)  # the search is sent back as it was shown: not something a person types
    errors = [*form.responses.errors, *form.attendance.errors, *form.follow_ups.errors]
    return _results(form.term.data, 422, errors=errors)
