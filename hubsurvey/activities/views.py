from datetime import datetime

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from hubsurvey import qr
from hubsurvey.activities import bp, feedback_links, register, services
from hubsurvey.activities import series as series_services
from hubsurvey.activities.forms import ActivityForm, AttendanceForm, hours_text
from hubsurvey.activities.hours import period
from hubsurvey.activities.participation import participation
from hubsurvey.forms import choices
from hubsurvey.htmx import render
from hubsurvey.hubs.services import current_partners
from hubsurvey.inputs import row_id
from hubsurvey.models import utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.reports import exports
from hubsurvey.school_years import this_year, year_words


def _activity(activity_id: int):
    return services.find_activity(g.hub, activity_id) or abort(404)


def _link(activity) -> str:
    return feedback_links.feedback_url(activity)


@bp.get("/")
def index():
    year = this_year()
    return render_template(
        "activities/index.html",
        activities=services.hub_activities(g.hub),
        figures=participation(g.hub, *period(year)),
        year=year_words(year),
        hours_text=hours_text,
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(activity_id: int | None = None):
    activity = _activity(activity_id) if activity_id else None
    form = ActivityForm(obj=activity)
    areas = g.hub.hub_type.need_areas
    schools = current_partners(g.hub)
    surveys = services.feedback_surveys(g.hub)
    form.need_areas.choices = choices((a.id, a.name) for a in areas)
    form.schools.choices = choices((s.id, s.name) for s in schools)
    form.feedback.choices = choices(
        [(0, "A new feedback survey for this activity"), *((s.id, s.title) for s in surveys)]
    )
    all_series = series_services.series_choices(g.hub)
    form.series_id.choices = choices(
        [(0, "Not part of a series"), *((s.id, s.title) for s in all_series)]
    )
    # "Add a session to this series": the series chosen, its need areas, schools and survey.
    wanted = None if activity else request.args.get("series", type=row_id)
    from_series = next((s for s in all_series if s.id == wanted), None)
    if from_series and not form.is_submitted():
        form.series_id.data = from_series.id
        form.need_areas.data = [a.id for a in from_series.need_areas]
        form.schools.data = [s.id for s in from_series.schools if s in schools]
        form.feedback.data = from_series.survey_id or 0
    if activity and not form.is_submitted():
        form.starts_on.data, form.starts_at.data = (
            activity.starts_at.date(),
            activity.starts_at.time(),
        )
        form.ends_at.data = activity.ends_at.time() if activity.ends_at else None
        form.hours.data = hours_text(activity.hours)
        form.need_areas.data = [a.id for a in activity.need_areas]
        form.schools.data = [s.id for s in activity.schools]
        form.feedback.data = activity.survey_id
    if form.validate_on_submit():
        series = next((s for s in all_series if s.id == form.series_id.data), None)
        shared = next((s for s in surveys if s.id == form.feedback.data), None)
        if series is not None and series.survey is not None:
            shared = series.survey  # a session in a series shares the series' survey
        saved = services.save_activity(
            g.hub,
            activity,
            need_areas=[a for a in areas if a.id in form.need_areas.data],
            schools=[s for s in schools if s.id in form.schools.data],
            shared_survey=shared,
            series=series,
            title=form.title.data.strip(),
            kind=form.kind.data,
            starts_at=datetime.combine(form.starts_on.data, form.starts_at.data),
            ends_at=(
                datetime.combine(form.starts_on.data, form.ends_at.data)
                if form.ends_at.data
                else None
            ),
            hours=form.cpd_hours(),
            place=(form.place.data or "").strip(),
            online=form.online.data,
            facilitator=(form.facilitator.data or "").strip(),
        )
        series_services.adopt_survey(saved)
        flash(f"Saved {saved.title}. Its feedback link is ready.")
        return redirect(url_for("activities.show", activity_id=saved.id), 303)
    return render_template(
        "activities/form.html", form=form, activity=activity, from_series=from_series
    ), 422 if form.errors else 200


@bp.get("/<int:activity_id>/")
def show(activity_id: int):
    activity = _activity(activity_id)
    return render_template(
        "activities/show.html",
        activity=activity,
        link=_link(activity),
        qr_svg=qr.svg(_link(activity)),
        feedback=services.live_feedback(activity),
        **_register_context(activity),
    )


@bp.get("/<int:activity_id>/feedback")
def live(activity_id: int):
    """The feedback so far: polled by htmx while the session is in the room."""
    activity = _activity(activity_id)
    return render(
        "activities/live.html",
        "activities/_live.html",
        activity=activity,
        feedback=services.live_feedback(activity),
    )


@bp.get("/<int:activity_id>/qr.png")
def qr_png(activity_id: int):
    """A large QR code of the feedback link, for the last slide of the session."""
    activity = _activity(activity_id)
    return qr.png_download(_link(activity), f"feedback-{activity.code}-qr.png")


# The register: who came, taken on a phone at the door or afterwards


def _register_context(activity) -> dict:
    """What the activity's page and its register page show about the register."""
    return {
        "attendees": register.attendees(activity),
        "totals": register.totals(activity),
        "links": feedback_links.link_status(activity),
        "hours_text": hours_text,
    }


def _attendance(activity, attendance_id: int):
    return register.find_attendance(activity, attendance_id) or abort(404)


def _person(form: AttendanceForm) -> register.Person:
    return register.Person(
        name=form.name.data,
        email=form.email.data,
        school_id=form.school_id(),
        role=form.role.data or None,
    )


@bp.route("/<int:activity_id>/register", methods=["GET", "POST"])
def take_register(activity_id: int):
    """The register page, built for a phone at the door: add one person, then the next."""
    activity = _activity(activity_id)
    form = AttendanceForm(schools=register.register_schools(g.hub))
    if form.validate_on_submit():
        person = _person(form)
        register.add_person(activity, person, current_user._get_current_object())
        flash(f"Added {person.name}")
        return redirect(url_for("activities.take_register", activity_id=activity.id), 303)
    page = render_template(
        "activities/register.html", activity=activity, form=form, **_register_context(activity)
    )
    return page, 422 if form.errors else 200


@bp.route("/<int:activity_id>/register/<int:attendance_id>", methods=["GET", "POST"])
def change_attendance(activity_id: int, attendance_id: int):
    activity = _activity(activity_id)
    attendance = _attendance(activity, attendance_id)
    form = AttendanceForm(schools=register.register_schools(g.hub, attendance.school))
    if not form.is_submitted():
        form.name.data, form.email.data = attendance.name, attendance.email
        form.school.data = str(attendance.school_id or "0")
        form.role.data = attendance.role or ""
    if form.validate_on_submit():
        person = _person(form)
        register.change_person(attendance, person)
        flash(f"Saved {person.name}")
        return redirect(url_for("activities.take_register", activity_id=activity.id), 303)
    page = render_template(
        "activities/attendance.html", activity=activity, attendance=attendance, form=form
    )
    return page, 422 if form.errors else 200


@bp.post("/<int:activity_id>/register/<int:attendance_id>/remove")
def remove_attendance(activity_id: int, attendance_id: int):
    activity = _activity(activity_id)
    attendance = _attendance(activity, attendance_id)
    name = attendance.name
    register.remove_person(attendance)
    flash(f"Removed {name} from the register")
    return redirect(url_for("activities.take_register", activity_id=activity.id), 303)


@bp.get("/<int:activity_id>/register.csv")
def register_csv(activity_id: int):
    """The register as a CSV file: one row per person, recorded as an export."""
    activity = _activity(activity_id)
    made = utcnow()
    exports.record(
        g.hub,
        current_user._get_current_object(),
        activity.survey,
        "register",
        "csv",
        f"activity={activity.id}",
    )
    body = "".join(exports.csv_chunks(register.register_rows(activity)))
    name = f"register-{exports.slug(activity.title) or 'activity'}-{in_uk(made):%Y-%m-%d}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={name}",
            "Cache-Control": "no-store",
        },
    )


@bp.post("/<int:activity_id>/feedback/send")
def send_feedback_now(activity_id: int):
    """The feedback link emailed now, before the end time, to whoever has not had it."""
    activity = _activity(activity_id)
    count = feedback_links.send_links(activity, by=current_user._get_current_object())
    if count:
        flash(f"Sending the feedback link to {count} {'person' if count == 1 else 'people'}.")
    else:
        flash("Everyone on the register with an email address has had the feedback link.")
    return redirect(url_for("activities.show", activity_id=activity.id, _anchor="register"), 303)
