"""A hub lead binds one of the plan's measures to a need score on a 320 px phone: from the hub
page to the plan, adds the measure to an objective, sees its figure and status there, and opens
the measure's page with the rule and the evidence behind it. The plan and its objective are
made in the fixture through the plan's services, as the plan page's own buttons would."""

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_needs_response, make_survey, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.extensions import db
from hubsurvey.models import Measure
from hubsurvey.plans.evidence import read
from hubsurvey.plans.services import add_objective, start_plan
from hubsurvey.school_years import this_year, today_in_england, year_words
from hubsurvey.vocabulary import MEASURE_STATES

HUB = "Calderdale and Kirklees English Hub"
OBJECTIVE = "Teachers across the partnership teach systematic synthetic phonics with confidence"


def _fits(page) -> None:
    """No sideways scroll at 320 px, and nothing axe-core calls serious or critical."""
    assert page_width(page) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_lead_binds_a_measure_to_a_need_score_on_a_phone(live_app, live_server, phone):
    year = this_year()
    with live_app.app_context():
        hub = make_hub(HUB, "english-hub")
        make_user(email="lead@english.example", hubs=[hub])
        survey = make_survey(hub)
        survey.title = "Training needs, autumn term"
        # Phonics: confidence 1, 2, 3, 4, 5 and one priority: need score 30.
        for n, level in enumerate((1, 2, 3, 4, 5)):
            make_needs_response(survey, grid=(3, level, 3), priorities=(1,) if n == 0 else ())
        plan, _made = start_plan(hub, year, None, with_objectives=False)
        add_objective(plan, OBJECTIVE, None, [hub.hub_type.need_areas[1]])

    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@english.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=HUB).click()
    page.get_by_role("link", name="Sustainability and impact plan").click()
    page.get_by_role("link", name=year_words(year)).click()
    page.get_by_role("heading", name=f"Objective 1: {OBJECTIVE}").wait_for()
    _fits(page)

    page.get_by_role("link", name=f"Add a measure to {OBJECTIVE}").click()
    page.get_by_role("heading", name="Add a measure").wait_for()
    _fits(page)
    page.get_by_label("Need score of a need area, in a survey's wave").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Survey").wait_for()
    _fits(page)

    # Sent without a need area: the message points at the field, and the page still fits.
    page.get_by_label("Survey").select_option(label="Training needs, autumn term")
    page.get_by_role("button", name="Save the measure").click()
    page.get_by_role("link", name="Choose the need area whose need score it reads").wait_for()
    _fits(page)

    page.get_by_label("Need area").select_option(label="Systematic synthetic phonics")
    page.get_by_label("Baseline (optional)").fill("45")
    page.get_by_label("Target (optional)").fill("20")
    page.get_by_label("Due date (optional)").fill(f"{year + 1}-07-16")
    assert page.get_by_label("Lower is better").is_checked()
    page.get_by_role("button", name="Save the measure").click()

    # The measure's page: its figure, status, rule and the summary behind it.
    page.get_by_role("heading", name="Need score: Systematic synthetic phonics").wait_for()
    figures = page.locator("#measure-figures").inner_text()
    assert "Current\n30" in figures and "Baseline\n45" in figures and "Target\n20" in figures
    # The status the rule gives today (where 30 stands against the line from 45 to 20 moves
    # with the date), read as the page reads it.
    with live_app.app_context():
        reading = read(db.session.scalar(db.select(Measure)), today_in_england())
    assert reading.status in MEASURE_STATES
    assert page.locator(".app-measure-status").inner_text() == MEASURE_STATES[reading.status]
    assert "Lower is better." in page.locator("#measure-rule").inner_text()
    assert page.get_by_text("Systematic synthetic phonics (this measure)").is_visible()
    _fits(page)

    # Back on the plan, the objective lists it with its figure and status.
    page.get_by_role("link", name="Back to the objective").click()
    page.get_by_role("link", name="Back to the plan").click()
    listed = page.locator(".app-measure").inner_text()
    assert "Need score: Systematic synthetic phonics" in listed and "Current\n30" in listed
    _fits(page)
    page.get_by_role("link", name="Need score: Systematic synthetic phonics").click()
    page.get_by_role("heading", name="The evidence behind it").wait_for()
    _fits(page)

    with live_app.app_context():
        measure = db.session.scalar(db.select(Measure))
        assert (measure.kind, measure.baseline, measure.target) == ("need-score", 45, 20)
        assert measure.higher_is_better is False
