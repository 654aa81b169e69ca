"""A named person's answers across a hub's named surveys: found, shown, handed over, erased.

Only responses that hold a name or an email address are searched: those given to named
surveys, including any given before a survey was switched to anonymous (they keep the name
they were given). Anonymous answers hold neither, so there is nobody in them to find."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.orm import selectinload

from hubsurvey.audit import services as audit
from hubsurvey.extensions import db
from hubsurvey.models import Answer, Hub, Question, Response, Survey
from hubsurvey.respond.services import saved_values
from hubsurvey.surveys.questions import describe
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

# A response that says who gave it.
NAMED = (Response.respondent_name != "") | (Response.respondent_email != "")
ACCESS_HEADINGS = ["survey", "wave", "status", "started", "sent", "question", "answer"]


@dataclass(frozen=True)
class Search:
    """What hub staff typed: an email address (matched exactly) or part of a name."""

    term: str
    by: str  # "email" or "name"


def search_for(typed: str) -> Search:
    term = " ".join(typed.split())
    return Search(term, "email" if "@" in term else "name")


def named_surveys(hub: Hub) -> list[Survey]:
    return list(
        db.session.scalars(
            db.select(Survey)
            .where(Survey.hub_id == hub.id, Survey.anonymous.is_(False))
            .order_by(Survey.created_at.desc(), Survey.id.desc())
        )
    )


def anonymous_survey_count(hub: Hub) -> int:
    return db.session.scalar(
        db.select(func.count(Survey.id)).where(Survey.hub_id == hub.id, Survey.anonymous)
    )


def find(hub: Hub, search: Search) -> list[Response]:
    """The named responses in the hub's surveys whose email is the one typed (in any case),
    or whose name contains what was typed (in any case)."""
    # Only the two columns, matched here rather than in SQL: SQLite's lower() folds only
    # A to Z, so "élodie" would find "Élodie" on PostgreSQL but not on SQLite.
    candidates = db.session.execute(
        db.select(Response.id, Response.respondent_name, Response.respondent_email)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.hub_id == hub.id, NAMED)
    )
    wanted = search.term.casefold()
    if search.by == "email":
        ids = [id_ for id_, _name, email in candidates if email.strip().casefold() == wanted]
    else:
        ids = [
            id_ for id_, name, _email in candidates if wanted in " ".join(name.split()).casefold()
        ]
    return _load(ids)


def chosen(hub: Hub, ids: list[int]) -> list[Response] | None:
    """The responses with these ids, or None if any is not a named response of the hub's."""
    responses = _load(set(ids), hub)
    return responses if len(responses) == len(set(ids)) else None


def _load(ids, hub: Hub | None = None) -> list[Response]:
    if not ids:
        return []
    query = (
        db.select(Response)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Response.id.in_(ids), NAMED)
        .options(selectinload(Response.survey), selectinload(Response.wave))
        .order_by(Survey.created_at.desc(), Survey.id.desc(), Response.started_at, Response.id)
    )
    if hub is not None:
        query = query.where(Survey.hub_id == hub.id)
    return list(db.session.scalars(query))


def per_survey(responses: list[Response]) -> list[tuple[Survey, int]]:
    """How many of the responses are in each survey, in the order they came."""
    counts = Counter(response.survey_id for response in responses)
    surveys = {response.survey_id: response.survey for response in responses}
    return [(surveys[survey_id], n) for survey_id, n in counts.items()]


def about(response: Response) -> list[tuple[str, str]]:
    """What the response says about the person who gave it, in words."""
    facts = [
        ("Name", response.respondent_name),
        ("Email", response.respondent_email),
        ("School", response.school_name),
        ("Phase", PHASES.get(response.phase or "", "")),
        ("Role", RESPONDENT_ROLES.get(response.role or "", "")),
        ("Career stage", CAREER_STAGES.get(response.career_stage or "", "")),
        ("Subject", SUBJECTS.get(response.subject or "", "")),
    ]
    return [(key, value) for key, value in facts if value]


def answers(response: Response) -> list[tuple[Question, list[str]]]:
    """Each answered question of the response with its answer in words, in survey order."""
    values = saved_values(response)
    return [(q, describe(q, values[q.id])) for q in response.survey.questions if q.id in values]


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def access_rows(responses: list[Response]) -> Iterator[list]:
    """The person's data for a right-of-access request: what each response says about them,
    then one row per answer (per chosen option, per need area)."""
    yield ACCESS_HEADINGS
    for response in responses:
        status = "sent" if response.status == "submitted" else "not sent (draft)"
        start = [
            response.survey.title,
            response.wave.label,
            status,
            _when(response.started_at),
            _when(response.submitted_at),
        ]
        for key, value in about(response):
            yield [*start, key, value]
        values = saved_values(response)
        for question in response.survey.questions:
            if question.id not in values:
                continue
            value = values[question.id]
            # A written answer stays whole in its cell, line breaks and all.
            written = question.kind in ("short_text", "long_text")
            for part in [value] if written else describe(question, value):
                yield [*start, question.prompt, part]


# The audit log says who erased or handed over how many responses in which survey, and how
# they searched: never the person's name or email, not even hashed. A salted hash of an email
# is still personal data (anyone holding the salt can test a guessed address against it), and
# after an erasure the hub should hold nothing that points to the person.
def _target(survey: Survey, count: int) -> str:
    return (
        f"{count} {'response' if count == 1 else 'responses'} in survey {survey.id}: {survey.title}"
    )


def record_download(hub: Hub, responses: list[Response], search: Search) -> None:
    """Record a right-of-access download: one audit entry per survey."""
    for survey, count in per_survey(responses):
        audit.record(
            "access-download", hub=hub, target=_target(survey, count), detail=f"by {search.by}"
        )
    db.session.commit()


def erase(hub: Hub, responses: list[Response], search: Search) -> int:
    """Delete the responses and their answers in one transaction, recorded in the audit log;
    returns how many went."""
    ids = [response.id for response in responses]
    counts = per_survey(responses)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    db.session.execute(delete(Response).where(Response.id.in_(ids)))
    for survey, count in counts:
        audit.record(
            "responses-erased", hub=hub, target=_target(survey, count), detail=f"by {search.by}"
        )
    db.session.commit()
    return len(ids)
