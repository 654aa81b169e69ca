"""The hub's sustainability and impact plan: one per academic year, its objectives tied to
need areas, measures typed in or bound to live evidence, and what keeps the hub going."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.activities import Activity
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.models.hubs import Hub, NeedArea
from hubsurvey.models.surveys import Question, Survey, Wave
from hubsurvey.vocabulary import COST_KINDS, MEASURE_KINDS, SWOT_QUADRANTS

objective_need_area = Table(
    "objective_need_area",
    db.metadata,
    Column("objective_id", ForeignKey("objective.id", ondelete="CASCADE"), primary_key=True),
    Column("need_area_id", ForeignKey("need_area.id", ondelete="RESTRICT"), primary_key=True),
)
objective_activity = Table(
    "objective_activity",
    db.metadata,
    Column("objective_id", ForeignKey("objective.id", ondelete="CASCADE"), primary_key=True),
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
)


class Plan(db.Model):
    """A hub's plan for one academic year (year 2026 is 2026/27)."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("hub_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"))
    year: Mapped[int]
    aims: Mapped[str] = mapped_column(String(4000), default="")
    # How the hub keeps going when a participant teacher leaves a school.
    continuity: Mapped[str] = mapped_column(String(4000), default="")
    # The activity planned for this year and the two after it.
    outlook_1: Mapped[str] = mapped_column(String(2000), default="")
    outlook_2: Mapped[str] = mapped_column(String(2000), default="")
    outlook_3: Mapped[str] = mapped_column(String(2000), default="")
    # When staff last reviewed the plan: a school leaving or losing its contact after this
    # prompts another review.
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    hub: Mapped[Hub] = relationship()
    objectives: Mapped[list["Objective"]] = relationship(
        back_populates="plan", order_by="Objective.position", cascade="all, delete-orphan"
    )


class Objective(db.Model):
    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    # The terms it runs in: keys of TERMS.
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="objectives")
    need_areas: Mapped[list[NeedArea]] = relationship(
        secondary=objective_need_area, order_by="NeedArea.position"
    )
    activities: Mapped[list[Activity]] = relationship(
        secondary=objective_activity, order_by="Activity.starts_at"
    )
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="objective", order_by="Measure.position", cascade="all, delete-orphan"
    )
    costs: Mapped[list["Cost"]] = relationship(back_populates="objective")


class Measure(db.Model):
    """How an objective's success is judged: a baseline, a target by a date, and a current
    value, typed in or read from evidence (the survey, need area, question or wave it binds)."""

    __tablename__ = "measure"
    __table_args__ = (CheckConstraint(one_of("kind", MEASURE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="typed")
    # For typed measures, what the figures count ("%", "teachers"); bound ones know their own.
    unit: Mapped[str] = mapped_column(String(40), default="")
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    due_on: Mapped[date | None]
    # A typed measure's current value.
    current: Mapped[float | None] = mapped_column(Float)
    # What a bound measure reads. A missing wave means the survey's latest.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id", ondelete="SET NULL"))
    need_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("need_area.id", ondelete="SET NULL")
    )
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"))
    # Outcome figures: the value that counts as meeting the standard (e.g. a choice's text).
    standard: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    objective: Mapped[Objective] = relationship(back_populates="measures")
    survey: Mapped[Survey | None] = relationship()
    wave: Mapped[Wave | None] = relationship()
    need_area: Mapped[NeedArea | None] = relationship()
    question: Mapped[Question | None] = relationship()


class SwotItem(db.Model):
    __tablename__ = "swot_item"
    __table_args__ = (CheckConstraint(one_of("quadrant", SWOT_QUADRANTS), name="quadrant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    quadrant: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)


class KeyPerson(db.Model):
    """Someone the hub relies on, and who steps in for them. No backup is a risk the plan
    flags: over-reliance on one or two people."""

    __tablename__ = "key_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))
    backup: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(String(500), default="")


class Funding(db.Model):
    """A source of money for the hub: amounts are whole pence."""

    __tablename__ = "funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int]
    ends_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(500), default="")


class Cost(db.Model):
    """A cost in the plan, for one objective or the hub as a whole: amounts are whole pence."""

    __tablename__ = "cost"
    __table_args__ = (CheckConstraint(one_of("kind", COST_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount_pence: Mapped[int]

    objective: Mapped[Objective | None] = relationship(back_populates="costs")


class PlanChange(db.Model):
    """The plan's change log: who changed what, and when. It never holds answers."""

    __tablename__ = "plan_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    what: Mapped[str] = mapped_column(String(500))

    user: Mapped[User | None] = relationship()
