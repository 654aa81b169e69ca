"""Accounts: creating users, checking passwords, and one-time links."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from hubsurvey.extensions import db
from hubsurvey.models import Hub, LinkToken, User, utcnow

MIN_PASSWORD_LENGTH = 12
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, with a message for the user."""


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


def admin_exists() -> bool:
    return bool(db.session.scalar(db.select(func.count()).where(User.role == "admin")))


def create_user(
    email: str, role: str, password: str | None = None, hubs: list[Hub] | None = None
) -> User:
    """Add an account; without a password the person sets one through a link."""
    email = normalise_email(email)
    if find_user(email):
        raise AccountError(f"There is already an account for {email}")
    if password is not None and (problem := password_problem(password)):
        raise AccountError(problem)
    user = User(email=email, role=role, hubs=list(hubs or []))
    if password is not None:
        user.password_hash = generate_password_hash(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    user = find_user(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    if problem := password_problem(password):
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password)
    db.session.commit()


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
    """Set a password through a one-time link, which then stops working."""
    if problem := password_problem(password):
        raise AccountError(problem)
    link.used_at = utcnow()
    set_password(link.user, password)
    return link.user
