"""Change in confidence for linked participants, per need area and over every need area.

A person who gives their participant code in two waves of a needs assessment is linked across
them (see respond.participants). Each need area a linked person rated in a later wave is
paired with their rating of it in the first wave they rated it in; the change is the mean
confidence (1 to 5) over the pairs at the later wave, less the mean over the same pairs at
the first. The survey's page pairs each person's first rating with their latest; a plan's
measure (plans/evidence.py) with their rating in the wave it reads.

In an anonymous survey, a change resting on fewer people than the hub's smallest group is not
shown; nor is the change over every need area when the need areas not shown hold between one
and that many people together: set against the need areas shown, it would give them away."""

from dataclasses import dataclass

from hubsurvey.extensions import db
from hubsurvey.models import Answer, NeedArea, Question, Response, Section, Survey, Wave
from hubsurvey.surveys import outcomes

Pair = tuple[int, float, float]  # participant, confidence at first, confidence later


@dataclass
class AreaChange:
    need_area: NeedArea | None  # None: every need area of the survey together
    people: int
    before: float | None
    after: float | None
    hidden: str = ""  # why the figures are not shown

    @property
    def change(self) -> float | None:
        if self.hidden or self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def change_words(self) -> str:
        """The change to one decimal place, as every report writes a change."""
        return outcomes.signed(round(self.change, 1), lambda size: f"{size:.1f}")


@dataclass
class ConfidenceChange:
    areas: list[AreaChange]  # need areas with linked people, in the framework's order
    overall: AreaChange  # every need area together

    def of(self, area: NeedArea) -> AreaChange:
        """One need area's change (no people, when nobody linked rated it)."""
        found = next((each for each in self.areas if each.need_area.id == area.id), None)
        return found or AreaChange(area, 0, None, None)


def confidence_change(survey: Survey, wave: Wave | None, smallest_group: int) -> ConfidenceChange:
    """The change in confidence of linked participants up to `wave` (their rating in it,
    against their first), or with `wave` None up to each person's latest rating; hidden by the
    small-group rule in an anonymous survey, where `smallest_group` is the hub's."""
    by_area = _pairs(survey, wave)
    protect, k = survey.anonymous, smallest_group
    named = db.session.scalars(
        db.select(NeedArea).where(NeedArea.id.in_(by_area)).order_by(NeedArea.position)
    )
    areas = [_change(area, by_area[area.id], protect, k) for area in named]
    overall = _change(None, [pair for found in by_area.values() for pair in found], protect, k)
    if protect and not overall.hidden:
        # The people of the need areas not shown, together: what the overall figure, less the
        # areas shown, is the mean of.
        hidden = {p for each in areas if each.hidden for p, _b, _a in by_area[each.need_area.id]}
        if 0 < len(hidden) < k:
            overall = AreaChange(
                None,
                overall.people,
                None,
                None,
                hidden=f"set against the need areas shown, it would give away the answers of "
                f"fewer than {k} people",
            )
    return ConfidenceChange(areas, overall)


def _pairs(survey: Survey, wave: Wave | None) -> dict[int, list[Pair]]:
    """Per need area id: for each linked person who rated it in two waves (up to `wave`, and
    at `wave` when it is given), their first rating of it and their latest."""
    query = (
        db.select(Response.participant_id, Answer.item, Wave.number, Answer.number)
        .join(Response, Response.id == Answer.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Section, Section.id == Question.section_id)
        .where(
            Section.survey_id == survey.id,
            Response.survey_id == survey.id,
            Question.kind == "needs_grid",
            Response.status == "submitted",
            Response.excluded.is_(False),  # left out by hub staff after review
            Response.participant_id.is_not(None),
            Answer.number.is_not(None),  # "not sure" is not a level of confidence
        )
        .order_by(Wave.number, Response.id)
    )
    if wave is not None:
        query = query.where(Wave.number <= wave.number)
    first: dict[tuple[int, int], tuple[int, float]] = {}
    latest: dict[tuple[int, int], tuple[int, float]] = {}
    for participant, area_id, number, confidence in db.session.execute(query):
        key = (participant, area_id)
        first.setdefault(key, (number, confidence))
        latest[key] = (number, confidence)
    by_area: dict[int, list[Pair]] = {}
    for (participant, area_id), (number, after) in latest.items():
        first_number, before = first[(participant, area_id)]
        if first_number < number and (wave is None or number == wave.number):
            by_area.setdefault(area_id, []).append((participant, before, after))
    return by_area


def _change(area: NeedArea | None, found: list[Pair], protect: bool, k: int) -> AreaChange:
    if not found:
        return AreaChange(area, 0, None, None)
    people = len({participant for participant, _before, _after in found})
    if protect and people < k:
        return AreaChange(area, people, None, None, hidden=f"fewer than {k} people")
    before = sum(b for _p, b, _a in found) / len(found)
    after = sum(a for _p, _b, a in found) / len(found)
    return AreaChange(area, people, before, after)
