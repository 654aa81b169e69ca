"""Administrators' writes: hubs, accounts, hub types and need areas."""

import json
import re
from pathlib import Path

from sqlalchemy import func

from hubsurvey.audit.services import record
from hubsurvey.auth import sessions
from hubsurvey.auth.services import account_words
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    GridRow,
    Hub,
    HubType,
    NeedArea,
    Plan,
    Question,
    Resource,
    Series,
    Survey,
    User,
)
from hubsurvey.models.activities import activity_need_area, series_need_area
from hubsurvey.models.plans import objective_need_area
from hubsurvey.models.resources import resource_need_area
from hubsurvey.vocabulary import PHASES

REFERENCE_FILE = Path(__file__).parent.parent / "reference" / "hub_types.json"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "hub"


def load_reference_data(path: Path = REFERENCE_FILE) -> list[str]:
    """Add the seeded hub types that are missing; edits to existing ones are left alone."""
    existing = set(db.session.scalars(db.select(HubType.slug)))
    added = []
    for entry in json.loads(path.read_text()):
        if entry["slug"] in existing:
            continue
        hub_type = HubType(
            slug=entry["slug"],
            name=entry["name"],
            category=entry["category"],
            subject=entry.get("subject"),
            phases=entry.get("phases", []),
            description=entry.get("description", ""),
            need_areas=[
                NeedArea(name=name, position=i) for i, name in enumerate(entry["need_areas"])
            ],
        )
        db.session.add(hub_type)
        added.append(hub_type.name)
    db.session.commit()
    return added


def _unique_hub_slug(name: str, hub: Hub | None) -> str:
    base = slugify(name)
    slug, n = base, 1
    while (other := db.session.scalar(db.select(Hub).where(Hub.slug == slug))) and other != hub:
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_hub(hub: Hub | None, **fields) -> Hub:
    """Create a hub, or update one. Unless given, a hub takes its type's subject and phases."""
    hub = hub or Hub()
    smallest = fields.get("smallest_group", hub.smallest_group)
    if hub.id is not None and smallest != hub.smallest_group:
        change = f"smallest group {hub.smallest_group} → {smallest}"
        record("privacy-changed", hub=hub, target=f"hub {hub.id}: {hub.name}", detail=change)
    with db.session.no_autoflush:
        for name, value in fields.items():
            setattr(hub, name, value)
        hub_type = db.session.get(HubType, hub.hub_type_id)
        if not hub.subject and hub_type.subject:
            hub.subject = hub_type.subject
        if not hub.phases:
            hub.phases = list(hub_type.phases)
        if problem := _phases_problem(hub_type, hub.phases):
            raise ValueError(problem)
        if not hub.slug:
            hub.slug = _unique_hub_slug(hub.name, hub)
    db.session.add(hub)
    db.session.commit()
    return hub


# Hub type names that begin with a proper noun keep their capital in running text.
_PROPER_NOUNS = {"English"}


def type_words(hub_type: HubType, start: bool = True) -> str:
    """The type's name in a sentence: "An English hub", "a languages hub"."""
    name = hub_type.name
    if name.split(" ", 1)[0] not in _PROPER_NOUNS:
        name = name[:1].lower() + name[1:]
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if start else article} {name}"


def _phase_list(phases: list[str]) -> str:
    words = [PHASES[p].lower() for p in PHASES if p in phases]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _phases_problem(hub_type: HubType, phases: list[str]) -> str | None:
    outside = [p for p in phases if hub_type.phases and p not in hub_type.phases]
    if not outside:
        return None
    only = " only" if len(hub_type.phases) == 1 else ""
    untick = " and ".join(PHASES[p] for p in PHASES if p in outside)
    return (
        f"{type_words(hub_type)} serves {_phase_list(hub_type.phases)} schools{only}. "
        f"Untick {untick}."
    )


def hub_phases_problem(hub_type_id: int, phases: list[str]) -> str | None:
    """Why a hub of this type cannot serve these phases, or None. No phases ticked means the
    type's own, so is always allowed."""
    return _phases_problem(db.session.get(HubType, hub_type_id), phases)


def phases_hint(hub_types: list[HubType]) -> str:
    """The hub form's hint: which types serve only some phases."""
    some = [
        f"{t.name}: {_phase_list(t.phases)}{' only' if len(t.phases) == 1 else ''}"
        for t in hub_types
        if t.phases
    ]
    hint = "Leave all unticked for every phase its type serves."
    if some:
        hint += f" Types that serve only some phases: {'; '.join(some)}."
    return hint


def type_phases_problem(hub_type: HubType, phases: list[str]) -> str | None:
    """Why a hub type cannot be narrowed to these phases: a hub of the type serves others."""
    if not phases:
        return None
    for hub in db.session.scalars(
        db.select(Hub).where(Hub.hub_type_id == hub_type.id).order_by(Hub.name)
    ):
        outside = [p for p in (hub.phases or PHASES) if p not in phases]
        if outside:
            served = "every phase" if not hub.phases else f"{_phase_list(outside)} schools"
            return (
                f"{hub.name} serves {served}, which this list leaves out. Tick "
                f"{' and '.join(PHASES[p] for p in PHASES if p in outside)} too, or change "
                "that hub's phases first."
            )
    return None


def update_user(user: User, role: str, active: bool, hubs: list[Hub]) -> None:
    """Save an account's role, state and hubs, recording each change in the audit log (hub
    changes in each hub's own log). A disabled account's sessions end at once."""
    target = account_words(user)
    if role != user.role:
        record("role-changed", target=target, detail=f"From {user.role} to {role}")
    if active != user.active:
        detail = "" if active else sessions.ended_words(sessions.end_all(user))
        record("account-enabled" if active else "account-disabled", target=target, detail=detail)
    for hub in sorted(set(hubs) - set(user.hubs), key=lambda h: h.name):
        record("membership-added", hub=hub, target=target, detail=hub.name)
    for hub in sorted(set(user.hubs) - set(hubs), key=lambda h: h.name):
        record("membership-removed", hub=hub, target=target, detail=hub.name)
    user.role, user.active, user.hubs = role, active, hubs
    db.session.commit()


def hub_name_taken(name: str, hub: Hub | None) -> bool:
    return _name_taken(Hub, name, hub)


def type_in_use(hub: Hub | None) -> bool:
    """Whether the hub's surveys, activities, series, plans or resources name its type's need
    areas: with another type, they would name areas outside the hub's framework."""
    if hub is None:
        return False
    return any(
        db.session.scalar(db.select(model.id).where(model.hub_id == hub.id).limit(1))
        for model in (Survey, Activity, Series, Plan, Resource)
    )


def hub_type_name_taken(name: str, hub_type: HubType) -> bool:
    return _name_taken(HubType, name, hub_type)


def _name_taken(model, name: str, record) -> bool:
    """Whether another record has this name, in any case. Compared here, not in SQL: SQLite's
    lower() folds only A to Z, so 'ÉCOLE' was not found taken, and the database refused it."""
    wanted = name.strip().casefold()
    rows = db.session.execute(db.select(model.id, model.name))
    return any(
        taken.casefold() == wanted and id_ != getattr(record, "id", None) for id_, taken in rows
    )


def save_hub_type(hub_type: HubType, **fields) -> None:
    for name, value in fields.items():
        setattr(hub_type, name, value)
    db.session.commit()


def add_need_area(hub_type: HubType, name: str, description: str) -> NeedArea:
    area = NeedArea(name=name, description=description, position=len(hub_type.need_areas))
    hub_type.need_areas.append(area)
    db.session.commit()
    return area


def update_need_area(area: NeedArea, name: str, description: str) -> None:
    area.name, area.description = name, description
    db.session.commit()


class NeedAreaInUse(Exception):
    """A need area that surveys ask about cannot be removed."""


# What else names a need area: hubs' activities, series, plans' objectives and resources.
TAGGED_WITH_AREAS = {
    "activities": activity_need_area,
    "series": series_need_area,
    "plan objectives": objective_need_area,
    "resources": resource_need_area,
}


def remove_need_area(area: NeedArea) -> None:
    """Take a need area out of its framework, unless a survey question, or anything a hub
    tagged with it, uses it."""
    used = db.session.scalar(
        db.select(func.count(Question.id))
        .outerjoin(GridRow, GridRow.question_id == Question.id)
        .where((Question.need_area_id == area.id) | (GridRow.need_area_id == area.id))
    )
    if used:
        raise NeedAreaInUse(
            f"{area.name} is used by questions in hubs' surveys, so it cannot be removed: "
            "their answers would lose their meaning. You can rename it instead."
        )
    tagged = [
        words
        for words, table in TAGGED_WITH_AREAS.items()
        if db.session.scalar(
            db.select(table.c.need_area_id).where(table.c.need_area_id == area.id).limit(1)
        )
    ]
    if tagged:
        raise NeedAreaInUse(
            f"{area.name} is chosen for hubs' {', '.join(tagged)}, so it cannot be removed. "
            "You can rename it instead."
        )
    hub_type = area.hub_type
    hub_type.need_areas.remove(area)
    _renumber(hub_type)
    db.session.commit()


def move_need_area(area: NeedArea, step: int) -> None:
    """Move a need area one place up (step -1) or down (+1) in its framework."""
    areas = list(area.hub_type.need_areas)
    i = areas.index(area)
    j = i + step
    if 0 <= j < len(areas):
        areas[i], areas[j] = areas[j], areas[i]
        for position, each in enumerate(areas):
            each.position = position
        db.session.commit()


def _renumber(hub_type: HubType) -> None:
    for position, area in enumerate(hub_type.need_areas):
        area.position = position


def need_area_name_taken(hub_type: HubType, name: str, area: NeedArea | None) -> bool:
    return any(
        other.name.lower() == name.strip().lower() and other is not area
        for other in hub_type.need_areas
    )
