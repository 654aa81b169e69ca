"""A hub lead builds this year's plan on a 320 px phone, starting from the training needs
summary: "Make an objective from this need" on the top need, fills the objective in, adds a
SWOT item and a key person with no backup, and sees the plan flag the over-reliance. Nothing
scrolls sideways, and axe-core finds nothing serious on any page on the way. Then the plan is
printed for a funder: a title block, and none of the controls."""

from conftest import PHONE, page_width, settled
from factories import PASSWORD, make_hub, make_needs_response, make_survey, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.extensions import db
from hubsurvey.models import KeyPerson, Objective, SwotItem
from hubsurvey.plans import sections, services
from hubsurvey.school_years import this_year, year_words

HUB = "Leeds English Hub"


def _fits(page) -> None:
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_builds_the_plan_from_the_top_need_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub(HUB, "english-hub")
        hub.smallest_group = 2
        db.session.commit()
        survey = make_survey(hub)
        # Reading for pleasure is the top need: low confidence, and a priority for everyone.
        for _ in range(3):
            make_needs_response(survey, grid=(5, 4, 1), priorities=(2,))
        reading = hub.hub_type.need_areas[2].name
        make_user(email="lead@english.example", hubs=[hub])

    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=HUB).click()
    page.get_by_role("link", name="Training needs summary").click()
    page.get_by_role("heading", name="Training needs").wait_for()
    _fits(page)

    page.get_by_role("button", name=f"Make an objective from this need ({reading})").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert reading in heading.inner_text()
    assert page.get_by_label(reading).is_checked()
    _fits(page)

    # Sent without a title: the message points at the field, and the page still fits.
    page.get_by_label("Objective", exact=True).fill("")
    page.get_by_role("button", name="Save objective").click()
    page.get_by_role("link", name="Enter the objective").wait_for()
    _fits(page)

    page.get_by_label("Objective", exact=True).fill("Every Year 2 class reads for pleasure daily")
    page.get_by_label("Owner (optional)").fill("Priya Shah, English lead")
    page.get_by_label("Autumn term").check()
    page.get_by_label("Spring term").check()
    page.get_by_role("button", name="Save objective").click()
    page.get_by_text("Saved objective 1.").wait_for()
    title = f"Sustainability and impact plan, {year_words(this_year())}"
    assert page.get_by_role("heading", level=1).inner_text() == title
    card = page.locator(".govuk-summary-card").first
    assert "Every Year 2 class reads for pleasure daily" in card.inner_text()
    assert "Priya Shah, English lead" in card.inner_text()
    assert "Autumn term, Spring term" in card.inner_text()
    _fits(page)

    page.get_by_label("Add to strengths").fill("Reading leads in four schools")
    page.get_by_role("button", name="Add to strengths").click()
    page.get_by_text("Added to strengths.").wait_for()
    strengths = page.locator("#swot-strength").inner_text()
    assert "Reading leads in four schools" in strengths
    _fits(page)

    page.get_by_role("link", name="Add a key person").click()
    page.get_by_label("Role").fill("Reading for pleasure lead")
    page.get_by_label("Name (optional)").fill("Jo Bloggs")
    _fits(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved Reading for pleasure lead.").wait_for()
    row = page.locator("tr", has_text="Jo Bloggs")
    assert "No backup" in row.inner_text()
    assert "over-reliance on one person" in row.inner_text()
    assert page.locator(".govuk-warning-text").is_visible()
    _fits(page)

    with live_app.app_context():
        [objective] = db.session.scalars(db.select(Objective)).all()
        assert (objective.owner, objective.terms) == (
            "Priya Shah, English lead",
            ["autumn", "spring"],
        )
        assert [a.name for a in objective.need_areas] == [reading]
        assert db.session.scalar(db.select(SwotItem.text)) == "Reading leads in four schools"
        person = db.session.scalar(db.select(KeyPerson).where(KeyPerson.name == "Jo Bloggs"))
        assert (person.role, person.backup) == ("Reading for pleasure lead", "")


def test_the_printed_plan_says_what_it_is_and_leaves_the_controls_out(
    live_app, live_server, laptop
):
    with live_app.app_context():
        hub = make_hub(HUB, "english-hub")
        lead = make_user(email="lead@english.example", hubs=[hub])
        plan, _made = services.start_plan(hub, this_year(), lead)
        sections.add_swot_item(plan, "threat", "The grant ends in March", lead)

    page = laptop
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=HUB).click()
    page.get_by_role("link", name="Sustainability and impact plan").click()
    page.get_by_role("link", name=year_words(this_year())).click()
    page.get_by_role("link", name="Printable version").click()
    page.wait_for_url("**/print")
    settled(page)  # styled: unstyled, the print title shows on screen too
    title = page.locator(".app-print-title")
    assert not title.is_visible()  # on screen the page's own heading says it
    page.emulate_media(media="print")
    assert title.is_visible()
    words = title.inner_text()
    assert HUB in words and "sustainability and impact plan" in words
    assert f"School year: {year_words(this_year())}" in words
    assert "Printed from hubsurvey on" in words
    assert page.get_by_text("The grant ends in March", exact=True).is_visible()
    for screen_only in (".app-nav", ".govuk-back-link", "main form", ".govuk-button"):
        hidden = page.locator(screen_only)
        assert all(not hidden.nth(i).is_visible() for i in range(hidden.count())), screen_only
