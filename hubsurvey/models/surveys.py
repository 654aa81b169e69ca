"""Surveys: their sections and questions, and which respondents each applies to."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.models.hubs import Hub, NeedArea
from hubsurvey.vocabulary import CYCLES, QUESTION_KINDS, SURVEY_KINDS, SURVEY_STATUSES


class Survey(db.Model):
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint(one_of("kind", SURVEY_KINDS), name="kind"),
        CheckConstraint(one_of("status", SURVEY_STATUSES), name="status"),
        CheckConstraint(one_of("cycle", CYCLES), name="cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="needs")
    title: Mapped[str] = mapped_column(String(120))
    intro: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # Anonymous surveys store no name, email or IP address with responses.
    anonymous: Mapped[bool] = mapped_column(default=True)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    keep_until: Mapped[date | None]
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    # The short link: /s/<code>, easy to read aloud or type.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # Whether respondents first say who they are (school, role...). Quick feedback skips it.
    asks_profile: Mapped[bool] = mapped_column(default=True)
    cycle: Mapped[str] = mapped_column(String(10), default="none")
    cycle_weeks: Mapped[int | None]
    # Automatic reminders to partner schools: so many days before the survey closes (as
    # [7, 2]), to schools with fewer than `remind_below` responses to the current wave, and
    # never to one school twice within `remind_gap_days`.
    remind_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    remind_below: Mapped[int] = mapped_column(default=5)
    remind_gap_days: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hub: Mapped[Hub] = relationship()
    sections: Mapped[list["Section"]] = relationship(
        back_populates="survey", order_by="Section.position", cascade="all, delete-orphan"
    )
    waves: Mapped[list["Wave"]] = relationship(
        back_populates="survey", order_by="Wave.number", cascade="all, delete-orphan"
    )

    @property
    def questions(self) -> list["Question"]:
        return [q for section in self.sections for q in section.questions]

    @property
    def current_wave(self) -> "Wave | None":
        return self.waves[-1] if self.waves else None


class Wave(db.Model):
    """One round of a survey: a dated set of responses to the same questions. Only the latest
    wave takes answers; earlier ones are read-only, so waves can be compared."""

    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(60))
    opened_on: Mapped[date]
    # When the next wave opens by itself, for a survey on a cycle.
    next_on: Mapped[date | None]

    survey: Mapped[Survey] = relationship(back_populates="waves")


class Section(db.Model):
    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))
    intro: Mapped[str] = mapped_column(String(500), default="")
    # Shown only to respondents whose profile matches: {"role": ["senior-leader", ...], ...}.
    audience: Mapped[dict] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (CheckConstraint(one_of("kind", QUESTION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(String(300))
    hint: Mapped[str] = mapped_column(String(300), default="")
    required: Mapped[bool] = mapped_column(default=True)
    # Choice questions: the options, in order; answers store an option's index.
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    # By kind: scale "labels"; rating "low_label", "high_label"; number "unit", "min", "max",
    # "integer"; text "max_length".
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    need_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("need_area.id", ondelete="RESTRICT"), index=True
    )
    audience: Mapped[dict] = mapped_column(JSON, default=dict)

    section: Mapped[Section] = relationship(back_populates="questions")
    need_area: Mapped[NeedArea | None] = relationship()
    grid_rows: Mapped[list["GridRow"]] = relationship(
        order_by="GridRow.position", cascade="all, delete-orphan"
    )

    @property
    def grid_areas(self) -> list[NeedArea]:
        return [row.need_area for row in self.grid_rows]


class GridRow(db.Model):
    """One need area asked about in a needs grid question."""

    __tablename__ = "grid_row"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    need_area_id: Mapped[int] = mapped_column(
        ForeignKey("need_area.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    need_area: Mapped[NeedArea] = relationship()
