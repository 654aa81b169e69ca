"""On a phone: feedback from an activity's link, the lead reading it, a participant code, and
outcome figures."""

from datetime import datetime

import pytest
from conftest import PHONE, settled
from factories import PASSWORD, make_hub, make_school, make_survey, make_user
from test_staff_pages_fit import CHECK as FITS
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
    # One tap sends the first screen: a click, since htmx replaces the radio it taps.
    phone.get_by_label("4: Very useful").click()
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


def _give_feedback(browser, base: str, code: str, rating: str, comment: str) -> None:
    """One participant, on their own phone, through the activity's link."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/s/{code}")
    page.get_by_label(rating).click()  # htmx replaces the screen, radio and all
    page.get_by_role("heading", name="Tell us a little more").wait_for()
    page.get_by_label("What will you try as a result?").fill(comment)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Answers sent").wait_for()
    context.close()


def test_a_lead_reads_ratings_as_bars_and_comments_by_activity_on_a_phone(
    live_app, live_server, hub, browser, phone
):
    with live_app.app_context():
        hub_row = db.session.get(Hub, hub)
        hub_row.smallest_group = 2
        make_user(email="lead@leeds.example", hubs=[hub_row])
        early, phonics = hub_row.hub_type.need_areas[:2]
        codes = {
            title: save_activity(
                hub_row, None, areas, [], title=title, kind="training", starts_at=when
            ).code
            for title, areas, when in (
                ("Phonics in reception", [phonics], datetime(2027, 1, 12, 16)),
                ("Talk in the early years", [early], datetime(2027, 1, 19, 16)),
            )
        }
    phonics_code, talk_code = codes["Phonics in reception"], codes["Talk in the early years"]
    _give_feedback(browser, live_server, phonics_code, "4: Very useful", "Sound walls")
    _give_feedback(browser, live_server, phonics_code, "5: Extremely useful", "Daily review")
    _give_feedback(browser, live_server, talk_code, "2: A little useful", "Story <b>time</b>")

    phone.goto(f"{live_server}/")
    phone.get_by_label("Email address").fill("lead@leeds.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Feedback", exact=True).click()
    phone.get_by_role("heading", name="Feedback", level=1).wait_for()
    settled(phone)  # measured with its stylesheets: a table stacks on a phone only then
    assert phone.evaluate(FITS, 320) == []
    assert_accessible(phone)

    # Phonics in reception: one 4 and one 5, drawn as two bars with their counts written.
    by_activity = phone.get_by_role("table", name="By activity")
    row = by_activity.get_by_role("row").filter(has_text="Phonics in reception")
    assert row.locator(".app-spread__count").all_text_contents() == [
        "Rated 1: 0", "Rated 2: 0", "Rated 3: 0", "Rated 4: 1", "Rated 5: 1"
    ]  # fmt: skip
    assert row.locator(".app-spread__count").nth(3).inner_text().endswith("1")  # seen
    heights = row.locator(".app-spread__bar").evaluate_all(
        "bars => bars.map(bar => bar.getBoundingClientRect().height)"
    )
    assert heights[:3] == [0, 0, 0] and heights[3] == heights[4] > 10
    columns = row.locator(".app-spread__column")
    assert columns.count() == 5 and all(columns.nth(i).is_visible() for i in range(5))
    # The talk's single anonymous rating is not shown, nor its need area's or wave's total.
    talk = by_activity.get_by_role("row").filter(has_text="Talk in the early years")
    assert "Not shown: fewer than 2 ratings" in talk.inner_text()
    assert "Rated 2: 1" not in phone.locator(".app-spread__count").all_text_contents()
    assert phone.get_by_text("Not shown: fewer than 2 ratings").count() == 3  # activity, area, wave

    # What people wrote, under a heading per activity and wave; the words as typed.
    groups = phone.locator(".app-comment-group")
    assert groups.count() == 2
    assert groups.nth(0).get_by_role("heading").inner_text().startswith("Talk in the early years")
    assert groups.nth(0).get_by_text("Story <b>time</b>").is_visible()
    assert groups.nth(1).get_by_text("Daily review").is_visible()
    counts = phone.get_by_role("list", name="Comments per need area").inner_text()
    assert "Early language: 1 comment" in counts and "Reading for pleasure: 0 comments" in counts

    settled(phone)  # htmx listening, before the change it applies
    phone.get_by_label("Activity").select_option(label="Phonics in reception")
    phone.get_by_text("Story <b>time</b>").wait_for(state="detached")  # htmx, in place
    assert groups.count() == 1 and "Sound walls" in groups.nth(0).inner_text()
    assert "activity=" in phone.url
    # Printed now, the title block names the activity chosen.
    printed = phone.locator(".app-print-title").text_content()
    assert "What people wrote: only about “Phonics in reception”" in printed
    settled(phone)
    assert phone.evaluate(FITS, 320) == []
