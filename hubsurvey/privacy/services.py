"""A named person's answers across a hub's named surveys: found, shown, handed over, erased.

Only responses that hold a name or an email address are searched: those given to named
surveys, including any given before a survey was switched to anonymous (they keep the name
they were given). Anonymous answers hold neither, so there is nobody in them to find.
Activities' registers name people too: their entries are found, handed over and erased the
same way. So may the notes of follow-up with a school: a follow-up whose notes contain what
was searched is found and handed over, and erasing it clears its notes (its date, school and
hours stay: they count for the school, and name nobody)."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy.orm import selectinload

from hubsurvey.audit import services as audit
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Answer,
    Attendance,
    FollowUp,
    Hub,
    Message,
    Question,
    Response,
    Series,
    Survey,
)
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


def _matches(search: Search, name: str, email: str) -> bool:
    wanted = search.term.casefold()
    if search.by == "email":
        return email.strip().casefold() == wanted
    return wanted in " ".join(name.split()).casefold()


def find_attendance(hub: Hub, search: Search) -> list[Attendance]:
    """The hub's register entries whose email or name is found as find() finds responses."""
    candidates = db.session.execute(
        db.select(Attendance.id, Attendance.name, Attendance.email).where(
            Attendance.hub_id == hub.id
        )
    )
    return _load_attendance(
        [id_ for id_, name, email in candidates if _matches(search, name, email)]
    )


def chosen_attendance(hub: Hub, ids: list[int]) -> list[Attendance] | None:
    """The register entries with these ids, or None if any is not one of the hub's."""
    found = _load_attendance(set(ids), hub)
    return found if len(found) == len(set(ids)) else None


def _load_attendance(ids, hub: Hub | None = None) -> list[Attendance]:
    if not ids:
        return []
    query = (
        db.select(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.id.in_(ids))
        .options(selectinload(Attendance.activity), selectinload(Attendance.school))
        .order_by(Activity.starts_at.desc(), Attendance.id)
    )
    if hub is not None:
        query = query.where(Attendance.hub_id == hub.id)
    return list(db.session.scalars(query))


def about_attendance(attendance: Attendance) -> list[tuple[str, str]]:
    """What a register entry says about the person, in words."""
    hours = attendance.activity.hours
    facts = [
        ("Name", attendance.name),
        ("Email", attendance.email),
        ("School", attendance.school.name if attendance.school else ""),
        ("Role", RESPONDENT_ROLES.get(attendance.role or "", "")),
        ("Hours of CPD", f"{hours:g}" if hours is not None else ""),
    ]
    return [(key, value) for key, value in facts if value]


def find_follow_ups(hub: Hub, search: Search) -> list[FollowUp]:
    """The hub's follow-ups whose notes contain what was typed (a name, or an email
    address), in any case and spacing."""
    candidates = db.session.execute(
        db.select(FollowUp.id, FollowUp.notes).where(
            FollowUp.hub_id == hub.id, FollowUp.notes != ""
        )
    )
    wanted = search.term.casefold()
    return _load_follow_ups(
        [id_ for id_, notes in candidates if wanted in " ".join(notes.split()).casefold()]
    )


def chosen_follow_ups(hub: Hub, ids: list[int]) -> list[FollowUp] | None:
    """The follow-ups with these ids, or None if any is not one of the hub's."""
    found = _load_follow_ups(set(ids), hub)
    return found if len(found) == len(set(ids)) else None


def _load_follow_ups(ids, hub: Hub | None = None) -> list[FollowUp]:
    if not ids:
        return []
    query = (
        db.select(FollowUp)
        .where(FollowUp.id.in_(ids))
        .options(selectinload(FollowUp.series), selectinload(FollowUp.school))
        .order_by(FollowUp.held_on.desc(), FollowUp.id.desc())
    )
    if hub is not None:
        query = query.where(FollowUp.hub_id == hub.id)
    return list(db.session.scalars(query))


def about_follow_up(follow_up: FollowUp) -> list[tuple[str, str]]:
    """What a follow-up says, in words: its date, its school and its notes."""
    return [
        ("Date", f"{follow_up.held_on:%Y-%m-%d}"),
        ("School", follow_up.school.name),
        ("Notes", follow_up.notes),
    ]


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


def access_rows(
    responses: list[Response], attendances: list[Attendance] = (), follow_ups: list[FollowUp] = ()
) -> Iterator[list]:
    """The person's data for a right-of-access request: each register entry, one row per
    fact, with the activity in the survey column; each follow-up whose notes name them (its
    date, school and notes), with the series in the survey column; then what each response
    says about them, and one row per answer (per chosen option, per need area)."""
    yield ACCESS_HEADINGS
    for attendance in attendances:
        activity = attendance.activity
        start = [
            f"Register: {activity.title}",
            f"{activity.starts_at:%Y-%m-%d}",
            "on the register",
            _when(attendance.created_at),
            "",
        ]
        for key, value in about_attendance(attendance):
            yield [*start, key, value]
    for follow_up in follow_ups:
        start = [
            f"Follow-up: {follow_up.series.title}",
            f"{follow_up.held_on:%Y-%m-%d}",
            "follow-up notes",
            _when(follow_up.created_at),
            "",
        ]
        for key, value in about_follow_up(follow_up):
            yield [*start, key, value]
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


def per_activity(attendances: list[Attendance]) -> list[tuple[Activity, int]]:
    """How many of the register entries are on each activity's register, in the order they
    came."""
    counts = Counter(attendance.activity_id for attendance in attendances)
    activities = {attendance.activity_id: attendance.activity for attendance in attendances}
    return [(activities[activity_id], n) for activity_id, n in counts.items()]


def _register_target(activity: Activity, count: int) -> str:
    entries = "register entry" if count == 1 else "register entries"
    return f"{count} {entries} in activity {activity.id}: {activity.title}"


def per_series(follow_ups: list[FollowUp]) -> list[tuple[Series, int]]:
    """How many of the follow-ups are in each series, in the order they came."""
    counts = Counter(follow_up.series_id for follow_up in follow_ups)
    series = {follow_up.series_id: follow_up.series for follow_up in follow_ups}
    return [(series[series_id], n) for series_id, n in counts.items()]


def _follow_up_target(series: Series, count: int) -> str:
    notes = "follow-up note" if count == 1 else "follow-up notes"
    return f"{count} {notes} in series {series.id}: {series.title}"


def record_download(
    hub: Hub,
    responses: list[Response],
    search: Search,
    attendances: list[Attendance] = (),
    follow_ups: list[FollowUp] = (),
) -> None:
    """Record a right-of-access download: one audit entry per survey, per activity and per
    series."""
    for survey, count in per_survey(responses):
        audit.record(
            "access-download", hub=hub, target=_target(survey, count), detail=f"by {search.by}"
        )
    for activity, count in per_activity(attendances):
        audit.record(
            "access-download",
            hub=hub,
            target=_register_target(activity, count),
            detail=f"by {search.by}",
        )
    for series, count in per_series(follow_ups):
        audit.record(
            "access-download",
            hub=hub,
            target=_follow_up_target(series, count),
            detail=f"by {search.by}",
        )
    db.session.commit()


def erase(
    hub: Hub,
    responses: list[Response],
    search: Search,
    attendances: list[Attendance] = (),
    follow_ups: list[FollowUp] = (),
) -> int:
    """Delete the responses and their answers, and the register entries with the feedback
    messages addressed to them, and clear the follow-ups' notes, in one transaction,
    recorded in the audit log; returns how many responses went."""
    ids = [response.id for response in responses]
    counts = per_survey(responses)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    db.session.execute(delete(Response).where(Response.id.in_(ids)))
    for survey, count in counts:
        audit.record(
            "responses-erased", hub=hub, target=_target(survey, count), detail=f"by {search.by}"
        )
    for activity, count in per_activity(attendances):
        audit.record(
            "attendance-removed",
            hub=hub,
            target=_register_target(activity, count),
            detail=f"erased at the person's request; found by {search.by}",
        )
    # The feedback link emailed to them holds their name and address.
    keys = [f"feedback:{a.activity_id}:{a.id}" for a in attendances]
    if keys:
        db.session.execute(delete(Message).where(Message.hub_id == hub.id, Message.key.in_(keys)))
    db.session.execute(delete(Attendance).where(Attendance.id.in_([a.id for a in attendances])))
    # The notes go; the date, school and hours stay: they count for the school's CPD hours.
    for series, count in per_series(follow_ups):
        audit.record(
            "follow-up-notes-cleared",
            hub=hub,
            target=_follow_up_target(series, count),
            detail=f"cleared at the person's request; found by {search.by}",
        )
    noted = [follow_up.id for follow_up in follow_ups]
    if noted:
        db.session.execute(update(FollowUp).where(FollowUp.id.in_(noted)).values(notes=""))
    db.session.commit()
    return len(ids)
