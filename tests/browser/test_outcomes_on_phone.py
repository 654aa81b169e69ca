"""A hub lead makes an outcomes survey from the New survey page, on a phone, and a school enters
its figures through its own link."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_school, make_user

CURLY = "\u2019"  # the apostrophe the register of schools uses


def _scroll_width(page) -> int:
    return page_width(page)


def test_hub_lead_creates_an_outcomes_survey_and_a_school_sends_its_figures(
    live_app, live_server, phone, browser
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, f"St Mary{CURLY}s Church of England Primary School", urn="100001")
        make_user(email="lead@english.example", hubs=[hub])
    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("An outcomes survey").check()
    page.get_by_role("button", name="Create survey").click()
    page.get_by_text("Pupils in the year group").first.wait_for()
    assert _scroll_width(page) <= 320

    page.get_by_role("link", name="Back to the survey").click()
    page.get_by_role("button", name="Open the survey").click()
    page.get_by_text("The survey is open").wait_for()
    page.get_by_role("button", name="Make links for schools without one").click()
    page.get_by_text("Copy every link at once").click()
    copied = page.get_by_label("One line per school").input_value()
    link = page.locator("#school-links ~ table td[data-label='Link']").first.inner_text().strip()
    assert copied == f"St Mary{CURLY}s Church of England Primary School: {link}\n"
    assert link.startswith(live_server)
    assert _scroll_width(page) <= 320

    # The school's contact, in their own browser, enters this term's figures.
    contact = browser.new_context(viewport={"width": 320, "height": 568}).new_page()
    contact.goto(link)
    contact.get_by_label("Pupils in the year group").fill("58")
    contact.get_by_label("Share of those pupils").fill("81.5")
    contact.get_by_role("button", name="Send").click()
    contact.get_by_text(f"The figures for St Mary{CURLY}s").wait_for()
    contact.context.close()

    page.reload()
    by_school = page.locator("h3:has-text('by school') + table").last
    assert f"St Mary{CURLY}s" in by_school.inner_text() and "81.5%" in by_school.inner_text()
    assert "58" in page.locator("#hub-figures + table").inner_text()
    assert _scroll_width(page) <= 320
