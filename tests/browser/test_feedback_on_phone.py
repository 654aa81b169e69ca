"""On a phone: feedback from an activity's link, a participant code, and outcome figures."""

from datetime import datetime

import pytest
from conftest import PHONE
from factories import make_hub, make_school, make_survey
from test_teacher_on_phone import assert_accessible, fill_grid, fill_profile, fill_teaching

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Hub, Response, SchoolLink
from hubsurvey.surveys.services import create_survey, make_school_links, set_status


@pytest.fixture
def hub(live_app):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary School", urn="100001")
        return hub.id


def test_a_participant_gives_feedback_in_two_screens(live_app, live_server, hub, phone):
    with live_app.app_context():
        hub_row = db.session.get(Hub, hub)
        code = save_activity(
            hub_row,
            None,
            hub_row.hub_type.need_areas[:2],
            [],
            title="Phonics in reception",
            kind="training",
            starts_at=datetime(2027, 1, 12, 16, 0),
        ).code

    phone.goto(f"{live_server}/s/{code}")  # what the QR code on the last slide opens
    assert_accessible(phone)
    phone.get_by_label("4: Very useful").check()  # one tap sends the first screen
    phone.get_by_role("heading", name="Tell us a little more").wait_for()
    assert_accessible(phone)
    phone.get_by_label("What will you try as a result?").fill("Sound walls")
    phone.get_by_label("Systematic synthetic phonics").check()
    phone.get_by_role("button", name="Send").click()
    phone.get_by_role("heading", name="Answers sent").wait_for()
    assert_accessible(phone)
    with live_app.app_context():
        response = db.session.scalar(db.select(Response))
        assert response.status == "submitted" and response.activity.code == code


def test_a_participant_code_links_two_surveys(live_app, live_server, hub, browser):
    with live_app.app_context():
        hub_row = db.session.get(Hub, hub)
        first, later = make_survey(hub_row).code, make_survey(hub_row).code

    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/s/{first}")
    page.get_by_role("button", name="Start now").click()
    fill_profile(page)
    page.get_by_role("heading", name="Confidence").wait_for()
    fill_grid(page)
    page.get_by_role("heading", name="Your teaching").wait_for()
    fill_teaching(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("button", name="Get a participant code").click()
    code = page.locator(".app-big-code").inner_text()
    assert_accessible(page)
    context.close()

    context = browser.new_context(viewport=PHONE, is_mobile=True)  # next term, new phone
    page = context.new_page()
    page.goto(f"{live_server}/s/{later}")
    page.get_by_role("button", name="Start now").click()
    fill_profile(page)
    page.get_by_role("heading", name="Confidence").wait_for()
    fill_grid(page)
    page.get_by_role("heading", name="Your teaching").wait_for()
    fill_teaching(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_label("I already have a participant code").fill("ZZZ-ZZZ-ZZZ")
    page.get_by_role("button", name="Link my answers").click()
    page.get_by_text("We do not recognise that code").first.wait_for()
    page.get_by_label("I already have a participant code").fill(code)
    page.get_by_role("button", name="Link my answers").click()
    page.get_by_text("These answers are linked to your participant code").wait_for()
    context.close()
    with live_app.app_context():
        linked = db.session.scalars(db.select(Response.participant_id)).all()
        assert len(linked) == 2 and linked[0] is not None and linked[0] == linked[1]


def test_a_school_contact_enters_outcome_figures(live_app, live_server, hub, phone):
    with live_app.app_context():
        survey = create_survey(db.session.get(Hub, hub), "outcomes")
        set_status(survey, "open")
        make_school_links(survey)
        link = db.session.scalar(db.select(SchoolLink))
        url = f"{live_server}/s/{survey.code}/school/{link.token}"

    phone.goto(url)
    assert_accessible(phone)
    phone.get_by_label("Pupils in the year group").fill("30")
    phone.get_by_label("Share of those pupils").fill("130")
    phone.get_by_role("button", name="Send").click()
    phone.get_by_role("alert").get_by_text("Enter a number from 0 to 100%").wait_for()
    assert_accessible(phone)
    phone.get_by_label("Share of those pupils").fill("76.5")
    phone.get_by_role("button", name="Send").click()
    phone.get_by_text("The figures for Hill Primary School are saved").wait_for()
