"""A hub lead on a phone invites people by name to a named survey, withdraws a link that
was forwarded, and invites that person again with a new link."""

import re

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_survey, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.extensions import db
from hubsurvey.models import Message, Response

LINK = re.compile(r"http://[^/\s]+(/s/[A-Z0-9]+/p/[0-9a-f]+)")


def _fits(page) -> None:
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def _links(live_app) -> list[str]:
    """The personal links in the messages waiting in the outbox (no mail server here)."""
    with live_app.app_context():
        bodies = db.session.scalars(
            db.select(Message.body).where(Message.state == "waiting").order_by(Message.id)
        )
        return [LINK.search(body).group(1) for body in bodies]


def test_a_lead_withdraws_a_forwarded_link_and_invites_the_person_again(
    browser, live_app, live_server, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_survey(hub, anonymous=False)
        make_user(email="lead@english.example", hubs=[hub])

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@english.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Surveys", exact=True).first.click()
    phone.get_by_role("link", name="Training needs").first.click()
    phone.get_by_role("link", name="invite people by name").click()
    phone.get_by_role("heading", name="Invite people by name").wait_for()
    phone.get_by_label("People to invite").fill(
        "Jo Bloggs-Fotheringham, jo.bloggs-fotheringham@st-marys-primary.example\n"
        "Sam Lee, sam@school.example"
    )
    phone.get_by_role("button", name="Send their invitations").click()
    phone.get_by_text("Invited 2 people.").wait_for()
    _fits(phone)
    jo_link = _links(live_app)[0]

    # Someone Jo forwarded the link to begins answering, on their own phone.
    other = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        forwarded = other.new_page()
        forwarded.goto(f"{live_server}{jo_link}")
        forwarded.get_by_role("heading").first.wait_for()
        with live_app.app_context():
            assert db.session.scalar(db.select(db.func.count(Response.id))) == 1

        row = phone.get_by_role("row").filter(has_text="Jo Bloggs-Fotheringham")
        row.get_by_role("button", name="Withdraw").click()
        phone.get_by_text("link is withdrawn: it opens nothing from now on").wait_for()
        assert "Withdrawn" in phone.get_by_role("row").filter(has_text="Jo Bloggs").inner_text()
        _fits(phone)
        with live_app.app_context():  # what was begun through it, and not sent, is gone
            assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
        assert forwarded.goto(f"{live_server}{jo_link}").status == 404
    finally:
        other.close()

    phone.get_by_label("People to invite").fill(
        "Jo Bloggs-Fotheringham, jo.bloggs-fotheringham@st-marys-primary.example"
    )
    phone.get_by_role("button", name="Send their invitations").click()
    phone.get_by_text("Sent a new link to jo.bloggs-fotheringham@").wait_for()
    row = phone.get_by_role("row").filter(has_text="Jo Bloggs-Fotheringham")
    assert "Withdrawn" not in row.inner_text()
    _fits(phone)

    new_link = _links(live_app)[-1]
    assert new_link != jo_link
    jo = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = jo.new_page()
        page.goto(f"{live_server}{new_link}")
        page.goto(f"{live_server}/s/{new_link.split('/')[2]}/about-you")
        assert page.get_by_label("Your name").input_value() == "Jo Bloggs-Fotheringham"
    finally:
        jo.close()
