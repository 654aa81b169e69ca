"""Activities: feedback in the room through the activity's own link, watched live."""

from datetime import datetime

import pytest
from factories import make_hub, make_school, make_user, sign_in

from hubsurvey.activities.services import live_feedback, save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Activity, Response, Survey


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def lead(client, hub):
    user = make_user(hubs=[hub])
    sign_in(client, user)
    return user


def _activity(hub, title="Phonics in reception", survey=None):
    return save_activity(
        hub,
        None,
        hub.hub_type.need_areas[:2],
        [],
        shared_survey=survey,
        title=title,
        kind="training",
        starts_at=datetime(2027, 1, 12, 16, 0),
    )


def test_lead_records_an_activity_with_its_own_feedback_survey(client, hub, lead):
    school = make_school(hub, "Hill Primary")
    areas = hub.hub_type.need_areas
    response = client.post(
        f"/hubs/{hub.slug}/activities/new",
        data={
            "title": "Phonics in reception",
            "kind": "training",
            "starts_on": "2027-01-12",
            "starts_at": "16:00",
            "place": "Hill Primary hall",
            "facilitator": "A. Lead",
            "need_areas": [areas[1].id],
            "schools": [school.id],
            "feedback": "0",
        },
    )
    assert response.status_code == 303
    activity = db.session.scalar(db.select(Activity))
    assert activity.starts_at == datetime(2027, 1, 12, 16, 0)
    assert activity.schools == [school] and activity.need_areas == [areas[1]]
    survey = activity.survey
    assert (survey.kind, survey.status, survey.asks_profile) == ("feedback", "open", False)
    helped = survey.questions[-1]
    assert helped.options == ["Systematic synthetic phonics"]
    assert activity.code != survey.code
    page = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    assert f"/s/{activity.code}" in page and "<svg" in page


def test_a_missing_title_or_date_gets_a_message(client, hub, lead):
    response = client.post(f"/hubs/{hub.slug}/activities/new", data={"feedback": "0"})
    assert response.status_code == 422
    for message in ("Enter a title", "Enter the date", "Enter the start time"):
        assert message in response.text
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_feedback_takes_two_screens_and_counts_for_the_activity(app, hub):
    activity = _activity(hub)
    survey = activity.survey
    teacher = app.test_client()
    first = teacher.get(f"/s/{activity.code}")
    assert "How useful was this session for you?" in first.text  # straight to the rating
    assert "Phonics in reception" in first.text
    rating = survey.questions[0]
    response = teacher.post(f"/s/{activity.code}/1", data={f"q{rating.id}": "4"})
    assert response.headers["Location"] == f"/s/{survey.code}/2"
    later = {q.prompt: q for q in survey.questions}
    response = teacher.post(
        f"/s/{survey.code}/2",
        data={f"q{later['What will you try as a result?'].id}": "Sound walls"},
    )
    assert response.headers["Location"] == f"/s/{survey.code}/done"
    stored = db.session.scalar(db.select(Response))
    assert (stored.status, stored.activity_id, stored.school_id) == ("submitted", activity.id, None)

    feedback = live_feedback(activity)
    assert feedback["count"] == 1
    assert feedback["averages"][0] == (rating, 4)


def test_the_first_screen_needs_its_rating_and_stores_nothing_without_it(app, hub):
    activity = _activity(hub)
    teacher = app.test_client()
    response = teacher.post(f"/s/{activity.code}/1", data={})
    assert response.status_code == 422
    assert "Choose an answer" in response.text
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_activities_sharing_a_survey_keep_their_feedback_apart(app, hub):
    first = _activity(hub, "Session one")
    second = _activity(hub, "Session two", survey=first.survey)
    assert second.survey == first.survey
    rating = first.survey.questions[0]
    for activity, score in ((first, "5"), (second, "2"), (second, "3")):
        teacher = app.test_client()
        teacher.post(f"/s/{activity.code}/1", data={f"q{rating.id}": score})
        teacher.post(f"/s/{activity.survey.code}/2", data={})
    assert live_feedback(first)["count"] == 1
    assert live_feedback(second)["count"] == 2
    assert live_feedback(second)["averages"][0][1] == 2.5


def test_the_activity_page_updates_live_with_htmx(client, hub, lead):
    activity = _activity(hub)
    url = f"/hubs/{hub.slug}/activities/{activity.id}/feedback"
    page = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    assert f'hx-get="{url}" hx-trigger="every 10s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert '<span class="app-big-number">0</span> responses' in fragment.text
    assert client.get(url).status_code == 200  # without htmx, a page of its own


def test_the_feedback_survey_is_listed_with_the_hubs_surveys(client, hub, lead):
    _activity(hub)
    assert "Feedback: Phonics in reception" in client.get(f"/hubs/{hub.slug}/surveys/").text
    assert db.session.scalar(db.select(Survey.kind)) == "feedback"
