"""A hub lead on a phone, with no mail server set up, opens the outbox from the hub page, opens
a waiting message, copies it to send from their own email, and marks it as sent."""

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_school, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.extensions import db
from hubsurvey.outbox.services import queue

ADDRESS = "anneliese.featherstonehaugh-montgomery@queen-elizabeths-grammar.example.sch.uk"
SUBJECT = (
    "Training needs survey 2026 for Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch "
    "Community Primary School: please share it with every teacher"
)
BODY = (
    "Dear Dr Featherstonehaugh-Montgomery,\n\n"
    "Please share this link with your teachers, by Friday 13 March:\n"
    "http://127.0.0.1/s/ABCD1234EFGH5678IJKL9012MNOP3456QRST7890/with-a-very-long-path\n\n"
    "Thank you, and best wishes,\nNorth Hub"
)


def _fits(page) -> None:
    """No sideways scroll at 320 px, and nothing axe-core calls serious or critical."""
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_copies_a_waiting_message_and_marks_it_sent(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("North Hub")
        make_user(email="lead@north.example", hubs=[hub])
        school = make_school(hub, "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch")
        values = {"kind": "invitation", "to_name": "Dr Anneliese Featherstonehaugh-Montgomery"}
        failed = queue(hub, key="failed", to_email=ADDRESS, subject="Reminder", body="Hi", **values)
        failed.state = "failed"
        failed.last_error = f"The mail server refused the address {ADDRESS} (550 No such user)."
        queue(
            hub,
            key="waiting",
            to_email=ADDRESS,
            subject=SUBJECT,
            body=BODY,
            school=school,
            **values,
        )
        db.session.commit()
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@north.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="North Hub").click()
    phone.get_by_role("link", name="Outbox").click()
    phone.get_by_role("heading", name="Outbox", exact=True).wait_for()
    assert phone.get_by_role("heading", name="Sending is off").is_visible()
    assert phone.get_by_text("550 No such user").is_visible()
    _fits(phone)

    phone.get_by_role("link", name=SUBJECT).click()
    phone.get_by_role("heading", name=SUBJECT).wait_for()
    _fits(phone)
    assert phone.get_by_label("Message").input_value() == BODY
    phone.get_by_role("button", name="Copy the message").click()
    phone.get_by_role("button", name="Copied").wait_for()
    assert phone.evaluate("navigator.clipboard.readText()") == BODY
    phone.get_by_role("button", name="Copy the address").click()
    assert phone.evaluate("navigator.clipboard.readText()") == ADDRESS
    # Only the last copied says so.
    assert phone.get_by_role("button", name="Copy the message").is_visible()

    phone.get_by_role("button", name="Mark as sent").click()
    phone.get_by_text("Marked as sent").wait_for()
    assert phone.get_by_role("button", name="Mark as sent").count() == 0
    _fits(phone)
    phone.get_by_role("link", name="Back to the outbox").click()
    phone.get_by_role("link", name="Sent (1)").wait_for()
    _fits(phone)
