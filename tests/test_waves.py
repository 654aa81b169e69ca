"""Surveys on a cycle: each wave a separate, dated set of answers; earlier waves read-only."""

from datetime import date, timedelta

from factories import make_hub, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Response
from hubsurvey.surveys.waves import current_wave, open_next_wave, set_cycle, term

PROFILE = {
    "school": "Hill Primary",
    "phase": "primary",
    "role": "teacher",
    "career_stage": "ect-1",
    "subject": "all-primary",
}


def test_terms_follow_the_school_year():
    assert term(date(2026, 11, 23)) == ("Autumn 2026", date(2027, 1, 1))
    assert term(date(2027, 2, 1)) == ("Spring 2027", date(2027, 4, 1))
    assert term(date(2027, 6, 30)) == ("Summer 2027", date(2027, 9, 1))


def test_a_termly_survey_opens_the_next_wave_on_its_date(app):
    survey = make_survey(make_hub())
    set_cycle(survey, "termly", None)
    first = current_wave(survey, date(2026, 11, 23))
    assert (first.number, first.label, first.next_on) == (1, "Autumn 2026", date(2027, 1, 1))
    assert current_wave(survey, date(2026, 12, 31)) == first
    second = current_wave(survey, date(2027, 1, 5))
    assert (second.number, second.label, second.opened_on) == (2, "Spring 2027", date(2027, 1, 1))
    # Months later, every missed term opens in turn; the last is current.
    assert current_wave(survey, date(2027, 9, 10)).label == "Autumn 2027"
    assert [w.number for w in survey.waves] == [1, 2, 3, 4]


def test_a_survey_every_few_weeks(app):
    survey = make_survey(make_hub())
    set_cycle(survey, "weeks", 6)
    wave = open_next_wave(survey, date(2027, 1, 4))
    assert (wave.label, wave.next_on) == ("Wave 1 (from 4 January 2027)", date(2027, 2, 15))


def _answer_everything(client, survey):
    client.post(f"/s/{survey.code}")
    client.post(f"/s/{survey.code}/about-you", data=PROFILE)
    grid = survey.questions[0]
    client.post(
        f"/s/{survey.code}/1",
        data={f"q{grid.id}-{area.id}": "3" for area in grid.grid_areas},
    )


def test_opening_the_next_wave_keeps_earlier_answers_as_they_were(app, client):
    hub = make_hub("Leeds English Hub", "english-hub")
    survey = make_survey(hub)
    set_cycle(survey, "weeks", 6)
    _answer_everything(client, survey)  # a draft in wave 1
    lead = app.test_client()
    sign_in(lead, make_user(hubs=[hub]))
    response = lead.post(f"/hubs/{hub.slug}/surveys/{survey.id}/waves/next", follow_redirects=True)
    assert "Wave 2 (from " in response.text and "is open" in response.text

    # The wave 1 draft can no longer change; the link starts afresh in wave 2.
    old = db.session.scalar(db.select(Response))
    grid = survey.questions[0]
    data = {f"q{grid.id}-{area.id}": "5" for area in grid.grid_areas}
    assert client.post(f"/s/{survey.code}/1", data=data).status_code in (302, 303)
    page = client.get(f"/s/{survey.code}").text
    assert "Start now" in page and "Continue where you left off" not in page
    _answer_everything(client, survey)
    db.session.expire_all()
    responses = db.session.scalars(db.select(Response).order_by(Response.id)).all()
    assert [r.wave.number for r in responses] == [1, 2]
    assert {a.number for a in responses[0].answers} == {3}  # unchanged
    assert responses[0].id == old.id


def test_a_survey_that_does_not_recur_has_no_next_wave_to_open(app, client):
    hub = make_hub()
    survey = make_survey(hub)  # does not recur
    current_wave(survey)
    sign_in(client, make_user(hubs=[hub]))
    url = f"/hubs/{hub.slug}/surveys/{survey.id}/"
    assert "Open the next wave now" not in client.get(url).text
    # Sent anyway (an old page, a second tab): refused, saying why and what to do.
    response = client.post(f"{url}waves/next")
    assert response.status_code == 409
    assert "This survey does not recur" in response.text
    assert "choose how often it recurs in its settings" in response.text
    db.session.expire_all()
    assert len(survey.waves) == 1
    # Once it recurs, the lead may open the next round early.
    set_cycle(survey, "termly", None)
    assert "Open the next wave now" in client.get(url).text
    assert client.post(f"{url}waves/next").status_code == 303
    db.session.expire_all()
    assert len(survey.waves) == 2


def test_the_survey_page_lists_waves(app, client):
    hub = make_hub()
    survey = make_survey(hub)
    current_wave(survey)
    open_next_wave(survey, date.today() + timedelta(days=1))
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Wave 2 (current)" in page and "Wave 1 (read-only)" in page


def test_a_draft_cannot_be_sent_into_a_wave_whose_time_has_passed(app, client):
    survey = make_survey(make_hub())
    set_cycle(survey, "weeks", 2)
    _answer_everything(client, survey)
    wave = survey.waves[0]
    wave.next_on = date.today() - timedelta(days=1)  # the next wave is due
    db.session.commit()
    grid = survey.questions[0]
    client.post(f"/s/{survey.code}/1", data={f"q{grid.id}-{a.id}": "5" for a in grid.grid_areas})
    db.session.expire_all()
    old = db.session.scalar(db.select(Response))
    assert {a.number for a in old.answers} == {3}
    assert len(survey.waves) == 2


def test_odd_query_strings_do_not_break_a_section_page(app, client):
    survey = make_survey(make_hub())
    client.post(f"/s/{survey.code}")
    client.post(f"/s/{survey.code}/about-you", data=PROFILE)
    for query in ("code=x", "number=2", "_external=1", "from=check"):
        assert client.get(f"/s/{survey.code}/1?{query}").status_code == 200, query
