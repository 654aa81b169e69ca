"""Outcomes: each partner school enters, and can correct, its pupil figures each wave."""

import csv
import io
import re

import pytest
from factories import make_hub, make_school, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response, SchoolLink
from hubsurvey.surveys.outcomes import change, figure
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
    assert ">81%<" in page and ">70%<" in page


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


def _send(app, survey, school, pupils, share):
    contact = app.test_client()
    contact.get(_link(survey, school))
    sent = contact.post(f"/s/{survey.code}/1", data=_figures(survey, pupils, share))
    assert sent.status_code == 303, sent.text


def _lead_page(app, hub, survey) -> str:
    lead = app.test_client()
    sign_in(lead, make_user(hubs=[hub]))
    return lead.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text


def test_the_hub_figure_per_wave_weighs_schools_by_pupils_and_each_school_has_its_trend(
    app, survey, hub
):
    make_school(hub, "Oak Primary")
    make_school_links(survey)
    first = survey.current_wave.label
    _send(app, survey, "Hill Primary", "30", "70")
    _send(app, survey, "Moor Primary", "10", "50")
    second = open_next_wave(survey).label
    _send(app, survey, "Hill Primary", "30", "80")
    _send(app, survey, "Moor Primary", "10", "90")
    _send(app, survey, "Oak Primary", "60", "60")
    page = _lead_page(app, hub, survey)

    # (30 * 70 + 10 * 50) / 40 = 65; (30 * 80 + 10 * 90 + 60 * 60) / 100 = 69.
    share = survey.questions[1].prompt
    assert f"{share}: <strong>65% → 69%</strong>" in page
    hub_table = page.split('id="hub-figures"')[1].split("</table>")[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", hub_table, re.S)
    cells = [re.findall(r">([^<>]+)</td>", row) for row in rows[1:]]
    assert cells == [[first, "2", "40", "65%"], [second, "3", "100", "69%"]]
    by_school = page.split(f"{share}, by school")[1].split("</table>")[0]
    assert re.findall(r">([^<>]+)</td>", by_school) == [
        "Hill Primary", "70%", "80%", "+10 points",
        "Moor Primary", "50%", "90%", "+40 points",
        "Oak Primary", "\u2013", "60%", "\u2013",
    ]  # fmt: skip


def test_figures_are_written_the_same_way_everywhere(app, survey):
    pupils, share = [q for q in survey.questions if q.kind == "number"]
    assert (figure(1204, pupils), figure(76.5, share), figure(82.0, share)) == (
        "1,204",
        "76.5%",
        "82%",
    )
    assert change(70, 66.5, share) == "\u22123.5 points"
    assert (change(30, 42, pupils), change(5, 5, pupils)) == ("+12", "no change")


def test_the_schools_own_form_names_the_school_and_the_term(app, survey):
    contact = app.test_client()
    contact.get(_link(survey, "Hill Primary"))
    page = contact.get(f"/s/{survey.code}/1").text
    assert f"Hill Primary: figures for {survey.current_wave.label}" in page


def test_every_schools_link_is_copied_in_one_go_or_downloaded_for_a_mail_merge(app, survey, hub):
    hostile = '=HYPERLINK("http://x")\nSt Anne\'s; Primary'
    make_school(hub, hostile)
    make_school_links(survey)
    lead = app.test_client()
    sign_in(lead, make_user(hubs=[hub]))
    page = lead.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    links = {
        link.school.name: f"http://localhost/s/{survey.code}/school/{link.token}"
        for link in db.session.scalars(db.select(SchoolLink))
    }
    copied = page.split('id="all-school-links"')[1].split("</textarea>")[0]
    for link in links.values():
        assert link in copied

    download = lead.get(f"/hubs/{hub.slug}/surveys/{survey.id}/school-links.csv")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["school", "school_urn", "link"]
    assert len(rows) == 4  # one row per school, line break or not
    written = {row[0]: row[2] for row in rows[1:]}
    assert written["'" + hostile] == links[hostile]  # text, never a formula
    assert written["Hill Primary"] == links["Hill Primary"]


def test_another_hubs_staff_cannot_download_the_links(app, survey, hub):
    other = make_hub("York Maths Hub", "maths-hub")
    lead = app.test_client()
    sign_in(lead, make_user("york@hub.example", hubs=[other]))
    assert lead.get(f"/hubs/{other.slug}/surveys/{survey.id}/school-links.csv").status_code == 404
    assert lead.get(f"/hubs/{hub.slug}/surveys/{survey.id}/school-links.csv").status_code in (
        403,
        404,
    )
