"""Counting a survey's answers for its results page: for each question and wave, who it was
shown to, who answered it, and how many gave each value.

Counted like the needs summary: sent responses only, not those hub staff excluded in review.
The answers are read from the index of counted answers (ix_answer_counted: each answer with
the wave its response is counted in, kept by the database), in the index's order, so they
are counted without a sort and without looking up each answer's response. Only a question
shown to some respondents is read with its responses, to count it over those it was shown
to, by the audience of its section and its own."""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, null, or_, true
from sqlalchemy.sql import ColumnElement

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Question, Response, Survey, Wave
from hubsurvey.models.responses import COUNTED
from hubsurvey.surveys import audience

CHOICES = ("single", "multiple", "scale", "rating")
NUMBERS = (*CHOICES, "number")  # questions answered with a number, counted by value or range


@dataclass
class Tally:
    """One question in one wave: who it was shown to, who answered, and how many gave each
    value (choices, scales, ratings) or the smallest and largest (numbers)."""

    shown: int = 0
    answered: int = 0
    values: dict[int, int] = field(default_factory=dict)
    low: float | None = None
    high: float | None = None


Tallies = dict[int, dict[int, Tally]]  # question id -> wave id -> tally


def sent(survey: Survey, wave: Wave | None) -> ColumnElement[bool]:
    """The responses counted: sent, not excluded in review, in the wave (None: every wave)."""
    conditions = [Response.survey_id == survey.id, *COUNTED]
    if wave is not None:
        conditions.append(Response.wave_id == wave.id)
    return and_(*conditions)


def counted(wave_ids: list[int] | None) -> ColumnElement[bool]:
    """The answers counted (those of the responses `sent` gives) in these waves (None: every
    wave). Also what lets the partial index ix_answer_counted be read."""
    if wave_ids is None:
        return Answer.counted_wave_id.is_not(None)
    if len(wave_ids) == 1:
        return Answer.counted_wave_id == wave_ids[0]
    return Answer.counted_wave_id.in_(wave_ids)


def shown_clause(survey: Survey, question: Question) -> ColumnElement[bool]:
    """The responses a question was shown to. A survey that asks nobody about themselves
    shows everyone everything (as respond.services.steps_for does)."""
    if not survey.asks_profile:
        return true()
    return and_(audience.clause(question.section.audience), audience.clause(question.audience))


def shown_to_everyone(survey: Survey, question: Question) -> bool:
    return not any(_audience_key(survey, question))


def _audience_key(survey: Survey, question: Question) -> tuple:
    if not survey.asks_profile:
        return ()
    rules = (audience.clean(question.section.audience), audience.clean(question.audience))
    return tuple(tuple((fact, tuple(codes)) for fact, codes in rule.items()) for rule in rules)


def count(survey: Survey, questions: list[Question], waves: list[Wave] | None) -> Tallies:
    """Each question's tally in each of these waves (None: every wave). The responses give who
    each audience covers, and who answered the questions stored as several rows (multiple
    choice, needs grid); the answers give the rest, by value. A needs grid's figures are the
    needs summary's (summary.GridCounts). An anonymous survey with several waves is always
    counted in every wave: whether a wave's figures may be shown depends on the others."""
    if survey.anonymous and len(survey.waves) > 1:
        waves = None
    wave_ids = None if waves is None else [w.id for w in waves]
    tallies: Tallies = {q.id: {} for q in questions}
    _count_shown(survey, questions, wave_ids, tallies)
    others = [q for q in questions if q.kind != "needs_grid"]
    everyone = [q for q in others if shown_to_everyone(survey, q)]
    some = [q for q in others if not shown_to_everyone(survey, q)]
    kinds = {q.id: q.kind for q in others}
    for question_id, wave_id, item, number, rows, low, high in [
        *_value_rows(survey, everyone, wave_ids, through_responses=False),
        *_value_rows(survey, some, wave_ids, through_responses=True),
    ]:
        this = tallies[question_id].setdefault(wave_id, Tally())
        if kinds[question_id] != "multiple":
            this.answered += rows  # one row per answer
        if kinds[question_id] in CHOICES:
            # A multiple choice stores option i as item i + 1; the others store the value.
            value = item - 1 if item else int(number)
            this.values[value] = this.values.get(value, 0) + rows
        if kinds[question_id] == "number":
            this.low, this.high = low, high
    return tallies


def _count_shown(
    survey: Survey, questions: list[Question], wave_ids: list[int] | None, tallies: Tallies
) -> None:
    """One pass over the responses: per wave, how many each audience covers, and how many
    answered each question stored as several rows."""
    condition = sent(survey, None)
    if wave_ids is not None:
        condition = and_(condition, Response.wave_id.in_(wave_ids))
    keys = {q.id: _audience_key(survey, q) for q in questions}
    audiences: dict[tuple, Question] = {}
    for question in questions:
        audiences.setdefault(keys[question.id], question)
    many = [q for q in questions if q.kind in ("multiple", "needs_grid")]
    columns = [func.count(case((shown_clause(survey, q), 1))) for q in audiences.values()]
    for question in many:
        answered = exists().where(
            Answer.response_id == Response.id, Answer.question_id == question.id
        )
        columns.append(func.count(case((and_(shown_clause(survey, question), answered), 1))))
    rows = db.session.execute(
        db.select(Response.wave_id, *columns).where(condition).group_by(Response.wave_id)
    )
    for wave_id, *figures in rows:
        shown = dict(zip(audiences, figures[: len(audiences)], strict=True))
        for question in questions:
            tallies[question.id].setdefault(wave_id, Tally()).shown = shown[keys[question.id]]
        for question, answered in zip(many, figures[len(audiences) :], strict=True):
            tallies[question.id][wave_id].answered = answered


def _value_rows(
    survey: Survey, questions: list[Question], wave_ids: list[int] | None, through_responses: bool
) -> list[tuple]:
    """(question id, wave id, item, value, answers, smallest, largest) for these questions'
    counted answers: one row per value given for choices, scales and ratings; one row per
    question, wave and item for the others (a number question has as many values as answers),
    with the smallest and largest for numbers. Grouped in the index's order, so the database
    counts them as it reads, without a sort; only what each kind needs is read (the smallest
    and largest cost as much again). `through_responses`: only the answers from responses
    each question was shown to."""
    choices = [q for q in questions if q.kind in CHOICES]
    numbers = [q for q in questions if q.kind == "number"]
    written = [q for q in questions if q.kind not in NUMBERS]
    rows = []
    for members, by_value, ends in (
        (choices, [Answer.number], [null(), null()]),
        (numbers, [], [func.min(Answer.number), func.max(Answer.number)]),
        (written, [], [null(), null()]),
    ):
        if not members:
            continue
        query = db.select(
            Answer.question_id,
            Answer.counted_wave_id,
            Answer.item,
            *(by_value or [null()]),
            func.count(),
            *ends,
        ).group_by(Answer.question_id, Answer.counted_wave_id, Answer.item, *by_value)
        if through_responses:
            query = query.join(Response, Response.id == Answer.response_id).where(
                _shown_answers(survey, members)
            )
        else:
            query = query.where(Answer.question_id.in_([q.id for q in members]))
        rows += db.session.execute(query.where(counted(wave_ids))).tuples().all()
    return rows


def _shown_answers(survey: Survey, questions: list[Question]) -> ColumnElement[bool]:
    """Answers to these questions from responses each was shown to: one IN list per audience."""
    groups: dict[tuple, list[Question]] = {}
    for question in questions:
        groups.setdefault(_audience_key(survey, question), []).append(question)
    return or_(
        *(
            and_(Answer.question_id.in_([q.id for q in members]), shown_clause(survey, members[0]))
            for members in groups.values()
        )
    )


def median(survey: Survey, question: Question, wave: Wave | None, answered: int) -> float | None:
    """The middle answer to a number question (the mean of the middle two for an even count),
    in the wave (None: every wave): read by offset from the sorted answers, never all loaded."""
    query = db.select(Answer.number).where(
        Answer.question_id == question.id,
        Answer.item == 0,
        counted(None if wave is None else [wave.id]),
    )
    if not shown_to_everyone(survey, question):
        query = query.join(Response, Response.id == Answer.response_id).where(
            shown_clause(survey, question)
        )
    middle = query.order_by(Answer.number).offset((answered - 1) // 2).limit(2 - answered % 2)
    values = list(db.session.scalars(middle))
    return sum(values) / len(values) if values else None
