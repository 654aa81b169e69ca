"""Planning aid and dashboard: which needs the hub's activities meet, and which they do not."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import selectinload

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, NeedArea, Survey
from hubsurvey.reports.summary import Filters, Row, needs_summary
from hubsurvey.resources.services import resource_counts
from hubsurvey.surveys.services import response_counts, school_progress


@dataclass
class Need:
    row: Row
    upcoming: list[Activity]
    past: list[Activity]


def needs_and_activities(hub: Hub, now: datetime | None = None) -> list[Need]:
    """The hub's need areas by need score, each with the activities that target it."""
    now = now or datetime.now()
    activities = db.session.scalars(
        db.select(Activity)
        .where(Activity.hub_id == hub.id)
        .options(selectinload(Activity.need_areas))  # one query, not one per activity
        .order_by(Activity.starts_at)
    ).all()
    needs = []
    for row in needs_summary(hub, Filters()):
        targeting = [a for a in activities if row.need_area in a.need_areas]
        needs.append(
            Need(
                row=row,
                upcoming=[a for a in targeting if a.starts_at >= now],
                past=[a for a in targeting if a.starts_at < now],
            )
        )
    return needs


def resource_coverage(hub: Hub) -> list[tuple[NeedArea, int]]:
    """Every need area of the hub's framework, with how many of its resources are tagged
    with it: those with none are gaps in the library."""
    counts = resource_counts(hub)
    return [(area, counts.get(area.id, 0)) for area in hub.hub_type.need_areas]


def open_surveys(hub: Hub) -> list[tuple[Survey, dict, dict]]:
    """Open surveys with their counts in the current wave and partner schools' progress."""
    surveys = db.session.scalars(
        db.select(Survey)
        .where(Survey.hub_id == hub.id, Survey.status == "open", Survey.kind != "feedback")
        .order_by(Survey.created_at.desc())
    ).all()
    return [(s, response_counts(s), school_progress(s)) for s in surveys]
