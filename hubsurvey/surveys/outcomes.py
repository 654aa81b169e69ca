"""Outcome figures read over time: each school's trend, and the hub's figure for each wave.

Each school sends one set of figures per wave, so there are few rows: they are read whole, not
aggregated in SQL."""

from dataclasses import dataclass, field

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Question, Response, Survey, Wave

NOT_SENT = "\u2013"  # an en dash, as tables print a missing figure
MINUS = "\u2212"  # a true minus sign, as wide as the plus


@dataclass
class Trend:
    """One number question over the waves, oldest first: per school, and for the hub."""

    question: Question
    waves: list[str]
    # School name -> the value in each wave (None where it sent nothing).
    schools: dict[str, list[float | None]] = field(default_factory=dict)
    hub: list[float | None] = field(default_factory=list)

    @property
    def share(self) -> bool:
        return is_share(self.question)


def is_share(question: Question) -> bool:
    return question.settings.get("unit") == "%"


def _pupils(numbers: list[Question]) -> Question | None:
    """The count a share is a share of: the first whole-number question that is not a share."""
    return next((q for q in numbers if not is_share(q) and q.settings.get("integer")), None)


@dataclass
class Outcomes:
    waves: list[str]  # oldest first
    schools_per_wave: list[int]  # schools that sent figures in each wave
    trends: list[Trend]


def outcomes(survey: Survey) -> Outcomes | None:
    """For each number question: every school's value per wave, and the hub's figure per wave.

    The hub's share is weighted by each school's pupil count where the survey asks for one (a
    school of 200 pupils counts ten times one of 20), so it is the share of all pupils across
    the schools that sent both figures. A count is the total over the schools that sent it."""
    numbers = [q for q in survey.questions if q.kind == "number"]
    waves = db.session.execute(
        db.select(Wave.id, Wave.label).where(Wave.survey_id == survey.id).order_by(Wave.number)
    ).all()
    if not numbers or not waves:
        return None
    position = {wave_id: i for i, (wave_id, _label) in enumerate(waves)}
    rows = db.session.execute(
        db.select(Response.wave_id, Response.school_name, Answer.question_id, Answer.number)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.survey_id == survey.id,
            Response.status == "submitted",
            Response.excluded.is_(False),
            Answer.question_id.in_([q.id for q in numbers]),
        )
        .order_by(Response.school_name)
    )
    # (school, wave position) -> {question id: value}
    sent: dict[tuple[str, int], dict[int, float]] = {}
    for wave_id, school, question_id, value in rows:
        sent.setdefault((school, position[wave_id]), {})[question_id] = value
    schools = sorted({school for school, _wave in sent}, key=str.casefold)
    pupils = _pupils(numbers)
    result = Outcomes(
        waves=[label for _id, label in waves],
        schools_per_wave=[sum(1 for key in sent if key[1] == i) for i in range(len(waves))],
        trends=[],
    )
    for question in numbers:
        trend = Trend(question=question, waves=[label for _id, label in waves])
        for school in schools:
            trend.schools[school] = [
                sent.get((school, i), {}).get(question.id) for i in range(len(waves))
            ]
        for i in range(len(waves)):
            values = [sent[key] for key in sent if key[1] == i and question.id in sent[key]]
            trend.hub.append(_hub_figure(question, pupils, values))
        result.trends.append(trend)
    return result


def _hub_figure(question: Question, pupils: Question | None, values: list[dict]) -> float | None:
    if not values:
        return None
    if not is_share(question):
        return sum(v[question.id] for v in values)
    if pupils is not None:
        weighted = [(v[question.id], v[pupils.id]) for v in values if v.get(pupils.id)]
        total = sum(count for _share, count in weighted)
        if total:
            return sum(share * count for share, count in weighted) / total
    return sum(v[question.id] for v in values) / len(values)


def figure(value: float | None, question: Question) -> str:
    """A figure as every outcomes page and file writes it: shares to one decimal place at most
    ("82%", "76.5%"), counts whole with thousands separated ("1,204")."""
    if value is None:
        return NOT_SENT
    if is_share(question):
        return f"{round(value, 1):g}%"
    return f"{round(value):,}"


def change(before: float | None, after: float | None, question: Question) -> str:
    """The change between two figures: "+19 points" for shares, "+12" for counts."""
    if before is None or after is None:
        return NOT_SENT
    difference = round(after - before, 1) if is_share(question) else round(after - before)
    if is_share(question):
        return signed(difference, lambda size: f"{size:g} points")
    return signed(difference, lambda size: f"{size:,}")


def signed(difference: float, words) -> str:
    """A change as every report writes it: "+3", a true minus sign before a fall, or "no
    change". `words` writes the size of the change."""
    if difference == 0:
        return "no change"
    return ("+" if difference > 0 else MINUS) + words(abs(difference))


def first_and_last(values: list[float | None]) -> tuple[float | None, float | None]:
    """A school's earliest and latest figures, for its change over the waves it sent."""
    sent = [v for v in values if v is not None]
    return (sent[0], sent[-1]) if len(sent) > 1 else (None, None)
