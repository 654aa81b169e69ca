"""Read-only links to a hub's report for the board, for people without an account."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.base import utcnow
from hubsurvey.models.hubs import Hub


class ShareLink(db.Model):
    """Whoever holds the link reads the hub's report for the board until it expires or is
    withdrawn. Only a hash of its token is stored, so a copy of the database opens nothing."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Who it is for, in the lead's words: "Board meeting, 3 December".
    label: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_opened_at: Mapped[datetime | None]
    opens: Mapped[int] = mapped_column(default=0)

    hub: Mapped[Hub] = relationship()
    created_by: Mapped[User | None] = relationship()

    def works(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
