"""Reaching partner schools: their contacts, the messages the hub sends them, and the history
of each partnership's status."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubsurvey.extensions import db
from hubsurvey.models.accounts import User
from hubsurvey.models.base import one_of, utcnow
from hubsurvey.models.hubs import Hub, School
from hubsurvey.vocabulary import CONTACT_KINDS, MESSAGE_KINDS, MESSAGE_STATES, PARTNER_STATUSES


class Contact(db.Model):
    """A person at a partner school the hub writes to: its headteacher, or its main contact
    for the hub (often the CPD lead). Personal data: each contact can read why it is held and
    stop the hub's email through the link in every message."""

    __tablename__ = "contact"
    __table_args__ = (
        CheckConstraint(one_of("kind", CONTACT_KINDS), name="kind"),
        UniqueConstraint("school_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # 'head' or 'main'
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Set from the link in any message: the hub sends this person no more email.
    opted_out_at: Mapped[datetime | None]
    # The "why we hold this / stop these emails" link names the contact by this random id,
    # and proves itself with an HMAC of it under the app's secret key (contacts/links.py):
    # a copy of the database opens nothing.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()

    @property
    def kind_label(self) -> str:
        return CONTACT_KINDS[self.kind]

    @property
    def reachable(self) -> bool:
        """Has an email address and has not asked the hub to stop writing."""
        return bool(self.email) and self.opted_out_at is None


class Message(db.Model):
    """One email in the hub's outbox. Without a mail server it waits there for the lead to
    copy or download; with one, the worker sends it, claiming it first so that a restart
    never sends it twice. `key` names what it is for ("invite:survey:4:school:9"): a message
    is made once per key, however often the lead or a job asks for it."""

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint(one_of("kind", MESSAGE_KINDS), name="kind"),
        CheckConstraint(one_of("state", MESSAGE_STATES), name="state"),
        UniqueConstraint("hub_id", "key"),
        Index("ix_message_hub_created", "hub_id", "created_at"),
        Index("ix_message_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="waiting")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # when the worker began sending it
    sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # What it is about, for the survey and school pages; kept when those go.
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey.id", ondelete="SET NULL"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )

    hub: Mapped[Hub | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    school: Mapped[School | None] = relationship()
    contact: Mapped[Contact | None] = relationship()

    @property
    def state_label(self) -> str:
        return MESSAGE_STATES[self.state]


class StatusChange(db.Model):
    """One step in a partnership's history: invited → MoU signed → active → left."""

    __tablename__ = "status_change"
    __table_args__ = (
        CheckConstraint(one_of("status", PARTNER_STATUSES), name="status"),
        Index("ix_status_change_school", "school_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who changed it; None when the head did, by signing or withdrawing (see `note`).
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")

    changed_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return PARTNER_STATUSES[self.status]


class Mou(db.Model):
    """One version of a hub's memorandum of understanding. Versions are never edited once a
    head has signed one: the lead's changes make a new version."""

    __tablename__ = "mou"
    __table_args__ = (UniqueConstraint("hub_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"))
    version: Mapped[int]
    # What the hub offers, and what the school commits to: plain text, paragraphs and lists.
    hub_offers: Mapped[str] = mapped_column(Text)
    school_commits: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    hub: Mapped[Hub] = relationship()


class HeadLink(db.Model):
    """A headteacher's private link: they read and sign the MoU through it, and see their
    school's view. Only a hash of its secret is stored. It ends at the end of the school year
    it was made in, or when the lead withdraws it."""

    __tablename__ = "head_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_opened_at: Mapped[datetime | None]
    opens: Mapped[int] = mapped_column(default=0)

    school: Mapped[School] = relationship()

    def works(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class Signature(db.Model):
    """A head's signature of one MoU version for one school year: who, when, from where."""

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mou.id", ondelete="RESTRICT"))
    head_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("head_link.id", ondelete="SET NULL")
    )
    # The school year it covers, by its first calendar year: 2026 is 2026 to 2027.
    school_year: Mapped[int]
    signed_name: Mapped[str] = mapped_column(String(120))
    signed_role: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_from: Mapped[str] = mapped_column(String(64), default="")  # the IP address
    withdrawn_at: Mapped[datetime | None]

    mou: Mapped[Mou] = relationship()
    school: Mapped[School] = relationship()


class Reminder(db.Model):
    """A reminder the lead set for a date: on that day, the worker writes to the schools
    with fewer than `below` responses to the survey's current wave."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    send_on: Mapped[date]
    below: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None]
    # What it did: "Reminded 4 schools; 2 skipped (opted out)".
    outcome: Mapped[str] = mapped_column(String(200), default="")
