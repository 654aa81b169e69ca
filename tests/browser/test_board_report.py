"""A hub lead opens the report for the board from the hub's page and prints it to PDF."""

import io

from conftest import SCREENSHOTS, page_width
from factories import PASSWORD, make_hub, make_user
from pypdf import PdfReader
from test_board import board_year

from hubsurvey.extensions import db


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Report for the board").click()
    page.get_by_role("heading", name="Report for the board").wait_for()


def test_the_board_report_prints_to_a_few_a4_pages_with_its_figures(
    live_app, live_server, laptop, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        hub.smallest_group = 2
        db.session.commit()
        board_year(hub)
        make_user(email="lead@english.example", hubs=[hub])

    _sign_in(phone, live_server)
    assert page_width(phone) <= 320

    _sign_in(laptop, live_server)
    printed = laptop.pdf(format="A4", print_background=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "board-report.pdf").write_bytes(printed)  # to look at
    pdf = PdfReader(io.BytesIO(printed))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert 1 <= len(pdf.pages) <= 4, len(pdf.pages)
    assert "Leeds English Hub: report for the board" in text
    assert "Printed from hubsurvey on" in text
    for figure in ("Systematic synthetic phonics", "+25", "4.0 out of 5", "65% → 82.5%"):
        assert figure in text, figure
    # What only a screen needs stays off the paper: navigation, buttons and link addresses.
    for screen_only in ("Back to Leeds English Hub", "Sign out", "Your hubs", "http"):
        assert screen_only not in text, screen_only
