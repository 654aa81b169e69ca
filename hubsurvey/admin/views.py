from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for

from hubsurvey.admin import bp, services
from hubsurvey.admin.forms import (
    EditUserForm,
    HubForm,
    HubTypeForm,
    NeedAreaForm,
    NewUserForm,
)
from hubsurvey.audit.services import record
from hubsurvey.auth.services import (
    AccountError,
    account_words,
    create_user,
    find_link,
    issue_link,
)
from hubsurvey.extensions import db
from hubsurvey.forms import choices
from hubsurvey.models import Hub, HubType, NeedArea, User
from hubsurvey.outbox import services as outbox
from hubsurvey.retention import services as retention
from hubsurvey.worker import HEARTBEAT, last_run


def _hub_choices(form) -> None:
    hubs = db.session.scalars(db.select(Hub).order_by(Hub.name))
    form.hubs.choices = choices((hub.id, hub.name) for hub in hubs)


@bp.get("/")
def index():
    counts = {
        "hubs": db.session.scalar(db.select(db.func.count(Hub.id))),
        "users": db.session.scalar(db.select(db.func.count(User.id))),
        "hub_types": db.session.scalar(db.select(db.func.count(HubType.id))),
    }
    return render_template(
        "admin/index.html",
        counts=counts,
        purge=last_run(retention.JOB),
        heartbeat=last_run(HEARTBEAT),
        expired=retention.still_expired(),
    )


# Hubs


@bp.get("/hubs")
def hubs():
    rows = db.session.scalars(db.select(Hub).order_by(Hub.name))
    return render_template("admin/hubs.html", hubs=rows)


@bp.route("/hubs/new", methods=["GET", "POST"])
def new_hub():
    return _hub_form(None)


@bp.route("/hubs/<int:hub_id>/edit", methods=["GET", "POST"])
def edit_hub(hub_id: int):
    return _hub_form(db.get_or_404(Hub, hub_id))


def _hub_form(hub: Hub | None):
    form = HubForm(obj=hub)
    types = db.session.scalars(db.select(HubType).order_by(HubType.name)).all()
    types = [t for t in types if t.active or (hub and hub.hub_type_id == t.id)]
    form.hub_type_id.choices = choices((t.id, t.name) for t in types)
    form.phases.description = services.phases_hint(types)
    if form.validate_on_submit():
        if services.hub_name_taken(form.name.data, hub):
            form.name.errors.append("There is already a hub with this name")
        elif hub and form.hub_type_id.data != hub.hub_type_id and services.type_in_use(hub):
            form.hub_type_id.errors.append(
                f"This hub's surveys and activities use the need areas of "
                f"{services.type_words(hub.hub_type, start=False)}, so its type cannot change. "
                "Set up a new hub for the other type instead."
            )
        elif problem := services.hub_phases_problem(form.hub_type_id.data, form.phases.data):
            form.phases.errors.append(problem)
        else:
            saved = services.save_hub(
                hub,
                name=form.name.data.strip(),
                hub_type_id=form.hub_type_id.data,
                area=(form.area.data or "").strip(),
                phases=form.phases.data,
                subject=(form.subject.data or "").strip() or None,
                contact_email=(form.contact_email.data or "").strip().lower(),
                smallest_group=form.smallest_group.data or 5,
            )
            flash(f"Saved {saved.name}.")
            return redirect(url_for("admin.hubs"), 303)
    status = 422 if form.errors else 200
    return render_template("admin/hub_form.html", form=form, hub=hub), status


# Accounts


@bp.get("/users")
def users():
    rows = db.session.scalars(db.select(User).order_by(User.email))
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    _hub_choices(form)
    if form.validate_on_submit():
        hubs = _chosen_hubs(form.hubs.data)
        try:
            user = create_user(form.email.data, form.role.data, hubs=hubs)
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            return _show_password_link(user, new=True)
    status = 422 if form.errors else 200
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    if not form.is_submitted():
        # WTForms prefers obj's attribute to a keyword: user.hubs holds Hubs, not the ids.
        form.hubs.data = [h.id for h in user.hubs]
    _hub_choices(form)
    if form.validate_on_submit():
        services.update_user(user, form.role.data, form.active.data, _chosen_hubs(form.hubs.data))
        flash(f"Saved {user.email}.")
        return redirect(url_for("admin.users"), 303)
    status = 422 if form.errors else 200
    return render_template("admin/user_edit.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/password-link")
def password_link(user_id: int):
    """A new one-time link for a person who lost theirs or forgot their password."""
    user = db.get_or_404(User, user_id)
    # Whoever holds the link can take over the account: who made one is worth knowing.
    record("password-link-issued", target=account_words(user))
    return _show_password_link(user)


def _show_password_link(user: User, new: bool = False):
    days = current_app.config["PASSWORD_LINK_DAYS"]
    token = issue_link("password", timedelta(days=days), user)
    link = url_for("auth.set_password", token=token, _external=True)
    # Emailed too when a mail server is set up; shown either way, for another way to send it.
    why = (
        "An administrator has made you an account on hubsurvey, where school hubs ask "
        "teachers what training they need."
        if new
        else "An administrator has made you a new link to set your hubsurvey password. "
        "Any earlier link no longer works."
    )
    emailed = outbox.email_password_link(user, link, find_link(token, "password").id, days, why=why)
    return render_template(
        "admin/password_link.html", user=user, link=link, days=days, emailed=emailed
    )


def _chosen_hubs(ids: list[int]) -> list[Hub]:
    if not ids:
        return []
    return list(db.session.scalars(db.select(Hub).where(Hub.id.in_(ids))))


# Hub types and their need areas


@bp.get("/hub-types")
def hub_types():
    rows = db.session.scalars(db.select(HubType).order_by(HubType.name))
    return render_template("admin/hub_types.html", hub_types=rows)


@bp.route("/hub-types/<int:hub_type_id>", methods=["GET", "POST"])
def edit_hub_type(hub_type_id: int):
    hub_type = db.get_or_404(HubType, hub_type_id)
    form = HubTypeForm(obj=hub_type)
    if form.validate_on_submit():
        if services.hub_type_name_taken(form.name.data, hub_type):
            form.name.errors.append("There is already a kind of hub with this name")
        elif problem := services.type_phases_problem(hub_type, form.phases.data):
            form.phases.errors.append(problem)
        else:
            services.save_hub_type(
                hub_type,
                name=form.name.data.strip(),
                description=(form.description.data or "").strip(),
                subject=(form.subject.data or "").strip() or None,
                phases=form.phases.data,
                active=form.active.data,
            )
            flash(f"Saved {hub_type.name}.")
            return redirect(url_for("admin.edit_hub_type", hub_type_id=hub_type.id), 303)
    return _hub_type_page(hub_type, form=form, area_form=NeedAreaForm(formdata=None))


def _hub_type_page(hub_type: HubType, form, area_form):
    status = 422 if form.errors or area_form.errors else 200
    return render_template(
        "admin/hub_type.html", hub_type=hub_type, form=form, area_form=area_form
    ), status


@bp.post("/hub-types/<int:hub_type_id>/need-areas")
def add_need_area(hub_type_id: int):
    hub_type = db.get_or_404(HubType, hub_type_id)
    area_form = NeedAreaForm()
    if area_form.validate_on_submit():
        if services.need_area_name_taken(hub_type, area_form.name.data, None):
            area_form.name.errors.append("This framework already has a need area with that name")
        else:
            services.add_need_area(
                hub_type, area_form.name.data.strip(), (area_form.description.data or "").strip()
            )
            flash(f"Added {area_form.name.data.strip()}.")
            return redirect(url_for("admin.edit_hub_type", hub_type_id=hub_type.id), 303)
    return _hub_type_page(
        hub_type, form=HubTypeForm(obj=hub_type, formdata=None), area_form=area_form
    )


@bp.route("/need-areas/<int:area_id>", methods=["GET", "POST"])
def edit_need_area(area_id: int):
    area = db.get_or_404(NeedArea, area_id)
    form = NeedAreaForm(obj=area)
    if form.validate_on_submit():
        if services.need_area_name_taken(area.hub_type, form.name.data, area):
            form.name.errors.append("This framework already has a need area with that name")
        else:
            services.update_need_area(
                area, form.name.data.strip(), (form.description.data or "").strip()
            )
            flash(f"Saved {area.name}.")
            return redirect(url_for("admin.edit_hub_type", hub_type_id=area.hub_type_id), 303)
    status = 422 if form.errors else 200
    return render_template("admin/need_area.html", form=form, area=area), status


@bp.post("/need-areas/<int:area_id>/move/<any(up, down):direction>")
def move_need_area(area_id: int, direction: str):
    area = db.get_or_404(NeedArea, area_id)
    services.move_need_area(area, -1 if direction == "up" else 1)
    return redirect(
        url_for("admin.edit_hub_type", hub_type_id=area.hub_type_id, _anchor="need-areas"), 303
    )


@bp.post("/need-areas/<int:area_id>/remove")
def remove_need_area(area_id: int):
    area = db.get_or_404(NeedArea, area_id)
    hub_type_id, name = area.hub_type_id, area.name
    try:
        services.remove_need_area(area)
    except services.NeedAreaInUse as error:
        flash(str(error), "error")
    else:
        flash(f"Removed {name}.")
    return redirect(
        url_for("admin.edit_hub_type", hub_type_id=hub_type_id, _anchor="need-areas"), 303
    )
