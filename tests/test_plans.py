"""The sustainability and impact plan's pages: starting a year's plan, copying last year's,
costs against funding worked out by hand, the review prompt, the change log, one plan per year,
the wall between hubs, what viewers may read, the plan's workbook read back cell by cell, and
its status on the board report."""

import io
import re
from datetime import date, datetime, timedelta
from html import unescape

import openpyxl
import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from hubsurvey.activities.services import save_activity
from hubsurvey.audit.services import record
from hubsurvey.contacts.services import ContactDetails, save_contact, school_words
from hubsurvey.extensions import db
from hubsurvey.models import (
    AuditEntry,
    Cost,
    Funding,
    KeyPerson,
    Measure,
    NeedArea,
    Objective,
    Plan,
    PlanChange,
    SwotItem,
    utcnow,
)
from hubsurvey.plans import figures, sections, services
from hubsurvey.plans.money import MoneyError, pounds, read_pounds
from hubsurvey.plans.review import review_prompt
from hubsurvey.plans.starting_points import POINTS
from hubsurvey.school_years import this_year, year_starts, year_words

YEAR = this_year()


@pytest.fixture
def hub(app):
    return make_hub("North Teaching School Hub")


@pytest.fixture
def lead_user(hub):
    return make_user("lead@north.example", hubs=[hub])


@pytest.fixture
def lead(client, lead_user):
    sign_in(client, lead_user)
    return client


def _url(hub, rest: str = "") -> str:
    return f"/hubs/{hub.slug}/plan{rest}"


def _start(client, hub, year=YEAR, start="template"):
    return client.post(_url(hub, "/start"), data={"year": str(year), "start": start})


def _plan(hub, year=YEAR) -> Plan:
    db.session.expire_all()
    return db.session.scalar(db.select(Plan).where(Plan.hub_id == hub.id, Plan.year == year))


def _changes(plan) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(PlanChange.what).where(PlanChange.plan_id == plan.id).order_by(PlanChange.id)
        )
    )


def _text(html: str) -> str:
    """A page's words, without its markup, on one line."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([,.:;])", r"\1", words)


# Starting a plan


def test_a_lead_reaches_the_plan_from_the_hub_page(lead, hub):
    page = lead.get(f"/hubs/{hub.slug}/").text
    assert f'href="/hubs/{hub.slug}/plan"' in page
    assert "Sustainability and impact plan" in page
    index = lead.get(_url(hub)).text
    assert f"Start the plan for {year_words(YEAR)}" in index
    assert "Copy last year's plan" not in index  # there is none


def test_a_plan_starts_from_the_starting_point_for_the_hubs_kind(lead, hub):
    response = _start(lead, hub)
    assert response.status_code == 303
    assert response.headers["Location"] == _url(hub, f"/{YEAR}")
    plan = _plan(hub)
    point = POINTS["teaching"]
    assert plan.aims == point.aims
    # Before anyone has answered: the framework's first three need areas, one each.
    areas = hub.hub_type.need_areas[:3]
    assert [o.need_areas for o in plan.objectives] == [[a] for a in areas]
    assert [o.title for o in plan.objectives] == [
        f"Raise early career teachers' confidence in {a.name}" for a in areas
    ]
    assert all(o.terms == ["autumn", "spring", "summer"] and o.owner == "" for o in plan.objectives)
    people = db.session.scalars(db.select(KeyPerson).where(KeyPerson.plan_id == plan.id)).all()
    assert [(p.role, p.name, p.backup) for p in people] == [(r, "", "") for r in point.roles]
    # The SWOT prompts are shown, never stored as if the hub had written them.
    assert db.session.scalar(db.select(db.func.count(SwotItem.id))) == 0
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert point.swot["threat"][0] in page
    assert "No one named yet" in page
    assert f"{len(point.roles)} roles have no backup: over-reliance on one person" in page
    assert _changes(plan) == ["Plan started from the starting point for a teaching school hub"]


def test_a_new_plans_objectives_come_from_the_hubs_top_needs(app, client):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    survey = make_survey(hub)
    # Reading for pleasure is the top need, then phonics; early language the least.
    for _ in range(3):
        make_needs_response(survey, grid=(5, 2, 1), priorities=(2,))
    sign_in(client, make_user(hubs=[hub]))
    _start(client, hub)
    early, phonics, reading = hub.hub_type.need_areas
    plan = _plan(hub)
    assert [o.need_areas for o in plan.objectives] == [[reading], [phonics], [early]]
    assert plan.objectives[0].title == f"Develop teaching of {reading.name} across partner schools"


def test_a_double_click_on_start_makes_one_plan(lead, hub):
    first, second = _start(lead, hub), _start(lead, hub)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 1
    assert _changes(_plan(hub)) == [
        "Plan started from the starting point for a teaching school hub"
    ]


def test_a_plan_started_at_the_same_moment_elsewhere_is_the_one_returned(hub, lead_user):
    """Two requests past the form's check at once: the database's unique key decides, and the
    second gets the first one's plan, not an error."""
    first, made = services.start_plan(hub, YEAR, lead_user)
    again, made_again = services.start_plan(hub, YEAR, lead_user)
    assert made and not made_again
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": str(YEAR - 1), "start": "template"}, "Choose a school year that has no plan yet"),
        ({"year": str(YEAR + 2), "start": "template"}, "Choose a school year that has no plan yet"),
        ({"year": "x", "start": "template"}, "Choose a school year that has no plan yet"),
        ({"year": str(YEAR), "start": "copy"}, "There is no plan from the year before to copy"),
        ({"year": str(YEAR), "start": "other"}, "Choose where the plan starts from"),
    ],
)
def test_starting_a_plan_for_another_year_or_from_nothing_is_refused(lead, hub, data, message):
    response = lead.post(_url(hub, "/start"), data=data)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 0


# Copying last year's plan


def _last_years_plan(hub, lead_user):
    """Last year's plan with one of everything, some of it not to be copied."""
    last, _ = services.start_plan(hub, YEAR - 1, lead_user, with_objectives=False)
    area = hub.hub_type.need_areas[1]
    school = make_school(hub)
    past = save_activity(
        hub,
        None,
        [area],
        [school],
        title="Held last spring",
        kind="training",
        starts_at=datetime.now() - timedelta(days=200),
    )
    coming = save_activity(
        hub,
        None,
        [area],
        [school],
        title="Still to come",
        kind="training",
        starts_at=datetime.now() + timedelta(days=20),
    )
    objective = services.add_objective(last, "Reading fluency", lead_user, need_areas=[area])
    services.save_objective(
        objective,
        lead_user,
        title="Reading fluency",
        owner="Sam Lee",
        terms=["spring", "summer"],
        need_areas=[area],
        activities=[past, coming],
    )
    survey = make_survey(hub)
    objective.measures = [
        Measure(
            title="Teachers confident",
            kind="typed",
            unit="%",
            baseline=40,
            target=70,
            current=55,
            due_on=date(YEAR, 7, 15),
            position=0,
        ),
        Measure(
            title="Need score",
            kind="need-score",
            survey_id=survey.id,
            need_area_id=area.id,
            baseline=60,
            target=40,
            higher_is_better=False,
            due_on=date(YEAR - 1, 12, 1),
            position=1,
        ),
    ]
    db.session.commit()
    sections.add_swot_item(last, "strength", "Lead teachers in four schools", lead_user)
    sections.add_swot_item(last, "threat", "Grant ends in March", lead_user)
    people = sections.key_people(last)
    sections.save_person(
        last, people[0], lead_user, role="Hub lead", name="Sam Lee", backup="Ann Jones", notes=""
    )
    sections.save_funding(
        last,
        None,
        lead_user,
        name="Ended grant",
        amount_pence=500_00,
        ends_on=date(YEAR - 1, 10, 1),
        notes="",
    )
    sections.save_funding(
        last,
        None,
        lead_user,
        name="Running grant",
        amount_pence=1200_00,
        ends_on=date(YEAR + 1, 3, 31),
        notes="Three years",
    )
    sections.save_funding(
        last, None, lead_user, name="Core funding", amount_pence=900_00, ends_on=None, notes=""
    )
    sections.save_cost(
        last,
        None,
        lead_user,
        objective=objective,
        kind="supply-cover",
        description="Release for lesson study",
        amount_pence=450_00,
    )
    sections.save_cost(
        last, None, lead_user, objective=None, kind="venue", description="", amount_pence=120_50
    )
    last.outlook_1, last.outlook_2, last.outlook_3 = "Year one", "Year two", "Year three"
    last.continuity = "Each school names a second teacher."
    db.session.commit()
    return last, area, coming


def test_copying_last_years_plan_carries_on_what_still_holds(lead, hub, lead_user):
    last, area, coming = _last_years_plan(hub, lead_user)
    index = lead.get(_url(hub)).text
    assert "Copy last year's plan" in index
    response = _start(lead, hub, start="copy")
    assert response.status_code == 303
    plan = _plan(hub)
    assert plan.id != last.id
    assert plan.aims == last.aims
    assert plan.continuity == "Each school names a second teacher."
    # The outlook moves on a year.
    assert (plan.outlook_1, plan.outlook_2, plan.outlook_3) == ("Year two", "Year three", "")
    [objective] = plan.objectives
    assert (objective.title, objective.owner, objective.terms) == (
        "Reading fluency",
        "Sam Lee",
        ["spring", "summer"],
    )
    assert objective.need_areas == [area]
    # Only the activity still to come: the past one delivered last year's plan.
    assert objective.activities == [coming]
    typed, bound = objective.measures
    assert (typed.title, typed.baseline, typed.target, typed.current) == (
        "Teachers confident",
        40,
        70,
        None,
    )
    assert typed.due_on == date(YEAR + 1, 7, 15)
    assert (bound.kind, bound.need_area_id, bound.survey_id, bound.higher_is_better) == (
        "need-score",
        area.id,
        last.objectives[0].measures[1].survey_id,
        False,
    )
    assert (bound.baseline, bound.target, bound.due_on) == (60, 40, date(YEAR, 12, 1))
    swot = sections.swot(plan)
    assert [i.text for i in swot["strength"]] == ["Lead teachers in four schools"]
    assert [i.text for i in swot["threat"]] == ["Grant ends in March"]
    people = sections.key_people(plan)
    assert ("Hub lead", "Sam Lee", "Ann Jones") in [(p.role, p.name, p.backup) for p in people]
    assert [(f.source, f.amount_pence, f.ends_on) for f in sections.funding(plan)] == [
        ("Running grant", 1200_00, date(YEAR + 1, 3, 31)),
        ("Core funding", 900_00, None),
    ]
    copied = {(c.objective_id, c.kind, c.amount_pence) for c in sections.costs(plan)}
    assert copied == {(objective.id, "supply-cover", 450_00), (None, "venue", 120_50)}
    # Last year's plan is as it was.
    assert len(sections.costs(last)) == 2 and last.objectives[0].measures[0].current == 55
    assert _changes(plan) == [f"Plan started from the plan for {year_words(YEAR - 1)}"]


# Money, costs and funding


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£1,250.50", 125050),
        ("1250", 125000),
        (" £ 80 ", 8000),
        ("1250.5", 125050),
        (".75", 75),
        ("£1,000,000", 100_000_000),
        ("0.01", 1),
    ],
)
def test_pounds_are_read_as_people_type_them(typed, pence):
    assert read_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "  ",
        "£",
        "abc",
        "-5",
        "£-5",
        "12,34",
        "1,2345",
        "1.234",
        "1e5",
        "١٢٣",
        "²",
        "0",
        "0.00",
        "10000000.01",
        "99999999999999999999",
        "£ 1 000",
        "1.2.3",
        "NaN",
        "inf",
    ],
)
def test_money_that_is_not_an_amount_is_refused_with_a_message(typed):
    with pytest.raises(MoneyError) as refused:
        read_pounds(typed)
    assert "Enter" in str(refused.value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=20))
def test_any_text_typed_as_money_is_read_or_refused_never_an_error(typed):
    try:
        pence = read_pounds(typed)
    except MoneyError:
        return
    assert 1 <= pence <= 10_000_000 * 100
    # What is read is what is shown again.
    assert read_pounds(pounds(pence)) == pence


def test_pounds_are_shown_as_people_write_them():
    assert [pounds(p) for p in (125050, 125000, 5, -30000)] == [
        "£1,250.50",
        "£1,250",
        "£0.05",
        "\u2212£300",
    ]


def _cost(client, hub, objective, kind, amount, description=""):
    data = {
        "objective": str(objective.id if objective else 0),
        "kind": kind,
        "description": description,
        "amount": amount,
    }
    response = client.post(_url(hub, f"/{YEAR}/costs/new"), data=data)
    assert response.status_code == 303, response.text
    return response


def _funding(client, hub, source, amount, ends_on=""):
    data = {"source": source, "amount": amount, "ends_on": ends_on, "notes": ""}
    response = client.post(_url(hub, f"/{YEAR}/funding/new"), data=data)
    assert response.status_code == 303, response.text


def test_costs_are_summed_per_objective_and_kind_against_funding(lead, hub):
    """Worked by hand:
    objective 1: staff time £1,250.50 + supply cover £400 = £1,650.50
    objective 2: venues £300.25
    the hub as a whole: materials £99.99 + staff time £1,000 = £1,099.99
    all: £3,050.74, of which staff time £2,250.50
    funding £2,000 + £500.50 = £2,500.50: a shortfall of £550.24; with £600 more, a surplus
    of £49.76."""
    _start(lead, hub)
    plan = _plan(hub)
    first, second, _third = plan.objectives
    _cost(lead, hub, first, "staff-time", "£1,250.50", "Lead teacher's days")
    _cost(lead, hub, first, "supply-cover", "400")
    _cost(lead, hub, second, "venue", "300.25")
    _cost(lead, hub, None, "materials", "£99.99")
    _cost(lead, hub, None, "staff-time", "1,000")
    _funding(lead, hub, "Department for Education grant", "£2,000", f"{YEAR + 1}-03-31")
    _funding(lead, hub, "Trust contribution", "500.50")

    totals = figures.cost_totals(_plan(hub))
    assert totals.of(first.id) == 165050
    assert totals.of(first.id, "staff-time") == 125050
    assert totals.of(second.id) == 30025
    assert totals.of(None) == 109999
    assert totals.kind("staff-time") == 225050
    assert totals.costs == 305074
    assert totals.funding == 250050
    assert totals.balance == -55024
    assert totals.kinds == ["staff-time", "supply-cover", "venue", "materials"]

    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "Costs £3,050.74 Funding £2,500.50 Shortfall £550.24 more is needed" in page
    assert "£1,650.50: staff time £1,250.50, supply cover £400" in page
    assert "All costs £2,250.50 £400 £300.25 £99.99 £3,050.74" in page
    assert "Ends within this plan's year" in page  # the grant ends on 31 March

    _funding(lead, hub, "Local authority", "600")
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "Surplus £49.76" in page and "Shortfall" not in page


@pytest.mark.parametrize("amount", ["", "abc", "-5", "12,34", "0", "١٢٣", "1e5", "x" * 1000])
def test_a_cost_that_is_not_an_amount_is_refused_with_a_clear_message(lead, hub, amount):
    _start(lead, hub)
    data = {"objective": "0", "kind": "venue", "description": "", "amount": amount}
    response = lead.post(_url(hub, f"/{YEAR}/costs/new"), data=data)
    assert response.status_code == 422
    assert "Enter" in _text(response.text) and "amount" in response.text
    assert db.session.scalar(db.select(db.func.count(Cost.id))) == 0


def test_funding_with_a_date_that_is_not_one_is_refused(lead, hub):
    _start(lead, hub)
    for ends_on in ("2027-02-30", "31/03/2027x", "1066-10-14"):
        data = {"source": "Grant", "amount": "100", "ends_on": ends_on}
        response = lead.post(_url(hub, f"/{YEAR}/funding/new"), data=data)
        assert response.status_code == 422, ends_on
    assert db.session.scalar(db.select(db.func.count(Funding.id))) == 0


def test_a_cost_can_be_changed_and_removed(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    _cost(lead, hub, None, "venue", "100")
    cost = sections.costs(plan)[0]
    page = lead.get(_url(hub, f"/{YEAR}/costs/{cost.id}")).text
    assert 'value="100"' in page
    data = {"objective": str(plan.objectives[0].id), "kind": "venue", "amount": "150.5"}
    assert lead.post(_url(hub, f"/{YEAR}/costs/{cost.id}"), data=data).status_code == 303
    db.session.expire_all()
    assert (cost.objective_id, cost.amount_pence) == (plan.objectives[0].id, 15050)
    assert lead.post(_url(hub, f"/{YEAR}/costs/{cost.id}/remove")).status_code == 303
    assert _changes(plan)[-3:] == [
        "Cost added for the hub as a whole: Venues, £100",
        f"Cost for Objective 1 '{plan.objectives[0].title}' (Venues, £150.50): moved, "
        "amount changed from £100",
        f"Cost removed from Objective 1 '{plan.objectives[0].title}': Venues, £150.50",
    ]


# Objectives, SWOT and people


def test_an_objective_is_edited_and_the_change_log_says_what_changed(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    objective = plan.objectives[1]
    areas = hub.hub_type.need_areas
    activity = save_activity(
        hub,
        None,
        [],
        [],
        title="Twilight on questioning",
        kind="training",
        starts_at=datetime.combine(year_starts(YEAR), datetime.min.time()) + timedelta(days=40),
    )
    page = lead.get(_url(hub, f"/{YEAR}/objectives/{objective.id}")).text
    assert "Twilight on questioning" in page
    data = {
        "title": objective.title,
        "owner": "Priya Shah",
        "terms": ["autumn", "spring", "summer"],
        "need_areas": [str(areas[1].id), str(areas[4].id)],
        "activities": [str(activity.id)],
    }
    response = lead.post(_url(hub, f"/{YEAR}/objectives/{objective.id}"), data=data)
    assert response.status_code == 303
    db.session.expire_all()
    assert objective.owner == "Priya Shah"
    assert objective.need_areas == [areas[1], areas[4]]
    assert objective.activities == [activity]
    assert _changes(plan)[-1] == (
        f"Objective 2 '{objective.title}': owner changed, need areas changed, activities changed"
    )
    # Sent again unchanged: nothing logged.
    lead.post(_url(hub, f"/{YEAR}/objectives/{objective.id}"), data=data)
    assert len(_changes(plan)) == 2
    # The audit log has the kind of change, never the owner's name.
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "plan-changed"))
    entries = [(e.target, e.detail) for e in audit]
    assert len(entries) == 2
    assert entries[-1][1] == "Objective 2: owner changed, need areas changed, activities changed"
    assert not any("Priya" in target + detail for target, detail in entries)


def test_an_objective_from_another_hubs_need_areas_or_activities_is_refused(lead, hub):
    _start(lead, hub)
    objective = _plan(hub).objectives[0]
    other = make_hub("South Maths Hub", "maths-hub")
    theirs = save_activity(
        other,
        None,
        [],
        [],
        title="Their session",
        kind="training",
        starts_at=datetime.now() + timedelta(days=3),
    )
    for field, value in (
        ("need_areas", other.hub_type.need_areas[0].id),
        ("activities", theirs.id),
    ):
        data = {"title": "Mine", field: [str(value)]}
        response = lead.post(_url(hub, f"/{YEAR}/objectives/{objective.id}"), data=data)
        assert response.status_code == 422
    db.session.expire_all()
    assert objective.activities == [] and objective.title != "Mine"


def test_the_change_log_shows_the_latest_first_and_pages_the_rest(lead, hub):
    _start(lead, hub)
    for n in range(12):
        response = lead.post(_url(hub, f"/{YEAR}/swot/weakness"), data={"text": f"Gap {n}"})
        assert response.status_code == 303
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    shown = re.findall(r"Weakness added: 'Gap (\d+)'", page)
    assert shown == [str(n) for n in range(11, 1, -1)]  # the latest ten
    assert "lead@north.example" in page and "All changes to the plan" in page
    every = _text(lead.get(_url(hub, f"/{YEAR}/changes")).text)
    assert re.findall(r"Weakness added: 'Gap (\d+)'", every) == [str(n) for n in range(11, -1, -1)]
    assert "Plan started from the starting point" in every


def test_swot_items_are_added_and_removed_in_their_list(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    lead.post(_url(hub, f"/{YEAR}/swot/opportunity"), data={"text": "The university's CPD offer"})
    refused = lead.post(_url(hub, f"/{YEAR}/swot/opportunity"), data={"text": "   "})
    assert refused.status_code == 422
    assert 'href="#swot-opportunity-text"' in refused.text
    assert 'id="swot-opportunity-text"' in refused.text
    [item] = sections.swot(plan)["opportunity"]
    assert item.text == "The university's CPD offer"
    assert lead.post(_url(hub, f"/{YEAR}/swot/{item.id}/remove")).status_code == 303
    assert sections.swot_items(plan) == []
    assert _changes(plan)[-2:] == [
        "Opportunity added: 'The university's CPD offer'",
        "Opportunity removed: 'The university's CPD offer'",
    ]


def test_a_key_person_without_a_backup_is_flagged_and_logged_by_role(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    for person in sections.key_people(plan):
        sections.remove_person(plan, person, None)
    data = {"role": "Maths lead", "name": "Jo Bloggs", "backup": "", "notes": ""}
    assert lead.post(_url(hub, f"/{YEAR}/people/new"), data=data).status_code == 303
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "1 role has no backup: over-reliance on one person" in page
    assert "Jo Bloggs No backup over-reliance on one person" in page
    [person] = sections.key_people(plan)
    data |= {"backup": "Ann Smith"}
    assert lead.post(_url(hub, f"/{YEAR}/people/{person.id}"), data=data).status_code == 303
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "no backup" not in page.lower()
    assert _changes(plan)[-2:] == [
        "Key person added: 'Maths lead'",
        "Key person 'Maths lead': backup changed",
    ]
    assert not any("Bloggs" in what or "Ann Smith" in what for what in _changes(plan))


def test_the_aims_continuity_and_outlook_are_saved_and_the_outlook_is_labelled_with_years(
    lead, hub
):
    _start(lead, hub)
    form = _text(lead.get(_url(hub, f"/{YEAR}/outlook")).text)
    for n in range(3):
        assert f"Activity planned for {year_words(YEAR + n)}" in form
    data = {"outlook_1": "Two work groups", "outlook_2": "Three", "outlook_3": ""}
    assert lead.post(_url(hub, f"/{YEAR}/outlook"), data=data).status_code == 303
    data = {"continuity": "Heads name a second teacher.\nNew teachers join the next cohort."}
    assert lead.post(_url(hub, f"/{YEAR}/continuity"), data=data).status_code == 303
    too_long = lead.post(_url(hub, f"/{YEAR}/aims"), data={"aims": "x" * 4001})
    assert too_long.status_code == 422 and "4,000 characters or fewer" in too_long.text
    page = lead.get(_url(hub, f"/{YEAR}")).text
    assert '<p class="govuk-body app-break">Heads name a second teacher.</p>' in page
    assert _changes(_plan(hub))[-2:] == [
        f"Outlook for {year_words(YEAR)}, Outlook for {year_words(YEAR + 1)} changed",
        "How the hub keeps going when a teacher leaves changed",
    ]


def test_removing_an_objective_takes_its_costs_and_numbers_the_rest_again(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    first, second, third = plan.objectives
    _cost(lead, hub, second, "venue", "100")
    _cost(lead, hub, third, "venue", "50")
    response = lead.post(_url(hub, f"/{YEAR}/objectives/{second.id}/remove"))
    assert response.status_code == 303
    plan = _plan(hub)
    assert [o.id for o in plan.objectives] == [first.id, third.id]
    assert [o.position for o in plan.objectives] == [0, 1]
    assert [(c.objective_id, c.amount_pence) for c in sections.costs(plan)] == [(third.id, 5000)]


# Make an objective from this need


def test_a_top_need_becomes_an_objective_in_one_click(app, client):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    survey = make_survey(hub)
    for _ in range(3):
        make_needs_response(survey, grid=(5, 4, 1), priorities=(2,))
    sign_in(client, make_user(hubs=[hub]))
    reading = hub.hub_type.need_areas[2]
    page = client.get(f"/hubs/{hub.slug}/reports/needs").text
    buttons = re.findall(r'name="need_area_id" value="(\d+)"', page)
    assert str(reading.id) in buttons and len(buttons) == 3

    response = client.post(_url(hub, "/objectives/from-need"), data={"need_area_id": reading.id})
    assert response.status_code == 303
    plan = _plan(hub)
    [objective] = plan.objectives  # the plan was started for it, with no other objectives
    assert response.headers["Location"] == _url(hub, f"/{YEAR}/objectives/{objective.id}")
    assert objective.need_areas == [reading]
    assert objective.title == f"Develop teaching of {reading.name} across partner schools"
    assert plan.aims == POINTS["subject"].aims
    # Clicked again, or from another page of the summary: the same objective.
    again = client.post(_url(hub, "/objectives/from-need"), data={"need_area_id": reading.id})
    assert again.headers["Location"] == response.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Objective.id))) == 1
    page = client.get(response.headers["Location"]).text
    assert "Save objective" in page


def test_a_need_area_from_another_framework_makes_no_objective(lead, hub):
    other = make_hub("South Maths Hub", "maths-hub")
    for value in (other.hub_type.need_areas[0].id, "x", "99999999999"):
        response = lead.post(_url(hub, "/objectives/from-need"), data={"need_area_id": value})
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/reports/needs")
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 0


def test_an_objective_for_a_need_is_saved_with_its_plan_or_not_at_all(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    taken = hub.hub_type.need_areas[0].name
    # The database refuses this need area (its framework has one of that name already), and
    # so the objective made for it: after the plan was started for it, in the same click.
    refused = NeedArea(hub_type_id=hub.hub_type_id, name=taken)
    with pytest.raises(IntegrityError):
        services.objective_for_need(hub, refused, None)
    db.session.rollback()
    # No plan is left started without the objective the lead asked for.
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 0
    assert db.session.scalar(db.select(db.func.count(PlanChange.id))) == 0


# The review prompt


def test_schools_that_leave_or_lose_their_contact_prompt_a_review(lead, hub, lead_user):
    leaving = make_school(hub, "Beck Primary School", status="active")
    quiet = make_school(hub, "Hill Primary School", status="active")
    left_long_ago = make_school(hub, "Old Primary School", status="active")
    save_contact(quiet, "main", ContactDetails(name="Kim Lee", email="kim@hill.example"))
    services.start_plan(hub, YEAR, lead_user)
    lead.post(
        f"/hubs/{hub.slug}/schools/{left_long_ago.id}",
        data={
            "name": left_long_ago.name,
            "phase": "primary",
            "status": "left",
        },
    )
    plan = _plan(hub)
    plan.created_at = utcnow()  # the plan was made after that school left
    db.session.commit()
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "Time to review the plan" not in page

    response = lead.post(
        f"/hubs/{hub.slug}/schools/{leaving.id}",
        data={
            "name": leaving.name,
            "phase": "primary",
            "status": "left",
        },
    )
    assert response.status_code == 303
    response = lead.post(f"/hubs/{hub.slug}/schools/{quiet.id}/contacts/main/remove")
    assert response.status_code == 303
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    today = datetime.now().strftime("%-d %B %Y")
    assert (
        "Time to review the plan 2 partner schools have changed since the plan was started" in page
    )
    assert f"Beck Primary School left the hub on {today}" in page
    assert f"Hill Primary School has had no contact the hub can write to since {today}" in page
    assert "Old Primary School" not in page

    assert lead.post(_url(hub, f"/{YEAR}/review")).status_code == 303
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "Time to review the plan" not in page
    assert f"Last reviewed on {today}" in page
    assert _changes(plan)[-1] == "Plan marked as reviewed"

    # A new contact, then it is removed again: a new prompt.
    save_contact(quiet, "main", ContactDetails(name="Jo Lee", email="jo@hill.example"))
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "Time to review the plan" not in page
    lead.post(f"/hubs/{hub.slug}/schools/{quiet.id}/contacts/main/remove")
    page = _text(lead.get(_url(hub, f"/{YEAR}")).text)
    assert "1 partner school has changed since the plan was last reviewed" in page


def test_a_school_with_another_way_to_reach_it_prompts_no_review(lead, hub, lead_user):
    school = make_school(hub, "Beck Primary School", status="active")
    save_contact(school, "head", ContactDetails(name="Head", email="head@beck.example"))
    save_contact(school, "main", ContactDetails(name="Main", email="main@beck.example"))
    services.start_plan(hub, YEAR, lead_user)
    lead.post(f"/hubs/{hub.slug}/schools/{school.id}/contacts/main/remove")
    assert "Time to review the plan" not in lead.get(_url(hub, f"/{YEAR}")).text


def test_the_review_reads_schools_as_the_audit_log_names_them(hub, lead_user):
    # The review finds schools that lost a contact from audit entries' targets: it must read
    # them as contacts.services.school_words writes them.
    quiet = make_school(hub, "Hill Primary School", status="active")
    # A name that looks like another school's target: only the leading id counts.
    decoy = make_school(hub, "Beck Primary School", status="active")
    tricky = make_school(hub, f"school {decoy.id}: Dale Primary School", status="active")
    plan, _made = services.start_plan(hub, YEAR, lead_user)
    plan.created_at = utcnow() - timedelta(minutes=1)
    for school in (quiet, tricky):
        record("contact-removed", hub=hub, target=school_words(school), user=lead_user)
    db.session.commit()
    assert [reason.school for reason in review_prompt(plan)] == [quiet, tricky]


# The wall between hubs, and viewers


def _everything(hub, user) -> dict:
    plan, _ = services.start_plan(hub, YEAR, user)
    item = sections.add_swot_item(plan, "strength", "Strong network", user)
    person = sections.key_people(plan)[0]
    source = sections.save_funding(
        plan, None, user, name="Grant", amount_pence=100, ends_on=None, notes=""
    )
    cost = sections.save_cost(
        plan, None, user, objective=None, kind="venue", description="", amount_pence=100
    )
    return {
        "objective": plan.objectives[0].id,
        "item": item.id,
        "person": person.id,
        "funding": source.id,
        "cost": cost.id,
    }


def test_another_hubs_staff_get_not_found_for_this_hubs_plan(app, client, hub, lead_user):
    ids = _everything(hub, lead_user)
    other = make_hub("South Teaching School Hub")
    theirs = _everything(other, make_user("lead@south.example", hubs=[other]))
    sign_in(client, make_user("someone@south.example", hubs=[other]))
    pages = [
        "",
        f"/{YEAR}",
        f"/{YEAR}/print",
        f"/{YEAR}/plan.xlsx",
        f"/{YEAR}/changes",
        f"/{YEAR}/aims",
        f"/{YEAR}/objectives/{ids['objective']}",
        f"/{YEAR}/people/{ids['person']}",
        f"/{YEAR}/funding/{ids['funding']}",
        f"/{YEAR}/costs/{ids['cost']}",
    ]
    for page in pages:
        assert client.get(_url(hub, page)).status_code == 404, page
    posts = [
        "/start",
        "/objectives/from-need",
        f"/{YEAR}/review",
        f"/{YEAR}/swot/strength",
        f"/{YEAR}/swot/{ids['item']}/remove",
        f"/{YEAR}/objectives/{ids['objective']}/remove",
        f"/{YEAR}/people/{ids['person']}/remove",
        f"/{YEAR}/funding/{ids['funding']}/remove",
        f"/{YEAR}/costs/{ids['cost']}/remove",
    ]
    for post in posts:
        assert client.post(_url(hub, post), data={"text": "x"}).status_code == 404, post
    # Their own hub in the URL, this hub's records by id.
    for page in pages[6:]:
        assert client.get(_url(other, page)).status_code == 404, page
    for post in posts[4:]:
        assert client.post(_url(other, post)).status_code == 404, post
    assert client.get(_url(other, f"/{YEAR}/objectives/{theirs['objective']}")).status_code == 200
    assert len(sections.swot_items(_plan(hub))) == 1 and len(sections.costs(_plan(hub))) == 1


def test_a_viewer_reads_the_plan_and_its_printed_version_without_controls(
    app, client, hub, lead_user
):
    ids = _everything(hub, lead_user)
    sign_in(client, make_user("board@north.example", role="viewer", hubs=[hub]))
    assert "Sustainability and impact plan" in client.get(f"/hubs/{hub.slug}/").text
    index = client.get(_url(hub))
    assert index.status_code == 200 and "Start the plan" not in index.text
    for path in (f"/{YEAR}", f"/{YEAR}/print"):
        page = client.get(_url(hub, path))
        assert page.status_code == 200
        assert "Strong network" in page.text
        forms = re.findall(r'<form method="post" action="([^"]+)"', page.text)
        assert forms == ["/sign-out"], forms
        for control in ("Change", "Add a", "Remove", "Mark the plan", "XLSX", "Add objective"):
            assert control not in _text(page.text), (path, control)
    for path in (
        f"/{YEAR}/plan.xlsx",
        f"/{YEAR}/changes",
        f"/{YEAR}/aims",
        f"/{YEAR}/objectives/{ids['objective']}",
        f"/{YEAR}/costs/new",
    ):
        assert client.get(_url(hub, path)).status_code == 404, path
    assert client.post(_url(hub, f"/{YEAR}/swot/strength"), data={"text": "x"}).status_code == 404
    # Nor the button that makes an objective on the needs summary.
    assert "Make an objective" not in client.get(f"/hubs/{hub.slug}/reports/needs").text


def test_the_printed_plan_has_a_title_block_and_no_controls(lead, hub, lead_user):
    _everything(hub, lead_user)
    page = lead.get(_url(hub, f"/{YEAR}/print")).text
    assert 'class="app-print-only app-print-title"' in page
    assert "sustainability and impact plan" in page and f"School year: {year_words(YEAR)}" in page
    assert re.findall(r'<form method="post" action="([^"]+)"', page) == ["/sign-out"]
    assert "Strong network" in page and "The hub as a whole" in page


# The workbook, read back cell by cell


def _book(client, hub) -> openpyxl.Workbook:
    with client.get(_url(hub, f"/{YEAR}/plan.xlsx")) as response:
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        return openpyxl.load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_plans_workbook_has_a_sheet_per_section_with_real_numbers_and_dates(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    first = plan.objectives[0]
    first.owner = "Priya Shah"
    first.measures = [
        Measure(
            title="Teachers confident",
            unit="%",
            baseline=40,
            target=70.5,
            current=55.25,
            due_on=date(YEAR + 1, 7, 15),
            position=0,
        ),
        Measure(title='=HYPERLINK("http://x")', unit="", target=None, position=1),
    ]
    db.session.commit()
    lead.post(_url(hub, f"/{YEAR}/swot/strength"), data={"text": "=1+1 lead teachers"})
    _cost(lead, hub, first, "staff-time", "£1,250.50", "Release")
    _cost(lead, hub, None, "venue", "300")
    _funding(lead, hub, "DfE grant", "2000", f"{YEAR + 1}-03-31")
    people = sections.key_people(plan)
    lead.post(
        _url(hub, f"/{YEAR}/people/{people[0].id}"),
        data={"role": "Hub lead", "name": "Sam Lee", "backup": "Ann Jones"},
    )
    lead.post(_url(hub, f"/{YEAR}/review"))

    book = _book(lead, hub)
    assert book.sheetnames == [
        "About",
        "Objectives",
        "Measures",
        "SWOT",
        "People",
        "Funding",
        "Costs",
        "Changes",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title

    about = {row[0]: row[1] for row in _rows(book["About"])[1:]}
    assert about["Hub"] == hub.name
    assert about["School year"] == year_words(YEAR)
    assert about["Aims"] == POINTS["teaching"].aims
    assert about["Total costs"] == 1550.5
    assert about["Total funding"] == 2000
    assert about["Surplus"] == 449.5
    money = {row[0].value: row[1].number_format for row in book["About"].iter_rows(min_row=2)}
    assert money["Total costs"] == money["Surplus"] == "£#,##0.00"
    assert isinstance(about["Last reviewed"], datetime)
    assert f"Activity planned for {year_words(YEAR + 2)}" in about

    objectives = _rows(book["Objectives"])
    assert objectives[0] == [
        "Number",
        "Objective",
        "Owner",
        "Terms",
        "Need areas",
        "Activities that deliver it",
        "Costs (£)",
        "Measures",
    ]
    assert objectives[1] == [
        1,
        first.title,
        "Priya Shah",
        "Autumn term, Spring term, Summer term",
        first.need_areas[0].name,
        None,
        1250.5,
        2,
    ]
    assert book["Objectives"]["G2"].number_format == "£#,##0.00"
    assert objectives[2][6] == 0 and len(objectives) == 4

    measures = _rows(book["Measures"])
    assert measures[0][:10] == [
        "Objective number",
        "Objective",
        "Measure",
        "How it is measured",
        "Unit",
        "Baseline",
        "Target",
        "Current",
        "Due",
        "Status",
    ]
    typed = measures[1]
    assert typed[:8] == [1, first.title, "Teachers confident", "Typed in", "%", 40, 70.5, 55.25]
    assert typed[8] == datetime(YEAR + 1, 7, 15)
    assert book["Measures"]["I2"].is_date
    assert typed[9] in ("On track", "At risk", "Off track")
    # Text is text, never a formula; a measure with no target is not judged.
    assert book["Measures"]["C3"].data_type == "s"
    assert measures[2][2] == '=HYPERLINK("http://x")' and measures[2][9] == "Not judged yet"

    assert _rows(book["SWOT"]) == [["Quadrant", "Item"], ["Strengths", "=1+1 lead teachers"]]
    assert book["SWOT"]["B2"].data_type == "s"
    people_rows = _rows(book["People"])
    assert people_rows[1] == ["Hub lead", "Sam Lee", "Ann Jones", None, None]
    assert people_rows[2][4] == "No backup: the hub relies on one person"
    assert _rows(book["Funding"])[1] == [
        "DfE grant",
        2000,
        datetime(YEAR + 1, 3, 31),
        None,
        "Ends within this plan's year",
    ]
    assert _rows(book["Costs"])[1:] == [
        ["The hub as a whole", "Venues", None, 300],
        [f"Objective 1: {first.title}", "Staff time", "Release", 1250.5],
    ]
    changes = _rows(book["Changes"])
    assert changes[0] == ["When (UK time)", "Who", "What"]
    assert changes[1][1:] == ["lead@north.example", "Plan marked as reviewed"]
    assert isinstance(changes[1][0], datetime)
    assert changes[-1][2] == "Plan started from the starting point for a teaching school hub"
    # The download is recorded, as every export is.
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "export")
        )
        == 1
    )


# The board report


def test_the_board_report_shows_the_plans_objectives_and_their_measures_status(lead, hub):
    _start(lead, hub)
    plan = _plan(hub)
    first, second, _third = plan.objectives
    yesterday = date.today() - timedelta(days=1)
    first.measures = [
        Measure(title="Reached", baseline=0, target=10, current=12, position=0),
        Measure(title="Missed", baseline=0, target=10, current=2, due_on=yesterday, position=1),
        Measure(title="No target", current=3, position=2),
    ]
    second.measures = [Measure(title="Also reached", target=5, current=5, position=0)]
    db.session.commit()
    status = figures.board_status(hub)
    assert [each.counts for each in status.objectives] == [
        {"on-track": 1, "at-risk": 0, "off-track": 1, "unjudged": 1},
        {"on-track": 1, "at-risk": 0, "off-track": 0, "unjudged": 0},
        {"on-track": 0, "at-risk": 0, "off-track": 0, "unjudged": 0},
    ]
    page = _text(lead.get(f"/hubs/{hub.slug}/reports/board").text)
    assert (
        f"Sustainability and impact plan, {YEAR} to {YEAR + 1} 3 objectives with 4 measures: "
        "2 on track, 0 at risk, 1 off track, 1 not judged yet."
    ) in page
    assert f"1. {first.title} 1 0 1 1" in page


def test_a_measure_at_risk_is_counted_as_at_risk(hub, lead_user):
    plan, _ = services.start_plan(hub, YEAR, lead_user)
    start = year_starts(YEAR)
    # Half way along the line from 0 on 1 September to 100 on the due date: 50 expected.
    today = start + timedelta(days=100)
    plan.objectives[0].measures = [
        Measure(
            title="Behind",
            baseline=0,
            target=100,
            current=40,
            due_on=start + timedelta(days=200),
            position=0,
        )
    ]
    db.session.commit()
    status = figures.plan_status(plan, today)
    assert status.objectives[0].counts["at-risk"] == 1
    assert status.total("at-risk") == 1 and status.measures == 1


def test_a_hub_with_no_plan_this_year_shows_no_plan_on_the_board_report(lead, hub):
    assert "Sustainability and impact plan" not in lead.get(f"/hubs/{hub.slug}/reports/board").text
