"""The link in every message to a school contact: why the hub holds their details, and a
button to stop its email. It names the contact by a random public id and carries an HMAC of
that id under the app's secret key, so it cannot be guessed, and a copy of the database,
which holds no secret key, opens nothing."""

import hashlib
import hmac
import secrets

from flask import current_app, url_for

from hubsurvey.extensions import db
from hubsurvey.models import Contact


def new_public_id() -> str:
    return secrets.token_hex(16)


def _signature(public_id: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"contact:{public_id}".encode(), hashlib.sha256).hexdigest()[:32]


def contact_url(contact: Contact) -> str:
    """The contact's own page, as a full URL to put in an email."""
    return url_for(
        "contact_page.show",
        public_id=contact.public_id,
        signature=_signature(contact.public_id),
        _external=True,
    )


def find_contact(public_id: str, signature: str) -> Contact | None:
    """The contact a link names, or None for a link that was not made here."""
    # As bytes: compare_digest refuses str holding anything but ASCII, and links get mangled.
    if not hmac.compare_digest(_signature(public_id).encode(), signature.encode()):
        return None
    return db.session.scalar(db.select(Contact).where(Contact.public_id == public_id))
