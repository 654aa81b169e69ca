"""The resource library: add, change and remove a hub's resources, keeping each row and its
file in step, and count their downloads."""

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, NeedArea, Resource, User
from hubsurvey.models.resources import resource_need_area
from hubsurvey.resources import files


class ResourceError(Exception):
    """A change that could not be made; the message says so, for the lead."""


@dataclass
class Details:
    """What hub staff say about a resource, as the form cleaned it."""

    title: str
    description: str = ""
    url: str = ""
    need_areas: list[NeedArea] | None = None
    phases: list[str] | None = None
    activity: Activity | None = None


def resource_words(resource: Resource) -> str:
    """A resource as the audit log names it."""
    return f"resource {resource.id}: {resource.title}"


def hub_resources(hub: Hub, need_area_id: int | None = None) -> list[Resource]:
    """The hub's library, newest first; only those tagged with one need area, if given."""
    query = (
        db.select(Resource)
        .where(Resource.hub_id == hub.id)
        .options(selectinload(Resource.need_areas), selectinload(Resource.activity))
        .order_by(Resource.created_at.desc(), Resource.id.desc())
    )
    if need_area_id is not None:
        tagged = db.select(resource_need_area.c.resource_id).where(
            resource_need_area.c.need_area_id == need_area_id
        )
        query = query.where(Resource.id.in_(tagged))
    return list(db.session.scalars(query))


def find_resource(hub: Hub, resource_id: int) -> Resource | None:
    """One of this hub's resources; None for another hub's, or none."""
    return db.session.scalar(
        db.select(Resource).where(Resource.id == resource_id, Resource.hub_id == hub.id)
    )


def hub_activities(hub: Hub) -> list[Activity]:
    """The activities a resource may come from, latest first."""
    return list(
        db.session.scalars(
            db.select(Activity).where(Activity.hub_id == hub.id).order_by(Activity.starts_at.desc())
        )
    )


def resource_counts(hub: Hub) -> dict[int, int]:
    """How many of the hub's resources are tagged with each need area (areas with none are
    missing), counted in SQL."""
    rows = db.session.execute(
        db.select(resource_need_area.c.need_area_id, func.count())
        .join(Resource, Resource.id == resource_need_area.c.resource_id)
        .where(Resource.hub_id == hub.id)
        .group_by(resource_need_area.c.need_area_id)
    )
    return dict(rows.tuples().all())


def _describe(resource: Resource, details: Details) -> None:
    resource.title, resource.description = details.title, details.description
    resource.need_areas = list(details.need_areas or [])
    resource.phases = list(details.phases or [])
    resource.activity = details.activity


def _take_file(resource: Resource, upload: files.Upload, stored_name: str) -> None:
    resource.url = ""
    resource.file_name, resource.stored_name = upload.name, stored_name
    resource.content_type, resource.size = upload.kind.content_type, upload.size


def _take_link(resource: Resource, url: str) -> None:
    resource.url = url
    resource.file_name = resource.stored_name = resource.content_type = ""
    resource.size = 0


def _what(resource: Resource) -> str:
    """The audit entry's detail: a link's host or a file's kind and size (no one's data)."""
    if resource.stored_name:
        kind = files.kind_of(resource)
        return f"{kind.label if kind else 'file'}, {files.size_words(resource.size)}"
    return "a link"


def _store(hub_id: int, upload: files.Upload | None) -> str | None:
    if upload is None:
        return None
    try:
        return files.store(hub_id, upload)
    except OSError as error:
        raise ResourceError(
            "The file could not be saved just now, so nothing has changed. "
            "Try again in a few minutes."
        ) from error


def add_resource(
    hub: Hub, details: Details, upload: files.Upload | None = None, by: User | None = None
) -> Resource:
    """Add a link (details.url) or a file (upload) to the library. The file is kept first;
    if the row then cannot be saved, the file is deleted again."""
    hub_id = hub.id  # read now: a rollback expires the hub, and reading it may fail then
    resource = Resource(hub=hub, created_by_id=by.id if by else None)
    _describe(resource, details)
    stored = _store(hub_id, upload)
    try:
        if upload:
            _take_file(resource, upload, stored)
        else:
            _take_link(resource, details.url)
        db.session.add(resource)
        db.session.flush()
        record("resource-added", hub=hub, target=resource_words(resource), detail=_what(resource))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.delete(hub_id, stored)
        raise
    return resource


def change_resource(
    resource: Resource, details: Details, upload: files.Upload | None = None
) -> Resource:
    """Change what is said about a resource; a new file replaces its file, a link given
    replaces a file. The old file is deleted only once the row no longer names it."""
    hub_id = resource.hub_id
    old_stored = resource.stored_name or None
    stored = _store(hub_id, upload)
    try:
        _describe(resource, details)
        if upload:
            _take_file(resource, upload, stored)
        elif details.url:
            _take_link(resource, details.url)
        record(
            "resource-changed",
            hub=resource.hub,
            target=resource_words(resource),
            detail=_what(resource),
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.delete(hub_id, stored)
        raise
    if old_stored and old_stored != resource.stored_name:
        files.delete(hub_id, old_stored)
    return resource


def remove_resource(resource: Resource) -> None:
    """Remove a resource and its file in one step. The file is moved aside first: if that
    fails, nothing changes; if the row cannot then be deleted, the file goes back. So no row
    ever names a file that is gone."""
    try:
        moved = files.set_aside(resource)
    except OSError as error:
        raise ResourceError(
            f"{resource.title} could not be removed just now, so it is still in the library. "
            "Try again in a few minutes."
        ) from error
    try:
        record("resource-removed", hub=resource.hub, target=resource_words(resource))
        db.session.delete(resource)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.put_back(moved)
        raise
    files.discard(moved)


def count_download(resource_id: int) -> bool:
    """Add one to the resource's downloads, in the database (two at once both count); False
    when there is no such resource. A database that cannot take the write just now does not
    stop the download."""
    # The read ends first: on SQLite a fresh write waits its turn, where a read turned into a
    # write part-way can fail at once.
    db.session.commit()
    try:
        counted = db.session.execute(
            update(Resource)
            .where(Resource.id == resource_id)
            .values(downloads=Resource.downloads + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        return db.session.get(Resource, resource_id) is not None
    return counted > 0
