"""The school picture: a schools by need areas grid of need scores, within the privacy rules.

In an anonymous survey most schools have a handful of respondents, too few to show on their
own. They are grouped instead ("4 schools with fewer than 5 respondents each: 13
respondents"), so the hub lead still sees the network's shape. A school is shown on its own
only where its figures could not give a small group away, by the needs summary's own rules
(summary._hidden): it rests on enough people, and so does its difference from every wider view
the lead can open. The group is held to the same rules; while it fails them, the smallest
school shown joins it, since the group is also what is left of the whole hub once the schools
shown are taken away."""

from dataclasses import dataclass, field, replace

from hubsurvey.extensions import db
from hubsurvey.models import Hub, NeedArea, School
from hubsurvey.reports.summary import (
    Filters,
    GridCounts,
    Tallies,
    _grid_ids,
    _protects_small_groups,
    _tally,
    _wider_views,
)


@dataclass
class Line:
    """One row of the grid: a school, or the group of small schools."""

    label: str
    respondents: int
    scores: dict[int, float | None] = field(default_factory=dict)  # need area id -> score
    schools: int = 1


@dataclass
class SchoolPicture:
    areas: list[NeedArea]
    lines: list[Line]  # schools shown on their own, by name
    group: Line | None  # the small schools together; None when there are none
    group_shown: bool
    unlisted: bool  # the group holds people whose school is not on the hub's list
    smallest: int


def _sums(tallies: Tallies, members: set) -> dict[int, tuple[int, int, int]]:
    """Need area id -> (respondents, how many low, how many priority) over these schools."""
    sums: dict[int, tuple[int, int, int]] = {}
    for (area_id, school), (count, _mean, low, priority) in tallies.items():
        if school in members:
            n, lo, pr = sums.get(area_id, (0, 0, 0))
            sums[area_id] = (n + count, lo + low, pr + priority)
    return sums


def _line(label: str, sums: dict[int, tuple[int, int, int]], schools: int = 1) -> Line:
    scores = {area: 50 * low / n + 50 * priority / n for area, (n, low, priority) in sums.items()}
    respondents = max((n for n, _low, _priority in sums.values()), default=0)
    return Line(label, respondents, scores, schools)


def school_picture(
    hub: Hub, filters: Filters, counts: GridCounts | None = None
) -> SchoolPicture | None:
    """The grid for the needs summary's survey, wave and filters; None without answers.
    `counts` may be given to share what was read with the needs summary shown beside it."""
    by_school = replace(filters, by="school")
    grids = _grid_ids(hub, filters.survey)
    counts = counts or GridCounts()  # the answers read once for this view and the wider ones
    tallies = _tally(by_school, grids, counts)
    if not tallies:
        return None
    k = hub.smallest_group
    protect = _protects_small_groups(hub, by_school)
    wider = [_tally(view, ids, counts) for view, ids in _wider_views(hub, by_school, grids)]

    def safe(members: set) -> bool:
        """Every figure of these schools together rests on k or more, and differs from the
        same figure in each wider view by none or by k or more."""
        if not protect:
            return True
        mine = _sums(tallies, members)
        for area_id, (n, _low, _priority) in mine.items():
            if n < k:
                return False
            for view in wider:
                more = _sums(view, members).get(area_id, (n, 0, 0))[0] - n
                if 0 < more < k:
                    return False
        return True

    schools = {school for _area, school in tallies}
    shown = {s for s in schools if s is not None and safe({s})}
    group = schools - shown

    def size(school) -> int:
        return max(n for n, _low, _priority in _sums(tallies, {school}).values())

    while group and not safe(group) and shown:
        smallest = min(shown, key=lambda s: (size(s), s))
        shown.remove(smallest)
        group.add(smallest)
    names = dict(
        db.session.execute(db.select(School.id, School.name).where(School.id.in_(shown)))
        .tuples()
        .all()
    )
    lines = sorted(
        (_line(names[s], _sums(tallies, {s})) for s in shown), key=lambda line: line.label
    )
    area_ids = {area_id for area_id, _school in tallies}
    areas = [a for a in hub.hub_type.need_areas if a.id in area_ids]
    counted = [s for s in group if s is not None]
    return SchoolPicture(
        areas=areas,
        lines=lines,
        group=_line("", _sums(tallies, group), len(counted)) if group else None,
        group_shown=safe(group),
        unlisted=None in group,
        smallest=k,
    )
