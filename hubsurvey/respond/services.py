"""A respondent's way through a survey: profile, one section at a time, check, submit.

Every section is saved on the server when it is sent, so a lost connection or a closed tab
loses at most the section being typed."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update

from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import (
    Activity,
    Answer,
    Hub,
    Invitee,
    Question,
    Response,
    School,
    SchoolLink,
    Section,
    Survey,
)
from hubsurvey.models.base import utcnow
from hubsurvey.respond.school_names import name_key
from hubsurvey.surveys import audience, questions
from hubsurvey.surveys.services import CODE_ALPHABET, normalise_code
from hubsurvey.surveys.waves import current_wave


class RespondError(Exception):
    """A request the survey cannot take, with words for the respondent and a status code."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def find_survey(code: str) -> tuple[Survey | None, Activity | None]:
    """The survey a short link names (an activity's link names its feedback survey), however
    the code was typed; drafts are not found."""
    code = normalise_code(code)
    activity = None
    survey = db.session.scalar(db.select(Survey).where(Survey.code == code))
    if survey is None:
        activity = db.session.scalar(db.select(Activity).where(Activity.code == code))
        survey = activity.survey if activity else None
    if survey is None or survey.status == "draft":
        return None, None
    return survey, activity


def start(
    survey: Survey,
    activity: Activity | None = None,
    *,
    browser: str | None = None,
    opened_at: datetime | None = None,
    school: School | None = None,
) -> Response:
    """A new response, in the survey's current wave. `browser` is the random id kept in the
    respondent's browser (stored only as a hash); `opened_at`, when the first question was
    shown, if that was before now (quick feedback is stored with its first answer); `school`,
    the partner school whose own link the respondent came through."""
    now = utcnow()
    response = Response(
        survey=survey,
        wave=current_wave(survey),
        activity=activity,
        token=secrets.token_urlsafe(32),
        resume_code=_resume_code(),
        # Without profile questions, a respondent starts straight on the first section.
        profile_saved=not survey.asks_profile,
        browser_hash=browser_hash(survey, browser) if browser else None,
        started_at=opened_at if opened_at and opened_at <= now else now,
        school=school,
        school_name=school.name if school else "",
    )
    db.session.add(response)
    db.session.commit()
    return response


def browser_hash(survey: Survey, browser: str) -> str:
    """The browser's id as stored: salted with the survey, so it cannot follow a browser
    from one survey to another."""
    return hashlib.sha256(f"{survey.id}:{browser}".encode()).hexdigest()


def discard_untouched(response: Response) -> bool:
    """Delete a draft that holds nothing yet (no profile, no answers); whether it did."""
    if response.status != "draft" or response.step or response.answers:
        return False
    if response.profile_saved and response.survey.asks_profile:
        return False
    db.session.delete(response)
    db.session.commit()
    return True


def _resume_code() -> str:
    # 31^8 (about 850 billion) codes, and wrong guesses are rate limited.
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not db.session.scalar(db.select(Response.id).where(Response.resume_code == code)):
            return code


def show_resume_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def find_response(survey: Survey, token: str | None) -> Response | None:
    if not token:
        return None
    return db.session.scalar(
        db.select(Response).where(Response.survey_id == survey.id, Response.token == token)
    )


def resume(survey: Survey, typed_code: str) -> Response | None:
    """The unfinished response a resume code belongs to, in this survey."""
    code = normalise_code(typed_code)
    return db.session.scalar(
        db.select(Response).where(
            Response.survey_id == survey.id,
            Response.resume_code == code,
            Response.status == "draft",
            Response.wave_id == current_wave(survey).id,
        )
    )


def school_choice(school: School) -> str:
    """How a partner school is offered in the list as the respondent types."""
    return f"{school.name} (URN {school.urn})" if school.urn else school.name


UNCLEAR_SCHOOL = (
    "More than one school on the hub's list has a name like that. Choose yours from the list "
    "as you type, so that your answers count for your school."
)


def schools_named(hub: Hub, typed: str) -> list[School]:
    """The partner schools a typed name could mean: one, none, or several when it is like
    the names of two of them (then the teacher must choose from the list).

    The text the list offers names its school exactly, and so does a URN; any other typed
    name is compared however it is spelt (see school_names)."""
    schools = current_partners(hub)
    typed = " ".join(typed.split())
    offered = [s for s in schools if typed.casefold() == school_choice(s).casefold()]
    if offered:
        return offered
    urn = re.search(r"\b(\d{6})\b", typed)
    if urn and (numbered := [s for s in schools if s.urn == urn.group(1)]):
        return numbered
    key = name_key(typed)
    return [s for s in schools if key and key in (name_key(s.name), name_key(school_choice(s)))]


def must_choose_school(hub: Hub, typed: str) -> bool:
    """Whether a typed name is like several partner schools' names that the list tells
    apart: then the teacher is asked to choose, rather than have one chosen for them."""
    return len({school_choice(s).casefold() for s in schools_named(hub, typed)}) > 1


def match_school(hub: Hub, typed: str) -> tuple[School | None, str]:
    """A partner school from what was typed (its name however spelt, its URN, or the offered
    text); else, and when it could mean more than one, the typed name is kept as written."""
    found = schools_named(hub, typed)
    if len(found) == 1:
        return found[0], found[0].name
    return None, " ".join(typed.split())


def steps(response: Response) -> list[tuple[Section, list[Question]]]:
    """The sections this respondent is shown, each with the questions in it they are shown."""
    return steps_for(response.survey, response.profile)


def steps_for(survey: Survey, profile: dict) -> list[tuple[Section, list[Question]]]:
    # Without profile questions there is nothing to choose by: everyone sees everything.
    def shown_to(rule: dict) -> bool:
        return not survey.asks_profile or audience.applies(rule, profile)

    result = []
    for section in survey.sections:
        if not shown_to(section.audience):
            continue
        shown = [q for q in section.questions if shown_to(q.audience)]
        if shown:
            result.append((section, shown))
    return result


def outside_hub_phases(response: Response) -> bool:
    phases = response.survey.hub.phases
    return bool(phases) and response.phase is not None and response.phase not in phases


def in_current_wave(response: Response) -> bool:
    """Whether the response belongs to the wave answers go to now (opening any whose date
    has come, so a finished round never takes more answers)."""
    return response.wave_id == current_wave(response.survey).id


def _check_can_change(response: Response) -> None:
    # A school may correct its outcome figures while their wave is open.
    if response.status == "submitted" and response.survey.kind != "outcomes":
        raise RespondError("You have already sent your answers. Thank you.", 409)
    if not in_current_wave(response):
        raise RespondError(
            "This round of the survey has ended, so these answers can no longer change. "
            "Start again to answer the new round.",
            410,
        )


def save_profile(response: Response, **profile) -> None:
    """Keep the respondent's profile; answers to questions it no longer shows are removed."""
    if not response.survey.asks_profile:
        # Outcomes belong to the school whose link made them; quick feedback asks nobody.
        raise RespondError("This survey does not ask about you.", 404)
    _check_can_change(response)
    for name, value in profile.items():
        setattr(response, name, value)
    response.profile_saved = True
    shown = {q.id for _, qs in steps(response) for q in qs}
    asked = {q.id for q in response.survey.questions}
    if hidden := asked - shown:
        db.session.execute(
            delete(Answer).where(Answer.response_id == response.id, Answer.question_id.in_(hidden))
        )
    response.step = min(response.step, len(steps(response)))
    response.saved_at = utcnow()
    db.session.commit()


def save_section(response: Response, number: int, values: dict[int, object]) -> None:
    """Store the checked answers to section `number` (from 1), replacing any sent before."""
    _check_can_change(response)
    if not response.profile_saved or number > response.step + 1:
        raise RespondError("Answer the sections in order: this one is not reached yet.", 409)
    _section, shown = steps(response)[number - 1]
    ids = [q.id for q in shown]
    db.session.execute(
        delete(Answer).where(Answer.response_id == response.id, Answer.question_id.in_(ids))
    )
    for question in shown:
        for answer in questions.to_answers(question, values.get(question.id)):
            answer.response_id = response.id
            db.session.add(answer)
    response.step = max(response.step, number)
    response.saved_at = utcnow()
    db.session.commit()


def saved_values(response: Response) -> dict[int, object]:
    """Every stored answer of this response, by question id, as `questions.read` gives it."""
    rows = db.session.scalars(db.select(Answer).where(Answer.response_id == response.id)).all()
    by_question: dict[int, list[Answer]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    lookup = {q.id: q for q in response.survey.questions}
    return {
        q_id: questions.from_answers(lookup[q_id], answers)
        for q_id, answers in by_question.items()
        if q_id in lookup
    }


def missing_required(response: Response) -> list[tuple[int, Question]]:
    """Required questions this respondent was shown but has not answered, with section numbers."""
    values = saved_values(response)
    return [
        (number, q)
        for number, (_s, shown) in enumerate(steps(response), start=1)
        for q in shown
        if q.required and values.get(q.id) is None
    ]


@dataclass(frozen=True)
class Pace:
    """The least time a person plausibly takes: so many seconds per question answered (each
    need area of a grid counts), and never less than the floor. Answered, not shown: skipping
    the optional questions of quick feedback takes no time, and is not suspect."""

    per_question: float = 0
    floor: float = 0

    def least_seconds(self, response: Response) -> float:
        grids = {q.id for q in response.survey.questions if q.kind == "needs_grid"}
        rows = db.session.scalars(
            db.select(Answer.question_id).where(Answer.response_id == response.id)
        ).all()
        # A grid has a row per need area, each a rating; a multiple-choice question a row per
        # option chosen, all one question.
        answered = sum(1 for q_id in rows if q_id in grids)
        answered += len({q_id for q_id in rows if q_id not in grids})
        return max(self.floor, self.per_question * answered)


def submit(response: Response, pace: Pace | None = None) -> None:
    """Send the answers. Sending twice, or sending an unfinished response, is refused.

    A response that looks like ballot stuffing is kept but flagged for hub staff to review:
    sent faster than `pace` allows ("too-fast"), or sent from a browser that already sent one
    to this survey in this wave ("duplicate": that one is flagged too). The flags are written
    with the send itself, in one transaction."""
    if response.status == "submitted":
        raise RespondError("You have already sent your answers. Thank you.", 409)
    _check_can_change(response)
    if not response.profile_saved or response.step < len(steps(response)):
        raise RespondError("Some sections are not answered yet.", 409)
    if missing_required(response):
        raise RespondError("Some questions that need an answer are not answered yet.", 422)
    now = utcnow()
    flags, earlier = [], []
    # Outcome figures come through a school's own link: nobody can stuff those.
    if response.survey.kind != "outcomes":
        if pace and now - response.started_at < timedelta(seconds=pace.least_seconds(response)):
            flags.append("too-fast")
        earlier = _sent_from_same_browser(response)
        if earlier:
            flags.append("duplicate")
    # Only one submit can win, even if the button is pressed twice at once.
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == "draft")
        .values(status="submitted", submitted_at=now, saved_at=now, flags=",".join(flags))
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise RespondError("You have already sent your answers. Thank you.", 409)
    if "duplicate" in flags:
        for other in earlier:
            other.flags = add_flag(other.flags, "duplicate")
    db.session.commit()


def _sent_from_same_browser(response: Response) -> list[Response]:
    """Other responses sent from this browser to the same survey, wave and activity (one
    feedback survey serves many activities: feedback on two of them is not a duplicate)."""
    if not response.browser_hash:
        return []
    return list(
        db.session.scalars(
            db.select(Response).where(
                Response.survey_id == response.survey_id,
                Response.status == "submitted",
                Response.browser_hash == response.browser_hash,
                Response.wave_id == response.wave_id,
                Response.activity_id.is_not_distinct_from(response.activity_id),
                Response.id != response.id,
            )
        )
    )


def add_flag(flags: str, flag: str) -> str:
    """`flags` ("too-fast,duplicate") with `flag` in it, once."""
    present = [f for f in flags.split(",") if f]
    return ",".join(present if flag in present else [*present, flag])


def find_response_by_id(survey: Survey, response_id: int | None) -> Response | None:
    response = db.session.get(Response, response_id) if response_id else None
    return response if response is not None and response.survey_id == survey.id else None


def name_response(response: Response, invitee: Invitee) -> None:
    """A response started through a person's own link: theirs, with their name and address."""
    response.respondent_name = invitee.name
    response.respondent_email = invitee.email
    invitee.response_id = response.id
    db.session.commit()


def find_school_link(survey: Survey, token: str | None) -> SchoolLink | None:
    if not token:
        return None
    return db.session.scalar(
        db.select(SchoolLink).where(SchoolLink.survey_id == survey.id, SchoolLink.token == token)
    )


def note_link_opened(link: SchoolLink) -> None:
    """Count a use of a school's link: the survey page shows which schools opened theirs."""
    db.session.execute(
        update(SchoolLink)
        .where(SchoolLink.id == link.id)
        .values(opens=SchoolLink.opens + 1, opened_at=func.coalesce(SchoolLink.opened_at, utcnow()))
    )
    db.session.commit()


def school_response(survey: Survey, link: SchoolLink) -> Response:
    """The response an outcomes survey's school link leads to in the current wave: made on
    first use, the same one after (to correct it)."""
    wave = current_wave(survey)
    response = db.session.scalar(
        db.select(Response).where(
            Response.survey_id == survey.id,
            Response.wave_id == wave.id,
            Response.school_id == link.school_id,
        )
    )
    if response is None:
        response = start(survey)
        response.school, response.school_name = link.school, link.school.name
        db.session.commit()
    return response
