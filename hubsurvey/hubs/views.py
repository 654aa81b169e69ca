from flask import Response, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from hubsurvey.extensions import db
from hubsurvey.hubs import bp, imports, services
from hubsurvey.hubs.forms import ConfirmImportForm, ImportForm, SchoolForm
from hubsurvey.models import Hub
from hubsurvey.reports.feedback import comments
from hubsurvey.reports.planning import needs_and_activities, open_surveys


@bp.get("/")
def index():
    if current_user.is_admin:
        hubs = db.session.scalars(db.select(Hub).order_by(Hub.name)).all()
    else:
        hubs = current_user.hubs
    return render_template("hubs/index.html", hubs=hubs)


@bp.get("/hubs/<hub_slug>/")
def hub():
    needs = needs_and_activities(g.hub)
    return render_template(
        "hubs/hub.html",
        partners=services.partner_schools(g.hub),
        counts=services.status_counts(g.hub),
        open_surveys=open_surveys(g.hub),
        top_needs=[n for n in needs if n.row.rank][:3],
        needs_hidden=bool(needs) and not any(n.row.rank for n in needs),
        latest=comments(g.hub, limit=3),
    )


@bp.route("/hubs/<hub_slug>/schools/new", methods=["GET", "POST"])
def new_school():
    form = SchoolForm()
    if form.validate_on_submit():
        try:
            details = _details(form)
            partnership = services.add_partner(g.hub, details, form.status.data)
        except services.SchoolError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Added {partnership.school.name}.")
            return redirect(url_for("hubs.hub"), 303)
    return render_template("hubs/school_new.html", form=form), 422 if form.errors else 200


@bp.route("/hubs/<hub_slug>/schools/<int:school_id>", methods=["GET", "POST"])
def school(school_id: int):
    partnership = services.find_partnership(g.hub, school_id) or abort(404)
    form = SchoolForm(obj=partnership.school, status=partnership.status)
    if form.validate_on_submit():
        try:
            services.update_partner(partnership, _details(form), form.status.data)
        except services.SchoolError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Saved {partnership.school.name}.")
            return redirect(url_for("hubs.hub"), 303)
    return render_template(
        "hubs/school.html", form=form, partnership=partnership
    ), 422 if form.errors else 200


@bp.post("/hubs/<hub_slug>/schools/<int:school_id>/remove")
def remove_school(school_id: int):
    partnership = services.find_partnership(g.hub, school_id) or abort(404)
    name = partnership.school.name
    services.remove_partner(partnership)
    flash(f"Removed {name} from this hub's schools.")
    return redirect(url_for("hubs.hub"), 303)


@bp.route("/hubs/<hub_slug>/schools/import", methods=["GET", "POST"])
def import_schools():
    """Step 1: upload a file; every row is checked and shown, nothing is written yet."""
    form = ImportForm()
    check = None
    if form.validate_on_submit():
        upload = form.file.data
        data = b""
        if upload:
            with upload.stream:
                data = upload.stream.read(imports.MAX_BYTES + 1)
        if not upload or not upload.filename:
            form.file.errors.append("Choose a CSV file to upload")
        elif len(data) > imports.MAX_BYTES:
            form.file.errors.append("The file is too big. It must be 1 MB or smaller.")
        else:
            check = imports.check_file(g.hub, imports.decode(data))
            form.file.errors.extend(check.problems)
    status = 422 if form.errors or (check and not check.valid) else 200
    return render_template(
        "hubs/import.html",
        form=form,
        check=check,
        confirm=ConfirmImportForm(text=check and check.text),
    ), status


@bp.post("/hubs/<hub_slug>/schools/import/confirm")
def confirm_import():
    """Step 2: the same file, checked again, written in one transaction."""
    confirm = ConfirmImportForm()
    if not confirm.validate_on_submit():
        abort(400)
    check = imports.check_file(g.hub, confirm.text.data or "")
    if not check.valid:
        # Something changed since the preview (a school was added meanwhile): show why.
        return render_template(
            "hubs/import.html", form=ImportForm(formdata=None), check=check, confirm=confirm
        ), 422
    count = services.add_partners(g.hub, [(row.details, row.status) for row in check.rows])
    flash(f"Imported {count} {'school' if count == 1 else 'schools'}.")
    return redirect(url_for("hubs.hub"), 303)


@bp.get("/hubs/<hub_slug>/schools/import/template.csv")
def import_template():
    body = (
        "name,urn,phase,local_authority,trust,status\r\n"
        "Example Primary School,100000,Primary,Camden,Example Trust,Invited\r\n"
    )
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=partner-schools-template.csv"},
    )


def _details(form: SchoolForm) -> services.SchoolDetails:
    return services.SchoolDetails(
        name=form.name.data.strip(),
        urn=services.clean_urn(form.urn.data),
        phase=form.phase.data,
        local_authority=(form.local_authority.data or "").strip(),
        trust=(form.trust.data or "").strip(),
    )
