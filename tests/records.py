"""A hub with one record of every kind a URL can name, and a snapshot of every stored row:
for the tests that send every form in the app (test_hostile_staff.py, test_csrf.py)."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from factories import make_response, make_school, make_user
from flask import current_app
from sqlalchemy import select

from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import add_need_area
from hubsurvey.auth import sessions
from hubsurvey.contacts.links import contact_url
from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.heads.services import sign
from hubsurvey.models import Hub, Reminder, Response, Survey, User, utcnow
from hubsurvey.mou.services import new_head_link, save_mou
from hubsurvey.outbox.services import queue
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
        "feedback_id": activity.survey_id,
        "area_id": spare.id,
        "mine_area_id": hub.hub_type.need_areas[0].id,
        "named_survey_id": named.id,
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
