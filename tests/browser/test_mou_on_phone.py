"""A hub lead sends the memorandum of understanding from a school's page; the head opens the
link from the message on a 320 px phone, reads it, signs it and prints the signed copy; the
lead then sees "MoU signed" on the school's page."""

import re

from conftest import PHONE, page_width, settled
from factories import PASSWORD, make_hub, make_school, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.models import Message, Partnership, Signature
from hubsurvey.mou.services import save_mou
from hubsurvey.mou.texts import starting_text
from hubsurvey.school_years import signing_year, year_words

SCHOOL = "Hill Primary School"


def test_a_head_signs_the_memorandum_on_a_phone_and_the_lead_sees_it_signed(
    live_app, live_server, phone, browser
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        school = make_school(hub, SCHOOL, urn="100001")
        save_contact(
            school,
            "head",
            ContactDetails(name="Jane Smith", role="Headteacher", email="jane.smith@hill.example"),
        )
        words = starting_text(hub)
        save_mou(hub, words.hub_offers, words.school_commits, None, None)
        make_user(email="lead@hub.example", hubs=[hub])
        hub_id, school_id = hub.id, school.id
    year = year_words(signing_year())

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@hub.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name=SCHOOL).click()
    phone.get_by_role("heading", name="Memorandum of understanding").wait_for()
    phone.get_by_text(f"Not signed for {year}").wait_for()
    phone.get_by_role("button", name="Send the memorandum to the head").click()
    phone.get_by_text(f"Sent the memorandum to the head of {SCHOOL}.").wait_for()
    settled(phone)
    assert_accessible(phone)
    assert page_width(phone) <= PHONE["width"]

    with live_app.app_context():
        message = db.session.scalar(db.select(Message).where(Message.kind == "mou"))
        assert message.to_email == "jane.smith@hill.example"
        link = re.search(r"http://\S+/head/\S+/mou(?=\s)", message.body).group(0)
    assert link.startswith(live_server)

    head = browser.new_context(viewport=PHONE, is_mobile=True, device_scale_factor=2).new_page()
    head.goto(link)
    head.get_by_role("heading", name=f"Memorandum of understanding, {year}").wait_for()
    head.get_by_role("heading", name="What Leeds English Hub offers").wait_for()
    head.get_by_role("heading", name="What the school commits to").wait_for()
    assert head.get_by_label("Your full name").input_value() == "Jane Smith"
    assert_accessible(head)
    assert page_width(head) <= PHONE["width"]
    head.get_by_role("button", name="Sign").click()  # the box is not ticked yet
    head.get_by_role("alert").get_by_text("Tick the box to agree").wait_for()
    assert_accessible(head)
    head.get_by_label("Your role").fill("Executive headteacher")
    head.get_by_label(f"I agree on behalf of {SCHOOL} to this memorandum for {year}").check()
    head.get_by_role("button", name="Sign").click()
    head.get_by_role("heading", name="Memorandum signed").wait_for()
    head.get_by_text("Jane Smith, Executive headteacher").wait_for()
    settled(head)
    assert_accessible(head)
    assert page_width(head) <= PHONE["width"]
    # On paper: the signed copy, without the page's navigation or the thank-you panel.
    head.emulate_media(media="print")
    assert not head.get_by_role("navigation", name="Your school's pages").is_visible()
    assert not head.locator(".govuk-panel").is_visible()
    assert head.get_by_text("Printed from hubsurvey on").is_visible()
    head.context.close()

    with live_app.app_context():
        signature = db.session.scalar(db.select(Signature))
        assert (signature.signed_name, signature.signed_from) == ("Jane Smith", "127.0.0.1")
        assert db.session.get(Partnership, (hub_id, school_id)).status == "mou-signed"
    phone.reload()
    phone.get_by_text("MoU signed").wait_for()
    phone.get_by_role("link", name="Signed copy, to print").click()
    phone.get_by_text("Jane Smith, Executive headteacher").wait_for()
    assert_accessible(phone)
    assert page_width(phone) <= PHONE["width"]
