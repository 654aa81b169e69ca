"""Accounts: creating users, checking passwords, and one-time links."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from hubsurvey.audit.services import record
from hubsurvey.auth import sessions
from hubsurvey.extensions import db
from hubsurvey.models import Hub, LinkToken, User, UserSession, utcnow
from hubsurvey.models.base import in_uk

MIN_PASSWORD_LENGTH = 12
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, with a message for the user."""


class AccessEnded(AccountError):
    """The right password, but a viewer whose access has expired."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str) -> str | None:
    """What is wrong with a proposed password, in words for the person typing it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 200:
        return "Password must be 200 characters or fewer"
    return None


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def account_words(user: User) -> str:
    """An account as the audit log names it."""
    return f"account {user.id}: {user.email}"


def admin_exists() -> bool:
    return bool(db.session.scalar(db.select(func.count()).where(User.role == "admin")))


def create_user(
    email: str,
    role: str,
    password: str | None = None,
    hubs: list[Hub] | None = None,
    expires_at: datetime | None = None,
) -> User:
    """Add an account; without a password the person sets one through a link. A viewer's
    access ends at `expires_at`."""
    email = normalise_email(email)
    if find_user(email):
        raise AccountError(f"There is already an account for {email}")
    if password is not None and (problem := password_problem(password)):
        raise AccountError(problem)
    user = User(email=email, role=role, hubs=list(hubs or []), expires_at=expires_at)
    if password is not None:
        user.password_hash = generate_password_hash(password)
    db.session.add(user)
    db.session.flush()  # for its id, in the audit entries
    record("account-created", target=account_words(user), detail=f"Role: {role}")
    for hub in user.hubs:
        record("membership-added", hub=hub, target=account_words(user), detail=hub.name)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None: a failure is recorded in the
    audit log with the email as typed (never the password). A viewer whose access has expired
    is told so (AccessEnded), once their password has proved who they are."""
    user = find_user(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        user = None
    elif not check_password_hash(user.password_hash, password) or not user.active:
        user = None
    elif user.access_ended:
        record("sign-in-failed", target=account_words(user), detail="Viewer access has ended")
        db.session.commit()
        hubs = " or ".join(hub.name for hub in user.hubs) or "the hub"
        raise AccessEnded(
            f"Your access to these reports ended on {in_uk(user.expires_at):%-d %B %Y}. "
            f"Ask {hubs} to invite you again if you still need it."
        )
    if user is None:
        typed = "".join(ch for ch in email if ch.isprintable())
        # A password typed into the email box by mistake must not be kept for years.
        if "@" not in typed:
            typed = "(not an email address)"
        record("sign-in-failed", target=typed[:100])
        db.session.commit()
    return user


def set_password(user: User, password: str, keep: UserSession | None = None) -> int:
    """Give the user a new password and end all their sessions but `keep`, in the caller's
    transaction. Returns how many sessions ended."""
    if problem := password_problem(password):
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password)
    return sessions.end_all(user, keep=keep)


def change_password(user: User, current: str, new: str, keep: UserSession) -> int:
    """A signed-in person changes their password; their other sessions end. Returns how many."""
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise AccountError("Your current password is not right")
    ended = set_password(user, new, keep=keep)
    record(
        "password-changed", target=account_words(user), detail=sessions.ended_words(ended, "other ")
    )
    db.session.commit()
    return ended


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(purpose: str, lifetime: timedelta, user: User | None = None) -> str:
    """Make a one-time link token; only its hash is stored. Earlier unused ones stop working."""
    now = utcnow()
    earlier = db.select(LinkToken).where(
        LinkToken.purpose == purpose, LinkToken.user_id == (user.id if user else None)
    )
    for old in db.session.scalars(earlier.where(LinkToken.used_at.is_(None))):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        LinkToken(token_hash=_hash(token), purpose=purpose, user=user, expires_at=now + lifetime)
    )
    db.session.commit()
    return token


def find_link(token: str, purpose: str) -> LinkToken | None:
    """The unused, unexpired link with this token, or None."""
    link = db.session.scalar(
        db.select(LinkToken).where(
            LinkToken.token_hash == _hash(token), LinkToken.purpose == purpose
        )
    )
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def complete_setup(link: LinkToken, email: str, password: str) -> User:
    """Create the first administrator through the setup link, which then stops working."""
    if admin_exists():
        raise AccountError("An administrator already exists. Sign in instead.")
    link.used_at = utcnow()
    return create_user(email, "admin", password)


def complete_password_link(link: LinkToken, password: str) -> User:
    """Set a password through a one-time link, which then stops working. Every session the
    person had ends: whoever knew the old password is signed out."""
    user = link.user
    ended = set_password(user, password)
    link.used_at = utcnow()
    record(
        "password-changed",
        target=account_words(user),
        detail=f"Set through a one-time link; {sessions.ended_words(ended)}",
        user=user,
    )
    db.session.commit()
    return user
