"""Hub staff review suspect responses: leave one out of every summary, and bring it back."""

import re
from datetime import datetime, timedelta

import pytest
from factories import (
    PASSWORD,
    PROFILE,
    make_hub,
    make_response,
    make_school,
    make_survey,
    make_user,
    sign_in,
)

from hubsurvey.activities.services import live_feedback, save_activity
from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Answer, AuditEntry, Participant, Response
from hubsurvey.reports.feedback import comments, feedback_figures
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.surveys.impact import confidence_change
from hubsurvey.surveys.waves import current_wave, open_next_wave

SENT_AT = r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}"  # a time of day, in UK time


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "Hill Primary", urn="100001")
    return hub


@pytest.fixture
def lead(client, hub):
    user = make_user(email="lead@leeds.example", hubs=[hub])
    sign_in(client, user)
    return user


@pytest.fixture
def survey(hub):
    # Named, so that no figure is held back for resting on a small group.
    return make_survey(hub, anonymous=False)


def _response(survey, confidence=3, flags="", wave=None, school=None, **fields):
    """A sent response rating every need area of the survey's grid at `confidence`."""
    response = make_response(
        survey,
        wave=wave,
        status="submitted",
        profile_saved=True,
        role="teacher",
        school=school,
        school_name=school.name if school else "Elm Academy",
        submitted_at=datetime(2026, 3, 2, 9, 30),
        started_at=datetime(2026, 3, 2, 9, 29, 56),
        flags=flags,
        **fields,
    )
    grid = survey.questions[0]
    for area in grid.grid_areas:
        db.session.add(
            Answer(response_id=response.id, question_id=grid.id, item=area.id, number=confidence)
        )
    db.session.commit()
    return response


def _review_url(hub, survey):
    return f"/hubs/{hub.slug}/surveys/{survey.id}/review/"


def _exclude(client, hub, survey, response, reason="40 sent from one browser in two minutes"):
    url = f"{_review_url(hub, survey)}{response.id}/exclude"
    return client.post(url, data={"reason": reason})


def _restore(client, hub, survey, response, reason="The school says it was a shared laptop"):
    url = f"{_review_url(hub, survey)}{response.id}/restore"
    return client.post(url, data={"reason": reason})


def _early_language(hub, survey):
    row = next(r for r in needs_summary(hub, Filters(survey=survey)) if r.group == "")
    assert row.need_area.name == "Early language"
    return row.respondents, row.mean_confidence


def test_the_survey_page_links_to_the_review_with_the_number_to_review(client, lead, hub, survey):
    _response(survey)
    first = _response(survey, flags="duplicate")
    _response(survey, flags="duplicate")
    _response(survey, flags="too-fast")
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Review suspect responses (3)" in page
    assert f'href="{_review_url(hub, survey)}"' in page
    _exclude(client, hub, survey, first)
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Review suspect responses (2)" in page


def test_the_review_lists_why_when_which_wave_and_some_answers(app, client, lead, hub, survey):
    # A bot that sends twice from one browser, as fast as it can.
    bot = app.test_client()
    grid = survey.questions[0]
    years = next(q for q in survey.questions if q.prompt == "Years in phase?")
    scale = next(q for q in survey.questions if q.kind == "scale")
    pupils = next(q for q in survey.questions if q.kind == "number")
    for _ in range(2):
        bot.post(f"/s/{survey.code}")
        bot.post(f"/s/{survey.code}/about-you", data=PROFILE | {"respondent_name": "A Bot"})
        bot.post(f"/s/{survey.code}/1", data={f"q{grid.id}-{a.id}": "1" for a in grid.grid_areas})
        bot.post(
            f"/s/{survey.code}/2",
            data={f"q{years.id}": "0", f"q{scale.id}": "3", f"q{pupils.id}": "20"},
        )
        assert bot.post(f"/s/{survey.code}/send").status_code == 303
    _response(survey)  # nothing suspect: not listed

    page = client.get(_review_url(hub, survey))
    assert page.status_code == 200
    text = page.text
    assert "To review (2)" in text
    assert text.count("Sent faster than anyone could read the questions") == 2
    assert text.count("Sent more than once from the same browser in this wave") == 2
    assert "Wave 1" in text and re.search(SENT_AT, text) and "after starting" in text
    assert "A Bot, Teacher, Hill Primary" in text
    assert "How confident are you?" in text and "Early language: confidence 1 of 5" in text
    assert "Left out of summaries and exports (0)" in text
    assert 'name="csrf_token"' in text


def test_an_anonymous_surveys_review_never_shows_who_beside_what(app, client, lead, hub):
    survey = make_survey(hub)  # anonymous
    bot = app.test_client()
    for _ in range(2):
        bot.post(f"/s/{survey.code}")
        bot.post(f"/s/{survey.code}/about-you", data=PROFILE | {"role": "senco"})
        grid = survey.questions[0]
        bot.post(f"/s/{survey.code}/1", data={f"q{grid.id}-{a.id}": "1" for a in grid.grid_areas})
        years = next(q for q in survey.questions if q.prompt == "Years in phase?")
        scale = next(q for q in survey.questions if q.kind == "scale")
        pupils = next(q for q in survey.questions if q.kind == "number")
        bot.post(
            f"/s/{survey.code}/2",
            data={f"q{years.id}": "0", f"q{scale.id}": "3", f"q{pupils.id}": "20"},
        )
        assert bot.post(f"/s/{survey.code}/send").status_code == 303
    text = client.get(_review_url(hub, survey)).text
    assert "To review (2)" in text
    assert "About them" not in text and "SENCO" not in text and "Hill Primary" not in text
    assert not re.search(SENT_AT, text.split("To review")[1])  # the day only, never the minute


def test_leaving_a_response_out_changes_the_summary_is_audited_and_can_be_undone(
    client, lead, hub, survey
):
    for _ in range(4):
        _response(survey, confidence=4)
    stuffed = _response(survey, confidence=1, flags="duplicate")
    assert _early_language(hub, survey) == (5, pytest.approx(3.4))

    response = _exclude(client, hub, survey, stuffed, reason="  Same answers 40 times  ")
    assert response.status_code == 303
    assert "left out of summaries and exports" in client.get(response.headers["Location"]).text
    assert _early_language(hub, survey) == (4, pytest.approx(4.0))
    kept = db.session.get(Response, stuffed.id)
    assert kept is not None and kept.excluded and kept.answers  # kept, only left out
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action.like("response-%")))
    assert entry.action == "response-excluded" and entry.hub_id == hub.id
    assert entry.target == f"survey {survey.id}: Training needs, response {stuffed.id}"
    assert entry.detail == "Same answers 40 times" and entry.actor == "lead@leeds.example"
    page = client.get(_review_url(hub, survey)).text
    assert "To review (0)" in page and "Left out of summaries and exports (1)" in page
    assert "Left out by lead@leeds.example: Same answers 40 times" in page
    # The needs summary page a hub lead reads says the same.
    report = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}").text
    assert 'data-label="Mean confidence">4.0<' in report
    assert 'data-label="Mean confidence">3.4<' not in report

    assert _restore(client, hub, survey, kept).status_code == 303
    assert _early_language(hub, survey) == (5, pytest.approx(3.4))
    actions = db.session.scalars(
        db.select(AuditEntry.action)
        .where(AuditEntry.action.like("response-%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["response-excluded", "response-restored"]
    assert "Brought back by lead@leeds.example" in client.get(_review_url(hub, survey)).text
    # Doing it twice changes nothing and records nothing more.
    _restore(client, hub, survey, kept)
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action.like("response-%"))
        )
        == 2
    )


def test_left_out_responses_leave_the_survey_pages_counts(client, lead, hub, survey):
    school = current_partners(hub)[0]
    _response(survey, school=None)
    stuffed = _response(survey, school=school, flags="too-fast")
    url = f"/hubs/{hub.slug}/surveys/{survey.id}/"

    def figures():
        page = client.get(url).text
        sent = re.search(r"Sent</dt><dd[^>]*>(\d+)<", page).group(1)
        answered = re.search(
            r'How confident are you\?.*?data-label="Answered">(\d+)<', page, re.S
        ).group(1)
        return int(sent), "1 of 1 partner schools have sent" in page, int(answered)

    def listed():
        page = client.get(f"/hubs/{hub.slug}/surveys/").text
        return int(re.search(r'data-label="Sent">(\d+)\b', page).group(1))

    assert figures() == (2, True, 2) and listed() == 2
    _exclude(client, hub, survey, stuffed)
    assert figures() == (1, False, 1) and listed() == 1


def test_left_out_feedback_leaves_the_feedback_summaries(client, lead, hub):
    hub.smallest_group = 2  # anonymous feedback: two ratings are enough to show
    area = hub.hub_type.need_areas[0]
    activity = save_activity(
        hub,
        None,
        [area],
        [],
        title="Phonics in reception",
        kind="training",
        starts_at=datetime.now() - timedelta(days=3),
    )
    survey = activity.survey
    headline = survey.questions[0]
    comment = next(q for q in survey.questions if q.kind == "long_text")
    for rating, text in ((4, "Useful"), (4, "Good"), (1, "Spam spam spam")):
        response = make_response(
            survey,
            activity=activity,
            status="submitted",
            profile_saved=True,
            submitted_at=datetime.now(),
            flags="too-fast" if rating == 1 else "",
        )
        db.session.add(Answer(response_id=response.id, question_id=headline.id, number=rating))
        db.session.add(Answer(response_id=response.id, question_id=comment.id, text=text))
    db.session.commit()

    def figures():
        found = feedback_figures(hub)
        return (
            [(f.responses, f.mean) for f in found.by_activity.values()],
            [(f.responses, f.mean) for name, f in found.by_area if name == area.name],
            [(f.responses, f.mean) for _wave, f in found.by_wave],
            sorted(text for *_rest, text in comments(hub)),
            live_feedback(activity)["count"],
        )

    three = (3, pytest.approx(3.0))
    assert figures() == (
        [three],
        [three],
        [three],
        ["Good", "Spam spam spam", "Useful"],
        3,
    )
    assert _exclude(client, hub, survey, response).status_code == 303
    two = (2, pytest.approx(4.0))
    assert figures() == ([two], [two], [two], ["Good", "Useful"], 2)


def test_left_out_responses_leave_the_change_in_confidence(client, lead, hub, survey):
    people = [Participant(hub_id=hub.id, code_hash=f"h{i}") for i in range(2)]
    db.session.add_all(people)
    db.session.flush()
    first = current_wave(survey)
    for person in people:
        _response(survey, confidence=2, wave=first, participant=person)
    second = open_next_wave(survey)
    _response(survey, confidence=4, wave=second, participant=people[0])
    stuffed = _response(survey, confidence=5, wave=second, participant=people[1], flags="x")

    def change():
        row = confidence_change(survey, None, survey.hub.smallest_group).areas[0]
        return row.people, row.after

    assert change() == (2, pytest.approx(4.5))
    _exclude(client, hub, survey, stuffed)
    assert change() == (1, pytest.approx(4.0))


def test_staff_of_another_hub_get_404(client, hub, survey):
    stuffed = _response(survey, flags="duplicate")
    other_hub = make_hub("York English Hub", "english-hub")
    outsider = client
    sign_in(outsider, make_user(email="lead@york.example", hubs=[other_hub]))
    assert outsider.get(_review_url(hub, survey)).status_code == 404
    assert _exclude(outsider, hub, survey, stuffed).status_code == 404
    # Through their own hub's address, the survey is not theirs either.
    assert outsider.get(_review_url(other_hub, survey)).status_code == 404
    assert _exclude(outsider, other_hub, survey, stuffed).status_code == 404
    assert not db.session.get(Response, stuffed.id).excluded
    assert not db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action.like("resp%"))
    ).all()


def test_a_response_of_another_survey_or_a_draft_is_not_found(client, lead, hub, survey):
    other = _response(make_survey(hub), flags="duplicate")
    draft = _response(survey)
    draft.status = "draft"
    db.session.commit()
    assert _exclude(client, hub, survey, other).status_code == 404
    assert _exclude(client, hub, survey, draft).status_code == 404
    assert (
        client.post(f"{_review_url(hub, survey)}999999/exclude", data={"reason": "x"}).status_code
        == 404
    )


def test_a_reason_is_needed(client, lead, hub, survey):
    stuffed = _response(survey, flags="duplicate")
    for reason, message in (
        ("   ", "Say briefly why, for the audit log"),
        ("x" * 201, "Reason must be 200 characters or fewer"),
    ):
        response = _exclude(client, hub, survey, stuffed, reason=reason)
        assert response.status_code == 422
        assert message in response.text
        assert f'href="#reason-{stuffed.id}"' in response.text
        assert f'id="reason-{stuffed.id}-error"' in response.text
    assert not db.session.get(Response, stuffed.id).excluded
    assert not db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action.like("resp%"))
    ).all()
    # Characters nobody can see are taken out, on both databases, not stored.
    assert _exclude(client, hub, survey, stuffed, reason="Spam\x00 run").status_code == 303
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action.like("resp%")))
    assert entry.detail == "Spam run"


def test_leaving_out_needs_the_forms_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds English Hub", "english-hub")
        survey = make_survey(hub)
        stuffed = _response(survey, flags="duplicate")
        email = make_user(hubs=[hub]).email
        url = f"{_review_url(hub, survey)}{stuffed.id}/exclude"
        review, stuffed_id = _review_url(hub, survey), stuffed.id
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/sign-in").text
    )
    data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/sign-in", data=data).status_code == 303

    assert client.post(url, data={"reason": "Spam"}).status_code == 400
    with app.app_context():
        assert not db.session.get(Response, stuffed_id).excluded
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(review).text).group(1)
    assert client.post(url, data={"reason": "Spam", "csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(Response, stuffed_id).excluded
