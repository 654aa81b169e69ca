"""`flask demo`: a newcomer's first look, with meaningful figures at once, and figures a board
member can trust: nobody answers a question they were not shown, activities are named for the
needs they address, waves are labelled by their dates, and comments read like real ones.

The demo is run once, on an empty database; every test below reads what it made."""

import os
import re
import shutil
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import and_, func, text

from hubsurvey import create_app
from hubsurvey.auth.services import authenticate
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Answer,
    Contact,
    Hub,
    Message,
    Question,
    Response,
    Signature,
    Survey,
    Wave,
)
from hubsurvey.models.base import utcnow
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.surveys import audience
from hubsurvey.surveys.waves import term
from hubsurvey.vocabulary import SURVEY_KINDS

BASE = "http://127.0.0.1:5000"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
SURVEY_LINE = re.compile(
    r"^survey: (?P<url>\S+)  hub: (?P<hub>.+?) \| kind: (?P<kind>.+?) \| title: (?P<title>.+)$",
    re.M,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, database_template, app_config):
    """The app, on a database the demo command has filled, and what the command printed."""
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL
    else:
        path = tmp_path_factory.mktemp("demo") / "hubsurvey.sqlite"
        shutil.copy(database_template, path)
        url = f"sqlite:///{path}"
    app = create_app(app_config(url))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--base-url", BASE])
        assert result.exit_code == 0, result.output
        yield app, result.output
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.engine.dispose()


def _sent():
    return db.session.scalars(db.select(Response).where(Response.status == "submitted")).all()


def test_demo_fills_an_empty_database_and_says_how_to_sign_in(demo):
    app, output = demo
    email = re.search(r"^email: (\S+)$", output, re.M).group(1)
    password = re.search(r"^password: (\S+)$", output, re.M).group(1)
    assert authenticate(email, password) is not None
    assert len(SURVEY_LINE.findall(output)) >= 4
    assert db.session.scalar(db.select(func.count(Response.id))) > 300
    hub = db.session.scalar(db.select(Hub).order_by(Hub.id))
    rows = needs_summary(hub, Filters())
    assert rows and not all(r.suppressed for r in rows)

    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code != 0 and "needs an empty one" in again.output


def test_each_survey_line_names_its_hub_kind_and_title(demo):
    _app, output = demo
    lines = list(SURVEY_LINE.finditer(output))
    assert len(lines) == output.count("\nsurvey: ")  # every survey line is labelled
    for line in lines:
        code = re.fullmatch(rf"{re.escape(BASE)}/s/([A-Z0-9]+)", line["url"]).group(1)
        activity = db.session.scalar(db.select(Activity).where(Activity.code == code))
        survey = (
            activity.survey
            if activity
            else db.session.scalar(db.select(Survey).where(Survey.code == code))
        )
        assert line["hub"] == survey.hub.name
        assert line["kind"] == SURVEY_KINDS[survey.kind]
        assert line["title"] == (activity.title if activity else survey.title)
    listed = {line["hub"] for line in lines if line["kind"] == SURVEY_KINDS["needs"]}
    assert listed == set(db.session.scalars(db.select(Hub.name)))


def _shown(survey: Survey, response: Response) -> set[int]:
    """The questions a respondent is shown, by the audience rules, written out here: without
    profile questions everyone sees everything."""
    if not survey.asks_profile:
        return {q.id for q in survey.questions}
    profile = {
        fact: getattr(response, fact) for fact in ("role", "phase", "career_stage", "subject")
    }
    return {
        q.id
        for section in survey.sections
        if audience.applies(section.audience, profile)
        for q in section.questions
        if audience.applies(q.audience, profile)
    }


def test_nobody_answers_a_question_they_were_not_shown(demo):
    answered: dict[int, set[int]] = {}
    for response_id, question_id in db.session.execute(
        db.select(Answer.response_id, Answer.question_id).distinct()
    ):
        answered.setdefault(response_id, set()).add(question_id)
    responses = _sent()
    for response in responses:
        extra = answered.get(response.id, set()) - _shown(response.survey, response)
        assert not extra, (response.survey.title, response.profile, extra)
    assert sum(bool(answered.get(r.id)) for r in responses) == len(responses)

    # As the survey page counts them: per wave and question, answered never above shown to.
    for survey in db.session.scalars(db.select(Survey)):
        for wave in survey.waves:
            for section in survey.sections:
                for question in section.questions:
                    sent = and_(
                        Response.survey_id == survey.id,
                        Response.wave_id == wave.id,
                        Response.status == "submitted",
                    )
                    rule = (
                        and_(audience.clause(section.audience), audience.clause(question.audience))
                        if survey.asks_profile
                        else True
                    )
                    shown = db.session.scalar(db.select(func.count(Response.id)).where(sent, rule))
                    given = db.session.scalar(
                        db.select(func.count(func.distinct(Answer.response_id)))
                        .join(Response, Response.id == Answer.response_id)
                        .where(sent, Answer.question_id == question.id)
                    )
                    assert given <= shown, (survey.title, wave.label, question.prompt)


def test_each_activity_is_named_for_the_need_areas_it_addresses(demo):
    activities = db.session.scalars(db.select(Activity)).all()
    assert activities
    for activity in activities:
        assert activity.need_areas, activity.title
        for area in activity.need_areas:
            assert area.name.casefold() in activity.title.casefold(), (activity.title, area.name)
        # Its feedback asks about the areas it addressed, not another session's.
        helped = [q for q in activity.survey.questions if q.prompt.startswith("Which of these")]
        for question in helped:
            assert set(question.options) == {area.name for area in activity.need_areas}


def _label(survey: Survey, wave: Wave) -> str:
    """The label the app gives a wave opened on its date (see surveys.waves)."""
    if survey.cycle == "termly":
        return term(wave.opened_on)[0]
    if survey.cycle == "weeks":
        return f"Wave {wave.number} (from {wave.opened_on:%-d %B %Y})"
    return f"Wave {wave.number}"


def test_each_wave_is_labelled_by_its_dates_and_holds_answers_given_in_it(demo):
    now, today = utcnow(), date.today()
    for survey in db.session.scalars(db.select(Survey)):
        waves = survey.waves
        assert waves, survey.title
        for wave, after in zip(waves, [*waves[1:], None], strict=True):
            assert wave.label == _label(survey, wave), (survey.title, wave.number)
            ends = after.opened_on if after else None
            responses = db.session.scalars(
                db.select(Response).where(Response.wave_id == wave.id)
            ).all()
            for response in responses:
                started, sent = response.started_at, response.submitted_at
                assert wave.opened_on <= started.date() and started <= sent <= now
                assert ends is None or sent.date() < ends, (wave.label, sent)
                if survey.cycle == "termly":
                    assert term(sent.date())[0] == wave.label, (wave.label, sent)
                if response.activity:  # feedback is given on the day, in the room
                    assert sent.date() == response.activity.starts_at.date()
            assert wave.opened_on <= today


def test_comments_are_varied_like_real_ones(demo):
    texts = db.session.execute(
        db.select(Answer.question_id, Answer.text).where(Answer.text.is_not(None))
    ).all()
    assert len(texts) > 200
    by_question: dict[int, list[str]] = {}
    for question_id, said in texts:
        by_question.setdefault(question_id, []).append(said)
    for question_id, said in by_question.items():
        if len(said) >= 20:  # short answers repeat now and then, as people's do
            phrase, count = Counter(said).most_common(1)[0]
            question = db.session.get(Question, question_id)
            assert count < 0.2 * len(said), (question.prompt, phrase, count, len(said))
    everything = Counter(said for _q, said in texts)
    assert everything.most_common(1)[0][1] <= 0.03 * len(texts)
    assert len(everything) >= 0.6 * len(texts)


def test_comments_are_about_the_need_areas_in_question(demo):
    """A teacher asking for help with phonics rated phonics lowest, or named it a priority;
    feedback on a session names what that session addressed."""
    from hubsurvey.demo_comments import TOPICS  # the demo's own words, to tell the area named

    area_of = {topic: name for name, topics in TOPICS.items() for topic in topics}
    checked = 0
    for response in _sent():
        for answer in response.answers:
            named = {area_of[t] for t in area_of if answer.text and t in answer.text}
            if not named:
                continue
            checked += 1
            if response.activity:
                assert named <= {area.name for area in response.activity.need_areas}
                continue
            rated = {
                area.name: row
                for row in response.answers
                if row.question.kind == "needs_grid"
                for area in row.question.grid_areas
                if area.id == row.item
            }
            lowest = min(row.number for row in rated.values())
            for name in named:
                assert rated[name].priority or rated[name].number == lowest, answer.text
    assert checked > 100


def test_the_demo_reaches_schools_and_prints_the_outbox_and_a_heads_view(demo):
    """Contacts, invitations waiting in the outbox, a signed MoU and one pending; the outbox
    and a head's view are printed, and both open."""
    app, output = demo
    outboxes = re.findall(
        rf"^outbox: {re.escape(BASE)}(/hubs/\S+/outbox/?)  hub: .+$", output, re.M
    )
    heads = re.findall(rf"^head: {re.escape(BASE)}(/head/\S+/school)  hub: .+$", output, re.M)
    assert len(outboxes) == len(heads) == db.session.scalar(db.select(func.count(Hub.id)))
    assert db.session.scalar(db.select(func.count(Contact.id))) > 20
    assert db.session.scalar(
        db.select(func.count(Contact.id)).where(Contact.opted_out_at.is_not(None))
    )
    kinds = Counter(db.session.scalars(db.select(Message.kind)))
    assert kinds["invitation"] > 10 and kinds["mou"] >= 1
    assert {m.state for m in db.session.scalars(db.select(Message))} == {"waiting"}
    assert db.session.scalar(db.select(func.count(Signature.id))) >= 1

    head_page = app.test_client().get(heads[0])
    assert head_page.status_code == 200
    email = re.search(r"^email: (\S+)$", output, re.M).group(1)
    password = re.search(r"^password: (\S+)$", output, re.M).group(1)
    lead = app.test_client()
    lead.post("/sign-in", data={"email": email, "password": password})
    outbox_page = lead.get(outboxes[0])
    assert outbox_page.status_code == 200 and "Survey invitation" in outbox_page.text
