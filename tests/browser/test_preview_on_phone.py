"""A hub lead previews a new needs assessment on a phone: the "About you" screen respondents
answer first is there, before the first section, and fits the screen."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_school, make_user


def test_the_preview_shows_about_you_before_the_first_section_on_a_phone(
    live_app, live_server, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary", urn="100001")
        make_user(email="lead@leeds.example", hubs=[hub])
    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@leeds.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("From the english hub template").check()
    page.get_by_role("button", name="Create survey").click()
    page.get_by_role("link", name="Back to the survey").click()

    page.get_by_role("link", name="Preview").click()
    about = page.locator(".app-preview-screen").first
    about.get_by_role("heading", name="About you").wait_for()
    assert about.is_visible()
    # The questions a respondent answers there, as they see them.
    about.get_by_label("Your school").wait_for()
    about.get_by_role("group", name="Your school's phase").get_by_label("Primary").wait_for()
    about.get_by_role("group", name="Your role").wait_for()
    about.get_by_label("The subject you teach most").wait_for()
    assert about.locator("#partner-schools option").first.get_attribute("value") == (
        "Hill Primary (URN 100001)"
    )
    # Before the first section's screen.
    first_section = page.locator(".app-preview-screen").nth(1)
    assert "Your confidence" in first_section.inner_text()
    about_top = about.bounding_box()["y"]
    assert about_top < first_section.bounding_box()["y"]
    # Nothing is wider than the phone's screen.
    assert page_width(page) <= 320
