"""Teachers answering on a phone: with htmx, after closing the page, and with JavaScript off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import PHONE, page_width
from factories import make_hub, make_school, make_survey

from hubsurvey.extensions import db
from hubsurvey.models import Response

AXE = Axe()


@pytest.fixture
def survey_url(live_app, live_server):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary School", urn="100001")
        code = make_survey(hub).code
    return f"{live_server}/s/{code}"


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical problems on the page as it is now."""
    results = AXE.run(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == [], f"{page.url}: {problems}"


def fill_profile(page) -> None:
    page.get_by_label("Your school").fill("Hill Primary School (URN 100001)")
    page.get_by_role("group", name="Your school's phase").get_by_label("Primary").check()
    page.get_by_label("Teacher", exact=True).check()
    page.get_by_label("Early career, year 1").check()
    page.get_by_label("The subject you teach most").select_option("all-primary")
    page.get_by_role("button", name="Save and continue").click()


def fill_grid(page) -> None:
    for area, level in (
        ("Early language", "2"),
        ("Systematic synthetic phonics", "4"),
        ("Reading for pleasure", "5"),
    ):
        group = page.get_by_role("group", name=area)
        group.get_by_label(f"Confidence {level}").check()
    page.get_by_label("A priority for me: Early language").check()
    page.get_by_role("button", name="Save and continue").click()


def fill_teaching(page) -> None:
    page.get_by_label("3-5").check()
    page.get_by_label("Online").check()
    page.get_by_label("4: High").check()
    page.get_by_label("Pupils in your class?").fill("28")
    page.get_by_label("What would help?").fill("More time to plan together")
    page.get_by_role("button", name="Save and continue").click()


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_a_teacher_completes_a_needs_assessment_on_a_phone(phone, survey_url, live_app):
    phone.goto(survey_url)
    assert heading(phone) == "Training needs"
    assert_accessible(phone)
    phone.get_by_role("button", name="Start now").click()

    phone.get_by_role("heading", name="About you").wait_for()
    assert_accessible(phone)
    fill_profile(phone)

    phone.get_by_role("heading", name="Confidence").wait_for()
    assert phone.url == f"{survey_url}/1"  # htmx keeps the address bar right
    assert_accessible(phone)
    phone.get_by_role("button", name="Save and continue").click()  # nothing chosen yet
    summary = phone.get_by_role("alert")
    summary.get_by_text("Choose how confident you feel about early language").wait_for()
    assert_accessible(phone)
    fill_grid(phone)

    phone.get_by_role("heading", name="Your teaching").wait_for()
    assert_accessible(phone)
    fill_teaching(phone)

    phone.get_by_role("heading", name="Check your answers").wait_for()
    assert_accessible(phone)
    phone.get_by_text("Early language: confidence 2 of 5, a priority").wait_for()
    phone.get_by_role("button", name="Send my answers").click()

    phone.get_by_role("heading", name="Answers sent").wait_for()
    assert_accessible(phone)
    assert page_width(phone) <= PHONE["width"]
    with live_app.app_context():
        response = db.session.scalar(db.select(Response))
        assert response.status == "submitted"
        assert response.school.name == "Hill Primary School"


def test_a_teacher_closes_the_page_half_way_and_carries_on(browser, survey_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(survey_url)
    page.get_by_role("button", name="Start now").click()
    fill_profile(page)
    page.get_by_role("heading", name="Confidence").wait_for()
    fill_grid(page)
    page.get_by_role("heading", name="Your teaching").wait_for()
    resume_code = page.locator(".app-code").inner_text()
    page.get_by_label("Pupils in your class?").fill("28")  # typed, never sent
    page.close()

    # Later, on the same phone: the link picks up where the teacher stopped.
    page = context.new_page()
    page.goto(survey_url)
    page.get_by_role("link", name="Continue where you left off").click()
    page.get_by_role("heading", name="Your teaching").wait_for()
    page.get_by_role("link", name="Back").click()
    page.get_by_role("heading", name="Confidence").wait_for()
    assert (
        page.get_by_role("group", name="Early language").get_by_label("Confidence 2").is_checked()
    )
    context.close()

    # On another device, with the resume code.
    laptop = browser.new_context(viewport=PHONE, is_mobile=True)
    page = laptop.new_page()
    page.goto(f"{survey_url}/resume")
    page.get_by_label("Your resume code").fill(resume_code)
    page.get_by_role("button", name="Carry on").click()
    page.get_by_role("heading", name="Your teaching").wait_for()
    fill_teaching(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Answers sent").wait_for()
    laptop.close()


def test_the_whole_survey_works_with_javascript_off(browser, survey_url, live_app):
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(survey_url)
    page.get_by_role("button", name="Start now").click()
    fill_profile(page)
    page.get_by_role("button", name="Save and continue").click()  # a plain post with errors
    page.get_by_text("There is a problem").wait_for()
    fill_grid(page)
    fill_teaching(page)
    page.get_by_role("heading", name="Check your answers").wait_for()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Answers sent").wait_for()
    context.close()
    with live_app.app_context():
        assert db.session.scalar(db.select(Response.status)) == "submitted"


def test_the_first_page_is_light_and_from_this_server_only(browser, survey_url, live_server):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(survey_url, wait_until="networkidle")
    transferred = sum(
        r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests
    )
    assert all(r.url.startswith(live_server) for r in requests), [r.url for r in requests]
    assert transferred < 60 * 1024, f"{transferred} bytes"
    context.close()
