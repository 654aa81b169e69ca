"""Suspect responses of a survey: the flagged ones to review and the excluded ones, and
leaving a response out of summaries and exports (or bringing it back), recorded in the audit
log. A response left out is kept: nothing here deletes anything."""

from dataclasses import dataclass, field

from sqlalchemy import func

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import Answer, AuditEntry, Response, Survey, Wave
from hubsurvey.surveys import questions
from hubsurvey.vocabulary import RESPONDENT_ROLES

# Why a response was flagged, in words for hub staff (respond.services.submit sets the flags).
REASONS = {
    "too-fast": "Sent faster than anyone could read the questions",
    "duplicate": "Sent more than once from the same browser in this wave: the same person "
    "again, or colleagues taking turns on a shared computer",
}
ACTIONS = ("response-excluded", "response-restored")
# A list longer than this is cut short; the page says how many there are in all.
SHOWN = 200
# Answers shown for each response: enough to recognise a pattern, short enough to scan.
ANSWERS_SHOWN = 4


@dataclass
class Suspect:
    response: Response
    wave: str
    reasons: list[str]
    seconds: int | None
    about: str
    answers: list[tuple[str, str]]
    history: list[AuditEntry] = field(default_factory=list)


def _sent(survey: Survey):
    return (Response.survey_id == survey.id) & (Response.status == "submitted")


def _flagged():
    return Response.flags != ""


def suspect_count(survey: Survey) -> int:
    """Flagged responses of the survey not yet left out: the number on the survey page."""
    return db.session.scalar(
        db.select(func.count(Response.id)).where(
            _sent(survey), _flagged(), Response.excluded.is_(False)
        )
    )


def review_lists(survey: Survey) -> dict:
    """The flagged responses still counted, newest first, and those left out, with how many
    of each there are."""
    lists = {}
    for name, condition in (
        ("to_review", _flagged() & Response.excluded.is_(False)),
        ("excluded", Response.excluded.is_(True)),
    ):
        where = _sent(survey) & condition
        total = db.session.scalar(db.select(func.count(Response.id)).where(where))
        rows = db.session.scalars(
            db.select(Response)
            .where(where)
            .order_by(Response.submitted_at.desc(), Response.id.desc())
            .limit(SHOWN)
        ).all()
        lists[name] = (_describe(survey, rows), total)
    return lists


def _describe(survey: Survey, rows: list[Response]) -> list[Suspect]:
    """Each response with its reasons, time taken, a few answers and its review history, in
    a handful of queries whatever the number of responses."""
    ids = [r.id for r in rows]
    waves = dict(
        db.session.execute(db.select(Wave.id, Wave.label).where(Wave.survey_id == survey.id))
        .tuples()
        .all()
    )
    answers: dict[int, dict[int, list[Answer]]] = {}
    for answer in db.session.scalars(db.select(Answer).where(Answer.response_id.in_(ids))):
        answers.setdefault(answer.response_id, {}).setdefault(answer.question_id, []).append(answer)
    history = _history(survey)
    suspects = []
    for response in rows:
        taken = None
        if response.submitted_at and response.started_at:
            taken = max(0, int((response.submitted_at - response.started_at).total_seconds()))
        suspects.append(
            Suspect(
                response=response,
                wave=waves.get(response.wave_id, ""),
                reasons=[REASONS.get(flag, flag) for flag in response.flags.split(",") if flag],
                seconds=taken,
                about=_about(response),
                answers=_first_answers(survey, answers.get(response.id, {})),
                history=history.get(response.id, []),
            )
        )
    return suspects


def _about(response: Response) -> str:
    parts = [
        response.respondent_name,
        RESPONDENT_ROLES.get(response.role or "", ""),
        response.school_name,
    ]
    return ", ".join(part for part in parts if part) or "Not asked"


def _first_answers(survey: Survey, by_question: dict[int, list[Answer]]) -> list[tuple[str, str]]:
    shown = []
    for question in survey.questions:
        if question.id in by_question and len(shown) < ANSWERS_SHOWN:
            value = questions.from_answers(question, by_question[question.id])
            words = "; ".join(questions.describe(question, value))
            shown.append((question.prompt, words if len(words) <= 160 else words[:159] + "…"))
    return shown


def _target(survey: Survey, response: Response) -> str:
    return f"survey {survey.id}: {survey.title}, response {response.id}"


def _history(survey: Survey) -> dict[int, list[AuditEntry]]:
    """Exclusions and restorations of the survey's responses, oldest first, by response id."""
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.hub_id == survey.hub_id,
            AuditEntry.action.in_(ACTIONS),
            AuditEntry.target.like(f"survey {survey.id}: %"),
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    by_response: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        _before, _sep, number = entry.target.rpartition(", response ")
        if number.isdecimal():
            by_response.setdefault(int(number), []).append(entry)
    return by_response


def find_response(survey: Survey, response_id: int) -> Response | None:
    """A sent response of this survey (drafts are not in any summary to leave out of)."""
    return db.session.scalar(db.select(Response).where(_sent(survey), Response.id == response_id))


def set_excluded(survey: Survey, response: Response, excluded: bool, reason: str) -> bool:
    """Leave the response out of summaries and exports (or bring it back), recording who,
    when and why. False if it already was."""
    if response.excluded == excluded:
        return False
    response.excluded = excluded
    record(
        "response-excluded" if excluded else "response-restored",
        hub=survey.hub,
        target=_target(survey, response),
        detail=reason,
    )
    db.session.commit()
    return True
