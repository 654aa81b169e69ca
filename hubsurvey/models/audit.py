"""The audit trail, staff sessions held on the server, and when scheduled jobs last ran."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.base import utcnow


class AuditEntry(db.Model):
    """Who did what, when and from where. Never the answers themselves."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_hub_created", "hub_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # The account's email as it was, kept when the account is later removed or renamed.
    actor: Mapped[str] = mapped_column(String(254), default="")
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hub.id", ondelete="SET NULL"))
    # A short name such as "sign-in", "survey-opened" or "responses-erased" (see audit/).
    action: Mapped[str] = mapped_column(String(40), index=True)
    # What it was done to, in words: "survey 12: Training needs 2026".
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")

    user: Mapped[User | None] = relationship()


class UserSession(db.Model):
    """A staff member's signed-in session. The cookie holds a token whose hash is kept here;
    deleting the row ends the session at its next request, wherever the cookie was copied."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")

    user: Mapped[User] = relationship()


class JobRun(db.Model):
    """When a scheduled job (or the worker itself) last ran, and what it did."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    detail: Mapped[str] = mapped_column(String(500), default="")
