"""An activity's register, taken on a phone at the door: people added, changed and removed, the
totals it makes, the feedback link emailed to each attendee when the session ends (once, ever),
the register as a CSV file, and the names on it found, erased and purged as named responses are.

Mail goes to a real SMTP server in the test process (tests/mail_server.py)."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from factories import make_hub, make_school, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from test_exports import soffice  # noqa: F401  (a fixture: CSV to XLSX by LibreOffice)
from test_hostile_staff import NASTY, SCRIPT, assert_rows_obey_the_forms

from hubsurvey.activities import feedback_links
from hubsurvey.activities.participation import england_clock
from hubsurvey.activities.register import Person, add_person, totals
from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Attendance,
    AuditEntry,
    ExportRecord,
    JobRun,
    Message,
    utcnow,
)
from hubsurvey.outbox.services import queue
from hubsurvey.reports.exports import safe
from hubsurvey.retention.services import purge_expired, still_expired

LEAD = "lead@leeds.example"
START = datetime(2027, 1, 12, 16, 0)
# A register's names as they may be stored: with commas, line breaks and formula characters.
HOSTILE_NAMES = [
    "Smith, Ann",
    '=HYPERLINK("http://x.example","go")',
    "two\nlines, and a comma",
    "+44 113 496 0000",
    "-2+3",
    "@SUM(A1:A3)",
    "x;=1+1",
    'Zoë O\'Connell "Jo"',
]


def _hub():
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def hub(app):
    return _hub()


@pytest.fixture
def lead(client, hub):
    user = make_user(LEAD, hubs=[hub])
    sign_in(client, user)
    return user


def _activity(hub, title="Phonics in reception", ends_at=None, hours=None, starts_at=START):
    return save_activity(
        hub,
        None,
        [],
        [],
        title=title,
        kind="training",
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
    )


def _register_url(hub, activity, rest=""):
    return f"/hubs/{hub.slug}/activities/{activity.id}/register{rest}"


def _people(activity) -> list[Attendance]:
    db.session.expire_all()
    found = db.session.scalars(
        select(Attendance).where(Attendance.activity_id == activity.id).order_by(Attendance.id)
    ).all()
    db.session.commit()
    return list(found)


def _england_now() -> datetime:
    return england_clock(utcnow())


# The activity: an end time and hours of CPD


def _activity_form(**changes) -> dict:
    return {
        "title": "Phonics in reception",
        "kind": "training",
        "starts_on": "2027-01-12",
        "starts_at": "16:00",
        "ends_at": "17:30",
        "hours": "1.5",
        "feedback": "0",
    } | changes


def test_an_activity_has_an_end_time_and_hours_of_cpd(client, hub, lead):
    response = client.post(f"/hubs/{hub.slug}/activities/new", data=_activity_form())
    assert response.status_code == 303
    activity = db.session.scalar(select(Activity))
    assert activity.ends_at == datetime(2027, 1, 12, 17, 30)
    assert activity.hours == 1.5
    page = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    assert "12 January 2027, 16:00 to 17:30" in page
    assert "1.5 for each person" in page
    # The edit form shows them as they were typed.
    form = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/edit").text
    assert 'value="17:30"' in form and 'value="1.5"' in form
    # Both may be left out.
    client.post(
        f"/hubs/{hub.slug}/activities/{activity.id}/edit",
        data=_activity_form(ends_at="", hours=" "),
    )
    db.session.expire_all()
    assert (activity.ends_at, activity.hours) == (None, None)


def test_an_edit_posted_without_the_hours_field_keeps_the_hours(client, hub, lead):
    """A post without the field (a hand-made request, or a page of an older version) is
    filled from the activity's stored number: it is read as the hours it stands for."""
    client.post(f"/hubs/{hub.slug}/activities/new", data=_activity_form())
    activity = db.session.scalar(select(Activity))
    form = _activity_form(title="Phonics, part two")
    del form["hours"]
    response = client.post(f"/hubs/{hub.slug}/activities/{activity.id}/edit", data=form)
    assert response.status_code == 303
    db.session.expire_all()
    assert (activity.title, activity.hours) == ("Phonics, part two", 1.5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "15:00"}, "The end time must be after the start time"),
        ({"ends_at": "16:00"}, "The end time must be after the start time"),
        ({"ends_at": "24:00"}, "Enter the end time as hours and minutes, like 17:30"),
        ({"ends_at": "half five"}, "Enter the end time as hours and minutes, like 17:30"),
        ({"hours": "²"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "\u0661\u066b\u0665"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "9" * 5000}, "Enter the hours as a number, like 1.5"),
        ({"hours": "1e1"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "-1"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "NaN"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "1,5"}, "Enter the hours as a number, like 1.5"),
        ({"hours": "0"}, "Hours of CPD must be between 0.25 and 40"),
        ({"hours": "0.2"}, "Hours of CPD must be between 0.25 and 40"),
        ({"hours": "40.25"}, "Hours of CPD must be between 0.25 and 40"),
        ({"hours": "999"}, "Hours of CPD must be between 0.25 and 40"),
        ({"hours": "1.3"}, "Enter the hours in quarter hours, like 1.25, 1.5 or 1.75"),
    ],
)
def test_silly_end_times_and_hours_are_refused_with_a_message(client, hub, lead, changes, message):
    response = client.post(f"/hubs/{hub.slug}/activities/new", data=_activity_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(select(func.count(Activity.id))) == 0


@pytest.mark.parametrize("hours", ["0.25", "40", ".75", "2", "1.50", "3 hours"])
def test_hours_in_quarter_hours_from_a_quarter_to_forty_are_kept(client, hub, lead, hours):
    response = client.post(f"/hubs/{hub.slug}/activities/new", data=_activity_form(hours=hours))
    assert response.status_code == 303
    stored = db.session.scalar(select(Activity.hours))
    assert stored == float(hours.removesuffix(" hours"))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ends_at=st.one_of(st.sampled_from(NASTY), st.text(max_size=12)),
    hours=st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.floats().map(repr)),
)
def test_any_end_time_or_hours_is_kept_as_the_form_allows_or_refused(
    client, hub, lead, ends_at, hours
):
    response = client.post(
        f"/hubs/{hub.slug}/activities/new", data=_activity_form(ends_at=ends_at, hours=hours)
    )
    assert response.status_code in (303, 422), response.status_code
    assert SCRIPT not in response.text
    assert_rows_obey_the_forms()


# The register: people added, changed and removed


def test_the_lead_adds_people_one_after_another_at_the_door(client, hub, lead):
    hill = make_school(hub, "Hill Primary", status="active")
    make_school(hub, "Gone Primary", status="left")
    activity = _activity(hub, hours=1.5)
    page = client.get(_register_url(hub, activity))
    assert page.status_code == 200
    # The hub's current partners, and another school; not a school that has left.
    assert "Hill Primary" in page.text and "Gone Primary" not in page.text
    assert "Another school, or none" in page.text

    response = client.post(
        _register_url(hub, activity),
        data={"name": "  Ann   Smith ", "email": "ann@hill.example", "school": str(hill.id),
              "role": "ect"},
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == _register_url(hub, activity)
    page = client.get(_register_url(hub, activity)).text
    assert "Added Ann Smith" in page
    # The form is empty, ready for the next person.
    assert re.search(r'<input [^>]*name="name"[^>]*value=""', page)
    client.post(_register_url(hub, activity), data={"name": "Bo Jones", "email": "", "school": "0"})

    ann, bo = _people(activity)
    assert (ann.name, ann.email, ann.school_id, ann.role) == (
        "Ann Smith", "ann@hill.example", hill.id, "ect",
    )  # fmt: skip
    assert (bo.name, bo.email, bo.school_id, bo.role) == ("Bo Jones", "", None, None)
    assert ann.created_by_id == lead.id and ann.hub_id == hub.id
    page = client.get(_register_url(hub, activity)).text
    listed = page.split('id="register-list"')[1]
    assert "Early career teacher" in listed and "Another school" in listed
    assert "ann@hill.example" not in listed  # whether an email is held, not the email
    assert listed.count(">Held<") == 1 and listed.count(">None<") == 1

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attendance-saved").order_by(AuditEntry.id)
    ).all()
    assert [(e.target, e.detail) for e in entries] == [
        (f"activity {activity.id}: Phonics in reception", f"register entry {ann.id}: added"),
        (f"activity {activity.id}: Phonics in reception", f"register entry {bo.id}: added"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "school": "0"}, "Enter the person&#39;s name"),
        ({"name": "   ", "school": "0"}, "Enter the person&#39;s name"),
        ({"name": "A" * 121, "school": "0"}, "Name must be 120 characters or fewer"),
        ({"name": "Ann", "school": ""}, "Choose their school from the list, or Another school"),
        ({"name": "Ann", "school": "²"}, "Choose their school from the list, or Another school"),
        (
            {"name": "Ann", "school": "9" * 5000},
            "Choose their school from the list, or Another school",
        ),
        ({"name": "Ann", "school": "0", "email": "ann"}, "Enter an email address like"),
        ({"name": "Ann", "school": "0", "role": "admin"}, "Choose a role from the list"),
    ],
)
def test_a_person_needs_a_name_and_a_school_from_the_list(client, hub, lead, data, message):
    activity = _activity(hub)
    response = client.post(_register_url(hub, activity), data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _people(activity) == []


def test_another_hubs_school_cannot_be_chosen(client, hub, lead):
    activity = _activity(hub)
    theirs = make_school(make_hub("York Hub"), "York Primary")
    response = client.post(
        _register_url(hub, activity), data={"name": "Ann", "school": str(theirs.id)}
    )
    assert response.status_code == 422
    assert _people(activity) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(
                st.sampled_from(NASTY),
                st.text(max_size=300),
                st.lists(st.text(max_size=5), min_size=2, max_size=3),
            )
            for name in ("name", "email", "school", "role", "csrf_token")
        },
    ),
    change=st.booleans(),
)
def test_hostile_text_on_the_register_is_refused_or_kept_as_the_form_allows(
    client, hub, lead, data, change
):
    activity = db.session.scalar(select(Activity)) or _activity(hub)
    person = db.session.scalar(select(Attendance)) or add_person(activity, Person("Ann"), lead)
    url = _register_url(hub, activity, f"/{person.id}" if change else "")
    response = client.post(url, data=data)
    assert response.status_code in (303, 422), response.status_code
    assert SCRIPT not in response.text
    assert_rows_obey_the_forms()


def test_the_lead_changes_and_removes_a_person(client, hub, lead):
    hill = make_school(hub, "Hill Primary")
    activity = _activity(hub)
    ann = add_person(activity, Person("Ann Smith", "ann@hill.example", hill.id, "teacher"), lead)
    page = client.get(_register_url(hub, activity, f"/{ann.id}"))
    assert page.status_code == 200
    assert 'value="Ann Smith"' in page.text and 'value="ann@hill.example"' in page.text
    assert f'<option selected value="{hill.id}">' in page.text

    response = client.post(
        _register_url(hub, activity, f"/{ann.id}"),
        data={"name": "Ann Smyth", "email": "ann@new.example", "school": "0", "role": "teacher"},
    )
    assert response.status_code == 303
    assert "Saved Ann Smyth" in client.get(_register_url(hub, activity)).text
    (changed,) = _people(activity)
    assert (changed.name, changed.email, changed.school_id) == (
        "Ann Smyth",
        "ann@new.example",
        None,
    )

    response = client.post(_register_url(hub, activity, f"/{ann.id}/remove"))
    assert response.status_code == 303
    assert "Removed Ann Smyth from the register" in client.get(_register_url(hub, activity)).text
    assert _people(activity) == []
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(["attendance-saved", "attendance-removed"]))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.detail) for e in entries] == [
        ("attendance-saved", f"register entry {ann.id}: added"),
        ("attendance-saved", f"register entry {ann.id}: changed name, email, school"),
        ("attendance-removed", f"register entry {ann.id}: removed"),
    ]
    logged = " ".join(f"{e.target} {e.detail}" for e in entries).lower()
    assert "@" not in logged and "smith" not in logged and "smyth" not in logged


def test_a_school_that_has_left_stays_choosable_for_someone_already_from_it(client, hub, lead):
    gone = make_school(hub, "Gone Primary", status="left")
    activity = _activity(hub)
    bo = add_person(activity, Person("Bo Jones", "", gone.id), lead)
    page = client.get(_register_url(hub, activity, f"/{bo.id}")).text
    assert f'<option selected value="{gone.id}">Gone Primary</option>' in page
    response = client.post(
        _register_url(hub, activity, f"/{bo.id}"),
        data={"name": "Bo Jones", "school": str(gone.id)},
    )
    assert response.status_code == 303
    assert _people(activity)[0].school_id == gone.id


# Totals


def test_totals_count_people_schools_and_hours_as_worked_by_hand(client, hub, lead):
    hill, beck = make_school(hub, "Hill Primary"), make_school(hub, "Beck Primary")
    activity = _activity(hub, hours=1.5)
    for name, school in [("A", hill), ("B", hill), ("C", beck), ("D", None), ("E", None)]:
        add_person(activity, Person(name, f"{name.lower()}@x.example", school and school.id), lead)
    other = _activity(hub, "Another session", hours=2)
    add_person(other, Person("F", "", hill.id), lead)

    # 5 people; 2 schools (Hill twice, Beck once; two from no partner school);
    # 1.5 hours each: 7.5 hours of CPD. The other session's person is not counted.
    figures = totals(activity)
    assert (figures.people, figures.schools, figures.with_email) == (5, 2, 5)
    assert figures.cpd_hours == 7.5
    page = client.get(_register_url(hub, activity)).text
    assert "5 people from 2 schools: 7.5 hours of CPD." in page
    show = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    totals_list = show.split('id="register-totals"')[1].split("</dl>")[0]
    assert re.findall(r"__value\">([^<]*)<", totals_list) == ["5", "2", "7.5 (1.5 each)"]

    # Without hours, the page says where to set them.
    no_hours = _activity(hub, "No hours yet")
    add_person(no_hours, Person("G"), lead)
    assert totals(no_hours).cpd_hours is None
    assert (
        "Not set: add the hours to the activity"
        in client.get(f"/hubs/{hub.slug}/activities/{no_hours.id}/").text
    )


def test_many_people_on_quarter_hours_sum_exactly(app, hub):
    activity = _activity(hub, hours=0.25)
    db.session.add_all(
        Attendance(hub_id=hub.id, activity_id=activity.id, name=f"P{n}") for n in range(1001)
    )
    db.session.commit()
    assert totals(activity).cpd_hours == 250.25
    assert totals(activity).cpd_hours_text == "250.25"
    activity.hours = 40
    db.session.commit()
    assert totals(activity).cpd_hours_text == "40,040"


# The feedback link at the session's end


def _with_register(hub, ends_at, lead=None):
    """An activity with Ann and Bo (emails) and Cy (none) on its register."""
    school = make_school(hub, "Hill Primary")
    activity = _activity(hub, ends_at=ends_at, starts_at=ends_at - timedelta(hours=2))
    for name, email in [("Ann Smith", "ann@hill.example"), ("Bo Jones", "bo@hill.example"),
                        ("Cy Brown", "")]:  # fmt: skip
        add_person(activity, Person(name, email, school.id), lead)
    return activity


def _status_text(client, hub, activity) -> str:
    page = client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    return " ".join(page.split('id="feedback-links">')[1].split("</p>")[0].split())


def test_the_job_sends_the_link_once_to_each_attendee_with_an_email_after_the_end(mail_app, smtp):
    hub = _hub()
    client = mail_app.test_client()
    sign_in(client, make_user(LEAD, hubs=[hub]))
    now = utcnow()
    ends = _england_now() + timedelta(minutes=30)
    activity = _with_register(hub, ends)
    assert "will be emailed to the 2 people with an email address when the session ends" in (
        _status_text(client, hub, activity)
    )

    # Before the end: nothing.
    assert feedback_links.send_due(now) == "No sessions ended"
    assert feedback_links.send_due(now + timedelta(minutes=29)) == "No sessions ended"
    assert smtp.received == []

    # After it: Ann and Bo, each once; Cy has no email address.
    done = feedback_links.send_due(now + timedelta(minutes=31))
    assert done == f"Feedback links sent for activity {activity.id}: 2"
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["ann@hill.example", "bo@hill.example"]
    ann = smtp.to("ann@hill.example")[0]
    assert ann.subject == "How was Phonics in reception?"
    assert ann.body.startswith("Dear Ann Smith,")
    assert f"/s/{activity.code}" in ann.body
    keys = db.session.scalars(select(Message.key).order_by(Message.key)).all()
    people = _people(activity)
    assert keys == sorted(f"feedback:{activity.id}:{p.id}" for p in people[:2])
    db.session.expire_all()
    assert activity.feedback_sent_at is not None

    # Run again, or the lead presses the button afterwards: nobody gets a second one.
    assert feedback_links.send_due(now + timedelta(minutes=36)) == "No sessions ended"
    response = client.post(f"/hubs/{hub.slug}/activities/{activity.id}/feedback/send")
    assert response.status_code == 303
    assert len(smtp.received) == 2
    assert db.session.scalar(select(func.count(Message.id))) == 2
    status = _status_text(client, hub, activity)
    assert status.startswith("Sent to 2 people on the register on ")
    assert (
        "Send the feedback link now"
        not in client.get(f"/hubs/{hub.slug}/activities/{activity.id}/").text
    )

    # Someone added later is not sent it by the job, but the button sends theirs only.
    add_person(activity, Person("Di Green", "di@hill.example"), None)
    assert "1 person added since has not had it" in _status_text(client, hub, activity)
    assert feedback_links.send_due(now + timedelta(minutes=41)) == "No sessions ended"
    client.post(f"/hubs/{hub.slug}/activities/{activity.id}/feedback/send")
    assert [r.rcpt_tos for r in smtp.received[2:]] == [["di@hill.example"]]
    # No answer and no other attendee's details in any message.
    for received in smtp.received:
        assert "Bo Jones" not in received.body or received.rcpt_tos == ["bo@hill.example"]


def test_the_link_in_the_message_opens_the_activitys_feedback(mail_app, smtp):
    hub = _hub()
    _with_register(hub, _england_now() - timedelta(minutes=10))
    feedback_links.send_due()
    body = smtp.to("ann@hill.example")[0].body
    (link,) = re.findall(r"https?://\S+", body)
    response = mail_app.test_client().get(urlsplit(link).path)
    assert response.status_code == 200
    assert "How useful was this session for you?" in response.text
    assert "Phonics in reception" in response.text


def test_the_button_sends_before_the_end_time_and_the_job_then_sends_nothing(mail_app, smtp):
    hub = _hub()
    client = mail_app.test_client()
    lead = make_user(LEAD, hubs=[hub])
    sign_in(client, lead)
    activity = _with_register(hub, _england_now() + timedelta(hours=1))
    response = client.post(f"/hubs/{hub.slug}/activities/{activity.id}/feedback/send")
    assert response.status_code == 303
    assert "Sending the feedback link to 2 people." in client.get(response.headers["Location"]).text
    assert len(smtp.received) == 2
    assert {m.created_by_id for m in db.session.scalars(select(Message))} == {lead.id}
    assert feedback_links.send_due(utcnow() + timedelta(hours=2)) == "No sessions ended"
    assert len(smtp.received) == 2


def test_the_end_time_is_read_as_the_clock_in_england(app, hub):
    """Activities' times are kept as typed: in June, 17:00 in England is 16:00 UTC."""
    activity = _with_register(hub, datetime(2027, 6, 10, 17, 0))
    assert feedback_links.due_activities(datetime(2027, 6, 10, 15, 59)) == []
    assert feedback_links.due_activities(datetime(2027, 6, 10, 16, 0)) == [activity]
    # In January England keeps UTC.
    winter = _with_register(make_hub("York Hub"), datetime(2027, 1, 10, 17, 0))
    assert winter not in feedback_links.due_activities(datetime(2027, 1, 10, 16, 59))
    assert winter in feedback_links.due_activities(datetime(2027, 1, 10, 17, 0))


def test_sessions_that_ended_over_a_week_ago_or_have_nobody_to_email_are_left(app, hub, client):
    sign_in(client, make_user(LEAD, hubs=[hub]))
    old = _with_register(hub, _england_now() - timedelta(days=7, minutes=1))
    nobody = _activity(hub, "Nobody with email", ends_at=_england_now() - timedelta(hours=1))
    add_person(nobody, Person("Cy Brown"), None)
    no_end = _activity(hub, "No end time")
    add_person(no_end, Person("Ann", "ann@hill.example"), None)
    assert feedback_links.due_activities(utcnow()) == []
    assert feedback_links.send_due() == "No sessions ended"
    assert db.session.scalar(select(func.count(Message.id))) == 0
    assert "ended more than a week ago" in _status_text(client, hub, old)
    assert "Nobody on the register has an email address" in _status_text(client, hub, nobody)
    assert "has no end time" in _status_text(client, hub, no_end)
    # Without a mail server, what the button sends waits in the outbox.
    client.post(f"/hubs/{hub.slug}/activities/{old.id}/feedback/send")
    assert set(db.session.scalars(select(Message.state))) == {"waiting"}
    assert db.session.scalar(select(func.count(Message.id))) == 2


def test_the_worker_runs_the_job_every_five_minutes(mail_app, smtp):
    hub = _hub()
    activity = _with_register(hub, _england_now() - timedelta(minutes=3))
    huey = mail_app.extensions["huey"]
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    due = [
        minute
        for minute in range(60)
        for task in huey.read_periodic(hour + timedelta(minutes=minute))
        if task.name == "feedback-links"
    ]
    assert due == list(range(0, 60, 5))
    (task,) = [t for t in huey.read_periodic(hour) if t.name == "feedback-links"]
    huey.execute(task)  # as the worker runs it: in its own app context
    assert len(smtp.received) == 2
    run = db.session.get(JobRun, "feedback-links", populate_existing=True)
    assert run.detail == f"Feedback links sent for activity {activity.id}: 2"
    db.session.commit()
    huey.execute(task)
    assert len(smtp.received) == 2
    assert db.session.get(JobRun, "feedback-links", populate_existing=True).detail == (
        "No sessions ended"
    )


# Hubs apart


def test_staff_of_another_hub_get_404_for_the_register(app, hub, client):
    activity = _with_register(hub, _england_now() + timedelta(hours=1))
    ann = _people(activity)[0]
    york = make_hub("York Hub")
    mine = _activity(york, "York session")
    sign_in(client, make_user("lead@york.example", hubs=[york]))
    for slug, activity_id in ((hub.slug, activity.id), (york.slug, activity.id)):
        base = f"/hubs/{slug}/activities/{activity_id}"
        for method, path in [
            ("GET", "/register"),
            ("POST", "/register"),
            ("GET", f"/register/{ann.id}"),
            ("POST", f"/register/{ann.id}"),
            ("POST", f"/register/{ann.id}/remove"),
            ("GET", "/register.csv"),
            ("POST", "/feedback/send"),
        ]:
            data = {"name": "Eve", "school": "0"}
            response = client.open(base + path, method=method, data=data)
            assert response.status_code == 404, (method, base + path)
    # Their register entry through my own activity is not found either.
    for method in ("GET", "POST"):
        response = client.open(_register_url(york, mine, f"/{ann.id}"), method=method)
        assert response.status_code == 404
    assert client.post(_register_url(york, mine, f"/{ann.id}/remove")).status_code == 404
    assert len(_people(activity)) == 3
    assert db.session.scalar(select(func.count(Message.id))) == 0


# The register as a CSV file


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_register_downloads_as_csv_one_row_per_person_and_runs_no_formula(
    client,
    hub,
    lead,
    soffice,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    hill = make_school(hub, "Hill, Primary")
    activity = _activity(hub, "Phonics: =1+1", hours=1.5)
    for n, name in enumerate(HOSTILE_NAMES):
        add_person(activity, Person(name, f"p{n}@hill.example", hill.id, "teacher"), lead)
    add_person(activity, Person("Zed", "", None, None), lead)
    page = client.get(_register_url(hub, activity)).text
    assert "Download the register (CSV)" in page

    response = client.get(_register_url(hub, activity, ".csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    name = re.search(r"filename=(\S+)", response.headers["Content-Disposition"])[1]
    assert re.fullmatch(r"register-phonics_1_1-\d{4}-\d\d-\d\d\.csv", name)
    rows = _csv_rows(response.data)
    assert rows[0] == ["name", "email", "school", "role", "hours"]
    assert len(rows) == 1 + len(HOSTILE_NAMES) + 1
    by_name = {row[0]: row for row in rows[1:]}
    for n, person in enumerate(HOSTILE_NAMES):
        assert by_name[safe(person)] == [safe(person), f"p{n}@hill.example", "Hill, Primary",
                                         "Teacher", "1.5"]  # fmt: skip
    assert by_name["Zed"] == ["Zed", "", "", "", "1.5"]
    record = db.session.scalar(select(ExportRecord))
    assert (record.what, record.fmt, record.filters) == (
        "register",
        "csv",
        f"activity={activity.id}",
    )
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export")) is not None

    path = tmp_path / "register.csv"
    path.write_bytes(response.data)
    for separators in ("44", "44/59"):
        (book,) = soffice([path], separators)
        assert book.active.max_row == len(rows), separators
        for row in book.active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        if separators == "44":
            names = [row[0].value for row in book.active.iter_rows(min_row=2)]
            assert sorted(names) == sorted(safe(n) for n in [*HOSTILE_NAMES, "Zed"])
            assert {row[4].value for row in book.active.iter_rows(min_row=2)} == {1.5}


# Privacy: found, handed over, erased; and purged with the feedback survey's answers


def _privacy(hub, path=""):
    return f"/hubs/{hub.slug}/privacy/{path}"


def test_a_person_on_a_register_is_found_handed_their_data_and_erased(client, hub, lead):
    hill = make_school(hub, "Hill Primary")
    first = _activity(hub, "Phonics in reception", hours=2)
    second = _activity(hub, "Early reading", starts_at=START + timedelta(days=7))
    ann = [
        add_person(first, Person("Ann Smith", "ann@hill.example", hill.id, "senco"), lead),
        add_person(second, Person("Ann  Smith", "ANN@hill.example"), lead),
    ]
    bo = add_person(first, Person("Bo Annison", "bo@hill.example"), lead)
    # The feedback link already emailed to Ann, and to Bo.
    feedback_links.send_links(first)
    assert db.session.scalar(select(func.count(Message.id))) == 2

    page = client.post(_privacy(hub), data={"term": "Ann@Hill.Example"}).text
    found = re.findall(r'name="attendance" type="checkbox" value="(\d+)"', page)
    assert found == [str(ann[1].id), str(ann[0].id)]  # the latest activity first
    assert "2 register entries found" in page and "Register: Phonics in reception" in page
    by_name = client.post(_privacy(hub), data={"term": "ann"}).text
    assert len(re.findall(r'name="attendance" type="checkbox"', by_name)) == 3  # Bo Annison too

    ids = [a.id for a in ann]
    download = client.post(_privacy(hub, "download"), data={"term": "ann@hill.example",
                                                           "attendance": ids})  # fmt: skip
    assert download.status_code == 200
    rows = _csv_rows(download.data)
    facts = {(row[0], row[5]): row[6] for row in rows[1:]}
    assert facts[("Register: Phonics in reception", "School")] == "Hill Primary"
    assert facts[("Register: Phonics in reception", "Role")] == "SENCO"
    assert facts[("Register: Phonics in reception", "Hours of CPD")] == "2"
    assert facts[("Register: Early reading", "Email")] == "ANN@hill.example"

    confirm = client.post(_privacy(hub, "erase"), data={"term": "ann@hill.example",
                                                       "attendance": ids})  # fmt: skip
    assert "Delete 2 register entries?" in confirm.text
    assert "1 on Phonics in reception" in confirm.text and "1 on Early reading" in confirm.text
    assert len(_people(first)) == 2

    erased = client.post(
        _privacy(hub, "erase/confirmed"), data={"term": "ann@hill.example", "attendance": ids}
    )
    assert erased.status_code == 303
    assert "Deleted 2 register entries." in client.get(_privacy(hub)).text
    assert [p.id for p in _people(first)] == [bo.id]
    assert _people(second) == []
    # The message to Ann went with her entry; Bo's stays.
    assert db.session.scalars(select(Message.to_email)).all() == ["bo@hill.example"]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(["access-download", "attendance-removed"]))
    ).all()
    assert sorted((e.action, e.target) for e in entries) == sorted([
        ("access-download", f"1 register entry in activity {first.id}: Phonics in reception"),
        ("access-download", f"1 register entry in activity {second.id}: Early reading"),
        ("attendance-removed", f"1 register entry in activity {first.id}: Phonics in reception"),
        ("attendance-removed", f"1 register entry in activity {second.id}: Early reading"),
    ])  # fmt: skip
    logged = " ".join(f"{e.target} {e.detail}" for e in db.session.scalars(select(AuditEntry)))
    assert "ann" not in logged.lower() and "senco" not in logged.lower()


def test_another_hubs_register_entry_cannot_be_chosen(client, hub, lead):
    york = make_hub("York Hub")
    theirs = add_person(_activity(york, "York session"), Person("Ann", "ann@york.example"), None)
    assert "register entr" not in client.post(_privacy(hub), data={"term": "ann"}).text
    for path in ("download", "erase", "erase/confirmed"):
        data = {"term": "ann", "attendance": [theirs.id]}
        assert client.post(_privacy(hub, path), data=data).status_code == 404
    for bad in ("²", "9" * 5000, str(2**31), "-1"):
        data = {"term": "ann", "attendance": [bad]}
        status = client.post(_privacy(hub, "erase/confirmed"), data=data).status_code
        assert 400 <= status < 500
    assert db.session.get(Attendance, theirs.id) is not None


def test_register_entries_go_when_the_feedback_surveys_keep_until_date_passes(app, hub):
    kept = _activity(hub, "Still kept")
    expired = _activity(hub, "Kept until yesterday")
    expired.survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    for activity in (kept, expired):
        for name in ("Ann", "Bo"):
            add_person(activity, Person(name, f"{name.lower()}@hill.example"), None)
            # The feedback link each was emailed when the session ended.
            queue(
                hub,
                kind="feedback",
                key=f"feedback:{activity.id}:{name}",
                to_email=f"{name.lower()}@hill.example",
                to_name=name,
                subject="How was the session?",
                body="Tell us: http://localhost/s/CODE",
                survey=activity.survey,
            )
    db.session.commit()
    overdue = still_expired()
    assert (overdue["register_entries"], overdue["messages"]) == (2, 2)

    purged = purge_expired()
    assert purged.register_entries == 2 and purged.messages == 2
    left = db.session.scalars(select(Message.survey_id)).all()
    assert left == [kept.survey_id, kept.survey_id]
    assert still_expired() == {
        "responses": 0,
        "drafts": 0,
        "register_entries": 0,
        "messages": 0,
        "follow_ups": 0,
    }
    assert "2 register entries past their feedback survey's keep-until date" in str(purged)
    assert len(_people(kept)) == 2 and _people(expired) == []
    (entry,) = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "purge", AuditEntry.target.startswith("activity ")
        )
    ).all()
    assert entry.target == f"activity {expired.id}: Kept until yesterday"
    assert entry.detail.startswith("2 register entries deleted")
    assert purge_expired().register_entries == 0


def test_a_shared_feedback_survey_expiring_clears_every_register_that_uses_it(app, hub):
    first = _activity(hub, "Session one")
    second = save_activity(
        hub, None, [], [], shared_survey=first.survey, title="Session two", kind="training",
        starts_at=START,
    )  # fmt: skip
    for activity in (first, second):
        add_person(activity, Person("Ann"), None)
    first.survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    assert purge_expired().register_entries == 2
    db.session.execute(delete(AuditEntry))
    db.session.commit()
    assert db.session.scalar(select(func.count(Attendance.id))) == 0
