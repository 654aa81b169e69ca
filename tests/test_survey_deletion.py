"""A hub lead deletes a survey for good: a page that says what goes, then everything goes."""

from datetime import datetime

import pytest
from factories import make_hub, make_response, make_school, make_survey, make_user, sign_in

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import (
    Answer,
    AuditEntry,
    Participant,
    Question,
    Response,
    SchoolLink,
    Section,
    Survey,
    Wave,
)
from hubsurvey.surveys.services import make_school_links
from hubsurvey.surveys.waves import open_next_wave


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def lead(client, hub):
    user = make_user(hubs=[hub])
    sign_in(client, user)
    return user


def _count(model, *where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def _answered(survey, participant=None) -> Response:
    response = make_response(survey, status="submitted", participant=participant)
    question = survey.questions[0]
    db.session.add(Answer(response_id=response.id, question_id=question.id, text="Phonics"))
    db.session.commit()
    return response


def _url(hub, survey) -> str:
    return f"/hubs/{hub.slug}/surveys/{survey.id}/delete"


def test_the_survey_page_links_to_a_delete_page_that_says_what_goes(client, hub, lead):
    survey = make_survey(hub, status="closed")
    _answered(survey)
    _answered(survey)
    assert _url(hub, survey) in client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    page = client.get(_url(hub, survey)).text
    assert "all 2 responses" in page and "cannot be undone" in page
    assert "download them first" in page


def test_deleting_needs_a_tick_when_people_have_answered(client, hub, lead):
    survey = make_survey(hub, status="closed")
    _answered(survey)
    refused = client.post(_url(hub, survey), data={})
    assert refused.status_code == 422
    assert "Tick the box to confirm that the responses go for good" in refused.text
    assert _count(Response) == 1 and db.session.get(Survey, survey.id) is not None


def test_a_deleted_survey_takes_every_answer_wave_link_and_lone_code_with_it(client, hub, lead):
    school = make_school(hub, "Hill Primary")
    survey, other = make_survey(hub, status="open"), make_survey(hub)
    open_next_wave(survey)
    make_school_links(survey)
    only_here = Participant(hub_id=hub.id, code_hash="a" * 64)
    also_elsewhere = Participant(hub_id=hub.id, code_hash="b" * 64)
    db.session.add_all([only_here, also_elsewhere])
    _answered(survey, only_here)
    _answered(survey, also_elsewhere)
    make_response(survey, status="draft", school=school)
    kept = _answered(other, also_elsewhere)
    survey.status = "closed"
    db.session.commit()
    survey_id, title = survey.id, survey.title

    response = client.post(_url(hub, survey), data={"confirm": "y"})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/hubs/{hub.slug}/surveys/"
    assert "Deleted “" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(Survey, survey_id) is None
    assert db.session.scalars(db.select(Response.id)).all() == [kept.id]
    assert db.session.scalars(db.select(Answer.response_id)).all() == [kept.id]
    assert _count(Wave, Wave.survey_id == survey_id) == 0
    assert _count(Section, Section.survey_id == survey_id) == 0
    assert _count(SchoolLink, SchoolLink.survey_id == survey_id) == 0
    assert db.session.scalars(db.select(Participant.id)).all() == [also_elsewhere.id]
    assert _count(Question) == len(other.questions)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "survey-deleted"))
    assert (entry.hub_id, entry.detail) == (hub.id, "3 responses deleted")
    assert title in entry.target and "Phonics" not in entry.target + entry.detail
    assert "Deleted a survey" in client.get(f"/hubs/{hub.slug}/audit").text


def test_an_open_survey_is_closed_before_it_can_be_deleted(client, hub, lead):
    survey = make_survey(hub, status="open")
    _answered(survey)
    assert "Close it first" in client.get(_url(hub, survey)).text
    refused = client.post(_url(hub, survey), data={"confirm": "y"})
    assert refused.status_code == 409
    assert db.session.get(Survey, survey.id) is not None and _count(Response) == 1


def test_a_survey_that_collects_an_activitys_feedback_stays_with_it(client, hub, lead):
    activity = save_activity(
        hub,
        None,
        need_areas=[],
        schools=[],
        title="Phonics for new teachers",
        kind="training",
        starts_at=datetime(2026, 11, 2, 16, 0),
    )
    survey = activity.survey
    survey.status = "closed"
    db.session.commit()
    page = client.get(_url(hub, survey)).text
    assert "collects the feedback for this activity" in page
    assert "Phonics for new teachers" in page
    refused = client.post(_url(hub, survey), data={"confirm": "y"})
    assert refused.status_code == 409
    assert db.session.get(Survey, survey.id) is not None


def test_a_draft_nobody_answered_is_deleted_without_a_tick(client, hub, lead):
    survey = make_survey(hub, status="draft")
    page = client.get(_url(hub, survey)).text
    assert "Yes, delete the survey" not in page
    assert client.post(_url(hub, survey), data={}).status_code == 303
    assert db.session.get(Survey, survey.id) is None


def test_staff_of_another_hub_cannot_delete_the_survey(client, hub):
    survey = make_survey(hub, status="closed")
    other = make_hub("York Maths Hub", "maths-hub")
    sign_in(client, make_user("york@hub.example", hubs=[other]))
    assert client.post(_url(hub, survey), data={"confirm": "y"}).status_code in (403, 404)
    assert client.post(_url(other, survey), data={"confirm": "y"}).status_code == 404
    assert db.session.get(Survey, survey.id) is not None
