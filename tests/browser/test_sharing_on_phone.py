"""A hub lead on a phone shares the report for the board through a read-only link, which
someone else opens without signing in; then the lead withdraws it."""

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_user
from test_board import board_year
from test_teacher_on_phone import assert_accessible

from hubsurvey.extensions import db


def _fits(page) -> None:
    """No sideways scroll at 320 px, and nothing axe-core calls serious or critical."""
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_shares_the_board_report_and_withdraws_the_link(
    browser, live_app, live_server, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        hub.smallest_group = 2
        db.session.commit()
        board_year(hub)
        make_user(email="lead@english.example", hubs=[hub])

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@english.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Share the report").click()
    phone.get_by_role("heading", name="Share the report", exact=True).wait_for()
    _fits(phone)

    phone.get_by_label("Who is it for?").fill("Board meeting, 3 December")
    lifetime = phone.get_by_role("group", name="The link stops working after")
    assert lifetime.get_by_label("30 days").is_checked()
    phone.get_by_role("button", name="Make a link").click()
    phone.get_by_role("heading", name="Your link is ready").wait_for()
    _fits(phone)
    url = phone.get_by_label("Read-only link").input_value()
    assert url.startswith(f"{live_server}/shared/")

    # Someone else's phone: no cookies, nobody signed in.
    board = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        member = board.new_page()
        opened = member.goto(url)
        assert opened.status == 200
        member.get_by_role("heading", name="Report for the board").wait_for()
        banner = member.get_by_text("Shared read-only by Leeds English Hub.")
        assert "This link stops working on" in banner.inner_text()
        assert member.get_by_text("Systematic synthetic phonics").first.is_visible()
        assert member.get_by_role("button", name="Sign out").count() == 0
        assert member.get_by_role("link", name="Back to Leeds English Hub").count() == 0
        _fits(member)

        phone.get_by_role("link", name="Back to sharing the report").click()
        row = phone.get_by_role("row").filter(has_text="Board meeting, 3 December")
        assert "lead@english.example" in row.inner_text()
        row.get_by_role("button", name="Withdraw").click()
        phone.get_by_text("no longer works").first.wait_for()
        assert "Withdrawn" in phone.get_by_role("row").filter(has_text="Board meeting").inner_text()
        _fits(phone)

        withdrawn = member.reload()
        assert withdrawn.status == 404
        member.get_by_role("heading", name="This link no longer works").wait_for()
        assert member.get_by_text("This link has expired or been withdrawn.").is_visible()
        _fits(member)
    finally:
        board.close()
