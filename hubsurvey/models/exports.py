"""The record of every export: who took which data out of the app, and when."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.base import utcnow
from hubsurvey.models.hubs import Hub
from hubsurvey.models.surveys import Survey


class ExportRecord(db.Model):
    __tablename__ = "export_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    # responses-wide, responses-long or summary; csv or xlsx; the filters, as in the URL.
    what: Mapped[str] = mapped_column(String(20))
    fmt: Mapped[str] = mapped_column(String(10))
    filters: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub: Mapped[Hub] = relationship()
    user: Mapped[User | None] = relationship()
    survey: Mapped[Survey | None] = relationship()
