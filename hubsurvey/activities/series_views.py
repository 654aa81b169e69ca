"""Series of sessions, follow-up with schools between them, and the hub's CPD hours per
school and per teacher. Names are personal data: like every activities page, these are for
the hub's staff only (hubs.hub_scoped turns viewers away)."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from hubsurvey.activities import bp, hours, services
from hubsurvey.activities import series as series_services
from hubsurvey.activities.forms import FollowUpForm, SeriesForm, hours_text
from hubsurvey.forms import choices
from hubsurvey.hubs.services import current_partners
from hubsurvey.inputs import row_id
from hubsurvey.models import utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.reports import about, exports
from hubsurvey.school_years import this_year, today_in_england, year_words
from hubsurvey.vocabulary import SERIES_KINDS


def _series(series_id: int):
    return series_services.find_series(g.hub, series_id) or abort(404)


def _page(template: str, status: int = 200, **context):
    page = render_template(
        template, series_kinds=SERIES_KINDS, hours_text=hours_text, year_words=year_words, **context
    )
    return page, status


@bp.get("/series/")
def series_index():
    return _page("activities/series_index.html", series=series_services.hub_series(g.hub))


@bp.route("/series/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
def series_edit(series_id: int | None = None):
    series = _series(series_id) if series_id else None
    form = SeriesForm()
    areas = g.hub.hub_type.need_areas
    schools = series_services.series_schools(current_partners(g.hub), series)
    surveys = services.feedback_surveys(g.hub)
    form.need_areas.choices = choices((a.id, a.name) for a in areas)
    form.schools.choices = choices((s.id, s.name) for s in schools)
    form.feedback.choices = choices(
        [(0, "A new feedback survey for this series"), *((s.id, s.title) for s in surveys)]
    )
    if series and not form.is_submitted():
        form.title.data, form.kind.data = series.title, series.kind
        form.description.data = series.description
        form.need_areas.data = [a.id for a in series.need_areas]
        form.schools.data = [s.id for s in series.schools]
        form.feedback.data = series.survey_id or 0
    if form.validate_on_submit():
        saved = series_services.save_series(
            g.hub,
            series,
            need_areas=[a for a in areas if a.id in form.need_areas.data],
            schools=[s for s in schools if s.id in form.schools.data],
            shared_survey=next((s for s in surveys if s.id == form.feedback.data), None),
            title=form.title.data.strip(),
            kind=form.kind.data,
            description=(form.description.data or "").strip(),
        )
        flash(f"Saved {saved.title}.")
        return redirect(url_for("activities.series_show", series_id=saved.id), 303)
    return _page(
        "activities/series_form.html", 422 if form.errors else 200, form=form, series=series
    )


@bp.get("/series/<int:series_id>/")
def series_show(series_id: int):
    series = _series(series_id)
    figures = series_services.figures(series)
    return _page(
        "activities/series_show.html",
        series=series,
        sessions=figures.sessions,
        follow_ups=figures.follow_ups,
        totals=figures.totals,
    )


@bp.post("/series/<int:series_id>/remove")
def series_remove(series_id: int):
    series = _series(series_id)
    title = series.title
    kept = series_services.remove_series(series)
    stay = "session stays" if kept == 1 else "sessions stay"
    flash(f"Removed the series {title}. Its {kept} {stay} among the hub's activities.")
    return redirect(url_for("activities.series_index"), 303)


# Follow-up with a school between sessions


def _follow_up_form(series, current=None) -> FollowUpForm:
    schools = series_services.follow_up_schools(series, current)
    return FollowUpForm(schools=schools, today=today_in_england())


@bp.route("/series/<int:series_id>/follow-ups/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
def follow_up(series_id: int, follow_up_id: int | None = None):
    """Log follow-up with one of the series' schools, or change one logged."""
    series = _series(series_id)
    logged = None
    if follow_up_id is not None:
        logged = series_services.find_follow_up(series, follow_up_id) or abort(404)
    current = logged.school if logged else None
    form = _follow_up_form(series, current)
    if not form.is_submitted():
        form.held_on.data = logged.held_on if logged else form.today
        if logged:
            form.school.data = str(logged.school_id)
            form.hours.data = hours_text(logged.hours)
            form.notes.data = logged.notes
    if form.validate_on_submit():
        schools = series_services.follow_up_schools(series, current)
        school = next(s for s in schools if s.id == form.school_id())
        series_services.save_follow_up(
            series,
            logged,
            school,
            form.held_on.data,
            form.cpd_hours(),
            (form.notes.data or "").strip(),
            current_user._get_current_object(),
        )
        flash(f"{'Saved the' if logged else 'Logged'} follow-up with {school.name}")
        return redirect(
            url_for("activities.series_show", series_id=series.id, _anchor="follow-up"), 303
        )
    return _page(
        "activities/follow_up.html",
        422 if form.errors else 200,
        form=form,
        series=series,
        follow_up=logged,
    )


@bp.post("/series/<int:series_id>/follow-ups/<int:follow_up_id>/remove")
def follow_up_remove(series_id: int, follow_up_id: int):
    series = _series(series_id)
    follow_up = series_services.find_follow_up(series, follow_up_id) or abort(404)
    school = follow_up.school.name
    series_services.remove_follow_up(follow_up)
    flash(f"Removed the follow-up with {school}")
    return redirect(
        url_for("activities.series_show", series_id=series.id, _anchor="follow-up"), 303
    )


# CPD hours per school and per teacher, for a school year


def _year() -> tuple[int, list[int]]:
    """The school year asked for (this one unless ?year= names another the page offers),
    and the years offered."""
    now = this_year()
    years = hours.years_with_sessions(g.hub, now)
    if "year" not in request.args:
        return now, years
    year = request.args.get("year", type=row_id)
    if year not in years:
        abort(404)
    return year, years


@bp.get("/hours")
def cpd_hours():
    year, years = _year()
    return _page(
        "activities/hours.html", year=year, years=years, figures=hours.year_hours(g.hub, year)
    )


def _hours_file(year: int, what: str, rows) -> Response:
    """A CSV file of hours, recorded as an export (it names people, or their schools)."""
    made = in_uk(utcnow())
    exports.record(g.hub, current_user._get_current_object(), None, what, "csv", f"year={year}")
    name = about.file_name(g.hub.name, what, [f"{year}-to-{year + 1}"], made, "csv")
    return Response(
        "".join(exports.csv_chunks(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": about.disposition(name), "Cache-Control": "no-store"},
    )


@bp.get("/hours/teachers.csv")
def hours_by_teacher():
    year, _years = _year()
    return _hours_file(year, "hours-by-teacher", hours.teacher_rows(hours.year_hours(g.hub, year)))


@bp.get("/hours/schools.csv")
def hours_by_school():
    year, _years = _year()
    return _hours_file(year, "hours-by-school", hours.school_rows(hours.year_hours(g.hub, year)))
