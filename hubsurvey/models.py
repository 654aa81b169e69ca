"""Typed SQLAlchemy models: accounts, hub types and need areas, hubs and partner schools."""

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db

# The words the app shows for each stored value, in the order forms list them.
PHASES = {
    "primary": "Primary",
    "secondary": "Secondary",
    "all-through": "All-through",
    "special": "Special",
    "alternative-provision": "Alternative provision",
    "post-16": "Post-16",
}
HUB_CATEGORIES = {
    "teaching": "Teaching school hub",
    "subject": "Subject hub",
    "behaviour": "Behaviour hub",
    "careers": "Careers hub",
}
PARTNER_STATUSES = {
    "invited": "Invited",
    "mou-signed": "Memorandum of understanding signed",
    "active": "Active",
    "left": "Left",
}
ROLES = {"admin": "Administrator", "staff": "Hub staff"}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _in(column: str, values: dict[str, str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the person sets a password through their one-time link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    hubs: Mapped[list["Hub"]] = relationship(
        secondary="membership", back_populates="staff", order_by="Hub.name"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class HubType(db.Model):
    """Reference data: a kind of hub and the need-area framework its templates use."""

    __tablename__ = "hub_type"
    __table_args__ = (CheckConstraint(_in("category", HUB_CATEGORIES), name="category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(60))
    # The phases this kind of hub serves; empty means every phase.
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(1000), default="")
    # Programmes close (computing hubs lost their funding in 2025): retired types stay for
    # existing hubs but are not offered for new ones.
    active: Mapped[bool] = mapped_column(default=True)

    need_areas: Mapped[list["NeedArea"]] = relationship(
        back_populates="hub_type", order_by="NeedArea.position", cascade="all, delete-orphan"
    )


class NeedArea(db.Model):
    """One thing a teacher may need support with, in a hub type's framework."""

    __tablename__ = "need_area"
    __table_args__ = (UniqueConstraint("hub_type_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_type_id: Mapped[int] = mapped_column(ForeignKey("hub_type.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    hub_type: Mapped[HubType] = relationship(back_populates="need_areas")


class Hub(db.Model):
    __tablename__ = "hub"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    hub_type_id: Mapped[int] = mapped_column(ForeignKey("hub_type.id", ondelete="RESTRICT"))
    area: Mapped[str] = mapped_column(String(120), default="")
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub_type: Mapped[HubType] = relationship()
    staff: Mapped[list[User]] = relationship(
        secondary="membership", back_populates="hubs", order_by="User.email"
    )
    partnerships: Mapped[list["Partnership"]] = relationship(
        back_populates="hub", cascade="all, delete-orphan"
    )

    @property
    def phase_labels(self) -> list[str]:
        return [PHASES[p] for p in self.phases if p in PHASES]


class Membership(db.Model):
    """A hub staff member's access to one hub."""

    __tablename__ = "membership"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), primary_key=True)


class School(db.Model):
    __tablename__ = "school"
    __table_args__ = (
        CheckConstraint(_in("phase", PHASES), name="phase"),
        CheckConstraint("urn IS NULL OR length(urn) = 6", name="urn_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The six-digit DfE unique reference number: optional, but one school per URN.
    urn: Mapped[str | None] = mapped_column(String(6), unique=True)
    phase: Mapped[str] = mapped_column(String(30))
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    trust: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def phase_label(self) -> str:
        return PHASES.get(self.phase, self.phase)


class Partnership(db.Model):
    """A school a hub works with, and how far along that work is."""

    __tablename__ = "partnership"
    __table_args__ = (CheckConstraint(_in("status", PARTNER_STATUSES), name="status"),)

    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), default="invited")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    hub: Mapped[Hub] = relationship(back_populates="partnerships")
    school: Mapped[School] = relationship()

    @property
    def status_label(self) -> str:
        return PARTNER_STATUSES[self.status]


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
