"""Hub staff's surveys: creating, editing, opening and closing them, and who has responded."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func
from sqlalchemy.exc import IntegrityError

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import (
    Activity,
    Answer,
    Contact,
    GridRow,
    Hub,
    Question,
    Response,
    School,
    SchoolLink,
    Section,
    Survey,
    Wave,
)
from hubsurvey.surveys import audience
from hubsurvey.surveys.survey_templates import FOLDER, build_sections, load, template_for
from hubsurvey.surveys.waves import current_wave

# Short links are read aloud and typed from a slide: no 0/O, 1/I/L, or lower case.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DEFAULT_KEEP_DAYS = 2 * 365


class SurveyLocked(Exception):
    """The survey has responses, so its questions can no longer change."""

    def __init__(self, survey: Survey) -> None:
        super().__init__(
            "People have already answered this survey, so its questions cannot change: a "
            "changed question would change the meaning of the answers already given. "
            "Make a copy of the survey to ask different questions."
        )
        self.survey = survey


def new_code(length: int = 6) -> str:
    """A short link code that no survey or activity has yet (they share /s/<code>)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        taken = db.session.scalar(db.select(Survey.id).where(Survey.code == code)) or (
            db.session.scalar(db.select(Activity.id).where(Activity.code == code))
        )
        if not taken:
            return code


def normalise_code(text: str) -> str:
    """A code as typed ('abc 23q', 'ABC-23Q') in its stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def default_privacy_notice(hub: Hub, keep_until: date) -> str:
    contact = f" by email at {hub.contact_email}" if hub.contact_email else ""
    return (
        f"{hub.name} runs this survey to find out what support the teachers it works with "
        "need, and plans its training around the answers.\n\n"
        f"Your answers are kept until {keep_until:%-d %B %Y} and then deleted. Only the hub's "
        "staff see individual answers. Reports show figures for groups of people, never for "
        "small groups.\n\n"
        f"To ask about your answers, or to have them deleted, contact {hub.name}{contact}."
    )


def hub_surveys(hub: Hub) -> list[tuple[Survey, int, int]]:
    """The hub's surveys, newest first, each with its submitted and in-progress counts
    (responses left out after review are not counted)."""
    submitted = func.count(
        case(((Response.status == "submitted") & Response.excluded.is_(False), 1))
    )
    drafts = func.count(case((Response.status == "draft", 1)))
    rows = db.session.execute(
        db.select(Survey, submitted, drafts)
        .outerjoin(Response, Response.survey_id == Survey.id)
        .where(Survey.hub_id == hub.id)
        .group_by(Survey.id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    )
    return [tuple(row) for row in rows]


def find_survey(hub: Hub, survey_id: int) -> Survey | None:
    return db.session.scalar(db.select(Survey).where(Survey.id == survey_id, Survey.hub == hub))


def create_survey(hub: Hub, start: str, copy_of: Survey | None = None) -> Survey:
    """A draft survey: a needs assessment from the hub type's template, a copy of an earlier
    survey, or blank; or an outcomes survey, termly, for schools' pupil figures."""
    keep_until = date.today() + timedelta(days=DEFAULT_KEEP_DAYS)
    survey = Survey(
        hub=hub,
        kind="needs",
        code=new_code(),
        keep_until=keep_until,
        privacy_notice=default_privacy_notice(hub, keep_until),
    )
    if start == "outcomes":
        data = load(FOLDER / "outcomes.json")
        survey.kind, survey.asks_profile, survey.cycle = "outcomes", False, "termly"
        survey.title, survey.intro = data["title"], data["intro"]
        survey.sections = build_sections(data, hub.hub_type)
        survey.privacy_notice = (
            f"{hub.name} collects these school-level figures each term to see whether its "
            f"support makes a difference for pupils. They are kept until {keep_until:%-d %B %Y}. "
            "Do not enter anything about individual pupils."
        )
    elif start == "template":
        data = template_for(hub.hub_type)
        survey.title, survey.intro = data["title"], data.get("intro", "")
        survey.sections = build_sections(data, hub.hub_type)
    elif start == "copy" and copy_of is not None:
        survey.title = f"Copy of {copy_of.title}"[:120]
        survey.intro, survey.anonymous = copy_of.intro, copy_of.anonymous
        survey.kind, survey.asks_profile = copy_of.kind, copy_of.asks_profile
        survey.cycle, survey.cycle_weeks = copy_of.cycle, copy_of.cycle_weeks
        survey.sections = [_copy_section(section) for section in copy_of.sections]
    else:
        survey.title = "Training needs"
        survey.sections = [Section(title="Section 1", position=0)]
    db.session.add(survey)
    db.session.commit()
    return survey


def _copy_section(section: Section) -> Section:
    copy = Section(
        position=section.position,
        title=section.title,
        intro=section.intro,
        audience=dict(section.audience),
    )
    for question in section.questions:
        copy.questions.append(
            Question(
                position=question.position,
                kind=question.kind,
                prompt=question.prompt,
                hint=question.hint,
                required=question.required,
                options=list(question.options),
                settings=dict(question.settings),
                need_area_id=question.need_area_id,
                audience=dict(question.audience),
                grid_rows=[
                    GridRow(need_area_id=row.need_area_id, position=row.position)
                    for row in question.grid_rows
                ],
            )
        )
    return copy


ANSWERED_ANONYMOUSLY = (
    "People have already answered this survey anonymously, so it cannot ask for names now: "
    "they were promised that their answers would not be linked to them. Make a copy of the "
    "survey to ask for names."
)


def update_settings(survey: Survey, **fields) -> None:
    """Save a survey's settings; a change to its anonymity or keep-until date is recorded."""
    if survey.anonymous and fields.get("anonymous") is False and has_responses(survey):
        raise ValueError(ANSWERED_ANONYMOUSLY)  # the settings page says so before this
    changes = _privacy_changes(survey, fields)
    old, new = survey.keep_until, fields.get("keep_until")
    if old and new and new != old and "privacy_notice" in fields:
        # The notice teachers read names the date: it must keep naming the one the purge
        # keeps to, not the one it was written with.
        fields["privacy_notice"] = fields["privacy_notice"].replace(
            f"{old:%-d %B %Y}", f"{new:%-d %B %Y}"
        )
    for name, value in fields.items():
        setattr(survey, name, value)
    for change in changes:
        record("privacy-changed", hub=survey.hub, target=survey_words(survey), detail=change)
    db.session.commit()


def survey_words(survey: Survey) -> str:
    """A survey as the audit log names it."""
    return f"survey {survey.id}: {survey.title}"


def _privacy_changes(survey: Survey, fields: dict) -> list[str]:
    changes = []
    if "anonymous" in fields and fields["anonymous"] != survey.anonymous:
        changes.append("named → anonymous" if fields["anonymous"] else "anonymous → named")
    if "keep_until" in fields and fields["keep_until"] != survey.keep_until:
        before, after = (
            day.isoformat() if day else "not set"
            for day in (survey.keep_until, fields["keep_until"])
        )
        changes.append(f"keep until {before} → {after}")
    return changes


def set_status(survey: Survey, status: str) -> None:
    """Open or close a survey. Opening checks there is something to answer."""
    if status == "open" and not survey.questions:
        raise ValueError("Add at least one question before opening the survey")
    if status != survey.status:
        action = "survey-opened" if status == "open" else "survey-closed"
        record(action, hub=survey.hub, target=survey_words(survey))
    survey.status = status
    db.session.commit()
    if status == "open":
        current_wave(survey)


def availability(survey: Survey, today: date | None = None) -> str:
    """Whether respondents can answer now: 'open', 'draft', 'not-yet' or 'closed'."""
    today = today or date.today()
    if survey.status != "open":
        return survey.status
    if survey.opens_on and today < survey.opens_on:
        return "not-yet"
    if survey.closes_on and today > survey.closes_on:
        return "closed"
    return "open"


def has_responses(survey: Survey) -> bool:
    return bool(db.session.scalar(db.select(Response.id).where(Response.survey_id == survey.id)))


def count_responses(survey: Survey) -> int:
    """Responses started or sent, in every wave."""
    return db.session.scalar(
        db.select(db.func.count(Response.id)).where(Response.survey_id == survey.id)
    )


def check_editable(survey: Survey) -> None:
    if has_responses(survey):
        raise SurveyLocked(survey)


def response_counts(survey: Survey) -> dict[str, int]:
    """Sent and in-progress responses in the current wave (not those left out after review)."""
    wave = survey.current_wave
    rows = db.session.execute(
        db.select(Response.status, func.count())
        .where(
            Response.survey_id == survey.id,
            Response.wave_id == (wave.id if wave else None),
            Response.excluded.is_(False),
        )
        .group_by(Response.status)
    )
    counts = {"submitted": 0, "draft": 0}
    counts.update(dict(rows.tuples().all()))
    return counts


def wave_counts(survey: Survey) -> list[tuple[Wave, int]]:
    """Every wave, newest first, with its number of sent responses."""
    sent = dict(
        db.session.execute(
            db.select(Response.wave_id, func.count())
            .where(
                Response.survey_id == survey.id,
                Response.status == "submitted",
                Response.excluded.is_(False),
            )
            .group_by(Response.wave_id)
        )
        .tuples()
        .all()
    )
    return [(wave, sent.get(wave.id, 0)) for wave in reversed(survey.waves)]


def _sent_this_wave(survey: Survey):
    wave = survey.current_wave
    return and_(
        Response.survey_id == survey.id,
        Response.status == "submitted",
        Response.excluded.is_(False),  # left out by hub staff after review
        Response.wave_id == (wave.id if wave else None),
    )


def _sent_per_school(survey: Survey) -> dict[int | None, int]:
    """Sent responses in the current wave, per school id (None: no school on the list)."""
    return dict(
        db.session.execute(
            db.select(Response.school_id, func.count())
            .where(_sent_this_wave(survey))
            .group_by(Response.school_id)
        )
        .tuples()
        .all()
    )


def school_progress(survey: Survey) -> dict:
    """Sent responses in the current wave per partner school, the partners with none, and
    the rest."""
    per_school = _sent_per_school(survey)
    partners = current_partners(survey.hub)
    partner_ids = {school.id for school in partners}
    return {
        "responded": [(s, per_school[s.id]) for s in partners if s.id in per_school],
        "waiting": [s for s in partners if s.id not in per_school],
        "other": sum(n for school_id, n in per_school.items() if school_id not in partner_ids),
    }


@dataclass
class SchoolStatus:
    """Where one partner school is with a survey's current wave."""

    school: School
    link: SchoolLink | None
    responses: int
    contacts: list[Contact]

    @property
    def reachable(self) -> list[Contact]:
        return [c for c in self.contacts if c.reachable]

    @property
    def opted_out(self) -> list[Contact]:
        return [c for c in self.contacts if c.email and c.opted_out_at is not None]


def school_statuses(survey: Survey) -> list[SchoolStatus]:
    """Every current partner school, A to Z, with its own link to the survey (if made), its
    sent responses in the current wave, and its contacts."""
    links = {
        link.school_id: link
        for link in db.session.scalars(db.select(SchoolLink).where(SchoolLink.survey == survey))
    }
    counts = _sent_per_school(survey)
    contacts: dict[int, list[Contact]] = {}
    for contact in db.session.scalars(
        db.select(Contact).where(Contact.hub_id == survey.hub_id).order_by(Contact.kind)
    ):
        contacts.setdefault(contact.school_id, []).append(contact)
    return [
        SchoolStatus(s, links.get(s.id), counts.get(s.id, 0), contacts.get(s.id, []))
        for s in current_partners(survey.hub)
    ]


def question_counts(survey: Survey) -> list[tuple[Question, int, int]]:
    """Each question with the number of sent responses it was shown to, and answered in.

    A question shown only to leaders is counted over leaders: 3 answers from 4 leaders is
    not 3 answers from 100 teachers. A survey that asks no profile shows every question to
    everyone, as the respond pages do."""
    sent = _sent_this_wave(survey)
    answered = dict(
        db.session.execute(
            db.select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
            .join(Response, Response.id == Answer.response_id)
            .where(sent)
            .group_by(Answer.question_id)
        )
        .tuples()
        .all()
    )
    shown_by_audience: dict[str, int] = {}
    rows = []
    for section in survey.sections:
        for question in section.questions:
            both = {"section": section.audience, "question": question.audience}
            if not survey.asks_profile:
                both = {"section": {}, "question": {}}
            key = repr(sorted((k, sorted((v or {}).items())) for k, v in both.items()))
            if key not in shown_by_audience:
                condition = and_(
                    sent, audience.clause(both["section"]), audience.clause(both["question"])
                )
                shown_by_audience[key] = db.session.scalar(
                    db.select(func.count(Response.id)).where(condition)
                )
            rows.append((question, shown_by_audience[key], answered.get(question.id, 0)))
    return rows


def school_links(survey: Survey) -> list[tuple[School, SchoolLink | None]]:
    """Each partner school with its own link to an outcomes survey, if made yet."""
    links = {
        link.school_id: link
        for link in db.session.scalars(db.select(SchoolLink).where(SchoolLink.survey == survey))
    }
    partners = current_partners(survey.hub)
    return [(school, links.get(school.id)) for school in partners]


def make_school_links(survey: Survey) -> int:
    """Give every partner school without one its own link; returns how many were made."""
    partners = current_partners(survey.hub)
    before = db.session.scalar(
        db.select(func.count(SchoolLink.id)).where(SchoolLink.survey_id == survey.id)
    )
    links = ensure_links(survey, partners)
    db.session.commit()
    return len(links) - before


def ensure_links(survey: Survey, schools: list[School]) -> dict[int, SchoolLink]:
    """Each school's own link to the survey, made where missing (in the caller's session)."""
    links = {
        link.school_id: link
        for link in db.session.scalars(db.select(SchoolLink).where(SchoolLink.survey == survey))
    }
    for school in schools:
        if school.id in links:
            continue
        link = SchoolLink(survey=survey, school=school, token=secrets.token_urlsafe(24))
        try:
            with db.session.begin_nested():
                db.session.add(link)
        except IntegrityError:
            # Made at the same moment by another request (a double click): theirs stands.
            link = db.session.scalar(
                db.select(SchoolLink).where(
                    SchoolLink.survey_id == survey.id, SchoolLink.school_id == school.id
                )
            )
        links[school.id] = link
    return links
