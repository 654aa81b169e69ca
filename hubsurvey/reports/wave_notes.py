"""What a summary pools: each wave's number of sent responses, what 'All waves' adds up,
which waves the needs summary reads, and what participant codes tell about people counted in
more than one wave."""

from sqlalchemy import and_, case, func
from sqlalchemy.orm import selectinload

from hubsurvey.extensions import db
from hubsurvey.models import Response, Survey, Wave
from hubsurvey.models.responses import COUNTED
from hubsurvey.reports.counting import sent
from hubsurvey.reports.results import find_wave
from hubsurvey.reports.summary import Filters


def sent_per_wave(survey: Survey, counts: dict[int, int] | None = None) -> list[tuple[Wave, int]]:
    """Every wave, newest first, with its number of sent responses. `counts`: what
    _sent_by_wave gives for this survey and others, when already counted."""
    counts = _sent_by_wave([survey.id]) if counts is None else counts
    return [(wave, counts.get(wave.id, 0)) for wave in reversed(survey.waves)]


def _sent_by_wave(survey_ids: list[int]) -> dict[int, int]:
    """Wave id -> sent responses, for every wave of these surveys: one grouped query."""
    query = (
        db.select(Response.wave_id, func.count())
        .where(Response.survey_id.in_(survey_ids), *COUNTED)
        .group_by(Response.wave_id)
    )
    return dict(db.session.execute(query).tuples().all())


def _repeat_people(condition) -> tuple[int, int]:
    """Among these responses: how many carry a participant code, and how many people (by
    their code) answered in more than one wave. One pass, one row per person."""
    people = (
        db.select(
            func.count().label("responses"),
            func.count(func.distinct(Response.wave_id)).label("waves"),
        )
        .where(condition, Response.participant_id.is_not(None))
        .group_by(Response.participant_id)
        .subquery()
    )
    with_code, repeats = db.session.execute(
        db.select(
            func.coalesce(func.sum(people.c.responses), 0),
            func.count(case((people.c.waves > 1, 1))),
        )
    ).one()
    return with_code, repeats


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _people_words(condition, anonymous: bool, smallest: int, several_surveys=False) -> str:
    """What participant codes tell about people counted more than once."""
    with_code, repeats = _repeat_people(condition)
    if not with_code:
        return (
            "Nobody linked their answers with a participant code, so the app cannot tell how "
            "many people answered more than once."
        )
    if not repeats:
        return "No participant code was given in more than one wave."
    people = (
        f"fewer than {smallest} people"
        if anonymous and repeats < smallest
        else f"{repeats} {'person' if repeats == 1 else 'people'}"
    )
    where = "more than one wave" + (" or survey" if several_surveys else "")
    return (
        f"Participant codes show that {people} answered in {where}: each of their "
        "responses is counted."
    )


def pooled_note(survey: Survey, per_wave: list[tuple[Wave, int]] | None = None) -> str:
    """What 'All waves' adds up, and how people who answered in more than one are counted.
    `per_wave`: sent_per_wave(survey), when already counted."""
    waves = [(w, n) for w, n in reversed(per_wave or sent_per_wave(survey)) if n]
    total = sum(n for _w, n in waves)
    if not waves:
        return "No responses yet."
    if len(waves) < 2:
        return f"{total} {'response' if total == 1 else 'responses'}, all in {waves[0][0].label}."
    both = "both waves" if len(waves) == 2 else "more than one wave"
    return (
        f"{_and([w.label for w, _n in waves])}: {total} responses. A person who answered in "
        f"{both} is counted in each. "
        + _people_words(sent(survey, None), survey.anonymous, survey.hub.smallest_group)
    )


def needs_waves_note(hub, filters: Filters) -> str:
    """Which waves the needs summary reads, in a sentence: it pools every wave unless one is
    chosen, and every needs assessment unless one is chosen."""
    survey = filters.survey
    if survey is not None:
        wave = find_wave(survey, filters.wave_id)
        if wave is not None:
            return f"Uses {wave.label} of '{survey.title}' only."
        per_wave = sent_per_wave(survey)
        if len([n for _w, n in per_wave if n]) < 2:
            return f"Uses every response to '{survey.title}' (one wave)."
        return f"Uses every wave of '{survey.title}', pooled. " + pooled_note(survey, per_wave)
    surveys = db.session.scalars(
        db.select(Survey)
        .where(Survey.hub_id == hub.id, Survey.kind == "needs")
        .options(selectinload(Survey.waves))
        .order_by(Survey.created_at, Survey.id)
    ).all()
    counts = _sent_by_wave([s.id for s in surveys])
    described = []
    for each in surveys:
        labels = [w.label for w, n in reversed(sent_per_wave(each, counts)) if n]
        if labels:
            described.append(f"'{each.title}' ({_and(labels)})")
    if not described:
        return "Uses every needs assessment of the hub, in every wave: none has answers yet."
    anonymous = any(s.anonymous for s in surveys)
    condition = and_(Response.survey_id.in_([s.id for s in surveys]), *COUNTED)
    return (
        f"Uses every wave of every needs assessment, pooled: {_and(described)}. A person who "
        "answered more than once is counted each time. "
        + _people_words(condition, anonymous, hub.smallest_group, several_surveys=True)
    )
