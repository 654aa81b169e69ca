"""A hub lead on a phone: sign in, add a partner school, see it listed."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_user


def test_hub_lead_signs_in_and_adds_a_partner_school_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds Teaching School Hub")
        make_user(email="lead@leeds.example", hubs=[hub])
        slug = hub.slug

    phone.goto(f"{live_server}/")
    phone.get_by_label("Email address").fill("lead@leeds.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds Teaching School Hub").click()
    assert phone.url == f"{live_server}/hubs/{slug}/"

    phone.get_by_role("link", name="Add a school").click()
    phone.get_by_label("School name").fill("Hillside Primary School")
    phone.get_by_label("URN (optional)").fill("12345")
    phone.get_by_label("Phase").select_option("primary")
    phone.get_by_label("Local authority (optional)").fill("Leeds")
    phone.get_by_label("Memorandum of understanding signed").check()
    phone.get_by_role("button", name="Add school").click()

    # A five-digit URN is refused with a message by the field and in the summary.
    phone.get_by_role("alert").get_by_text("URN must be 6 digits").wait_for()
    phone.get_by_label("URN (optional)").fill("123456")
    phone.get_by_role("button", name="Add school").click()

    phone.get_by_text("Added Hillside Primary School.").wait_for()
    row = phone.get_by_role("row").filter(has_text="Hillside Primary School")
    row.get_by_text("Memorandum of understanding signed").wait_for()
    row.get_by_text("123456").wait_for()
    # Nothing is wider than the phone's screen.
    assert page_width(phone) <= 320
