"""Suspect responses on a phone: the honeypot stays out of a teacher's way, and a hub lead
reviews and leaves out a response on a 320 px screen."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_survey, make_user
from test_review import _response
from test_teacher_on_phone import assert_accessible


def test_the_honeypot_is_neither_seen_nor_reached_with_the_keyboard(live_app, live_server, phone):
    with live_app.app_context():
        code = make_survey(make_hub("Leeds English Hub", "english-hub")).code
    phone.goto(f"{live_server}/s/{code}")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_role("heading", name="About you").wait_for()
    trap = phone.locator("#website")
    box = trap.bounding_box()
    assert box["x"] + box["width"] <= 0  # off the screen
    phone.get_by_label("The subject you teach most").focus()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") != "website"
    assert page_width(phone) <= 320
    assert_accessible(phone)


def test_hub_lead_leaves_out_a_suspect_response_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_user(email="lead@leeds.example", hubs=[hub])
        survey = make_survey(hub, anonymous=False)
        _response(survey, flags="duplicate", respondent_name="Alexandra Montgomery-Smythe")
        _response(survey, flags="too-fast,duplicate")
        survey_url = f"{live_server}/hubs/{hub.slug}/surveys/{survey.id}/"

    phone.goto(f"{live_server}/")
    phone.get_by_label("Email address").fill("lead@leeds.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(survey_url)
    phone.get_by_role("link", name="Review suspect responses (2)").click()
    phone.get_by_role("heading", name="To review (2)").wait_for()
    assert page_width(phone) <= 320
    assert_accessible(phone)

    phone.get_by_role("button", name="Leave out response 1").click()
    phone.get_by_role("alert").get_by_text("Say briefly why, for the audit log").wait_for()
    phone.locator("#reason-1").fill("Sent 40 times in two minutes")
    phone.get_by_role("button", name="Leave out response 1").click()
    phone.get_by_text("Response 1 is left out of summaries and exports").wait_for()
    phone.get_by_role("heading", name="Left out of summaries and exports (1)").wait_for()
    phone.get_by_text("Sent 40 times in two minutes").wait_for()
    assert page_width(phone) <= 320
