"""A hub lead takes an activity's register on a 320 px phone at the door: opens the activity
from the hub's activities, opens its register, adds two people, and sees the totals."""

from datetime import datetime

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_school, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Attendance

TITLE = "Phonics in reception: blending and segmenting with the whole class"


def _fits(page) -> None:
    """No sideways scroll at 320 px, and nothing axe-core calls serious or critical."""
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_takes_the_register_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hillside Primary School", urn="107950", status="active")
        make_school(hub, "Beckside Church of England Primary School", status="mou-signed")
        make_user(email="lead@english.example", hubs=[hub])
        save_activity(
            hub,
            None,
            [],
            [],
            title=TITLE,
            kind="training",
            starts_at=datetime(2027, 1, 12, 16, 0),
            ends_at=datetime(2027, 1, 12, 17, 30),
            hours=1.5,
        )

    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Activities and feedback").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name="Register").wait_for()
    _fits(page)

    page.get_by_role("link", name="Take the register").click()
    page.get_by_role("heading", name="Add a person").wait_for()
    _fits(page)

    # Sent without a name: the message points at the field, and the page still fits.
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_role("link", name="Enter the person's name").wait_for()
    _fits(page)

    page.get_by_label("Name").fill("Ann Smith")
    page.get_by_label("Email address (optional)").fill("ann.smith@hillside.sch.uk")
    page.get_by_label("School").select_option(label="Hillside Primary School")
    page.get_by_label("Role (optional)").select_option(label="Early career teacher")
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_text("Added Ann Smith").wait_for()
    # Ready for the next person at the door.
    assert page.get_by_label("Name").input_value() == ""
    assert page.get_by_label("School").input_value() == ""
    _fits(page)

    page.get_by_label("Name").fill("Bo Jones")
    page.get_by_label("School").select_option(label="Another school, or none")
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_text("Added Bo Jones").wait_for()
    assert page.get_by_text("2 people from 1 school: 3 hours of CPD.").is_visible()
    listed = page.locator("#register-list").inner_text()
    assert "Ann Smith" in listed and "Hillside Primary School" in listed
    assert "Bo Jones" in listed and "Another school" in listed
    # The buttons are big enough to tap: GOV.UK's full-width buttons on a phone.
    button = page.get_by_role("button", name="Add to the register").bounding_box()
    assert button["height"] >= 44 and button["width"] >= PHONE["width"] - 40
    _fits(page)

    page.get_by_role("link", name="Back to the activity").click()
    totals = page.locator("#register-totals").inner_text()
    assert "People\n2" in totals and "Schools\n1" in totals and "3 (1.5 each)" in totals
    _fits(page)

    with live_app.app_context():
        people = db.session.scalars(db.select(Attendance).order_by(Attendance.id)).all()
        assert [(p.name, p.email, p.role) for p in people] == [
            ("Ann Smith", "ann.smith@hillside.sch.uk", "ect"),
            ("Bo Jones", "", None),
        ]
