"""Read-only links and viewer accounts: making them, finding them, withdrawing them."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import OperationalError

from hubsurvey.audit.services import record
from hubsurvey.auth import sessions
from hubsurvey.auth.services import (
    AccountError,
    account_words,
    create_user,
    find_user,
    issue_link,
)
from hubsurvey.extensions import db
from hubsurvey.models import Hub, LinkToken, Membership, ShareLink, User, utcnow
from hubsurvey.models.base import in_uk

# How long a link works, and a viewer's access lasts, in days: the choices offered.
LINK_DAYS = (7, 30, 90)
VIEWER_DAYS = (30, 90, 365)
# An expired or withdrawn link stays listed this long, then the daily purge deletes it.
KEEP_ENDED_LINK_DAYS = 90


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _day(moment: datetime) -> str:
    return f"{in_uk(moment):%-d %B %Y}"


def link_words(link: ShareLink) -> str:
    """A link as the audit log names it: never its token."""
    return f"share link {link.id}: {link.label}"


def create_link(
    hub: Hub, label: str, days: int, by: User | None, now: datetime | None = None
) -> tuple[ShareLink, str]:
    """A new read-only link to the hub's report for the board, made by `by`, working for
    `days` days. Returns it with its token, which is not stored and so can be shown only now."""
    if days not in LINK_DAYS:
        raise ValueError(f"a link works for one of {LINK_DAYS} days")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        hub_id=hub.id,
        token_hash=_hash(token),
        label=label.strip()[:120],
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()  # for its id, in the audit entry
    record(
        "share-link-created",
        hub=hub,
        target=link_words(link),
        detail=f"Report for the board, until {_day(link.expires_at)}",
    )
    db.session.commit()
    return link, token


def find_link(token: str, now: datetime | None = None) -> ShareLink | None:
    """The working link with this token; None for one that is unknown, expired or withdrawn
    alike, so that nobody can tell them apart."""
    link = db.session.scalar(db.select(ShareLink).where(ShareLink.token_hash == _hash(token)))
    if link is None or not link.works(now or utcnow()):
        return None
    return link


def note_opened(link: ShareLink) -> None:
    """Count an opening of the link (not audited: the count and the last time are enough).
    The report is still shown when the database cannot take the write just now."""
    # The read ends first: on SQLite a fresh write waits its turn, where a read turned into a
    # write part-way can fail at once.
    db.session.commit()
    try:
        db.session.execute(
            update(ShareLink)
            .where(ShareLink.id == link.id)
            .values(opens=ShareLink.opens + 1, last_opened_at=utcnow())
        )
        db.session.commit()
    except OperationalError:
        db.session.rollback()


def hub_links(hub: Hub) -> list[ShareLink]:
    """The hub's links, newest first, with those ended in the last KEEP_ENDED_LINK_DAYS."""
    return list(
        db.session.scalars(
            db.select(ShareLink)
            .where(ShareLink.hub_id == hub.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


def revoke_link(hub: Hub, link_id: int) -> ShareLink | None:
    """Withdraw one of the hub's links: it stops working at once. None if it is not the hub's."""
    link = db.session.get(ShareLink, link_id)
    if link is None or link.hub_id != hub.id:
        return None
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        record("share-link-revoked", hub=hub, target=link_words(link))
        db.session.commit()
    return link


def purge_ended_links(now: datetime) -> int:
    """Delete links that expired or were withdrawn more than KEEP_ENDED_LINK_DAYS ago, in the
    caller's transaction; returns how many went."""
    cutoff = now - timedelta(days=KEEP_ENDED_LINK_DAYS)
    removed = db.session.execute(
        delete(ShareLink).where(or_(ShareLink.expires_at < cutoff, ShareLink.revoked_at < cutoff))
    )
    return removed.rowcount


# Viewer accounts


def hub_viewers(hub: Hub) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.hub_id == hub.id, User.role == "viewer")
            .order_by(User.email)
        )
    )


def invite_viewer(hub: Hub, email: str, days: int, link_lifetime: timedelta) -> tuple[User, str]:
    """Give someone read-only access to the hub's reports for `days` days: a new viewer
    account, or the hub's own viewer again. Returns the viewer and a one-time link token with
    which they set their password."""
    if days not in VIEWER_DAYS:
        raise ValueError(f"a viewer's access lasts one of {VIEWER_DAYS} days")
    expires_at = utcnow() + timedelta(days=days)
    user = find_user(email)
    if user is None:
        user = create_user(email, "viewer", hubs=[hub], expires_at=expires_at)
        again = ""
    elif user.is_viewer and user.hubs == [hub]:
        user.active, user.expires_at = True, expires_at
        again = "Invited again; "
    elif user.is_viewer:
        raise AccountError(
            f"{user.email} already reads another hub's reports. Ask your hubsurvey "
            "administrator to give them access to this hub too."
        )
    else:
        raise AccountError(
            f"{user.email} already has a staff account, so they can read these reports. "
            "Ask your hubsurvey administrator if they should have access to this hub."
        )
    record(
        "viewer-invited",
        hub=hub,
        target=account_words(user),
        detail=f"{again}reads the reports until {_day(expires_at)}",
    )
    db.session.commit()
    return user, issue_link("password", link_lifetime, user)


def revoke_viewer(hub: Hub, user_id: int) -> User | None:
    """End a viewer's access at once: the account stops, every session it has ends, and its
    unused password link stops working. None if they are not this hub's viewer."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_viewer or hub not in user.hubs:
        return None
    was_active, user.active = user.active, False
    ended = sessions.end_all(user)
    db.session.execute(
        update(LinkToken)
        .where(LinkToken.user_id == user.id, LinkToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if was_active or ended:
        detail = sessions.ended_words(ended)
        record("viewer-revoked", hub=hub, target=account_words(user), detail=detail)
    db.session.commit()
    return user
