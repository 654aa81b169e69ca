"""When the plan needs another look: partner schools that left the hub, or lost their
contact, since the plan was last reviewed; and marking it reviewed."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from hubsurvey.extensions import db
from hubsurvey.models import (
    AuditEntry,
    Contact,
    Partnership,
    Plan,
    School,
    StatusChange,
    User,
    utcnow,
)
from hubsurvey.models.base import in_uk
from hubsurvey.plans.changes import log

# Audit entries that can leave a school with no contact the hub may write to.
CONTACT_ACTIONS = ("contact-removed", "contact-opted-out", "contact-saved")
# How contacts.services.school_words names a school in an audit entry's target: the two must
# change together (tests/test_plans.py builds the target with school_words to hold them so).
_AUDITED_SCHOOL = re.compile(r"school ([0-9]{1,9}): ")


def mark_reviewed(plan: Plan, by: User | None, now: datetime | None = None) -> None:
    plan.reviewed_at = now or utcnow()
    log(plan, "Plan marked as reviewed", by, "Plan reviewed")
    db.session.commit()


@dataclass
class ReviewReason:
    """A partner school whose change since the last review may call for one."""

    school: School
    words: str
    at: datetime


def review_prompt(plan: Plan) -> list[ReviewReason]:
    """Partner schools that moved to "left", or were left with no contact the hub can write
    to, since the plan was last reviewed (or made): each may change who the hub works with."""
    since = plan.reviewed_at or plan.created_at
    reasons = []
    left = db.session.execute(
        db.select(School, func.max(StatusChange.changed_at))
        .join(StatusChange, StatusChange.school_id == School.id)
        .join(Partnership, Partnership.school_id == School.id)
        .where(
            Partnership.hub_id == plan.hub_id,
            Partnership.status == "left",
            StatusChange.hub_id == plan.hub_id,
            StatusChange.status == "left",
            StatusChange.changed_at > since,
        )
        .group_by(School.id)
    ).all()
    reasons += [
        ReviewReason(school, f"left the hub on {in_uk(at):%-d %B %Y}", at) for school, at in left
    ]
    # Contacts removed leave no row behind: the audit log says which school lost one, and when.
    touched: dict[int, datetime] = {}
    entries = db.session.execute(
        db.select(AuditEntry.target, AuditEntry.created_at).where(
            AuditEntry.hub_id == plan.hub_id,
            AuditEntry.action.in_(CONTACT_ACTIONS),
            AuditEntry.created_at > since,
        )
    )
    for target, at in entries:
        # The school's id, read back from school_words' text (see _AUDITED_SCHOOL).
        if match := _AUDITED_SCHOOL.match(target):
            school_id = int(match[1])
            touched[school_id] = max(at, touched.get(school_id, at))
    if touched:
        reachable = set(
            db.session.scalars(
                db.select(Contact.school_id).where(
                    Contact.school_id.in_(touched),
                    Contact.email != "",
                    Contact.opted_out_at.is_(None),
                )
            )
        )
        partners = db.session.scalars(
            db.select(School)
            .join(Partnership, Partnership.school_id == School.id)
            .where(
                Partnership.hub_id == plan.hub_id,
                Partnership.status != "left",
                School.id.in_(set(touched) - reachable),
            )
        )
        reasons += [
            ReviewReason(
                school,
                f"has had no contact the hub can write to since "
                f"{in_uk(touched[school.id]):%-d %B %Y}",
                touched[school.id],
            )
            for school in partners
        ]
    return sorted(reasons, key=lambda reason: (reason.at, reason.school.name))
