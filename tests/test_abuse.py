"""Ballot stuffing and code guessing are held off, and a whole staff behind one address is not."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from factories import PROFILE, make_hub, make_school, make_survey

from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.models import Response
from hubsurvey.surveys.waves import open_next_wave


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "Hill Primary", urn="100001")
    return hub


@pytest.fixture
def survey(hub):
    return make_survey(hub)


@pytest.fixture
def activity(hub):
    return save_activity(
        hub,
        None,
        hub.hub_type.need_areas[:2],
        [],
        title="Phonics in reception",
        kind="training",
        starts_at=datetime(2027, 1, 12, 16, 0),
    )


def _q(survey, prompt):
    return next(q for q in survey.questions if q.prompt == prompt)


def _answers(survey):
    grid = survey.questions[0]
    first = {f"q{grid.id}-{area.id}": "3" for area in grid.grid_areas}
    second = {
        f"q{_q(survey, 'Years in phase?').id}": "1",
        f"q{_q(survey, 'Confidence with phonics?').id}": "4",
        f"q{_q(survey, 'Pupils in your class?').id}": "28",
    }
    return first, second


def _send_needs(client, survey, backdate=None):
    """A teacher's whole needs assessment: start, about you, both sections, send. Returns
    each step's status code. `backdate` moves the start back, as if they took that long."""
    code = survey.code
    first, second = _answers(survey)
    codes = [client.post(f"/s/{code}").status_code]
    codes.append(client.post(f"/s/{code}/about-you", data=PROFILE).status_code)
    codes.append(client.post(f"/s/{code}/1", data=first).status_code)
    codes.append(client.post(f"/s/{code}/2", data=second).status_code)
    if backdate:
        with client.session_transaction() as session:
            token = session["responses"][code]
        response = db.session.scalar(db.select(Response).where(Response.token == token))
        response.started_at -= backdate
        db.session.commit()
    codes.append(client.post(f"/s/{code}/send").status_code)
    return codes


def _send_feedback(client, activity, rating="4"):
    """Quick feedback through an activity's link: the first screen, then the optional one."""
    survey = activity.survey
    assert client.get(f"/s/{activity.code}").status_code == 200
    first = client.post(f"/s/{activity.code}/1", data={f"q{survey.questions[0].id}": rating})
    second = client.post(f"/s/{activity.code}/2", data={})
    return first.status_code, second.status_code


def _sent():
    return db.session.scalars(
        db.select(Response).where(Response.status == "submitted").order_by(Response.id)
    ).all()


def _from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# Ballot stuffing: ceilings per address that a school's staff never reaches.


def test_thirty_teachers_behind_one_school_address_all_start_and_send(app, survey, activity):
    for _ in range(30):
        teacher = _from(app, "203.0.113.7")  # one school's address, a phone each
        assert _send_needs(teacher, survey) == [303, 303, 303, 303, 303]
        assert _send_feedback(teacher, activity) == (303, 303)
    sent = _sent()
    assert len(sent) == 60
    assert not [r for r in sent if "duplicate" in r.flags]  # thirty browsers, thirty people


def test_an_address_past_its_ceiling_is_told_plainly_and_others_carry_on(make_app):
    app = make_app(RESPOND_ADDRESS_LIMIT="3 per hour")
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds English Hub", "english-hub")
        survey = make_survey(hub)
        code = survey.code
        first, _second = _answers(survey)
        halfway = _from(app, "203.0.113.7")
        assert halfway.post(f"/s/{code}").status_code == 303
        for _ in range(2):
            assert _from(app, "203.0.113.7").post(f"/s/{code}").status_code == 303

        refused = _from(app, "203.0.113.7").post(f"/s/{code}")
        assert refused.status_code == 429
        assert "Too many answers from your network just now" in refused.text
        assert "Answers you have already saved are kept" in refused.text
        assert int(refused.headers["Retry-After"]) > 0
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 3

        # Someone part way through carries on, and another address is not affected.
        assert halfway.post(f"/s/{code}/about-you", data=PROFILE).status_code == 303
        assert halfway.post(f"/s/{code}/1", data=first).status_code == 303
        assert _from(app, "198.51.100.9").post(f"/s/{code}").status_code == 303


def test_sending_has_its_own_ceiling(make_app):
    app = make_app(RESPOND_ADDRESS_LIMIT="2 per hour")
    with app.app_context():
        load_reference_data()
        survey = make_survey(make_hub("Leeds English Hub", "english-hub"))
        first, second = _answers(survey)
        teachers = [_from(app, "203.0.113.7") for _ in range(2)]
        for teacher in teachers:
            teacher.post(f"/s/{survey.code}")
            teacher.post(f"/s/{survey.code}/about-you", data=PROFILE)
            teacher.post(f"/s/{survey.code}/1", data=first)
            teacher.post(f"/s/{survey.code}/2", data=second)
        for teacher in teachers:
            assert teacher.post(f"/s/{survey.code}/send").status_code == 303
        assert teachers[0].post(f"/s/{survey.code}/send").status_code == 429


# The honeypot: a field people never see, that bots fill in.


def test_the_honeypot_is_hidden_from_people_and_labelled_for_screen_readers(
    app, client, survey, activity
):
    client.post(f"/s/{survey.code}")
    pages = [
        client.get(f"/s/{survey.code}").text,  # not used: a draft is in progress
        app.test_client().get(f"/s/{survey.code}").text,  # the start button
        client.get(f"/s/{survey.code}/about-you").text,
        app.test_client().get(f"/s/{activity.code}").text,  # quick feedback's first screen
    ]
    for page in pages[1:]:
        field = re.search(r'<div class="app-honeypot">(.*?)</div>', page, re.S).group(1)
        assert "Leave this box empty" in field
        assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
        assert "style=" not in field  # the CSP allows no inline styles
    assert "app-honeypot" not in pages[0]
    # Later sections are not first saves: no honeypot there.
    client.post(f"/s/{survey.code}/about-you", data=PROFILE)
    assert "app-honeypot" not in client.get(f"/s/{survey.code}/1").text
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    rule = re.search(r"\.app-honeypot \{(.*?)\}", css, re.S).group(1)
    assert "position: absolute" in rule and "left: -10000px" in rule


def test_a_bot_filling_the_honeypot_stores_nothing(app, survey, activity):
    bot = app.test_client()
    refused = bot.post(f"/s/{survey.code}", data={"website": "http://spam.example"})
    assert refused.status_code == 400
    assert "Nothing was saved" in refused.text

    # A bot that presses start, then fills in every field of 'about you'.
    assert bot.post(f"/s/{survey.code}").status_code == 303
    refused = bot.post(
        f"/s/{survey.code}/about-you", data=PROFILE | {"website": "http://spam.example"}
    )
    assert refused.status_code == 400

    # Quick feedback: the first answer would start the response.
    rating = activity.survey.questions[0]
    refused = bot.post(f"/s/{activity.code}/1", data={f"q{rating.id}": "5", "website": "x"})
    assert refused.status_code == 400

    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    # A person, who leaves it empty, is not refused.
    person = app.test_client()
    assert person.post(f"/s/{survey.code}", data={"website": ""}).status_code == 303
    assert person.post(f"/s/{survey.code}/about-you", data=PROFILE).status_code == 303


def test_a_honeypot_refusal_keeps_a_profile_already_saved(app, client, survey):
    client.post(f"/s/{survey.code}")
    client.post(f"/s/{survey.code}/about-you", data=PROFILE)
    changed = PROFILE | {"role": "senior-leader", "website": "x"}
    assert client.post(f"/s/{survey.code}/about-you", data=changed).status_code == 400
    stored = db.session.scalar(db.select(Response))
    assert stored.role == "teacher" and stored.profile_saved


# The least plausible time to answer.


def test_a_needs_assessment_sent_too_fast_is_kept_but_flagged(app, survey):
    _send_needs(app.test_client(), survey)
    # Ten minutes for three need areas and three questions is plausible.
    _send_needs(app.test_client(), survey, backdate=timedelta(minutes=10))
    fast, steady = _sent()
    assert fast.flags == "too-fast" and not fast.excluded
    assert steady.flags == ""


def test_the_least_time_grows_with_the_questions_answered(make_app):
    app = make_app(RESPOND_SECONDS_PER_QUESTION=10, RESPOND_MIN_SECONDS=3)
    with app.app_context():
        load_reference_data()
        survey = make_survey(make_hub("Leeds English Hub", "english-hub"))
        # Three need areas and three questions answered: 60 seconds at 10 a question.
        _send_needs(app.test_client(), survey, backdate=timedelta(seconds=50))
        _send_needs(app.test_client(), survey, backdate=timedelta(seconds=70))
        assert [r.flags for r in _sent()] == ["too-fast", ""]


def test_quick_feedback_is_timed_from_its_first_question_being_shown(app, activity):
    teacher = app.test_client()
    teacher.get(f"/s/{activity.code}")
    with teacher.session_transaction() as session:
        session["opened"] = {code: when - 60 for code, when in session["opened"].items()}
    rating = activity.survey.questions[0]
    assert teacher.post(f"/s/{activity.code}/1", data={f"q{rating.id}": "4"}).status_code == 303
    assert teacher.post(f"/s/{activity.code}/2", data={}).status_code == 303

    _send_feedback(app.test_client(), activity)  # answered the moment it was shown
    steady, fast = _sent()
    assert steady.flags == "" and fast.flags == "too-fast"
    assert steady.started_at < fast.started_at - timedelta(seconds=50)


def test_skipping_optional_questions_is_not_counted_as_too_fast(app, activity):
    # One tap on the rating, then Send without the optional questions, five seconds in all.
    teacher = app.test_client()
    teacher.get(f"/s/{activity.code}")
    with teacher.session_transaction() as session:
        session["opened"] = {code: when - 5 for code, when in session["opened"].items()}
    rating = activity.survey.questions[0]
    teacher.post(f"/s/{activity.code}/1", data={f"q{rating.id}": "4"})
    assert teacher.post(f"/s/{activity.code}/2", data={}).status_code == 303
    assert [r.flags for r in _sent()] == [""]


# Near-duplicates: sent again from the same browser.


def test_two_sends_from_one_browser_are_both_flagged_duplicate(app, survey):
    phone = app.test_client()
    ten_minutes = timedelta(minutes=10)
    _send_needs(phone, survey, backdate=ten_minutes)
    _send_needs(app.test_client(), survey, backdate=ten_minutes)  # a colleague
    assert _send_needs(phone, survey, backdate=ten_minutes)[-1] == 303
    first, colleague, again = _sent()
    assert first.flags == "duplicate" and again.flags == "duplicate"
    assert colleague.flags == ""
    assert first.browser_hash == again.browser_hash != colleague.browser_hash
    assert len(first.browser_hash) == 64


def test_a_browser_hash_is_different_in_each_survey(app, hub, survey):
    other = make_survey(hub)
    phone = app.test_client()
    _send_needs(phone, survey)
    _send_needs(phone, other)
    one, two = _sent()
    assert one.browser_hash != two.browser_hash
    assert "duplicate" not in one.flags + two.flags


def test_answering_again_in_a_new_wave_is_not_a_duplicate(app, survey):
    phone = app.test_client()
    _send_needs(phone, survey, backdate=timedelta(minutes=10))
    open_next_wave(survey)
    _send_needs(phone, survey, backdate=timedelta(minutes=10))
    assert [r.flags for r in _sent()] == ["", ""]


def test_feedback_on_two_activities_from_one_phone_is_not_a_duplicate(app, hub, activity):
    second = save_activity(
        hub,
        None,
        hub.hub_type.need_areas[:1],
        [],
        shared_survey=activity.survey,
        title="Phonics follow-up",
        kind="training",
        starts_at=datetime(2027, 2, 12, 16, 0),
    )
    phone = app.test_client()
    _send_feedback(phone, activity)
    rating = activity.survey.questions[0]
    for _ in range(2):
        # Having answered, the phone is offered the start button for another go.
        assert phone.post(f"/s/{second.code}").status_code == 303
        assert phone.post(f"/s/{second.code}/1", data={f"q{rating.id}": "4"}).status_code == 303
        assert phone.post(f"/s/{second.code}/2", data={}).status_code == 303
    first, again, third = _sent()
    assert (first.activity, again.activity, third.activity) == (activity, second, second)
    assert "duplicate" not in first.flags
    assert "duplicate" in again.flags and "duplicate" in third.flags


# Guessing survey codes.


def test_guessing_survey_codes_is_slowed(app, client, survey):
    teacher = _from(app, "127.0.0.1")
    assert teacher.post(f"/s/{survey.code}").status_code == 303  # part way through
    for n in range(30):
        guess = client.get(f"/s/ZZZ{n:03d}") if n % 3 else client.post(f"/s/ZZZ{n:03d}/resume")
        assert guess.status_code == 404
    refused = client.get("/s/ZZZ999")
    assert refused.status_code == 429
    assert "Too many survey codes tried" in refused.text
    # A known code tells nothing apart now: it is refused too, by any route.
    assert client.get(f"/s/{survey.code}").status_code == 429
    assert client.post(f"/s/{survey.code}").status_code == 429
    # Someone already answering carries on; another address is not affected.
    assert teacher.get(f"/s/{survey.code}/about-you").status_code == 200
    assert teacher.post(f"/s/{survey.code}/about-you", data=PROFILE).status_code == 303
    assert _from(app, "198.51.100.9").get("/s/ZZZ999").status_code == 404


def test_known_codes_do_not_count_towards_the_guessing_limit(app, client, survey):
    assert client.get("/s/ZZZ998").status_code == 404  # a slip of the finger
    for _ in range(40):
        assert client.get(f"/s/{survey.code}").status_code == 200
    assert client.get("/s/ZZZ999").status_code == 404


def test_the_guessing_limit_is_configurable(make_app):
    app = make_app(SURVEY_CODE_LIMIT="2 per 10 minutes")
    client = app.test_client()
    assert [client.get(f"/s/ZZZ00{n}").status_code for n in range(3)] == [404, 404, 429]


def test_a_refusal_to_htmx_is_a_fragment_it_shows(make_app):
    app = make_app(SURVEY_CODE_LIMIT="1 per 10 minutes")
    client = app.test_client()
    client.get("/s/ZZZ000")
    refused = client.get("/s/ZZZ001", headers={"HX-Request": "true"})
    assert refused.status_code == 429
    assert "<html" not in refused.text and "Too many survey codes tried" in refused.text
