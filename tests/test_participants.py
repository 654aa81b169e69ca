"""Participant codes: one person's answers linked over time, without the hub knowing who."""

import re
import secrets

import pytest
from factories import make_hub, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Participant, Response
from hubsurvey.surveys.impact import confidence_change
from hubsurvey.surveys.waves import current_wave, open_next_wave

PROFILE = {
    "school": "Hill Primary",
    "phase": "primary",
    "role": "teacher",
    "career_stage": "ect-1",
    "subject": "all-primary",
}


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


def _send(client, survey, confidence="3", **profile):
    client.post(f"/s/{survey.code}")
    client.post(f"/s/{survey.code}/about-you", data=PROFILE | profile)
    grid = survey.questions[0]
    client.post(
        f"/s/{survey.code}/1", data={f"q{grid.id}-{a.id}": confidence for a in grid.grid_areas}
    )
    years = next(q for q in survey.questions if q.prompt == "Years in phase?")
    scale = next(q for q in survey.questions if q.kind == "scale")
    pupils = next(q for q in survey.questions if q.kind == "number")
    client.post(
        f"/s/{survey.code}/2",
        data={f"q{years.id}": "0", f"q{scale.id}": "3", f"q{pupils.id}": "20"},
    )
    assert client.post(f"/s/{survey.code}/send").status_code == 303


def test_a_teacher_gets_a_code_and_links_later_answers_with_it(app, hub):
    needs, follow_up = make_survey(hub), make_survey(hub)
    phone = app.test_client()
    _send(phone, needs)
    page = phone.post(f"/s/{needs.code}/participant-code/new").text
    code = re.search(r'app-big-code">([A-Z0-9-]{11})<', page).group(1)
    participant = db.session.scalar(db.select(Participant))
    assert code.replace("-", "") not in participant.code_hash  # only a keyed hash is kept

    laptop = app.test_client()  # months later, another device: only the code links them
    _send(laptop, follow_up)
    page = laptop.post(
        f"/s/{follow_up.code}/participant-code", data={"participant_code": code.lower()}
    ).text
    assert "These answers are linked to your participant code" in page
    linked = db.session.scalars(db.select(Response.participant_id)).all()
    assert linked == [participant.id, participant.id]


def test_a_wrong_code_is_refused_and_makes_no_new_person(app, hub):
    survey = make_survey(hub)
    client = app.test_client()
    _send(client, survey)
    response = client.post(
        f"/s/{survey.code}/participant-code", data={"participant_code": "ABC-DEF-GHJ"}
    )
    assert response.status_code == 422
    assert "We do not recognise that code" in response.text
    response = client.post(f"/s/{survey.code}/participant-code", data={"participant_code": "AB"})
    assert "A participant code has 9 letters and numbers" in response.text
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
    assert db.session.scalar(db.select(Response.participant_id)) is None


def test_a_code_from_another_hub_is_not_recognised(app, hub):
    other = make_survey(make_hub("South Hub"))
    client = app.test_client()
    _send(client, other)
    code = re.search(
        r'app-big-code">([A-Z0-9-]{11})<', client.post(f"/s/{other.code}/participant-code/new").text
    ).group(1)
    mine = make_survey(hub)
    client = app.test_client()
    _send(client, mine)
    response = client.post(f"/s/{mine.code}/participant-code", data={"participant_code": code})
    assert response.status_code == 422


def test_guessing_codes_is_slowed(app, hub):
    survey = make_survey(hub)
    client = app.test_client()
    _send(client, survey)
    for _ in range(10):
        client.post(f"/s/{survey.code}/participant-code", data={"participant_code": "ABCDEFGHJ"})
    response = client.post(
        f"/s/{survey.code}/participant-code", data={"participant_code": "ABCDEFGHJ"}
    )
    assert response.status_code == 429


def test_named_surveys_offer_no_code(app, hub):
    survey = make_survey(hub, anonymous=False)
    client = app.test_client()
    _send(client, survey, respondent_name="Ann Teacher")
    page = client.get(f"/s/{survey.code}/done").text
    assert "participant code" not in page.lower()
    assert client.post(f"/s/{survey.code}/participant-code/new").status_code == 409


def _linked_response(survey, participant, wave, confidence):
    response = Response(
        survey=survey,
        wave=wave,
        participant=participant,
        token=secrets.token_hex(16),
        resume_code=secrets.token_hex(4).upper(),
        status="submitted",
        profile_saved=True,
    )
    db.session.add(response)
    db.session.flush()
    grid = survey.questions[0]
    for area in grid.grid_areas:
        db.session.add(
            Answer(response_id=response.id, question_id=grid.id, item=area.id, number=confidence)
        )


def test_change_in_confidence_for_linked_participants(client, hub):
    survey = make_survey(hub)
    first, second = current_wave(survey), None
    people = [Participant(hub_id=hub.id, code_hash=f"h{i}") for i in range(6)]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        _linked_response(survey, person, first, 2)
    second = open_next_wave(survey)
    for person in people[:5]:
        _linked_response(survey, person, second, 4)
    db.session.commit()
    changes = confidence_change(survey, None, hub.smallest_group).areas
    early_language = changes[0]
    assert early_language.need_area.name == "Early language"
    assert (early_language.people, early_language.before, early_language.after) == (5, 2, 4)
    assert early_language.change == 2
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Change in confidence for linked participants" in page and "+2.0" in page
    # The hub's own smallest group decides: five people are too few for a hub that says six.
    hub.smallest_group = 6
    db.session.commit()
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Not shown: fewer than 6 people" in page and "+2.0" not in page


def test_change_resting_on_few_people_is_not_shown_in_anonymous_surveys(client, hub):
    survey = make_survey(hub)
    person = Participant(hub_id=hub.id, code_hash="h")
    db.session.add(person)
    db.session.flush()
    _linked_response(survey, person, current_wave(survey), 2)
    _linked_response(survey, person, open_next_wave(survey), 5)
    db.session.commit()
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Not shown: fewer than 5 people" in page and "+3.0" not in page
