"""The hub's resource library: links and uploaded files, tagged with need areas and phases."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.activities import Activity
from hubsurvey.models.base import utcnow
from hubsurvey.models.hubs import Hub, NeedArea

resource_need_area = Table(
    "resource_need_area",
    db.metadata,
    Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    Column("need_area_id", ForeignKey("need_area.id", ondelete="RESTRICT"), primary_key=True),
)


class Resource(db.Model):
    """A link, or a file kept under instance/ by a random name (never the uploaded one)."""

    __tablename__ = "resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    # An uploaded file: the name it was sent with (for the download), where it is kept, and
    # what its content was found to be.
    file_name: Mapped[str] = mapped_column(String(200), default="")
    stored_name: Mapped[str] = mapped_column(String(64), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "Slides from session 2".
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    downloads: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    hub: Mapped[Hub] = relationship()
    activity: Mapped[Activity | None] = relationship()
    need_areas: Mapped[list[NeedArea]] = relationship(
        secondary=resource_need_area, order_by="NeedArea.position"
    )
