"""Teachers answering on a phone, with no account: every step, checked by the server."""

import re
from datetime import date, timedelta

import pytest
from factories import PROFILE, make_hub, make_school, make_survey, valid_answers

from hubsurvey.extensions import db
from hubsurvey.models import Answer, HubType, Response
from hubsurvey.surveys.survey_templates import template_for


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "Hill Primary", urn="100001")
    return hub


@pytest.fixture
def survey(hub):
    return make_survey(hub)


def _q(survey, prompt):
    return next(q for q in survey.questions if q.prompt == prompt)


def _grid_answers(survey, confidence=(2, 4, 5), priority=(True, False, False)):
    grid = survey.questions[0]
    data = {}
    for area, level, wanted in zip(grid.grid_areas, confidence, priority, strict=True):
        data[f"q{grid.id}-{area.id}"] = str(level)
        if wanted:
            data[f"q{grid.id}-{area.id}-priority"] = "1"
    return data


def _teaching_answers(survey, **overrides):
    data = {
        f"q{_q(survey, 'Years in phase?').id}": "1",
        f"q{_q(survey, 'Formats?').id}": ["0", "2"],
        f"q{_q(survey, 'Confidence with phonics?').id}": "4",
        f"q{_q(survey, 'How supported do you feel?').id}": "7",
        f"q{_q(survey, 'Pupils in your class?').id}": "28",
        f"q{_q(survey, 'One word for your school?').id}": "Friendly",
        f"q{_q(survey, 'What would help?').id}": "Time to plan <together>",
    }
    data.update(overrides)
    return data


def _start(client, survey, **profile):
    assert client.post(f"/s/{survey.code}").status_code == 303
    response = client.post(f"/s/{survey.code}/about-you", data=PROFILE | profile)
    assert response.status_code == 303, response.text
    return response


def _response():
    return db.session.scalar(db.select(Response))


def test_a_teacher_answers_a_needs_assessment_from_start_to_finish(client, survey):
    code = survey.code
    page = client.get(f"/s/{code.lower()}").text  # typed in lower case still works
    assert survey.title in page and "Leeds English Hub runs this survey." in page
    assert "primary schools" in page  # who the hub is for, before any time is spent

    assert _start(client, survey).headers["Location"] == f"/s/{code}/1"
    assert "Step 2 of 4" in client.get(f"/s/{code}/1").text
    assert client.post(f"/s/{code}/1", data=_grid_answers(survey)).headers["Location"] == (
        f"/s/{code}/2"
    )
    response = client.post(f"/s/{code}/2", data=_teaching_answers(survey))
    # The leaders' section is not shown to a teacher: straight on to checking.
    assert response.headers["Location"] == f"/s/{code}/check"

    check = client.get(f"/s/{code}/check").text
    assert "Hill Primary" in check
    assert "Early language: confidence 2 of 5, a priority" in check
    assert "Online" in check and "In school" in check and "Twilight" not in check
    assert "28 pupils" in check
    assert "Time to plan &lt;together&gt;" in check  # escaped
    assert "Your priority as a leader?" not in check

    assert client.post(f"/s/{code}/send").headers["Location"] == f"/s/{code}/done"
    assert "Answers sent" in client.get(f"/s/{code}/done").text

    stored = _response()
    assert stored.status == "submitted" and stored.submitted_at is not None
    assert stored.school.name == "Hill Primary" and stored.role == "teacher"
    rows = {(a.question_id, a.item): (a.number, a.text, a.priority) for a in stored.answers}
    grid = survey.questions[0]
    first_area = grid.grid_areas[0]
    assert rows[(grid.id, first_area.id)] == (2, None, True)
    formats = _q(survey, "Formats?")
    assert {item for (q, item) in rows if q == formats.id} == {1, 3}  # options 1 and 3
    assert rows[(_q(survey, "Pupils in your class?").id, 0)] == (28, None, None)
    assert len(stored.answers) == 3 + 1 + 2 + 5  # grid rows, single, two options, the rest


def test_a_section_with_mistakes_is_refused_with_messages_and_not_stored(client, survey):
    _start(client, survey)
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    bad = _teaching_answers(
        survey,
        **{
            f"q{_q(survey, 'Years in phase?').id}": "9",  # not one of the options
            f"q{_q(survey, 'Confidence with phonics?').id}": "",  # required, missing
            f"q{_q(survey, 'Pupils in your class?').id}": "41",  # out of range
            f"q{_q(survey, 'What would help?').id}": "x" * 51,  # over the limit
            f"q{_q(survey, 'How supported do you feel?').id}": "eleven",
        },
    )
    response = client.post(f"/s/{survey.code}/2", data=bad)
    assert response.status_code == 422
    page = response.text
    assert "There is a problem" in page
    assert "Choose one of the answers listed" in page
    assert "Choose an answer" in page
    assert "Enter a number from 0 to 40 pupils" in page
    assert "Answer must be 50 characters or fewer (it is 1 too long)" in page
    assert "Choose a number from 0 to 10" in page
    assert 'value="Friendly"' in page  # what was typed is kept
    stored = _response()
    assert stored.step == 1
    assert not [a for a in stored.answers if a.question.section.title == "Your teaching"]


def test_a_needs_grid_needs_a_confidence_for_every_area(client, survey):
    _start(client, survey)
    data = _grid_answers(survey)
    grid = survey.questions[0]
    del data[f"q{grid.id}-{grid.grid_areas[1].id}"]
    response = client.post(f"/s/{survey.code}/1", data=data)
    assert response.status_code == 422
    assert "Choose how confident you feel about systematic synthetic phonics" in response.text


def test_sections_cannot_be_skipped(client, survey):
    _start(client, survey)
    response = client.post(f"/s/{survey.code}/2", data=_teaching_answers(survey))
    assert response.status_code == 409
    assert "Answer the sections in order" in response.text
    assert client.get(f"/s/{survey.code}/2").headers["Location"] == f"/s/{survey.code}/1"
    assert client.post(f"/s/{survey.code}/send").status_code == 409


def test_sending_twice_keeps_one_response(client, survey):
    _start(client, survey)
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    client.post(f"/s/{survey.code}/2", data=_teaching_answers(survey))
    assert client.post(f"/s/{survey.code}/send").status_code == 303
    replay = client.post(f"/s/{survey.code}/send")
    assert replay.status_code == 409
    assert "You have already sent your answers" in replay.text
    late = client.post(f"/s/{survey.code}/2", data=_teaching_answers(survey))
    assert late.status_code in (302, 303, 409)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_leaders_see_the_leaders_section(client, survey):
    _start(client, survey, role="headteacher")
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    response = client.post(f"/s/{survey.code}/2", data=_teaching_answers(survey))
    assert response.headers["Location"] == f"/s/{survey.code}/3"
    assert "Your priority as a leader?" in client.get(f"/s/{survey.code}/3").text


def test_changing_the_profile_drops_answers_no_longer_asked(client, survey):
    _start(client, survey, role="headteacher")
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    client.post(f"/s/{survey.code}/2", data=_teaching_answers(survey))
    leader_q = _q(survey, "Your priority as a leader?")
    client.post(f"/s/{survey.code}/3", data={f"q{leader_q.id}": "Reading"})
    client.post(f"/s/{survey.code}/about-you?from=check", data=PROFILE | {"role": "teacher"})
    stored = _response()
    db.session.refresh(stored)
    assert leader_q.id not in {a.question_id for a in stored.answers}
    assert client.post(f"/s/{survey.code}/send").status_code == 303


def test_a_school_not_on_the_list_is_written_in(client, survey):
    _start(client, survey, school="  Faraway   Academy ")
    stored = _response()
    assert (stored.school, stored.school_name) == (None, "Faraway Academy")


def test_a_school_found_by_its_urn_alone(client, survey):
    _start(client, survey, school="100001")
    assert _response().school.name == "Hill Primary"


def test_the_profile_is_checked(client, survey):
    client.post(f"/s/{survey.code}")
    response = client.post(f"/s/{survey.code}/about-you", data={"phase": "nursery"})
    assert response.status_code == 422
    for message in (
        "Enter the name of your school",
        "Choose your role",
        "Choose how long you have been teaching",
        "Choose the subject you teach most",
    ):
        assert message in response.text
    assert "Not a valid choice" in response.text


def test_a_teacher_outside_the_hubs_phases_is_told_plainly(client, survey):
    response = _start(client, survey, phase="secondary")
    assert response.headers["Location"] == f"/s/{survey.code}/your-phase"
    page = client.get(f"/s/{survey.code}/your-phase").text
    assert "Leeds English Hub works with primary schools only" in page
    assert "Carry on anyway" in page


def test_reopening_the_link_on_the_same_phone_carries_on(client, survey):
    _start(client, survey)
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    page = client.get(f"/s/{survey.code}").text
    assert "Continue where you left off" in page
    assert f'href="/s/{survey.code}/2"' in page
    again = client.get(f"/s/{survey.code}/1").text
    grid = survey.questions[0]
    assert f'name="q{grid.id}-{grid.grid_areas[0].id}" type="radio" value="2" checked' in again


def test_a_resume_code_carries_on_on_another_device(app, client, survey):
    _start(client, survey)
    client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    code = _response().resume_code
    assert f"{code[:4]}-{code[4:]}" in client.get(f"/s/{survey.code}/2").text

    laptop = app.test_client()
    wrong = laptop.post(f"/s/{survey.code}/resume", data={"code": "AAAA-AAAA"})
    assert wrong.status_code == 422
    assert "That code does not match" in wrong.text
    right = laptop.post(
        f"/s/{survey.code}/resume", data={"code": f" {code[:4].lower()}-{code[4:]}"}
    )
    assert right.headers["Location"] == f"/s/{survey.code}/2"
    assert laptop.post(f"/s/{survey.code}/2", data=_teaching_answers(survey)).status_code == 303
    assert laptop.post(f"/s/{survey.code}/send").status_code == 303


def test_guessing_resume_codes_is_slowed(app, client, survey):
    for _ in range(20):
        client.post(f"/s/{survey.code}/resume", data={"code": "AAAA-AAAA"})
    response = client.post(f"/s/{survey.code}/resume", data={"code": "AAAA-AAAA"})
    assert response.status_code == 429


def test_a_colleague_mistyping_resume_codes_never_locks_out_another(app, client, survey):
    """One school's staff share an address: only the browser that guessed is slowed."""
    for _ in range(21):
        client.post(f"/s/{survey.code}/resume", data={"code": "AAAA-AAAA"})
    colleague = app.test_client()
    response = colleague.post(f"/s/{survey.code}/resume", data={"code": "AAAA-AAAA"})
    assert response.status_code == 422  # told the code is wrong, not told to wait


def test_links_that_cannot_be_answered_say_why(client, hub):
    draft = make_survey(hub, status="draft")
    later = make_survey(hub)
    later.opens_on = date.today() + timedelta(days=3)
    ended = make_survey(hub)
    ended.closes_on = date.today() - timedelta(days=1)
    closed = make_survey(hub, status="closed")
    db.session.commit()
    assert client.get("/s/NOSUCH").status_code == 404
    assert "Survey not found" in client.get("/s/NOSUCH").text
    assert client.get(f"/s/{draft.code}").status_code == 404
    response = client.get(f"/s/{later.code}")
    assert response.status_code == 403 and "This survey is not open yet" in response.text
    for survey in (ended, closed):
        response = client.get(f"/s/{survey.code}")
        assert response.status_code == 410 and "This survey has closed" in response.text


def test_answers_sent_to_a_closed_survey_are_refused(client, survey):
    _start(client, survey)
    survey.status = "closed"
    db.session.commit()
    response = client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    assert response.status_code == 410
    assert _response().step == 0


def test_anonymous_surveys_store_no_name_email_or_address(client, survey):
    _start(client, survey, respondent_name="Ann Teacher", respondent_email="ann@school.example")
    stored = _response()
    assert (stored.respondent_name, stored.respondent_email) == ("", "")
    columns = {c.name for c in Response.__table__.columns}
    assert not {"ip", "ip_address", "remote_addr", "user_agent"} & columns


def test_named_surveys_ask_who_is_answering(client, hub):
    survey = make_survey(hub, anonymous=False)
    client.post(f"/s/{survey.code}")
    assert "Your name" in client.get(f"/s/{survey.code}/about-you").text
    _start(client, survey, respondent_name="Ann Teacher", respondent_email="Ann@School.example")
    stored = _response()
    assert (stored.respondent_name, stored.respondent_email) == (
        "Ann Teacher",
        "ann@school.example",
    )


def test_htmx_gets_the_next_step_as_a_fragment(client, survey):
    htmx = {"HX-Request": "true"}
    response = client.post(f"/s/{survey.code}", headers=htmx)
    assert response.status_code == 204
    assert '"/s/' in response.headers["HX-Location"]
    fragment = client.get(f"/s/{survey.code}/about-you", headers=htmx)
    assert "<html" not in fragment.text and "About you" in fragment.text
    assert "<title>About you" in fragment.text
    invalid = client.post(f"/s/{survey.code}/about-you", data={}, headers=htmx)
    assert invalid.status_code == 422 and "<html" not in invalid.text


def test_answer_rows_are_unique_per_response_question_and_item(client, survey):
    _start(client, survey)
    for _ in range(2):  # sending a section again replaces its answers
        client.post(f"/s/{survey.code}/1", data=_grid_answers(survey))
    grid = survey.questions[0]
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Answer).where(Answer.question_id == grid.id)
    )
    assert count == 3


def _walk_collecting_steps(client, survey, profile=PROFILE) -> list[str]:
    """A respondent's way from "about you" to "check your answers", with the step label each
    screen shows, in order."""
    code, labels = survey.code, []

    def label(page: str) -> str:
        found = re.findall(r'class="[^"]*app-progress__text"[^>]*>([^<]*)<', page)
        assert len(found) == 1, page
        return found[0].strip()

    assert client.post(f"/s/{code}").status_code == 303
    labels.append(label(client.get(f"/s/{code}/about-you").text))
    path = client.post(f"/s/{code}/about-you", data=profile).headers["Location"]
    while path != f"/s/{code}/check":
        page = client.get(path).text
        labels.append(label(page))
        data = {}
        for question in survey.questions:
            if f'name="q{question.id}' in page:
                data |= valid_answers(question)
        sent = client.post(path, data=data)
        assert sent.status_code == 303, sent.text
        path = sent.headers["Location"]
    labels.append(label(client.get(f"/s/{code}/check").text))
    return labels


def test_every_screen_counts_its_step_out_of_the_same_total(app, client, survey):
    labels = _walk_collecting_steps(client, survey)
    # About you, the two sections a teacher is shown, check your answers.
    assert labels == ["Step 1 of 4", "Step 2 of 4", "Step 3 of 4", "Step 4 of 4"]
    assert "It has 2 short sections" in app.test_client().get(f"/s/{survey.code}").text


def test_every_templates_steps_run_one_to_the_end_with_one_total(app):
    """For a teacher answering any hub type's needs assessment: sections shown only to some
    (leaders, secondary schools) are counted on "about you" only when most people see them."""
    for hub_type in db.session.scalars(db.select(HubType).order_by(HubType.slug)):
        hub = make_hub(f"Hub for {hub_type.slug}", hub_type.slug)
        survey = make_survey(hub, template_for(hub_type))
        # A teacher in a school of a phase the hub serves.
        phase = "primary" if not hub.phases or "primary" in hub.phases else hub.phases[0]
        labels = _walk_collecting_steps(app.test_client(), survey, PROFILE | {"phase": phase})
        total = len(labels)
        assert labels == [f"Step {n} of {total}" for n in range(1, total + 1)], hub_type.slug
