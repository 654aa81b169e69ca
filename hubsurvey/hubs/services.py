"""Partner schools: adding, changing and listing the schools a hub works with."""

import re
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hubsurvey.audit.services import record
from hubsurvey.contacts.services import (
    HEAD_ROLE,
    ContactDetails,
    find_contact,
    new_contact,
    school_words,
    stage_contact,
)
from hubsurvey.extensions import db
from hubsurvey.models import Hub, Partnership, School, StatusChange, User
from hubsurvey.vocabulary import PARTNER_STATUSES, PHASES

# 0-9 only: Python's \d also matches other scripts' digits, such as Arabic-Indic ones.
URN_PATTERN = re.compile(r"[0-9]{6}")


class SchoolError(ValueError):
    """A school that cannot be saved as given: which field, and why, in plain words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class SchoolDetails:
    name: str
    urn: str | None
    phase: str
    local_authority: str = ""
    trust: str = ""


def clean_urn(value: str | None) -> str | None:
    """A URN as stored (six digits) or None; raises SchoolError for anything else."""
    value = re.sub(r"\s", "", value or "")
    if not value:
        return None
    if not URN_PATTERN.fullmatch(value):
        raise SchoolError("urn", "URN must be 6 digits, like 100000")
    return value


def partner_schools(hub: Hub) -> list[Partnership]:
    return list(
        db.session.scalars(
            db.select(Partnership)
            .join(Partnership.school)
            .where(Partnership.hub_id == hub.id)
            .order_by(func.lower(School.name))
        )
    )


def current_partners(hub: Hub) -> list[School]:
    """The schools the hub works with now (not those that left), A to Z."""
    return list(
        db.session.scalars(
            db.select(School)
            .join(Partnership, Partnership.school_id == School.id)
            .where(Partnership.hub_id == hub.id, Partnership.status != "left")
            .order_by(func.lower(School.name))
        )
    )


def status_counts(hub: Hub) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Partnership.status, func.count())
        .where(Partnership.hub_id == hub.id)
        .group_by(Partnership.status)
    )
    counts = dict.fromkeys(PARTNER_STATUSES, 0)
    counts.update(dict(rows.tuples().all()))
    return counts


def find_partnership(hub: Hub, school_id: int) -> Partnership | None:
    return db.session.get(Partnership, (hub.id, school_id))


def school_by_urn(hub: Hub, urn: str) -> School | None:
    """This hub's record of the school with this URN. Other hubs' records are never found."""
    return db.session.scalar(db.select(School).where(School.hub_id == hub.id, School.urn == urn))


def partner_named(hub: Hub, name: str) -> School | None:
    return db.session.scalar(
        db.select(School)
        .join(Partnership, Partnership.school_id == School.id)
        .where(Partnership.hub_id == hub.id, func.lower(School.name) == name.strip().lower())
    )


def check_new_partner(hub: Hub, details: SchoolDetails) -> None:
    """Refuse a school the hub already has. Other hubs' schools are neither looked at nor
    linked: each hub keeps its own record of a school."""
    if details.urn and (school := school_by_urn(hub, details.urn)):
        raise SchoolError(
            "urn", f"{school.name} (URN {details.urn}) is already one of this hub's schools"
        )
    if partner_named(hub, details.name):
        raise SchoolError("name", f"{details.name} is already one of this hub's schools")


def add_partner(
    hub: Hub, details: SchoolDetails, status: str = "invited", by: User | None = None
) -> Partnership:
    """Add a school to the hub's partners, as a record of this hub's own, with its first
    status in its history (set by `by`)."""
    partnership = _stage_partner(hub, details, status, by)
    db.session.commit()
    return partnership


def _stage_partner(hub: Hub, details: SchoolDetails, status: str, by: User | None) -> Partnership:
    check_new_partner(hub, details)
    school = School(hub=hub, **vars(details))
    db.session.add(school)
    partnership = Partnership(hub=hub, school=school, status=status)
    db.session.add(partnership)
    db.session.flush()
    note_status(partnership, by)
    return partnership


def note_status(partnership: Partnership, by: User | None = None, note: str = "") -> StatusChange:
    """Add the partnership's status, as it now is, to its history, in the caller's
    transaction. `by` is who set it: None when the head did (say how in `note`) or a command."""
    change = StatusChange(
        hub_id=partnership.hub_id,
        school_id=partnership.school_id,
        status=partnership.status,
        changed_by=by,
        note=note[:200],
    )
    db.session.add(change)
    return change


def change_status(
    partnership: Partnership, status: str, by: User | None = None, note: str = ""
) -> bool:
    """Set the partnership's status, kept in its history (with `note`: who, when `by` is
    None) and the audit log when it changes. In the caller's transaction; returns whether it
    changed."""
    old = partnership.status
    if status == old:
        return False
    partnership.status = status
    note_status(partnership, by, note)
    record(
        "status-changed",
        hub=partnership.hub,
        target=school_words(partnership.school),
        detail=f"{PARTNER_STATUSES.get(old, old)} → {PARTNER_STATUSES.get(status, status)}",
        user=by,
    )
    return True


def status_history(partnership: Partnership) -> list[StatusChange]:
    """The school's statuses in this hub, newest first, with who set each."""
    return list(
        db.session.scalars(
            db.select(StatusChange)
            .where(
                StatusChange.hub_id == partnership.hub_id,
                StatusChange.school_id == partnership.school_id,
            )
            .options(selectinload(StatusChange.changed_by))
            .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
        )
    )


@dataclass
class SchoolUpdate:
    """Changes to one of the hub's schools: new values of its details, and its status."""

    partnership: Partnership
    fields: dict[str, str | None] = field(default_factory=dict)
    status: str | None = None
    # New values of its head's details ('name', 'phone'), as the register gives them.
    head: dict[str, str] = field(default_factory=dict)


@dataclass
class NewPartner:
    """A school to add, with its status and, when the file names one, its head."""

    details: SchoolDetails
    status: str = "invited"
    head: ContactDetails | None = None


def import_partners(
    hub: Hub, new: list[NewPartner], updates: list[SchoolUpdate], by: User | None = None
) -> None:
    """Update some of the hub's schools and add others, in one transaction: all of it, or none.
    The caller has checked them against the hub's schools (imports.check_file) just before;
    should a school with one of the URNs be added meanwhile, the database refuses it, and this
    raises SchoolError having written nothing."""
    try:
        for update in updates:
            for name, value in update.fields.items():
                setattr(update.partnership.school, name, value)
            if update.status:
                change_status(update.partnership, update.status, by)
            if update.head:
                _update_head(update.partnership.school, update.head)
        added = []
        for partner in new:
            school = School(hub=hub, **vars(partner.details))
            partnership = Partnership(hub=hub, school=school, status=partner.status)
            db.session.add_all([school, partnership])
            added.append((partnership, partner.head))
        db.session.flush()
        for partnership, head in added:
            note_status(partnership, by)
            if head is not None:
                new_contact(partnership.school, "head", head)
        record(
            "schools-imported",
            hub=hub,
            detail=f"{len(added)} added, {len(updates)} updated",
            user=by,
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise SchoolError("urn", "Another of this hub's schools has one of these URNs") from error


def _update_head(school: School, changes: dict[str, str]) -> None:
    """Change the head's name or phone as the register gives them, keeping what hub staff
    typed that it does not give (the email address above all)."""
    head = find_contact(school, "head")
    if head is None:
        details = ContactDetails(name="", role=HEAD_ROLE)
    else:
        details = ContactDetails(name=head.name, role=head.role, email=head.email, phone=head.phone)
    for name, value in changes.items():
        setattr(details, name, value)
    stage_contact(school, "head", details)


def phases_served(hub: Hub) -> list[str]:
    """The phases the hub serves: its own, else its type's; empty means every phase."""
    return list(hub.phases or hub.hub_type.phases)


def phase_outside_words(hub: Hub, school: School) -> str:
    """A warning when the school's phase is not one the hub serves, else ""."""
    serves = phases_served(hub)
    if not serves or school.phase in serves:
        return ""
    return (
        f"{school.name} is {_a(PHASES[school.phase].lower())} school, and this hub serves "
        f"{serves_words(hub)}. Check that it belongs here."
    )


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def serves_words(hub: Hub) -> str:
    """ "primary schools only", or "secondary, special and post-16 schools"; "" for all phases."""
    phases = [PHASES[p].lower() for p in phases_served(hub) if p in PHASES]
    if not phases or len(phases) == len(PHASES):
        return ""
    if len(phases) == 1:
        return f"{phases[0]} schools only"
    return f"{', '.join(phases[:-1])} and {phases[-1]} schools"


def update_partner(
    partnership: Partnership, details: SchoolDetails | None, status: str, by: User | None = None
) -> None:
    """Change a partner school's status (kept in its history), and its details when given."""
    school = partnership.school
    if details is not None:
        if details.urn and details.urn != school.urn:
            other = school_by_urn(partnership.hub, details.urn)
            if other is not None:
                raise SchoolError("urn", f"URN {details.urn} belongs to {other.name}")
        for name, value in vars(details).items():
            setattr(school, name, value)
    change_status(partnership, status, by)
    db.session.commit()


def remove_partner(partnership: Partnership) -> None:
    """Take a school off the hub's list (for one added by mistake; 'left' keeps the history)."""
    db.session.delete(partnership)
    db.session.delete(partnership.school)
    db.session.commit()
