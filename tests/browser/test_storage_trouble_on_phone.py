"""When the database refuses writes (a full disk, a read-only file), a teacher on a phone is told
plainly, keeps what they typed, and sends it again once the trouble clears."""

import pytest
from conftest import PHONE, SCREENSHOTS, page_width
from factories import make_hub, make_school, make_survey, refuse_writes
from test_teacher_on_phone import fill_profile

from hubsurvey.extensions import db
from hubsurvey.models import Response


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_a_teacher_keeps_their_answers_when_they_cannot_be_saved(
    browser, live_app, live_server, javascript, request
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary School", urn="100001")
        code = make_survey(hub).code
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{live_server}/s/{code}")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("heading", name="About you").wait_for()

    with live_app.app_context():
        allow_writes = refuse_writes()
    try:
        fill_profile(page)
        if javascript:
            # htmx leaves the form as it is, with a note above it.
            note = page.get_by_role("alert")
            note.wait_for()
            assert "could not be saved just now" in note.inner_text()
            assert "Nothing is lost" in note.inner_text()
        else:
            page.get_by_role("heading", name="Your answers could not be saved just now").wait_for()
        assert page_width(page) <= PHONE["width"]
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    finally:
        with live_app.app_context():
            allow_writes()

    name = "Save and continue" if javascript else "Try again"
    page.get_by_role("button", name=name).click()
    page.get_by_role("heading", name="Confidence").wait_for()
    context.close()
    with live_app.app_context():
        assert db.session.scalar(db.select(Response.school_name)) == "Hill Primary School"
