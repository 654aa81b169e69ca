"""A partner school's two contacts, its headteacher and its main contact for the hub: saving
and removing them as hub staff do, and each contact's own choice to stop the hub's email."""

import re
from dataclasses import dataclass, fields
from datetime import datetime

from hubsurvey.audit.services import record
from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.models import Contact, HeadLink, Hub, Partnership, School, utcnow

# Digits 0-9 (never another script's), spaces, +, brackets and hyphens, with a digit in it.
PHONE = re.compile(r"[0-9 +()-]*[0-9][0-9 +()-]*")
NAME_LIMIT = 120
ROLE_LIMIT = 120
EMAIL_LIMIT = 254
PHONE_LIMIT = 40
# What a headteacher's role is called when nobody has said otherwise.
HEAD_ROLE = "Headteacher"


@dataclass
class ContactDetails:
    """What hub staff record about a contact, as the form cleaned it."""

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


def one_line(text: str | None) -> str:
    """Text on one line, with runs of spaces (tabs, line breaks, no-break spaces) as one."""
    return " ".join((text or "").split())


def valid_phone(text: str) -> bool:
    return len(text) <= PHONE_LIMIT and PHONE.fullmatch(text) is not None


def school_words(school: School) -> str:
    """A school as the audit log names it."""
    # plans/review.py reads the id back from this text (_AUDITED_SCHOOL): change them together.
    return f"school {school.id}: {school.name}"


def hub_school(hub: Hub, school_id: int) -> School | None:
    """One of the hub's schools; None for another hub's, or one that does not exist."""
    partnership = db.session.get(Partnership, (hub.id, school_id))
    return partnership.school if partnership else None


def school_contacts(school: School) -> dict[str, Contact]:
    """The school's contacts by kind ('head', 'main'); a kind not yet added is missing."""
    rows = db.session.scalars(db.select(Contact).where(Contact.school_id == school.id))
    return {contact.kind: contact for contact in rows}


def hub_contacts(hub_id: int) -> dict[tuple[int, str], Contact]:
    """Every contact of the hub's schools, by (school id, kind): for the schools export."""
    rows = db.session.scalars(db.select(Contact).where(Contact.hub_id == hub_id))
    return {(contact.school_id, contact.kind): contact for contact in rows}


def find_contact(school: School, kind: str) -> Contact | None:
    return db.session.scalar(
        db.select(Contact).where(Contact.school_id == school.id, Contact.kind == kind)
    )


def stage_contact(school: School, kind: str, details: ContactDetails) -> tuple[Contact, list[str]]:
    """Add or change the school's contact of this kind in the caller's transaction. Returns it
    with the names of the details that changed (all of them for a new contact)."""
    contact = find_contact(school, kind)
    if contact is None:
        contact = new_contact(school, kind, details)
        changed = [f.name for f in fields(details) if getattr(details, f.name)]
    else:
        changed = [
            f.name for f in fields(details) if getattr(contact, f.name) != getattr(details, f.name)
        ]
        if "email" in changed:
            # Links already sent to the old address would show the new one's details: they
            # stop working, and messages to the new address carry new ones.
            contact.public_id = new_public_id()
            if kind == "head":
                withdraw_head_links(school)
    for name, value in vars(details).items():
        setattr(contact, name, value)
    return contact, changed


def new_contact(school: School, kind: str, details: ContactDetails) -> Contact:
    """A contact for a school that has none of this kind (a school just added, say), in the
    caller's transaction."""
    contact = Contact(
        hub_id=school.hub_id, school=school, kind=kind, public_id=new_public_id(), **vars(details)
    )
    db.session.add(contact)
    return contact


def save_contact(school: School, kind: str, details: ContactDetails) -> Contact:
    """Add or change the school's contact of this kind, as hub staff typed it; audited."""
    contact, changed = stage_contact(school, kind, details)
    if contact.id is None:  # not yet written: a new contact
        detail = f"{contact.kind_label}: added"
    else:
        detail = f"{contact.kind_label}: changed {', '.join(changed) or 'nothing'}"
    record("contact-saved", hub=school.hub, target=school_words(school), detail=detail)
    db.session.commit()
    return contact


def withdraw_head_links(school: School) -> int:
    """A new head, or none: the private links sent to the school's former head stop working
    (the MoU, the school's view), in the caller's transaction. How many were working."""
    now = utcnow()
    working = db.session.scalars(
        db.select(HeadLink).where(
            HeadLink.school_id == school.id,
            HeadLink.revoked_at.is_(None),
            HeadLink.expires_at > now,
        )
    ).all()
    for link in working:
        link.revoked_at = now
    return len(working)


def remove_contact(contact: Contact) -> None:
    """Delete a contact's details: the links in messages sent to them stop working, and for
    a head, their private links to the MoU and the school's view too."""
    school = contact.school
    if contact.kind == "head":
        withdraw_head_links(school)
    record(
        "contact-removed", hub=school.hub, target=school_words(school), detail=contact.kind_label
    )
    db.session.delete(contact)
    db.session.commit()


def choose_email(contact: Contact, stop: bool, now: datetime | None = None) -> bool:
    """Stop, or start again, the hub's email to this contact, as they chose on their own page.
    Returns whether anything changed: pressing the button twice records it once."""
    if stop == (contact.opted_out_at is not None):
        return False
    contact.opted_out_at = (now or utcnow()) if stop else None
    school = contact.school
    # Which school's which contact, and nothing the person typed or was given.
    record(
        "contact-opted-out" if stop else "contact-opted-in",
        hub=school.hub,
        target=school_words(school),
        detail=contact.kind_label,
    )
    db.session.commit()
    return True
