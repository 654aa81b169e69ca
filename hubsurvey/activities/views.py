from datetime import datetime

from flask import abort, flash, g, redirect, render_template, url_for

from hubsurvey import qr
from hubsurvey.activities import bp, services
from hubsurvey.activities.forms import ActivityForm
from hubsurvey.forms import choices
from hubsurvey.htmx import render
from hubsurvey.hubs.services import current_partners


def _activity(activity_id: int):
    return services.find_activity(g.hub, activity_id) or abort(404)


def _link(activity) -> str:
    return url_for("respond.start", code=activity.code, _external=True)


@bp.get("/")
def index():
    return render_template("activities/index.html", activities=services.hub_activities(g.hub))


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
    if activity and not form.is_submitted():
        form.starts_on.data, form.starts_at.data = (
            activity.starts_at.date(),
            activity.starts_at.time(),
        )
        form.need_areas.data = [a.id for a in activity.need_areas]
        form.schools.data = [s.id for s in activity.schools]
        form.feedback.data = activity.survey_id
    if form.validate_on_submit():
        shared = next((s for s in surveys if s.id == form.feedback.data), None)
        saved = services.save_activity(
            g.hub,
            activity,
            need_areas=[a for a in areas if a.id in form.need_areas.data],
            schools=[s for s in schools if s.id in form.schools.data],
            shared_survey=shared,
            title=form.title.data.strip(),
            kind=form.kind.data,
            starts_at=datetime.combine(form.starts_on.data, form.starts_at.data),
            place=(form.place.data or "").strip(),
            online=form.online.data,
            facilitator=(form.facilitator.data or "").strip(),
        )
        flash(f"Saved {saved.title}. Its feedback link is ready.")
        return redirect(url_for("activities.show", activity_id=saved.id), 303)
    return render_template(
        "activities/form.html", form=form, activity=activity
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
