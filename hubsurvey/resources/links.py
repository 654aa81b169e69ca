"""Teachers' links to a hub's resources, shown on the page after they send a needs
assessment: they are not signed in, so the link carries an HMAC under the app's secret key.
It cannot be guessed or changed to name another resource, and a copy of the database, which
holds no secret key, opens nothing.

The HMAC covers the resource's id, its hub and the moment it was added, not the id alone:
SQLite gives a new row the highest id plus one, so after the newest resource is removed the
next one added (in any hub) takes its id, and a link signing only the id would open it. A
reused id never comes back with the same hub and moment. The file and the web address are
left out, so a link a teacher was given still works after the lead replaces the file or
corrects the address."""

import hashlib
import hmac
from datetime import datetime

from flask import current_app, url_for

from hubsurvey.models import Resource


def _signature(resource_id: int, hub_id: int, created_at: datetime) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    text = f"resource:{resource_id}:{hub_id}:{created_at.isoformat()}"
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def resource_url(
    resource_id: int, hub_id: int, created_at: datetime, external: bool = False
) -> str:
    """A resource's public link: its file, or a counted way through to its web address.
    Takes the resource's id, hub and time added (as a Resource or an offer holds them)."""
    return url_for(
        "public_resources.open",
        resource_id=resource_id,
        signature=_signature(resource_id, hub_id, created_at),
        _external=external,
    )


def signed(resource: Resource, signature: str) -> bool:
    """Whether the link was made here for this resource, and not for one removed that had
    its id before it."""
    made = _signature(resource.id, resource.hub_id, resource.created_at)
    # As bytes: compare_digest refuses str holding anything but ASCII, and links get mangled.
    return hmac.compare_digest(made.encode(), signature.encode())
