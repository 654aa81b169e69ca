"""Outcomes: each partner school enters, and can correct, its pupil figures each wave."""

import re

import pytest
from factories import make_hub, make_school, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response, SchoolLink
from hubsurvey.surveys.services import create_survey, make_school_links, set_status
from hubsurvey.surveys.waves import open_next_wave


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def survey(hub):
    make_school(hub, "Hill Primary", urn="100001")
    make_school(hub, "Moor Primary")
    survey = create_survey(hub, "outcomes")
    set_status(survey, "open")
    make_school_links(survey)
    return survey


def _link(survey, school_name):
    link = next(
        lk for lk in db.session.scalars(db.select(SchoolLink)) if lk.school.name == school_name
    )
    return f"/s/{survey.code}/school/{link.token}"


def _figures(survey, pupils, share):
    pupils_q, share_q = [q for q in survey.questions if q.kind == "number"]
    return {f"q{pupils_q.id}": pupils, f"q{share_q.id}": share}


def test_an_outcomes_survey_is_termly_with_a_link_per_school(hub, survey):
    assert (survey.kind, survey.cycle, survey.asks_profile) == ("outcomes", "termly", False)
    assert db.session.scalar(db.select(db.func.count(SchoolLink.id))) == 2
    assert make_school_links(survey) == 0  # each school keeps its one link


def test_a_school_contact_enters_figures_and_out_of_range_ones_are_refused(app, survey):
    contact = app.test_client()
    response = contact.get(_link(survey, "Hill Primary"))
    assert response.headers["Location"] == f"/s/{survey.code}/1"
    bad = contact.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "130"))
    assert bad.status_code == 422
    assert "Enter a number from 0 to 100%" in bad.text
    good = contact.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "76.5"))
    assert good.headers["Location"] == f"/s/{survey.code}/done"
    assert "The figures for Hill Primary are saved" in contact.get(good.headers["Location"]).text
    stored = db.session.scalar(db.select(Response))
    assert (stored.status, stored.school.name) == ("submitted", "Hill Primary")
    assert sorted(a.number for a in stored.answers) == [30, 76.5]


def test_a_school_corrects_its_figure_while_the_wave_is_open(app, survey):
    contact = app.test_client()
    contact.get(_link(survey, "Hill Primary"))
    contact.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "70"))
    again = app.test_client()  # another day, another browser: the same link
    again.get(_link(survey, "Hill Primary"))
    assert 'value="70"' in again.get(f"/s/{survey.code}/1").text
    again.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "72"))
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert 72 in db.session.scalars(db.select(Answer.number)).all()


def test_each_wave_has_its_own_figures(app, survey, hub):
    contact = app.test_client()
    contact.get(_link(survey, "Hill Primary"))
    contact.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "70"))
    open_next_wave(survey)
    contact = app.test_client()
    contact.get(_link(survey, "Hill Primary"))
    contact.post(f"/s/{survey.code}/1", data=_figures(survey, "31", "81"))
    waves = [r.wave.number for r in db.session.scalars(db.select(Response).order_by(Response.id))]
    assert waves == [1, 2]
    lead = app.test_client()
    sign_in(lead, make_user(hubs=[hub]))
    page = lead.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    rows = re.findall(r'data-label="Wave">([^<]+)<', page)
    assert len(rows) == 2 and rows[0] != rows[1]
    assert ">81<" in page and ">70<" in page


def test_an_unknown_school_link_is_not_found(app, survey):
    assert app.test_client().get(f"/s/{survey.code}/school/not-a-token").status_code == 404


def test_the_general_link_sends_schools_to_their_own(app, survey):
    response = app.test_client().get(f"/s/{survey.code}")
    assert response.status_code == 403
    assert "Use your school's own link" in response.text
    assert app.test_client().post(f"/s/{survey.code}/1", data={}).status_code == 403


def test_a_school_cannot_relabel_or_add_responses_outside_its_link(app, survey):
    contact = app.test_client()
    contact.get(_link(survey, "Hill Primary"))
    contact.post(f"/s/{survey.code}/1", data=_figures(survey, "30", "70"))
    assert (
        contact.post(f"/s/{survey.code}/about-you", data={"school": "Moor Primary"}).status_code
        == 404
    )
    assert contact.post(f"/s/{survey.code}").status_code == 403  # "start again" makes nothing
    responses = db.session.scalars(db.select(Response)).all()
    assert [r.school.name for r in responses] == ["Hill Primary"]
