"""The resource library's pages, the download of a resource by hub staff, and a teacher's
download through a signed link."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from hubsurvey import private_links
from hubsurvey.activities.services import find_activity
from hubsurvey.extensions import db
from hubsurvey.inputs import row_id
from hubsurvey.models import Resource
from hubsurvey.resources import bp, files, links, public_bp, services
from hubsurvey.resources.forms import NO_ACTIVITY, ResourceForm

# The upload forms, whose requests may be as large as a file the library takes, and room
# for the form's other fields besides.
UPLOAD_FORMS = {"resources.new", "resources.edit"}
FORM_ROOM = 256 * 1024


def _max_bytes() -> int:
    return current_app.config["RESOURCE_MAX_BYTES"]


@bp.url_value_preprocessor
def allow_uploads(endpoint: str | None, _values: dict | None) -> None:
    """Let a signed-in member of staff send a file as large as the library takes, on its
    upload forms only (elsewhere the app's MAX_CONTENT_LENGTH holds). Set here because URL
    value preprocessors run before every before_request function, and the CSRF check in one
    of those reads the request's body."""
    if (
        endpoint in UPLOAD_FORMS
        and request.method == "POST"
        and current_user.is_authenticated
        and not current_user.is_viewer
    ):
        request.max_content_length = _max_bytes() + FORM_ROOM


@bp.errorhandler(RequestEntityTooLarge)
def too_big(_error):
    """A file larger than the request limit: a page saying how large a file may be."""
    page = render_template("resources/too_big.html", limit=files.size_words(_max_bytes()))
    return page, 413


def _resource(resource_id: int) -> Resource:
    return services.find_resource(g.hub, resource_id) or abort(404)


def _form(resource: Resource | None = None) -> ResourceForm:
    form = ResourceForm(
        obj=resource,
        need_areas=g.hub.hub_type.need_areas,
        activities=services.hub_activities(g.hub),
        max_bytes=_max_bytes(),
        keeps_file=bool(resource and resource.stored_name),
    )
    if resource is not None and not form.is_submitted():
        form.need_areas.data = [area.id for area in resource.need_areas]
        form.activity.data = resource.activity_id or NO_ACTIVITY
    return form


def _details(form: ResourceForm) -> services.Details:
    chosen = set(form.need_areas.data or [])
    return services.Details(
        title=form.title.data,
        description=form.description.data or "",
        url=form.url.data or "",
        need_areas=[area for area in g.hub.hub_type.need_areas if area.id in chosen],
        phases=list(form.phases.data or []),
        activity=(
            find_activity(g.hub, form.activity.data) if form.activity.data != NO_ACTIVITY else None
        ),
    )


@bp.get("/")
def index():
    areas = g.hub.hub_type.need_areas
    wanted = request.args.get("need_area", type=row_id)
    area = next((a for a in areas if a.id == wanted), None)
    return render_template(
        "resources/index.html",
        resources=services.hub_resources(g.hub, area.id if area else None),
        need_areas=areas,
        area=area,
        kind_of=files.kind_of,
        size_words=files.size_words,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _form()
    if form.validate_on_submit():
        try:
            resource = services.add_resource(
                g.hub, _details(form), form.upload, by=current_user._get_current_object()
            )
        except services.ResourceError as error:
            form.file.errors.append(str(error))
            return render_template("resources/form.html", form=form, resource=None), 503
        flash(f"Added {resource.title} to the library")
        return redirect(url_for("resources.index"), 303)
    return render_template("resources/form.html", form=form, resource=None), (
        422 if form.errors else 200
    )


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(resource_id: int):
    resource = _resource(resource_id)
    form = _form(resource)
    page = {"form": form, "resource": resource, "kind": files.kind_of(resource)}
    if form.validate_on_submit():
        try:
            services.change_resource(resource, _details(form), form.upload)
        except services.ResourceError as error:
            form.file.errors.append(str(error))
            return render_template("resources/form.html", **page), 503
        flash(f"Saved {resource.title}")
        return redirect(url_for("resources.index"), 303)
    return render_template("resources/form.html", **page), 422 if form.errors else 200


@bp.post("/<int:resource_id>/remove")
def remove(resource_id: int):
    resource = _resource(resource_id)
    title = resource.title
    try:
        services.remove_resource(resource)
    except services.ResourceError as error:
        flash(str(error), "error")
        return redirect(url_for("resources.edit", resource_id=resource_id), 303)
    flash(f"Removed {title} from the library")
    return redirect(url_for("resources.index"), 303)


@bp.get("/<int:resource_id>/file")
def download(resource_id: int):
    """The resource's file, or through to its link: counted either way."""
    return _deliver(_resource(resource_id)) or abort(404)


# A teacher's link, from the page after they send a needs assessment

resource_links = private_links.limit("RESOURCE_LINK_LIMIT", "resource-link")


@public_bp.get("/r/<int:resource_id>/<signature>", endpoint="open")
@resource_links
def open_resource(resource_id: int, signature: str):
    """The same 'no longer works' page for a link not made here and a resource removed
    (another resource given its id since included): one query by id, then the signature."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or not links.signed(resource, signature):
        return private_links.gone()
    return _deliver(resource, private_links.PUBLIC_HEADERS) or private_links.gone()


def _deliver(resource: Resource, headers: dict[str, str] | None = None):
    """The file, or a redirect to the link; None when the resource (or its file) is gone."""
    if resource.stored_name:
        try:
            path = files.stored_path(resource)
        except FileNotFoundError:
            path = None
        if path is None or not path.is_file():
            current_app.logger.error("Resource %s has no file %s", resource.id, path)
            return None
    # A HEAD request (a link checker, say) is not a download.
    if request.method != "HEAD" and not services.count_download(resource.id):
        return None
    if resource.stored_name:
        return files.send(resource, headers)
    response = redirect(resource.url, 303)
    response.headers.update(headers or {})
    return response
