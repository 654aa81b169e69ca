"""Responses and their answers, stored long: one row per response, question and item."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.activities import Activity
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.models.hubs import School
from hubsurvey.models.surveys import Question, Survey, Wave
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS


class Participant(db.Model):
    """A pseudonymous person: only a hash of their code is kept, so the hub cannot tell who
    holds it, and a copy of the database cannot be used to enter someone else's code."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SchoolLink(db.Model):
    """A partner school's own link to a survey. Through an outcomes survey's, the school's
    contact enters, and corrects, its figures for the open wave; through any other survey's,
    a teacher has their school filled in, and is counted for it exactly. It records when the
    school was invited and reminded, and when the link was first used."""

    __tablename__ = "school_link"
    __table_args__ = (UniqueConstraint("survey_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]  # first used
    opens: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship()
    school: Mapped[School] = relationship()


class Invitee(db.Model):
    """A person invited by name to a named survey, with a personal link: what they send is
    linked to them. Only a hash of the link's secret is kept."""

    __tablename__ = "invitee"
    __table_args__ = (UniqueConstraint("survey_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    # A withdrawn personal link opens nothing and is never reminded.
    withdrawn_at: Mapped[datetime | None]
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship()


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint(f"phase IS NULL OR {one_of('phase', PHASES)}", name="phase"),
        CheckConstraint(f"role IS NULL OR {one_of('role', RESPONDENT_ROLES)}", name="role"),
        CheckConstraint(
            f"career_stage IS NULL OR {one_of('career_stage', CAREER_STAGES)}", name="career_stage"
        ),
        CheckConstraint(f"subject IS NULL OR {one_of('subject', SUBJECTS)}", name="subject"),
        # Counts by status, and the same-browser check made as each response is sent.
        Index("ix_response_survey_status_browser", "survey_id", "status", "browser_hash"),
        # The responses counted (reports.counting.sent), per wave and participant code, read
        # from this index alone.
        Index("ix_response_sent", "survey_id", "status", "excluded", "wave_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    # Feedback given through an activity's link.
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    # Links one person's responses over time without saying who they are.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    # A secret kept in the respondent's browser session: it finds their draft again.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # A short code the respondent can type on another device to carry on there.
    resume_code: Mapped[str] = mapped_column(String(12), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # How many of the sections that apply to this respondent are saved.
    step: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    # The respondent profile: the facts summaries are broken down by.
    profile_saved: Mapped[bool] = mapped_column(default=False)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    # Written in when the school is not on the hub's list.
    school_name: Mapped[str] = mapped_column(String(200), default="")
    phase: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str | None] = mapped_column(String(30))
    career_stage: Mapped[str | None] = mapped_column(String(30))
    subject: Mapped[str | None] = mapped_column(String(30))
    # Named surveys only; always empty in anonymous ones.
    respondent_name: Mapped[str] = mapped_column(String(120), default="")
    respondent_email: Mapped[str] = mapped_column(String(254), default="")
    # Review of suspect responses: why it was flagged ("too-fast", "duplicate"), and whether
    # hub staff left it out of summaries and exports. An excluded response is kept.
    flags: Mapped[str] = mapped_column(String(100), default="")
    excluded: Mapped[bool] = mapped_column(default=False)
    # A hash of a random id kept in the respondent's browser session, salted per survey: it
    # tells responses sent from one browser apart from others, and says nothing about who.
    browser_hash: Mapped[str | None] = mapped_column(String(64))

    survey: Mapped[Survey] = relationship()
    wave: Mapped[Wave] = relationship()
    activity: Mapped["Activity | None"] = relationship()
    participant: Mapped["Participant | None"] = relationship()
    school: Mapped[School | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(cascade="all, delete-orphan")

    @property
    def profile(self) -> dict[str, str | None]:
        return {
            "role": self.role,
            "phase": self.phase,
            "career_stage": self.career_stage,
            "subject": self.subject,
        }


# The responses every summary counts: sent, and not left out by hub staff after review (the
# rule the answers' counted copies follow, migrations 0010 and 0011).
COUNTED = (Response.status == "submitted", Response.excluded.is_(False))
# The facts about a respondent each counted answer carries a copy of (Answer.counted_*).
COUNTED_FACTS = ("phase", "role", "career_stage", "subject", "school_id")
# A counted answer stored one row per item: a needs grid's answers (item: the need area, never
# 0) and multiple choice ones. Every other answer has item 0.
COUNTED_ITEMS = "counted_wave_id IS NOT NULL AND item > 0"


class Answer(db.Model):
    """One stored value. Most questions have one row (item 0); a multiple-choice question has
    one row per chosen option (item = option number, from 1); a needs grid one row per need area
    (item = the need area's id, number = confidence, priority = named as a priority)."""

    __tablename__ = "answer"
    __table_args__ = (
        # Everything the needs summary reads from an answer, in need-area order: the summary
        # is read from this index alone, without a sort (see reports.summary).
        Index("ix_answer_tally", "question_id", "item", "response_id", "number", "priority"),
        # A survey's results per wave, read from this index alone: only counted answers.
        Index(
            "ix_answer_counted",
            "question_id",
            "counted_wave_id",
            "item",
            "number",
            "priority",
            sqlite_where=sql_text("counted_wave_id IS NOT NULL"),
            postgresql_where=sql_text("counted_wave_id IS NOT NULL"),
        ),
        # A needs summary broken down by one fact about respondents, read from one of these
        # in its order (see reports.summary): counted answers with an item (COUNTED_ITEMS).
        *(
            Index(
                f"ix_answer_by_{fact}",
                "question_id",
                "counted_wave_id",
                "item",
                f"counted_{fact}",
                "number",
                "priority",
                sqlite_where=sql_text(COUNTED_ITEMS),
                postgresql_where=sql_text(COUNTED_ITEMS),
            )
            for fact in COUNTED_FACTS
        ),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[int] = mapped_column(primary_key=True, default=0)
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[bool | None]
    # The response's wave while it is sent and not excluded in review, else NULL: a copy the
    # database keeps with triggers (migrations 0010 and 0011), never written by the app.
    counted_wave_id: Mapped[int | None]
    # Likewise its respondent's profile, on an answer with an item (migration 0011): what a
    # needs summary's breakdown groups by.
    counted_phase: Mapped[str | None] = mapped_column(String(30))
    counted_role: Mapped[str | None] = mapped_column(String(30))
    counted_career_stage: Mapped[str | None] = mapped_column(String(30))
    counted_subject: Mapped[str | None] = mapped_column(String(30))
    counted_school_id: Mapped[int | None]

    question: Mapped[Question] = relationship()
