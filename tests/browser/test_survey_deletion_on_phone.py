"""A hub lead deletes a closed survey from its page, on a phone."""

from conftest import page_width, settled
from factories import PASSWORD, make_hub, make_response, make_survey, make_user

from hubsurvey.extensions import db

TITLE = "Autumn needs for reception teachers across the whole hub network"


def test_hub_lead_deletes_a_closed_survey_after_reading_what_goes(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        survey = make_survey(hub, status="closed")
        survey.title = TITLE
        make_response(survey, status="submitted")
        db.session.commit()
        make_user(email="lead@english.example", hubs=[hub])
    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("link", name="Delete this survey").click()
    page.get_by_text("the 1 response given to it").wait_for()
    assert page_width(page) <= 320

    page.get_by_role("button", name="Delete the survey").click()
    page.get_by_text("Tick the box to confirm").first.wait_for()
    settled(page)  # the page sent back with its error, whole, before ticking
    page.get_by_label("Yes, delete the survey and all its responses for good").check()
    page.get_by_role("button", name="Delete the survey").click()
    page.get_by_text("Deleted “Autumn needs").wait_for()
    assert "and its 1 response." in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("link", name=TITLE, exact=True).count() == 0
    assert page_width(page) <= 320
