"""A hub lead on a 320 px phone makes a work group from the hub page, adds a session to it,
takes that session's register, logs follow-up with a school, and opens the CPD hours: no
sideways scroll, and nothing axe-core calls serious or critical, on any page."""

from datetime import timedelta

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_school, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.activities.participation import england_clock
from hubsurvey.extensions import db
from hubsurvey.models import Activity, FollowUp, Series
from hubsurvey.school_years import school_year

TITLE = "Early reading work group for Year 1 and Year 2 teachers across the partnership"
HILL = "Hillside Church of England Voluntary Controlled Primary School and Nursery"


def _fits(page) -> None:
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_runs_a_work_group_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, HILL, urn="107950", status="active")
        make_school(hub, "Beckside Primary School", status="mou-signed")
        make_user(email="lead@english.example", hubs=[hub])
    # The session was held yesterday, or at midnight on 1 September: in this school year.
    today = england_clock().date()
    held_on, at = today - timedelta(days=1), "16:00"
    if school_year(held_on) != school_year(today):
        held_on, at = today, "00:00"

    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Activities and feedback").click()
    page.get_by_role("heading", name="This school year").wait_for()
    _fits(page)

    # A new series, from the activities' Series page.
    page.get_by_role("link", name="Series", exact=True).click()
    page.get_by_role("heading", name="Series").wait_for()
    _fits(page)
    page.get_by_role("link", name="New series").click()
    page.get_by_role("button", name="Save series").click()  # sent empty: the message shows
    page.get_by_role("link", name="Enter a title").wait_for()
    _fits(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind of series").select_option(label="Work group")
    page.get_by_label("Description (optional)").fill("Six sessions, with visits between them.")
    page.get_by_label("Systematic synthetic phonics").check()
    page.get_by_label(HILL).check()
    page.get_by_label("Beckside Primary School").check()
    page.get_by_role("button", name="Save series").click()
    page.get_by_text(f"Saved {TITLE}.").wait_for()
    _fits(page)

    # A session in it: the series, its need area and schools are already chosen.
    page.get_by_role("link", name="Add a session to this series").click()
    page.get_by_role("heading", name="Record an activity").wait_for()
    assert page.get_by_label("Part of a series (optional)").input_value() != "0"
    assert page.get_by_label("Systematic synthetic phonics").is_checked()
    assert page.get_by_label(HILL).is_checked()
    _fits(page)
    page.get_by_label("Title").fill("Session 1: blending for reading")
    page.get_by_label("Date").fill(held_on.isoformat())
    page.get_by_label("Start time").fill(at)
    page.get_by_label("Hours of CPD (optional)").fill("1.5")
    page.get_by_role("button", name="Save activity").click()
    page.get_by_text("Saved Session 1: blending for reading.").wait_for()
    assert page.get_by_text("Part of a series").is_visible()
    _fits(page)

    # Its register: one teacher from Hillside.
    page.get_by_role("link", name="Take the register").click()
    page.get_by_label("Name").fill("Ann Smith")
    page.get_by_label("School").select_option(label=HILL)
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_text("Added Ann Smith").wait_for()
    page.get_by_role("link", name="Back to the activity").click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("heading", name="Sessions").wait_for()
    assert "Session 1: blending for reading" in page.locator("#series-sessions").inner_text()
    _fits(page)

    # Follow-up with a school between sessions.
    page.get_by_role("link", name="Log follow-up").click()
    page.get_by_role("heading", name="Log follow-up").wait_for()
    _fits(page)
    page.get_by_label("School").select_option(label=HILL)
    page.get_by_label("Hours (optional)").fill("1")
    page.get_by_label("Notes (optional)").fill("Visited two Year 1 classes; agreed a gap task.")
    page.get_by_role("button", name="Log follow-up").click()
    page.get_by_text(f"Logged follow-up with {HILL}").wait_for()
    listed = page.locator("#follow-up-list").inner_text()
    assert HILL in listed and "agreed a gap task" in listed
    totals = page.locator("#series-totals").inner_text()
    assert "1.5" in totals and "1 visit or call: 1 hour" in totals
    _fits(page)

    # The CPD hours, from the activities page.
    page.get_by_role("link", name="Back to series").click()
    page.get_by_role("link", name="Back to activities").click()
    page.get_by_role("link", name="CPD hours").click()
    page.get_by_role("heading", name="Per teacher").wait_for()
    assert "Ann Smith" in page.locator("#hours-by-teacher").inner_text()
    by_school = page.locator("#hours-by-school").inner_text()
    assert HILL in by_school and "2.5" in by_school  # 1.5 at the session, 1 of follow-up
    _fits(page)

    with live_app.app_context():
        series = db.session.scalar(db.select(Series))
        session = db.session.scalar(db.select(Activity))
        assert session.series_id == series.id and session.survey_id == series.survey_id
        follow_up = db.session.scalar(db.select(FollowUp))
        assert (follow_up.school.name, follow_up.hours) == (HILL, 1.0)
