"""Hub types with their need areas, hubs, and partner schools."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.vocabulary import HUB_CATEGORIES, PARTNER_STATUSES, PHASES


class HubType(db.Model):
    """Reference data: a kind of hub and the need-area framework its templates use."""

    __tablename__ = "hub_type"
    __table_args__ = (CheckConstraint(one_of("category", HUB_CATEGORIES), name="category"),)

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
    # How teachers reach the hub about their answers: shown in every survey's privacy notice.
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # In anonymous surveys, figures resting on fewer respondents than this are not shown.
    smallest_group: Mapped[int] = mapped_column(default=5)
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
    """A school as one hub records it. Each hub keeps its own record, so that no hub's
    details of a school are changed, frozen or seen by another hub working with it too."""

    __tablename__ = "school"
    __table_args__ = (
        CheckConstraint(one_of("phase", PHASES), name="phase"),
        CheckConstraint("urn IS NULL OR length(urn) = 6", name="urn_length"),
        UniqueConstraint("hub_id", "urn"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The six-digit DfE unique reference number: optional, but one record per URN in a hub.
    urn: Mapped[str | None] = mapped_column(String(6))
    phase: Mapped[str] = mapped_column(String(30))
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    trust: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub: Mapped[Hub] = relationship()

    @property
    def phase_label(self) -> str:
        return PHASES.get(self.phase, self.phase)


class Partnership(db.Model):
    """A school a hub works with, and how far along that work is."""

    __tablename__ = "partnership"
    __table_args__ = (CheckConstraint(one_of("status", PARTNER_STATUSES), name="status"),)

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
