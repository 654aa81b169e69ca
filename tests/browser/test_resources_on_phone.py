"""The resource library on a phone: a hub lead adds slides from the hub page, and a teacher
who puts that need first is offered them after sending a needs assessment, and downloads them."""

import pytest
from conftest import PHONE, page_width
from factories import make_hub, make_school, make_survey, make_user
from test_staff_pages_fit import sign_in, sign_out
from test_teacher_on_phone import assert_accessible, fill_grid, fill_profile, fill_teaching

from hubsurvey.demo_resources import pdf
from hubsurvey.extensions import db
from hubsurvey.models import Hub, Resource
from hubsurvey.resources.files import size_words
from hubsurvey.resources.services import Details, add_resource

LEAD = "lead@leeds-english-hub.example"
SLIDES = pdf("Early language: talk in the reception class", ["Leeds English Hub", "Session 2"])


@pytest.fixture
def hub(live_app):
    """An English hub with a partner school, an open needs assessment and its lead."""
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary School", urn="100001")
        make_user(LEAD, hubs=[hub])
        return {"code": make_survey(hub).code, "id": hub.id}


def fits(page) -> None:
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_adds_slides_and_a_teacher_who_needs_them_downloads_them(
    phone, live_server, live_app, hub, tmp_path
):
    slides = tmp_path / "talk-in-reception.pdf"
    slides.write_bytes(SLIDES)

    sign_in(phone, live_server, LEAD)
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Resources").click()
    phone.get_by_role("heading", name="Resources", level=1).wait_for()
    fits(phone)
    phone.get_by_role("link", name="Add a resource").click()
    phone.get_by_role("heading", name="Add a resource").wait_for()
    fits(phone)
    phone.get_by_label("Title").fill("Slides: talk in the reception class")
    phone.get_by_label("File", exact=True).set_input_files(slides)
    phone.get_by_label("Early language").check()
    phone.get_by_label("Primary", exact=True).check()
    phone.get_by_role("button", name="Add to the library").click()
    phone.get_by_text("Added Slides: talk in the reception class to the library").wait_for()
    phone.get_by_text(f"PDF, {size_words(len(SLIDES))}: talk-in-reception.pdf").wait_for()
    fits(phone)
    sign_out(phone)

    # A primary teacher, not signed in, for whom early language comes first.
    phone.goto(f"{live_server}/s/{hub['code']}")
    phone.get_by_role("button", name="Start now").click()
    fill_profile(phone)
    phone.get_by_role("heading", name="Confidence").wait_for()
    fill_grid(phone)
    phone.get_by_role("heading", name="Your teaching").wait_for()
    fill_teaching(phone)
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Answers sent").wait_for()
    phone.get_by_role("heading", name="For the needs you put first").wait_for()
    phone.get_by_text(f"PDF, {size_words(len(SLIDES))}. For Early language.").wait_for()
    fits(phone)

    with phone.expect_download() as waiting:
        phone.get_by_role("link", name="Slides: talk in the reception class").click()
    download = waiting.value
    assert download.suggested_filename == "talk-in-reception.pdf"
    assert download.path().read_bytes() == SLIDES
    with live_app.app_context():
        assert db.session.scalar(db.select(Resource.downloads)) == 1


def test_the_teachers_offer_works_with_javascript_off(browser, live_server, live_app, hub):
    with live_app.app_context():
        leeds = db.session.get(Hub, hub["id"])
        early_language = leeds.hub_type.need_areas[0]
        add_resource(
            leeds,
            Details(
                "Early language: a reading list",
                url="https://example.org/early-language",
                need_areas=[early_language],
            ),
        )
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/s/{hub['code']}")
    page.get_by_role("button", name="Start now").click()
    fill_profile(page)
    fill_grid(page)
    fill_teaching(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="For the needs you put first").wait_for()
    page.get_by_text("Web link. For Early language.").wait_for()
    assert page_width(page) <= PHONE["width"]
    link = page.get_by_role("link", name="Early language: a reading list")
    assert link.get_attribute("href").startswith("/r/")
    context.close()
