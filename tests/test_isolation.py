"""The wall between hubs: staff of one hub never reach another hub's data."""

from datetime import date, datetime

from factories import make_hub, make_school, make_user, sign_in

from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.series import save_follow_up, save_series
from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.heads.services import sign
from hubsurvey.models import Invitee, Measure, Reminder, utcnow
from hubsurvey.mou.services import new_head_link, save_mou
from hubsurvey.outbox.services import queue
from hubsurvey.plans import sections
from hubsurvey.plans import services as plans
from hubsurvey.plans.services import add_objective, start_plan
from hubsurvey.resources.services import Details, add_resource
from hubsurvey.respond.services import start as start_response
from hubsurvey.school_years import this_year
from hubsurvey.sharing import services as sharing
from hubsurvey.surveys.services import create_survey


def _their_measure(theirs) -> dict:
    """Their plan for this school year, with an objective and a measure of it."""
    plan, _made = start_plan(theirs, this_year(), None, with_objectives=False)
    objective = add_objective(plan, "Their objective", None)
    measure = Measure(objective=objective, title="Their measure", kind="typed", current=1)
    db.session.add(measure)
    db.session.commit()
    return {"year": plan.year, "objective_id": objective.id, "measure_id": measure.id}


PLAN_PAGES = {"hub_slug", "year", "part", "quadrant"}


def _their_plan_parts(theirs) -> dict:
    """Their plan's SWOT item, key person, funding and cost."""
    plan = plans.find_plan(theirs, this_year())
    item = sections.add_swot_item(plan, "threat", "Their threat", None)
    person = sections.save_person(plan, None, None, role="Their lead", name="", backup="", notes="")
    source = sections.save_funding(
        plan, None, None, name="Their grant", amount_pence=100, ends_on=None, notes=""
    )
    cost = sections.save_cost(
        plan, None, None, objective=None, kind="venue", description="", amount_pence=100
    )
    return {
        "swot_item_id": item.id,
        "person_id": person.id,
        "funding_id": source.id,
        "cost_id": cost.id,
        "part": "aims",
        "quadrant": "threat",
    }


def _their_values(theirs) -> dict:
    """A value for every URL argument, naming records that belong to `theirs`."""
    survey = create_survey(theirs, "template")
    section = survey.sections[0]
    activity = save_activity(
        theirs,
        None,
        [],
        [],
        title="Phonics training",
        kind="training",
        starts_at=datetime(2027, 1, 12, 16, 0),
    )
    attendee = add_person(activity, Person("Sam South", "sam@south.example"), None)
    link, _token = sharing.create_link(theirs, "Board meeting", 30, by=None)
    viewer = make_user("board@south.example", role="viewer", hubs=[theirs])
    reminder = Reminder(survey_id=survey.id, send_on=date(2027, 1, 12), below=5)
    invitee = Invitee(survey_id=survey.id, name="Kim", email="kim@south.example", token_hash="0")
    db.session.add_all([reminder, invitee])
    message = queue(
        theirs, kind="invitation", key="k", to_email="a@south.example", subject="S", body="B"
    )
    message.state = "failed"
    db.session.commit()
    school = make_school(theirs)
    # Their memorandum, signed through their head's link.
    save_mou(theirs, "South Hub offers training.", "- Release time", None, None)
    head_link, _head_token = new_head_link(school, None, utcnow())
    signature = sign(head_link, 1, "Sam South", "Headteacher", "")
    series = save_series(theirs, None, [], [school], title="Their work group", kind="network")
    follow_up = save_follow_up(series, None, school, date(2026, 10, 1), 1, "Their notes", None)
    resource = add_resource(theirs, Details("Their slides", url="https://south.example/slides"))
    return (
        _their_measure(theirs)
        | _their_plan_parts(theirs)
        | {
            "resource_id": resource.id,
            "reminder_id": reminder.id,
            "invitee_id": invitee.id,
            "message_id": message.id,
            "activity_id": activity.id,
            "series_id": series.id,
            "follow_up_id": follow_up.id,
            "attendance_id": attendee.id,
            "link_id": link.id,
            "viewer_id": viewer.id,
            "hub_slug": theirs.slug,
            "school_id": school.id,
            "head_link_id": head_link.id,
            "signature_id": signature.id,
            "survey_id": survey.id,
            "section_id": section.id,
            "question_id": section.questions[0].id,
            "direction": "up",
            "status": "open",
            "what": "responses-long",
            "fmt": "csv",
            "response_id": start_response(survey).id,
            "action": "exclude",
            "kind": "head",
        }
    )


def test_every_hub_url_is_hidden_from_staff_of_other_hubs(app, client):
    """Walks the URL map, so a new hub route without the access check fails here."""
    mine, theirs = make_hub("North Hub"), make_hub("South Hub")
    values = _their_values(theirs)
    sign_in(client, make_user(hubs=[mine]))

    checked = []
    for rule in app.url_map.iter_rules():
        if "hub_slug" not in rule.arguments:
            continue
        missing = rule.arguments - values.keys()
        assert not missing, f"{rule.rule}: teach this test to fill {missing}"
        path = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            checked.append(f"{method} {rule.rule}")
    assert len(checked) >= 30, checked


def test_records_of_one_hub_are_not_found_through_another(app, client):
    """The hub in the URL is mine, but the survey or school id is theirs."""
    mine, theirs = make_hub("North Hub"), make_hub("South Hub")
    values = _their_values(theirs) | {"hub_slug": mine.slug}
    # My hub has its plan for the year too: their plan's records are not found through it.
    start_plan(mine, this_year(), None)
    sign_in(client, make_user(hubs=[mine]))
    for rule in app.url_map.iter_rules():
        # A school year, a part of the plan or a SWOT list names my own plan's pages: only
        # the rules that also take a record's id can reach one of theirs.
        if "hub_slug" not in rule.arguments or rule.arguments <= PLAN_PAGES:
            continue
        path = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"


def test_routes_that_name_a_record_are_scoped_to_a_hub_or_admin_only(app):
    """A route taking a record's id outside /hubs/<hub_slug>/ would skip the hub check."""
    # One-time and secret links: whoever holds the token may use it, nobody can list them.
    public = {
        "static",
        "auth.setup",
        "auth.set_password",
        "respond.school_link",
        "respond.school_link_qr",
        "respond.personal_link",
        "shared.report",
        # A school contact's own page: the link's signature is its key (contacts/links.py).
        "contact_page.show",
        "contact_page.stop_email",
        "contact_page.email_again",
        # A headteacher's private link: only its hash is stored (mou/services.py).
        "heads.home",
        "heads.mou",
        "heads.signed",
        "heads.withdraw",
        "heads.school",
        # A teacher's link to a resource: the link's signature is its key (resources/links.py).
        "public_resources.open",
    }
    # The signed-in person's own records only: anyone else's id is a 404.
    own = {"auth.end_session"}
    for rule in app.url_map.iter_rules():
        if not rule.arguments or "hub_slug" in rule.arguments:
            continue
        if rule.endpoint.startswith("admin."):
            continue  # administrators see every hub
        if rule.endpoint.startswith("respond.") and rule.arguments == {"code"} | (
            {"number"} if "number" in rule.arguments else set()
        ):
            continue  # a survey's public short link: anyone with the link may answer
        assert rule.endpoint in public | own, f"{rule.rule} takes {rule.arguments}"
