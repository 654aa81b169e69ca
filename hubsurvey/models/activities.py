"""Activities: what the hub runs for schools, each with feedback gathered in the room."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.models.hubs import Hub, NeedArea, School
from hubsurvey.models.surveys import Survey
from hubsurvey.vocabulary import ACTIVITY_KINDS, RESPONDENT_ROLES, SERIES_KINDS

activity_need_area = Table(
    "activity_need_area",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("need_area_id", ForeignKey("need_area.id", ondelete="RESTRICT"), primary_key=True),
)
activity_school = Table(
    "activity_school",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)
series_need_area = Table(
    "series_need_area",
    db.metadata,
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    Column("need_area_id", ForeignKey("need_area.id", ondelete="RESTRICT"), primary_key=True),
)
series_school = Table(
    "series_school",
    db.metadata,
    Column("series_id", ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)


class Series(db.Model):
    """Several sessions run as one: a work group, a lesson study, an NPQ cohort. Its sessions
    share a feedback survey, need areas and schools; follow-up between sessions is logged
    against a participant school."""

    __tablename__ = "series"
    __table_args__ = (CheckConstraint(one_of("kind", SERIES_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(1000), default="")
    # The feedback survey every session of the series shares.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub: Mapped[Hub] = relationship()
    survey: Mapped[Survey | None] = relationship()
    need_areas: Mapped[list[NeedArea]] = relationship(
        secondary=series_need_area, order_by="NeedArea.position"
    )
    schools: Mapped[list[School]] = relationship(secondary=series_school, order_by="School.name")
    sessions: Mapped[list["Activity"]] = relationship(
        back_populates="series", order_by="Activity.starts_at"
    )


class FollowUp(db.Model):
    """Mentoring or follow-up with a participant school between a series' sessions."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    hours: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    series: Mapped[Series] = relationship()
    school: Mapped[School] = relationship()


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (CheckConstraint(one_of("kind", ACTIVITY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime]
    # When the session ends: attendees with an email address are sent its feedback link
    # then. And the hours of professional development it counts for, per attendee.
    ends_at: Mapped[datetime | None]
    hours: Mapped[float | None] = mapped_column(Float)
    feedback_sent_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(default=False)
    facilitator: Mapped[str] = mapped_column(String(120), default="")
    # The feedback survey: its own, or one shared by several activities.
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    # The activity's own short link (/s/<code>), so feedback knows which session it is about.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # The series this session belongs to, if any.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub: Mapped[Hub] = relationship()
    survey: Mapped[Survey] = relationship()
    series: Mapped[Series | None] = relationship(back_populates="sessions")
    need_areas: Mapped[list[NeedArea]] = relationship(
        secondary=activity_need_area, order_by="NeedArea.position"
    )
    schools: Mapped[list[School]] = relationship(secondary=activity_school, order_by="School.name")


class Attendance(db.Model):
    """One person on an activity's register: who came, from which school, in what role.
    Personal data: kept and erased as named responses are."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(f"role IS NULL OR {one_of('role', RESPONDENT_ROLES)}", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    activity: Mapped[Activity] = relationship()
    school: Mapped[School | None] = relationship()
