"""A hub with one record of every kind a URL can name, and a snapshot of every stored row:
for the tests that send every form in the app (test_hostile_staff.py, test_csrf.py)."""

import io
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from factories import make_response, make_school, make_user
from flask import current_app
from sqlalchemy import select

from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.series import save_follow_up, save_series
from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import add_need_area
from hubsurvey.auth import sessions
from hubsurvey.contacts.links import contact_url
from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.heads.services import sign
from hubsurvey.invitations import people
from hubsurvey.models import Hub, Objective, Reminder, Response, Survey, User, utcnow
from hubsurvey.mou.services import new_head_link, save_mou
from hubsurvey.outbox.services import queue
from hubsurvey.plans import sections
from hubsurvey.plans import services as plans
from hubsurvey.plans.measures import MeasureDetails, add_measure
from hubsurvey.resources import files
from hubsurvey.resources.links import resource_url
from hubsurvey.resources.services import Details, add_resource
from hubsurvey.school_years import this_year
from hubsurvey.sharing import services as sharing
from hubsurvey.surveys.services import create_survey


def named_response(hub: Hub) -> tuple[Survey, Response]:
    """An open named survey with Ann's response, flagged for review. (Not the survey the
    editor is tried on: a survey with responses cannot be edited.)"""
    survey = create_survey(hub, "blank")
    survey.anonymous, survey.status = False, "open"
    response = make_response(
        survey,
        status="submitted",
        submitted_at=utcnow(),
        profile_saved=True,
        respondent_name=f"Ann {hub.name}",
        respondent_email="ann@school.example",
        flags="duplicate",
    )
    db.session.commit()
    return survey, response


# A minimal PDF, as the library's uploads are checked by their content.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def library_resource(hub: Hub, staff: User, tag: str) -> tuple[int, str]:
    """A file in the hub's resource library, tagged with its first need area: its id, and the
    signature of a teacher's link to it."""
    upload = files.check(f"{tag} guide.pdf", io.BytesIO(PDF), len(PDF))
    details = Details(f"{tag} phonics guide", need_areas=[hub.hub_type.need_areas[0]])
    resource = add_resource(hub, details, upload, by=staff)
    with current_app.test_request_context():
        link = resource_url(resource.id, hub.id, resource.created_at)
    signature = urlsplit(link).path.rsplit("/", 1)[1]
    return resource.id, signature


def series_records(hub: Hub, school, activity, staff: User, tag: str) -> dict:
    """A series with the school and the activity in it, and follow-up with the school."""
    series = save_series(
        hub,
        None,
        [hub.hub_type.need_areas[0]],
        [school],
        shared_survey=activity.survey,
        title=f"{tag} reading work group",
        kind="work-group",
        description="Six sessions, with visits between them.",
    )
    activity.series = series
    follow_up = save_follow_up(series, None, school, date.today(), 1.5, f"{tag} visit", staff)
    return {"series_id": series.id, "follow_up_id": follow_up.id}


def plan_records(hub: Hub, staff: User, tag: str) -> dict:
    """The hub's plan for this school year, from its starting point, with a SWOT item, a
    source of funding and a cost for its first objective."""
    plan, _ = plans.start_plan(hub, this_year(), staff)
    item = sections.add_swot_item(plan, "strength", f"{tag} lead teachers", staff)
    source = sections.save_funding(
        plan, None, staff, name=f"{tag} grant", amount_pence=5_000_00, ends_on=None, notes=""
    )
    cost = sections.save_cost(
        plan,
        None,
        staff,
        objective=plan.objectives[0],
        kind="venue",
        description=f"{tag} hall hire",
        amount_pence=120_00,
    )
    return {
        "year": plan.year,
        "objective_id": plan.objectives[0].id,
        "swot_item_id": item.id,
        "person_id": sections.key_people(plan)[0].id,
        "funding_id": source.id,
        "cost_id": cost.id,
        "part": "aims",
        "quadrant": "strength",
    }


def measure_records(objective_id: int, survey: Survey, staff: User, tag: str) -> dict:
    """A measure of the objective, bound to the need score of the hub's first need area."""
    objective = db.session.get(Objective, objective_id)
    details = MeasureDetails(
        objective=objective,
        title=f"{tag} need score",
        kind="need-score",
        higher_is_better=False,
        baseline=40,
        target=20,
        due_on=date(objective.plan.year + 1, 7, 16),
        survey=survey,
        need_area=objective.plan.hub.hub_type.need_areas[0],
    )
    return {"measure_id": add_measure(details, staff).id}


def hub_records(hub: Hub, staff: User, tag: str) -> dict:
    """One of each of the hub's records, by the name of the URL argument that takes it."""
    survey = create_survey(hub, "template")
    section = survey.sections[0]
    school = make_school(hub, f"{tag} Primary School", urn=f"10000{len(tag)}")
    # A need area of the hub's type that no question uses, so that it can be moved or removed.
    spare = add_need_area(hub.hub_type, f"{tag} spare need area", "")
    activity = save_activity(
        hub,
        None,
        [hub.hub_type.need_areas[0]],
        [school],
        title=f"{tag} phonics training",
        kind="training",
        starts_at=datetime(2027, 1, 12, 16, 0),
    )
    # Someone on the activity's register, from the school.
    attendee = add_person(
        activity,
        Person(f"Ann {tag} Attendee", f"ann@{tag.lower()}.example", school.id, "teacher"),
        staff,
    )
    named, response = named_response(hub)
    colleague = make_user(f"colleague@{tag.lower()}.example", hubs=[hub])
    # The staff member is signed in on another device too.
    _, elsewhere = sessions.start(staff, "Firefox on a phone", "192.0.2.1", timedelta(hours=1))
    # The hub's report is shared: a read-only link, and a board member who signs in to read.
    link, _token = sharing.create_link(hub, f"{tag} board meeting", 30, by=staff)
    viewer = make_user(f"board@{tag.lower()}.example", role="viewer", hubs=[hub])
    viewer.expires_at = utcnow() + timedelta(days=90)
    # A message in the outbox that failed, for the lead to try again or mark as sent.
    message = queue(
        hub,
        kind="invitation",
        key=f"{tag} invitation",
        to_email=f"head@{tag.lower()}.example",
        subject=f"{tag} training needs survey",
        body="Dear head,\nPlease share the survey.",
    )
    message.state, message.last_error = "failed", "The mail server refused the connection."
    # The school's headteacher, and the link to their own page from the hub's messages.
    head = save_contact(
        school,
        "head",
        ContactDetails(name=f"{tag} Head", role="Headteacher", email=f"head@{tag.lower()}.example"),
    )
    with current_app.test_request_context():
        _, public_id, signature = urlsplit(contact_url(head)).path.rsplit("/", 2)
        # Someone invited by name to the named survey, with their own link.
        invited = people.invite(named, [people.Person(f"Bo {tag}", "bo@school.example")], staff)
    # A reminder set for a date, on the open named survey.
    reminder = Reminder(
        survey_id=named.id, send_on=datetime.now().date() + timedelta(days=3), below=5
    )
    db.session.add(reminder)
    # The hub's memorandum of understanding, and a private link for the school's head.
    save_mou(hub, f"{tag} Hub offers network meetings.", "- Release time for staff", staff, None)
    head_link, head_token = new_head_link(school, staff, utcnow())
    # Its head signed last school year, through an earlier link; this year's is still to sign.
    a_year_ago = utcnow() - timedelta(days=366)
    earlier, _earlier_token = new_head_link(school, staff, a_year_ago)
    signed = sign(earlier, 1, f"{tag} Head", "Headteacher", "192.0.2.1", a_year_ago)
    series = series_records(hub, school, activity, staff, tag)
    plan = plan_records(hub, staff, tag)
    measure = measure_records(plan["objective_id"], survey, staff, tag)
    resource_id, resource_signature = library_resource(hub, staff, tag)
    db.session.commit()
    return {
        "hub_slug": hub.slug,
        "hub_id": hub.id,
        "hub_type_id": hub.hub_type_id,
        "survey_id": survey.id,
        "section_id": section.id,
        "question_id": section.questions[0].id,
        "school_id": school.id,
        "activity_id": activity.id,
        "attendance_id": attendee.id,
        **series,
        **plan,
        **measure,
        "feedback_id": activity.survey_id,
        "area_id": spare.id,
        "mine_area_id": hub.hub_type.need_areas[0].id,
        "named_survey_id": named.id,
        "invitee_id": invited.invitees[0].id,
        "response_id": response.id,
        "user_id": colleague.id,
        "session_id": elsewhere.id,
        "link_id": link.id,
        "viewer_id": viewer.id,
        "message_id": message.id,
        "kind": "head",
        "public_id": public_id,
        "signature": signature,
        "reminder_id": reminder.id,
        "head_link_id": head_link.id,
        "token": head_token,
        "signature_id": signed.id,
        "resource_id": resource_id,
        "resource_signature": resource_signature,
        "code": named.code,
        "direction": "down",
        "status": "open",
        "action": "exclude",
    }


def snapshot() -> dict[str, list[str]]:
    """Every row of every table (but when a session was last seen or a partnership updated)."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in ("last_seen_at", "updated_at")]
        found = db.session.execute(select(*columns)).all()
        rows[table.name] = sorted(repr(tuple(row)) for row in found)
    db.session.commit()  # ends the read, so that no lock is held while the app works
    return rows
