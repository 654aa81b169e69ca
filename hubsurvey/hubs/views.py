from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from hubsurvey.contacts.services import school_contacts
from hubsurvey.extensions import db
from hubsurvey.hubs import bp, imports, services
from hubsurvey.hubs.forms import ConfirmImportForm, ImportForm, SchoolForm
from hubsurvey.models import Hub
from hubsurvey.mou.services import school_mou
from hubsurvey.reports.feedback import comments
from hubsurvey.reports.planning import needs_and_activities, open_surveys
from hubsurvey.vocabulary import CONTACT_KINDS


@bp.get("/")
def index():
    if current_user.is_admin:
        hubs = db.session.scalars(db.select(Hub).order_by(Hub.name)).all()
    else:
        hubs = current_user.hubs
    return render_template("hubs/index.html", hubs=hubs)


@bp.get("/hubs/<hub_slug>/")
def hub():
    if current_user.is_viewer:
        return render_template("hubs/viewer_hub.html")  # only the reports they may read
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
    _phase_hint(form)
    if form.validate_on_submit():
        try:
            details = _details(form)
            partnership = services.add_partner(g.hub, details, form.status.data, by=_me())
        except services.SchoolError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Added {partnership.school.name}.")
            if outside := services.phase_outside_words(g.hub, partnership.school):
                flash(outside, "warning")
            return redirect(url_for("hubs.hub"), 303)
    return render_template("hubs/school_new.html", form=form), 422 if form.errors else 200


@bp.route("/hubs/<hub_slug>/schools/<int:school_id>", methods=["GET", "POST"])
def school(school_id: int):
    partnership = services.find_partnership(g.hub, school_id) or abort(404)
    form = SchoolForm(obj=partnership.school, status=partnership.status)
    _phase_hint(form)
    if form.validate_on_submit():
        try:
            services.update_partner(partnership, _details(form), form.status.data, by=_me())
        except services.SchoolError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Saved {partnership.school.name}.")
            return redirect(url_for("hubs.hub"), 303)
    page = render_template(
        "hubs/school.html",
        form=form,
        partnership=partnership,
        school=partnership.school,
        contacts=school_contacts(partnership.school),
        contact_kinds=CONTACT_KINDS,
        history=services.status_history(partnership),
        mou=school_mou(partnership),
    )
    return page, 422 if form.errors else 200


@bp.post("/hubs/<hub_slug>/schools/<int:school_id>/remove")
def remove_school(school_id: int):
    partnership = services.find_partnership(g.hub, school_id) or abort(404)
    name = partnership.school.name
    services.remove_partner(partnership)
    flash(f"Removed {name} from this hub's schools.")
    return redirect(url_for("hubs.hub"), 303)


# The import's two steps: the file, then the columns read from it sent back to confirm.
IMPORT_STEPS = {"hubs.import_schools", "hubs.confirm_import"}


@bp.url_value_preprocessor
def allow_school_files(endpoint: str | None, _values: dict | None) -> None:
    """Let staff send a register download as large as the import takes, on its two steps only
    (elsewhere the app's MAX_CONTENT_LENGTH holds). Set here because URL value preprocessors
    run before every before_request function, and the CSRF check in one reads the body."""
    if (
        endpoint in IMPORT_STEPS
        and request.method == "POST"
        and current_user.is_authenticated
        and not current_user.is_viewer
    ):
        request.max_content_length = imports.MAX_BYTES + 64 * 1024
        request.max_form_memory_size = imports.MAX_BYTES + 64 * 1024


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
            form.file.errors.append(imports.TOO_BIG)
        else:
            check = imports.check_file(g.hub, imports.decode(data))
            form.file.errors.extend(check.problems)
    refused = form.errors or (check and check.problem_rows and not check.importable)
    return _import_page(form, check), 422 if refused else 200


@bp.post("/hubs/<hub_slug>/schools/import/confirm")
def confirm_import():
    """Step 2: the same file, checked again, and what the lead chose written in one
    transaction, unless what it would do changed since the check (a school added meanwhile)."""
    confirm = ConfirmImportForm()
    if not confirm.validate_on_submit():
        abort(400)
    check = imports.check_file(g.hub, confirm.text.data or "")
    if check.plan != confirm.plan.data or not check.importable:
        return _import_page(ImportForm(formdata=None), check, changed=True), 409
    try:
        result = imports.import_checked(
            g.hub, check, confirm.update.data or [], confirm.closed.data or [], by=_me()
        )
    except imports.NotOffered:
        abort(400)
    except services.SchoolError:
        check = imports.check_file(g.hub, check.text)
        return _import_page(ImportForm(formdata=None), check, changed=True), 409
    flash(result.words())
    return redirect(url_for("hubs.hub"), 303)


def _import_page(form: ImportForm, check: imports.ImportCheck | None, changed: bool = False):
    confirm = None
    if check is not None:
        confirm = ConfirmImportForm(formdata=None, text=check.text, plan=check.plan)
    return render_template(
        "hubs/import.html",
        form=form,
        check=check,
        confirm=confirm,
        changed=changed,
        serves=services.serves_words(g.hub),
    )


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


def _me():
    """The signed-in user, as a row to store (not flask-login's proxy)."""
    return current_user._get_current_object()


def _phase_hint(form: SchoolForm) -> None:
    """Say, by the phase, which phases the hub serves: a school of another can still be added."""
    if serves := services.serves_words(g.hub):
        form.phase.description = (
            f"This hub serves {serves}. You can still add a school of another phase."
        )


def _details(form: SchoolForm) -> services.SchoolDetails:
    return services.SchoolDetails(
        name=form.name.data.strip(),
        urn=services.clean_urn(form.urn.data),
        phase=form.phase.data,
        local_authority=(form.local_authority.data or "").strip(),
        trust=(form.trust.data or "").strip(),
    )
