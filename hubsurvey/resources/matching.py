"""What a teacher gets back for a needs assessment: the hub's resources and upcoming activities
for the need areas they put first.

Worked out from the answers just sent, each time the page is shown, and never stored: nothing
more is kept about the teacher (no row, no cookie). It costs two small queries: the teacher's
needs grid answers, read by the answer table's key; then the resources and the upcoming
activities tagged with their top need areas, in one."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, cast, literal, null, union_all

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Answer, NeedArea, Resource, Response
from hubsurvey.models.activities import activity_need_area
from hubsurvey.models.resources import resource_need_area
from hubsurvey.resources.files import BY_CONTENT_TYPE, size_words

# The need areas taken as the teacher's top needs, and the most of each kind shown.
TOP_AREAS = 3
SHOWN = 3
# With no priority named, areas rated this confident or less are their needs.
LOW_CONFIDENCE = 2


@dataclass
class Offer:
    """A resource or an upcoming activity, and the teacher's need area it is offered for."""

    kind: str  # "resource" or "activity"
    id: int
    title: str
    area_id: int
    area: str
    at: datetime
    url: str = ""
    content_type: str = ""
    size: int = 0
    phases: list[str] | None = None
    place: str = ""
    online: bool = False

    @property
    def what(self) -> str:
        """A resource's type and size ("PDF, 120 KB") or "Web link"."""
        if self.url:
            return "Web link"
        kind = BY_CONTENT_TYPE.get(self.content_type)
        return f"{kind.label if kind else 'File'}, {size_words(self.size)}"


@dataclass
class Matched:
    """What a teacher is offered; false when nothing is."""

    areas: list[str]  # the teacher's top need areas that something is offered for
    resources: list[Offer]
    activities: list[Offer]

    def __bool__(self) -> bool:
        return bool(self.resources or self.activities)


def top_areas(response: Response) -> list[tuple[int, str]]:
    """The need areas the teacher put first, most needed first, as (id, name): those they
    named a priority, least confident first (then in the framework's order); with none
    named, those they rated 1 or 2 out of 5. At most TOP_AREAS."""
    # Only a needs grid's answers have a priority (true or false); their item is the area.
    rows = db.session.execute(
        db.select(Answer.item, NeedArea.name, Answer.number, Answer.priority)
        .join(NeedArea, NeedArea.id == Answer.item)
        .where(Answer.response_id == response.id, Answer.priority.is_not(None))
        .order_by(NeedArea.position, NeedArea.id)
    )
    names: dict[int, str] = {}
    confidence: dict[int, float] = {}
    priorities: set[int] = set()
    for area_id, name, number, priority in rows:
        names.setdefault(area_id, name)
        # An area asked about twice (in two grids) counts at its lowest, and as a priority
        # if named one either time.
        confidence[area_id] = min(confidence.get(area_id, number), number)
        if priority:
            priorities.add(area_id)
    wanted = priorities or {a for a, n in confidence.items() if n <= LOW_CONFIDENCE}
    order = list(names)  # the framework's order
    ranked = sorted(wanted, key=lambda a: (confidence[a], order.index(a)))
    return [(area_id, names[area_id]) for area_id in ranked[:TOP_AREAS]]


def matched(response: Response, now: datetime | None = None) -> Matched:
    """The hub's resources and upcoming activities for the teacher's top needs: at most
    SHOWN of each, for their neediest area first (the newest resources, the soonest
    activities). A resource tagged with phases is offered only to a teacher of one of them,
    or to one who gave no phase."""
    areas = top_areas(response)
    if not areas:
        return Matched([], [], [])
    rank = {area_id: i for i, (area_id, _name) in enumerate(areas)}
    offers = _offers(response.survey.hub_id, list(rank), now or datetime.now())
    phase = response.phase
    resources = sorted(
        (o for o in offers if o.kind == "resource" and _suits(o.phases, phase)),
        key=lambda o: (rank[o.area_id], -o.id),
    )
    activities = sorted(
        (o for o in offers if o.kind == "activity"), key=lambda o: (rank[o.area_id], o.at, o.id)
    )
    resources, activities = _first(resources), _first(activities)
    offered = {offer.area for offer in resources + activities}
    return Matched([name for _id, name in areas if name in offered], resources, activities)


def _suits(phases: list[str] | None, phase: str | None) -> bool:
    return not phases or phase is None or phase in phases


def _first(offers) -> list[Offer]:
    """The first SHOWN offers, each once (a resource may be tagged with two of the areas)."""
    seen, chosen = set(), []
    for offer in offers:
        if offer.id not in seen and len(chosen) < SHOWN:
            seen.add(offer.id)
            chosen.append(offer)
    return chosen


def _offers(hub_id: int, area_ids: list[int], now: datetime) -> list[Offer]:
    """Resources and upcoming activities tagged with these areas, one row per tag, in one
    query: the two kinds padded to the same columns."""

    def text(value: str):
        return cast(literal(value), String)

    resources = (
        db.select(
            text("resource").label("kind"),
            Resource.id,
            Resource.title,
            NeedArea.id.label("area_id"),
            NeedArea.name.label("area"),
            Resource.created_at.label("at"),
            Resource.url,
            Resource.content_type,
            Resource.size,
            Resource.phases,
            text("").label("place"),
            cast(literal(False), Boolean).label("online"),
        )
        .join(resource_need_area, resource_need_area.c.resource_id == Resource.id)
        .join(NeedArea, NeedArea.id == resource_need_area.c.need_area_id)
        .where(Resource.hub_id == hub_id, NeedArea.id.in_(area_ids))
    )
    activities = (
        db.select(
            text("activity"),
            Activity.id,
            Activity.title,
            NeedArea.id,
            NeedArea.name,
            Activity.starts_at,
            text(""),
            text(""),
            cast(literal(0), Integer),
            cast(null(), JSON),
            Activity.place,
            Activity.online,
        )
        .join(activity_need_area, activity_need_area.c.activity_id == Activity.id)
        .join(NeedArea, NeedArea.id == activity_need_area.c.need_area_id)
        .where(Activity.hub_id == hub_id, Activity.starts_at > now, NeedArea.id.in_(area_ids))
    )
    rows = db.session.execute(union_all(resources, activities))
    return [Offer(**row._mapping) for row in rows]
