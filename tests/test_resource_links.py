"""A teacher's link to a resource opens that resource and never another: not even the one
that took its id after it was removed (SQLite gives a new row the highest id plus one, so
removing the newest resource hands its id to the next one added, in any hub)."""

import pytest
from factories import make_hub
from sqlalchemy import select, update

from hubsurvey.extensions import db
from hubsurvey.models import Resource
from hubsurvey.resources.links import resource_url
from hubsurvey.resources.services import (
    Details,
    add_resource,
    change_resource,
    remove_resource,
)


def _link(app, resource: Resource) -> str:
    with app.test_request_context():
        return resource_url(resource.id, resource.hub_id, resource.created_at)


@pytest.mark.parametrize("where", ["another hub", "the same hub"])
def test_a_removed_resources_old_link_never_opens_the_resource_that_takes_its_id(app, where):
    north = make_hub("North Hub")
    south = north if where == "the same hub" else make_hub("South Hub")
    guide = add_resource(north, Details("North guide", url="https://north.example/guide"))
    old_link, old_id = _link(app, guide), guide.id
    teacher = app.test_client()
    assert teacher.get(old_link).headers["Location"] == "https://north.example/guide"
    remove_resource(guide)

    theirs = add_resource(south, Details("South notes", url="https://south.example/notes"))
    if db.engine.dialect.name == "sqlite":
        assert theirs.id == old_id  # the id SQLite gives the next resource
    else:
        # PostgreSQL never hands an id out twice: give the new resource the old id, as
        # SQLite does, so the link is tried against the same situation on both.
        db.session.execute(update(Resource).where(Resource.id == theirs.id).values(id=old_id))
        db.session.commit()
        db.session.expire_all()
        theirs = db.session.get(Resource, old_id)

    gone = teacher.get(old_link)
    assert gone.status_code == 404 and "This link no longer works" in gone.text
    assert "south.example" not in gone.headers.get("Location", "")
    # The new resource's own link works, and the old link's visit was not counted for it.
    assert teacher.get(_link(app, theirs)).headers["Location"] == "https://south.example/notes"
    db.session.expire_all()
    assert db.session.scalar(select(Resource.downloads).where(Resource.id == old_id)) == 1


def test_a_link_still_opens_its_resource_after_the_lead_corrects_its_address(app):
    hub = make_hub("North Hub")
    guide = add_resource(hub, Details("Guide", url="https://north.example/old"))
    link = _link(app, guide)
    change_resource(guide, Details("Guide", url="https://north.example/new"))
    assert app.test_client().get(link).headers["Location"] == "https://north.example/new"
