"""Accounts and one-time links."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.vocabulary import ACCOUNT_ROLES

if TYPE_CHECKING:
    from hubsurvey.models.hubs import Hub


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint(one_of("role", ACCOUNT_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the person sets a password through their one-time link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # A viewer's access ends at this moment (see sharing/); None for everyone else.
    expires_at: Mapped[datetime | None]

    hubs: Mapped[list["Hub"]] = relationship(
        secondary="membership", back_populates="staff", order_by="Hub.name"
    )

    @property
    def is_active(self) -> bool:
        return self.active and not self.access_ended

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_viewer(self) -> bool:
        """A senior leader or board member who reads a hub's reports and changes nothing."""
        return self.role == "viewer"

    @property
    def access_ended(self) -> bool:
        """A viewer whose access has expired: they can no longer sign in."""
        return self.is_viewer and self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def role_label(self) -> str:
        return ACCOUNT_ROLES.get(self.role, self.role)


class LinkToken(db.Model):
    """A one-time link: to create the first administrator, or to set a password."""

    __tablename__ = "link_token"
    __table_args__ = (CheckConstraint("purpose IN ('setup', 'password')", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash is stored, so a copy of the database holds no usable link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
