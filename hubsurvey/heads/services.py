"""What a headteacher does through their private link: their visits, counted; signing the
hub's memorandum of understanding for this school year; and withdrawing from the programme.

The head has no account: what they do is recorded with no user, and their name (personal
data) is kept in the signature and the school's status history, not in the audit log."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from hubsurvey.audit.services import record
from hubsurvey.contacts.services import school_words
from hubsurvey.extensions import db
from hubsurvey.hubs.services import change_status
from hubsurvey.models import HeadLink, Mou, Partnership, Signature, utcnow
from hubsurvey.mou.services import current_mou, year_signature
from hubsurvey.school_years import signing_year, year_words


class SigningError(Exception):
    """The signature cannot be taken as sent; the message says why, for the head."""


def partnership_of(link: HeadLink, lock: bool = False) -> Partnership | None:
    """The partnership the link's school is in, locked against a second signature or
    withdrawal at the same moment when `lock` (PostgreSQL; SQLite's writes queue anyway)."""
    query = db.select(Partnership).where(
        Partnership.hub_id == link.hub_id, Partnership.school_id == link.school_id
    )
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def note_visit(link: HeadLink, school_view: bool = False, now: datetime | None = None) -> None:
    """Count a visit through the link; a visit to the school's view is audited too. The page
    is still shown when the database cannot take the write just now."""
    now = now or utcnow()
    # The read ends first: on SQLite a fresh write waits its turn, where a read turned into
    # a write part-way can fail at once.
    db.session.commit()
    try:
        db.session.execute(
            update(HeadLink)
            .where(HeadLink.id == link.id)
            .values(opens=HeadLink.opens + 1, last_opened_at=now)
            .execution_options(synchronize_session=False)
        )
        if school_view:
            record(
                "head-view-opened",
                hub=link.school.hub,
                target=school_words(link.school),
                detail=f"Through head's link {link.id}",
            )
        db.session.commit()
    except OperationalError:
        db.session.rollback()


def sign(
    link: HeadLink,
    version: int,
    name: str,
    role: str,
    address: str,
    now: datetime | None = None,
) -> Signature:
    """Sign the current version for this school year on the school's behalf, as `name`,
    `role`, from `address`, and commit. The school's status becomes "MoU signed" unless it
    is further along (active). Raises SigningError when the school has signed this year
    already, or the version read is no longer the current one."""
    now = now or utcnow()
    partnership = partnership_of(link, lock=True)
    school, hub = link.school, link.school.hub
    year = signing_year(now)
    mou: Mou | None = current_mou(hub)
    if partnership is None or mou is None:
        raise SigningError("There is nothing to sign: ask the hub for a new link.")
    if mou.version != version:
        raise SigningError(
            f"{hub.name} changed the memorandum while you were reading it. Read this version, "
            "then sign it if you agree."
        )
    if year_signature(school, year) is not None:
        raise SigningError(f"{school.name} has already signed for {year_words(year)}.")
    signature = Signature(
        hub_id=hub.id,
        school_id=school.id,
        mou_id=mou.id,
        head_link_id=link.id,
        school_year=year,
        signed_name=name,
        signed_role=role,
        signed_at=now,
        signed_from=(address or "")[:64],
    )
    db.session.add(signature)
    if partnership.status in ("invited", "left"):
        note = f"Signed by {name}, {role}, for {year_words(year)}"
        change_status(partnership, "mou-signed", None, note=note)
    record(
        "mou-signed",
        hub=hub,
        target=school_words(school),
        detail=f"Signed version {mou.version} for {year_words(year)}",
    )
    db.session.commit()
    return signature


def withdraw(link: HeadLink, name: str, now: datetime | None = None) -> bool:
    """The school leaves the hub's programme, as its head chose: this year's signature is
    withdrawn and the school's status becomes "left". Commits; False when it had left."""
    now = now or utcnow()
    partnership = partnership_of(link, lock=True)
    if partnership is None or partnership.status == "left":
        db.session.rollback()
        return False
    school, year = link.school, signing_year(now)
    signature = year_signature(school, year)
    if signature is not None:
        signature.withdrawn_at = now
    change_status(partnership, "left", None, note=f"Withdrawn by {name}, through the head's link")
    record(
        "mou-withdrawn",
        hub=school.hub,
        target=school_words(school),
        detail=(
            f"Withdrew version {signature.mou.version} for {year_words(year)}"
            if signature
            else f"Left the programme; not signed for {year_words(year)}"
        ),
    )
    db.session.commit()
    return True
