"""A hub lead on a phone adds a school's headteacher and main contact; then the head, on their
own phone, opens the page the link in the hub's messages leads to, and stops the hub's email."""

from urllib.parse import urlsplit

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_school, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.contacts.links import contact_url
from hubsurvey.extensions import db
from hubsurvey.models import Contact


def _fits(page) -> None:
    """No sideways scroll at 320 px, and nothing axe-core calls serious or critical."""
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_adds_a_schools_contacts_and_the_head_stops_the_hubs_email(
    browser, live_app, live_server, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub", contact_email="hub@leeds.example")
        school = make_school(hub, "Hillside Primary School", urn="107950")
        make_user(email="lead@english.example", hubs=[hub])
        school_id = school.id

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@english.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Hillside Primary School").click()
    phone.get_by_role("heading", name="Contacts").wait_for()
    _fits(phone)

    phone.locator("#contact-head").get_by_role("link", name="Add the headteacher").click()
    phone.get_by_role("heading", name="Add the headteacher").wait_for()
    _fits(phone)
    assert phone.get_by_label("Role (optional)").input_value() == "Headteacher"
    phone.get_by_label("Full name").fill("Mrs Jane Smith")
    phone.get_by_label("Email address (optional)").fill("head@hillside.sch.uk")
    phone.get_by_label("Phone number (optional)").fill("0113 496 0000")
    phone.get_by_role("button", name="Save headteacher").click()
    phone.get_by_text("Saved the headteacher of Hillside Primary School.").wait_for()

    phone.locator("#contact-main").get_by_role("link", name="Add the main contact").click()
    phone.get_by_label("Full name").fill("Raj Patel")
    phone.get_by_label("Role (optional)").fill("CPD lead")
    phone.get_by_label("Email address (optional)").fill("not an address")
    phone.get_by_role("button", name="Save main contact for the hub").click()
    phone.get_by_role("link", name="Enter an email address like name@school.org.uk").wait_for()
    _fits(phone)
    phone.get_by_label("Email address (optional)").fill("cpd@hillside.sch.uk")
    phone.get_by_role("button", name="Save main contact for the hub").click()
    phone.get_by_text("Saved the main contact for the hub of Hillside Primary School.").wait_for()

    head = phone.locator("#contact-head")
    assert "Mrs Jane Smith" in head.inner_text()
    assert head.get_by_role("link", name="head@hillside.sch.uk").get_attribute("href") == (
        "mailto:head@hillside.sch.uk"
    )
    assert head.get_by_role("link", name="0113 496 0000").get_attribute("href") == (
        "tel:01134960000"
    )
    main = phone.locator("#contact-main")
    assert "Raj Patel" in main.inner_text() and "CPD lead" in main.inner_text()
    assert phone.get_by_role("heading", name="Why we hold these details").is_visible()
    _fits(phone)

    # The link in the hub's messages, as the outbox builds it.
    with live_app.test_request_context(base_url=live_server):
        contact = db.session.scalar(
            db.select(Contact).where(Contact.school_id == school_id, Contact.kind == "head")
        )
        url = contact_url(contact)
    assert urlsplit(url).netloc == urlsplit(live_server).netloc

    # The head's own phone: no cookies, nobody signed in.
    theirs = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = theirs.new_page()
        assert page.goto(url).status == 200
        page.get_by_role("heading", name="Your details held by Leeds English Hub").wait_for()
        held = page.locator(".govuk-summary-list").inner_text()
        for value in ("Mrs Jane Smith", "Headteacher", "head@hillside.sch.uk", "0113 496 0000"):
            assert value in held
        assert page.get_by_role("link", name="hub@leeds.example").is_visible()
        assert page.get_by_role("button", name="Sign out").count() == 0
        _fits(page)

        page.get_by_role("button", name="Stop emails from Leeds English Hub").click()
        page.get_by_text("You will get no more email from Leeds English Hub.").wait_for()
        assert page.get_by_text("You stopped emails from Leeds English Hub on").is_visible()
        assert page.get_by_role("button", name="Email me again").is_visible()
        _fits(page)
    finally:
        theirs.close()

    phone.reload()
    assert "They stopped the hub's email on" in phone.locator("#contact-head").inner_text()
    assert (
        "Invitations and reminders are sent to them" in phone.locator("#contact-main").inner_text()
    )
