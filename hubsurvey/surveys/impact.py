"""Change for linked participants: confidence per need area, first answer against latest."""

from dataclasses import dataclass

from hubsurvey.extensions import db
from hubsurvey.models import Answer, NeedArea, Question, Response, Section, Survey, Wave

# Figures resting on fewer people than this are not shown for anonymous surveys.
SMALLEST_GROUP = 5


@dataclass
class Change:
    need_area: NeedArea
    people: int
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


def confidence_change(survey: Survey) -> list[Change]:
    """Per need area: the people who rated it in two or more waves (linked by participant
    code), their mean confidence in the first of those waves and in the latest."""
    rows = db.session.execute(
        db.select(Response.participant_id, Answer.item, Wave.number, Answer.number)
        .join(Response, Response.id == Answer.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Section, Section.id == Question.section_id)
        .where(
            Section.survey_id == survey.id,
            Question.kind == "needs_grid",
            Response.status == "submitted",
            Response.excluded.is_(False),  # left out by hub staff after review
            Response.participant_id.is_not(None),
        )
        .order_by(Wave.number)
    )
    # participant and need area -> (first wave, confidence), (latest wave, confidence)
    first: dict[tuple[int, int], tuple[int, float]] = {}
    latest: dict[tuple[int, int], tuple[int, float]] = {}
    for participant, area_id, wave, confidence in rows:
        key = (participant, area_id)
        first.setdefault(key, (wave, confidence))
        latest[key] = (wave, confidence)
    by_area: dict[int, list[tuple[float, float]]] = {}
    for key, (wave, before) in first.items():
        later_wave, after = latest[key]
        if later_wave > wave:
            by_area.setdefault(key[1], []).append((before, after))
    areas = {
        a.id: a for a in db.session.scalars(db.select(NeedArea).where(NeedArea.id.in_(by_area)))
    }
    return [
        Change(
            need_area=areas[area_id],
            people=len(pairs),
            before=sum(b for b, _ in pairs) / len(pairs),
            after=sum(a for _, a in pairs) / len(pairs),
        )
        for area_id, pairs in sorted(by_area.items(), key=lambda item: areas[item[0]].position)
    ]
