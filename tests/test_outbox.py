"""The outbox: email that is real and never makes the lead wait.

Mail goes to a real SMTP server in the test process (tests/mail_server.py), and the tests
assert on what it receives. Without a mail server, messages wait for the lead to send by hand,
copy, or download for a mail merge."""

import csv
import io
import re
from datetime import timedelta

import flask_mail
import pytest
from factories import make_hub, make_school, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mail_server import SENDER
from sqlalchemy import delete, func, select
from test_exports import soffice  # noqa: F401  (a fixture: CSV to XLSX by LibreOffice)

from hubsurvey import create_app
from hubsurvey.admin.services import load_reference_data
from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.models import (
    AuditEntry,
    Contact,
    ExportRecord,
    LinkToken,
    Message,
    User,
    utcnow,
)
from hubsurvey.outbox import sending
from hubsurvey.outbox.services import dispatch, queue
from hubsurvey.reports.exports import safe

LEAD = "lead@north.example"


@pytest.fixture
def hub(app):
    return make_hub("North Hub")


@pytest.fixture
def mail_hub(mail_app):
    return make_hub("North Hub")


def _signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def _queue(hub, key="invite:1", to="head@hill.example", **fields) -> Message:
    values = {
        "kind": "invitation",
        "to_email": to,
        "to_name": "Ann Head",
        "subject": "Training needs survey",
        "body": "Dear Ann,\n\nPlease share the survey.\n",
    }
    message = queue(hub, key=key, **(values | fields))
    db.session.commit()
    return message


def _fresh(message: Message) -> Message:
    """The message as stored now, after a job wrote it in its own session."""
    found = db.session.get(Message, message.id, populate_existing=True)
    # Ends the read: on SQLite a transaction left open here would hold up the next request.
    db.session.commit()
    return found


def _contact(hub, school, email="head@hill.example", **fields) -> Contact:
    contact = Contact(
        hub_id=hub.id,
        school_id=school.id,
        kind="head",
        name="Ann Head",
        email=email,
        public_id=new_public_id(),
        **fields,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


# Sending: what a real mail server receives


def test_a_queued_message_is_sent_at_once_with_its_own_message_id(mail_hub, smtp):
    message = _queue(mail_hub)
    assert message.state == "queued"
    dispatch([message])

    (received,) = smtp.received
    assert received.rcpt_tos == ["head@hill.example"]
    assert received.mail_from == "hub@north.example"
    assert received.subject == "Training needs survey"
    assert received.email["To"] == "Ann Head <head@hill.example>"
    assert received.message_id == f"<message-{message.id}.hub-{mail_hub.id}@north.example>"
    assert received.email.get_content_type() == "text/plain"
    assert received.body.replace("\r\n", "\n") == "Dear Ann,\n\nPlease share the survey.\n"
    stored = _fresh(message)
    assert (stored.state, stored.attempts, stored.last_error) == ("sent", 1, "")
    assert stored.sent_at is not None


def test_the_contact_footer_links_to_a_page_that_works(mail_app, mail_hub, smtp):
    if "contact_page.show" not in mail_app.view_functions:
        pytest.skip("the contact page (contact_page.show) is not built yet")
    contact = _contact(mail_hub, make_school(mail_hub, "Hill Primary"))
    message = _queue(mail_hub, contact=contact, school=contact.school)
    dispatch([message])

    (received,) = smtp.received
    footer = received.body.strip().splitlines()[-1]
    assert footer.startswith("Why you get this email, and how to stop it: http://")
    (url,) = _links(footer)
    # Opened by the contact, who is not signed in.
    page = mail_app.test_client().get(url)
    assert page.status_code == 200
    assert "Hill Primary" in page.text


def test_messages_queued_while_the_server_is_down_go_out_when_it_is_back(mail_hub, smtp):
    smtp.stop()
    messages = [_queue(mail_hub, key=f"invite:{i}", to=f"head{i}@hill.example") for i in range(3)]
    dispatch(messages)
    refused = f"The mail server refused the connection (127.0.0.1:{smtp.port})."
    for message in messages:
        stored = _fresh(message)
        # A server that cannot be reached uses up no attempt: the messages wait for it.
        assert (stored.state, stored.attempts, stored.last_error) == ("queued", 0, refused)
    later = utcnow()
    for _ in range(6):  # down all day
        later += timedelta(hours=3)
        sending.sweep(later)
    assert {(_fresh(m).state, _fresh(m).attempts) for m in messages} == {("queued", 0)}

    smtp.start()
    sending.sweep(later + timedelta(minutes=1))
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "head0@hill.example",
        "head1@hill.example",
        "head2@hill.example",
    ]
    assert {_fresh(m).state for m in messages} == {"sent"}
    # Sweeping again sends nothing twice.
    sending.sweep(utcnow() + timedelta(hours=3))
    assert len(smtp.received) == 3


def test_the_worker_sweeps_every_minute(mail_app):
    huey = mail_app.extensions["huey"]
    now = utcnow().replace(second=0, microsecond=0)
    for minute in range(3):
        names = [task.name for task in huey.read_periodic(now + timedelta(minutes=minute))]
        assert "outbox.sweep" in names


def test_a_worker_that_stopped_mid_batch_never_sends_a_duplicate(mail_app, mail_hub, smtp):
    messages = [_queue(mail_hub, key=f"invite:{i}", to=f"head{i}@hill.example") for i in range(3)]
    ids = [m.id for m in messages]

    class WorkerStopped(BaseException):
        """The process ending (killed, restarted) just after the server took the message."""

    def stop_after_first(_app, message):
        raise WorkerStopped

    # Not dispatched: the worker runs the batch, and stops once the first message has gone.
    with (
        flask_mail.email_dispatched.connected_to(stop_after_first),
        pytest.raises(WorkerStopped),
    ):
        sending.send_messages(ids)
    assert len(smtp.received) == 1
    assert [_fresh(m).state for m in messages] == ["sending", "queued", "queued"]

    # The worker starts again and runs the batch again, and the sweep runs too.
    assert sending.send_messages(ids) == 2
    sending.sweep(utcnow() + timedelta(minutes=5))
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "head0@hill.example",
        "head1@hill.example",
        "head2@hill.example",
    ]
    # The first may or may not have arrived, as far as the app knows: it fails, saying so,
    # and is never sent again by itself.
    first = _fresh(messages[0])
    assert first.state == "sending"
    sending.sweep(utcnow() + timedelta(minutes=11))
    first = _fresh(messages[0])
    assert first.state == "failed"
    assert first.last_error == sending.STOPPED
    sending.sweep(utcnow() + timedelta(days=1))
    assert len(smtp.received) == 3


def test_five_failed_attempts_fail_the_message_then_try_again_sends_it(mail_app, mail_hub, smtp):
    lead = make_user(LEAD, hubs=[mail_hub])
    message = _queue(mail_hub)
    smtp.busy.add(message.to_email)  # the server answers, but will not take it for now
    dispatch([message])
    later = utcnow()
    for _ in range(4):
        later += timedelta(hours=3)
        sending.sweep(later)
    failed = _fresh(message)
    assert failed.state == "failed"
    assert failed.attempts == 5
    assert failed.last_error.startswith(f"The mail server refused the address {message.to_email}")
    assert failed.last_error.endswith("Tried 5 times.")
    client = _signed_in(mail_app, lead)
    page = client.get(f"/hubs/{mail_hub.slug}/outbox/?state=failed")
    assert "Tried 5 times." in page.text and "Training needs survey" in page.text

    smtp.busy.clear()
    shown = client.get(f"/hubs/{mail_hub.slug}/outbox/{message.id}")
    assert "Try again" in shown.text
    again = client.post(f"/hubs/{mail_hub.slug}/outbox/{message.id}/try-again")
    assert again.status_code == 303
    (received,) = smtp.received
    assert received.message_id == f"<message-{message.id}.hub-{mail_hub.id}@north.example>"
    assert _fresh(message).state == "sent"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "message-retried"))
    assert entry.hub_id == mail_hub.id and entry.actor == LEAD
    assert entry.target == f"message {message.id}: Training needs survey"
    # A message that has not failed is not sent again.
    client.post(f"/hubs/{mail_hub.slug}/outbox/{message.id}/try-again")
    assert len(smtp.received) == 1


def test_a_refused_address_fails_at_once_and_the_rest_of_the_batch_goes(mail_hub, smtp):
    smtp.refuse.add("gone@hill.example")
    refused = _queue(mail_hub, key="invite:1", to="gone@hill.example")
    fine = _queue(mail_hub, key="invite:2", to="head@beck.example")
    dispatch([refused, fine])
    stored = _fresh(refused)
    assert stored.state == "failed"
    assert stored.last_error == (
        "The mail server refused the address gone@hill.example (550 5.1.1 No such mailbox here)."
    )
    assert [r.rcpt_tos for r in smtp.received] == [["head@beck.example"]]
    assert _fresh(fine).state == "sent"


# queue(): the API the rest of the app calls


def test_queue_twice_with_one_key_makes_one_message(mail_hub, smtp):
    first = _queue(mail_hub, key="remind:survey1:school2")
    again = _queue(mail_hub, key="remind:survey1:school2", subject="Another subject")
    assert again.id == first.id and again.subject == "Training needs survey"
    dispatch([first, again])
    # Once sent, asking for it again returns it as it is, and sends nothing.
    later = _queue(mail_hub, key="remind:survey1:school2")
    dispatch([later])
    assert later.id == first.id and later.state == "sent"
    assert db.session.scalar(select(func.count(Message.id))) == 1
    assert len(smtp.received) == 1
    # Another hub's message may use the same key.
    other = _queue(make_hub("South Hub", "maths-hub"), key="remind:survey1:school2")
    assert other.id != first.id


def test_queue_skips_a_contact_who_opted_out_or_has_no_email(hub):
    school = make_school(hub, "Hill Primary")
    opted_out = _contact(hub, school, opted_out_at=utcnow())
    no_email = Contact(
        hub_id=hub.id, school_id=school.id, kind="main", email="", public_id=new_public_id()
    )
    db.session.add(no_email)
    db.session.commit()
    assert _queue(hub, key="a", contact=opted_out) is None
    assert _queue(hub, key="b", contact=no_email, to="") is None
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_queue_is_kept_only_with_the_callers_change(hub):
    queue(hub, kind="invitation", key="k", to_email="a@b.example", subject="S", body="B")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_without_a_mail_server_messages_wait_and_the_page_says_how_to_send(app, hub):
    lead = make_user(LEAD, hubs=[hub])
    message = _queue(hub, subject="Phonics network: " + "a-very-long-word" * 8)
    dispatch([message])
    assert _fresh(message).state == "waiting"
    client = _signed_in(app, lead)
    hub_page = client.get(f"/hubs/{hub.slug}/")
    assert f'href="/hubs/{hub.slug}/outbox/"' in hub_page.text
    page = client.get(f"/hubs/{hub.slug}/outbox/")
    assert "Sending is off" in page.text
    for setting in ("MAIL_SERVER", "FLASK_MAIL_SERVER", "instance/config.py", "make run"):
        assert setting in page.text
    assert "Waiting (1)" in page.text
    shown = client.get(f"/hubs/{hub.slug}/outbox/{message.id}")
    assert "Dear Ann," in shown.text and 'data-copy="message-body"' in shown.text
    # The lead sent it by hand.
    done = client.post(f"/hubs/{hub.slug}/outbox/{message.id}/sent")
    assert done.status_code == 303
    stored = _fresh(message)
    assert stored.state == "sent" and stored.sent_at is not None and stored.attempts == 0


def test_mark_as_sent_leaves_a_message_the_worker_has_alone(mail_app, mail_hub, smtp):
    lead = make_user(LEAD, hubs=[mail_hub])
    smtp.stop()
    message = _queue(mail_hub)  # queued, not yet sent
    client = _signed_in(mail_app, lead)
    client.post(f"/hubs/{mail_hub.slug}/outbox/{message.id}/sent")
    assert _fresh(message).state == "queued"


def test_messages_made_before_sending_was_on_are_sent_when_the_lead_asks(app, hub, make_app, smtp):
    lead = make_user(LEAD, hubs=[hub])
    made = [_queue(hub, key=f"k{i}", to=f"head{i}@hill.example") for i in range(2)]
    assert {m.state for m in made} == {"waiting"}
    # Whoever runs the server sets MAIL_SERVER and restarts.
    mail_app = make_app(**smtp.settings)
    client = _signed_in(mail_app, lead)
    page = client.get(f"/hubs/{hub.slug}/outbox/")
    assert "Sending is on" in page.text and "Send the 2 waiting messages" in page.text
    assert client.post(f"/hubs/{hub.slug}/outbox/send-waiting").status_code == 303
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "head0@hill.example",
        "head1@hill.example",
    ]
    assert {_fresh(m).state for m in made} == {"sent"}


def test_the_outbox_lists_newest_first_by_page_and_by_state(app, hub):
    lead = make_user(LEAD, hubs=[hub])
    start = utcnow() - timedelta(days=1)
    for i in range(52):
        message = _queue(hub, key=f"k{i}", subject=f"Message number {i:02}")
        message.created_at = start + timedelta(minutes=i)
    message.state, message.sent_at = "sent", utcnow()
    db.session.commit()
    client = _signed_in(app, lead)
    first = client.get(f"/hubs/{hub.slug}/outbox/")
    subjects = re.findall(r"Message number (\d\d)", first.text)
    assert subjects == [f"{i:02}" for i in range(51, 1, -1)]
    assert "Older" in first.text
    second = client.get(f"/hubs/{hub.slug}/outbox/?page=2")
    assert re.findall(r"Message number (\d\d)", second.text) == ["01", "00"]
    sent = client.get(f"/hubs/{hub.slug}/outbox/?state=sent")
    assert re.findall(r"Message number (\d\d)", sent.text) == ["51"]
    assert "Sent (1)" in sent.text and "Waiting (51)" in sent.text
    for query in ("state=nonsense", "page=0", "page=99999999999999999999"):
        assert client.get(f"/hubs/{hub.slug}/outbox/?{query}").status_code == 404


# Staff accounts: the one-time link, emailed


def test_a_new_accounts_link_is_emailed_and_works(mail_app, smtp):
    admin = make_user("admin@hub.example", role="admin")
    client = _signed_in(mail_app, admin)
    page = client.post("/admin/users/new", data={"email": "new@school.example", "role": "staff"})
    assert "We have emailed the link to" in page.text
    shown = re.search(r'id="password-link" type="text" readonly value="([^"]+)"', page.text)[1]
    (received,) = smtp.to("new@school.example")
    assert received.subject == "Set your password for hubsurvey"
    (url,) = [link for link in _links(received.body) if "/password/" in link]
    assert url == shown
    link = db.session.scalar(select(LinkToken).order_by(LinkToken.id.desc()))
    message = db.session.scalar(select(Message))
    assert (message.kind, message.key, message.hub_id) == (
        "account",
        f"account:link:{link.id}",
        None,
    )
    # The link works, for the person it was sent to.
    form = mail_app.test_client().get(url)
    assert form.status_code == 200 and "new@school.example" in form.text
    # Once sent, the outbox keeps no working link.
    assert url not in _fresh(message).body


def test_a_viewers_link_is_emailed_from_the_hub_and_works(mail_app, mail_hub, smtp):
    lead = make_user(LEAD, hubs=[mail_hub])
    client = _signed_in(mail_app, lead)
    page = client.post(
        f"/hubs/{mail_hub.slug}/sharing/viewers",
        data={"email": "chair@trust.example", "viewer_days": "90"},
    )
    assert "We have emailed the link to" in page.text
    (received,) = smtp.to("chair@trust.example")
    assert "North Hub has invited you to read its reports" in received.body
    (url,) = [link for link in _links(received.body) if "/password/" in link]
    assert mail_app.test_client().get(url).status_code == 200
    message = db.session.scalar(select(Message))
    assert message.hub_id == mail_hub.id


def test_without_mail_account_links_are_only_shown(app):
    admin = make_user("admin@hub.example", role="admin")
    client = _signed_in(app, admin)
    page = client.post("/admin/users/new", data={"email": "new@school.example", "role": "staff"})
    assert "this server sends no email" in page.text
    assert db.session.scalar(select(func.count(Message.id))) == 0


# The mail-merge file


BODIES = [
    'Dear Ann,\nline two, with a comma; and a semicolon\n=HYPERLINK("http://x.example")',
    "=1+1",
    "Plain text\r\nwith a Windows line break",
    '"Quoted", she said; -3',
]


def _download(client, hub, query=""):
    response = client.get(f"/hubs/{hub.slug}/outbox/download{query}")
    assert response.status_code == 200
    return response


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_mail_merge_file_keeps_one_row_per_message_and_runs_no_formula(
    app,
    hub,
    soffice,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    lead = make_user(LEAD, hubs=[hub])
    school = make_school(hub, "Hill Primary")
    for i, body in enumerate(BODIES):
        _queue(hub, key=f"k{i}", to=f"head{i}@hill.example", body=body, school=school)
    sent = _queue(hub, key="sent", subject="Already sent")
    sent.state = "sent"
    db.session.commit()

    client = _signed_in(app, lead)
    response = _download(client, hub)
    name = re.search(r"filename=(\S+)", response.headers["Content-Disposition"])[1]
    assert re.fullmatch(rf"outbox-{hub.slug}-\d{{4}}-\d\d-\d\d\.csv", name)
    rows = _rows(response.data)
    assert rows[0] == ["to_email", "to_name", "subject", "body", "school", "kind", "state"]
    assert [row[3] for row in rows[1:]] == [safe(body) for body in BODIES]
    assert rows[1][4:] == ["Hill Primary", "Survey invitation", "Waiting: no mail server"]
    assert "Already sent" not in response.text  # waiting ones only, by default
    assert len(_rows(_download(client, hub, "?state=all").data)) == 1 + len(BODIES) + 1
    record = db.session.scalar(select(ExportRecord))
    assert (record.what, record.fmt, record.filters) == ("outbox", "csv", "state=waiting")

    path = tmp_path / "outbox.csv"
    path.write_bytes(response.data)
    for separators in ("44", "44/59"):
        (book,) = soffice([path], separators)
        assert book.active.max_row == 1 + len(BODIES), separators
        for row in book.active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(min_size=1, max_size=200), subject=st.text(max_size=60))
def test_any_text_makes_one_row_of_the_mail_merge_file(app, hub, body, subject):
    lead = db.session.scalar(select(User).where(User.email == LEAD)) or make_user(LEAD, hubs=[hub])
    db.session.execute(delete(Message))
    db.session.commit()
    _queue(hub, key="one", subject=subject, body=body)
    _queue(hub, key="two", subject="Second", body="Second body")
    rows = _rows(_download(_signed_in(app, lead), hub).data)
    assert len(rows) == 3
    stored = db.session.scalar(select(Message).where(Message.key == "one"))
    assert rows[1][2:4] == [safe(stored.subject), safe(stored.body)]


# The wall between hubs


def test_another_hubs_staff_cannot_reach_the_outbox_or_its_messages(app, hub):
    message = _queue(hub)
    other = make_hub("South Hub", "maths-hub")
    client = _signed_in(app, make_user("lead@south.example", hubs=[other]))
    paths = [
        ("get", f"/hubs/{hub.slug}/outbox/"),
        ("get", f"/hubs/{hub.slug}/outbox/{message.id}"),
        ("get", f"/hubs/{hub.slug}/outbox/download"),
        ("post", f"/hubs/{hub.slug}/outbox/{message.id}/sent"),
        ("post", f"/hubs/{hub.slug}/outbox/{message.id}/try-again"),
        ("post", f"/hubs/{hub.slug}/outbox/send-waiting"),
        # Their own outbox's URL, with this hub's message.
        ("get", f"/hubs/{other.slug}/outbox/{message.id}"),
        ("post", f"/hubs/{other.slug}/outbox/{message.id}/sent"),
    ]
    for method, path in paths:
        assert getattr(client, method)(path).status_code == 404, path
    assert _fresh(message).state == "waiting"


# Configuration


def test_mail_is_set_up_from_prefixed_environment_variables(monkeypatch, make_app, smtp):
    monkeypatch.setenv("FLASK_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("FLASK_MAIL_PORT", str(smtp.port))
    monkeypatch.setenv("FLASK_MAIL_DEFAULT_SENDER", SENDER)
    app = make_app()
    with app.app_context():
        assert app.config["MAIL_PORT"] == smtp.port
        load_reference_data()
        hub = make_hub("North Hub")
        dispatch([_queue(hub)])
    assert len(smtp.received) == 1


def test_production_refuses_a_mail_server_without_a_sender(app_config, database_url):
    settings_ = app_config(
        database_url, PRODUCTION=True, SECRET_KEY="k" * 32, MAIL_SERVER="smtp.example.org"
    )
    with pytest.raises(RuntimeError, match="MAIL_DEFAULT_SENDER"):
        create_app(settings_)
    app = create_app({**settings_, "MAIL_DEFAULT_SENDER": SENDER})
    with app.app_context():
        assert app.config["MAIL_SERVER"] == "smtp.example.org"
        db.engine.dispose()


def test_a_contact_who_stops_email_after_a_message_was_queued_is_not_sent_it(mail_hub, smtp):
    contact = _contact(mail_hub, make_school(mail_hub, "Hill Primary"))
    smtp.stop()  # queued, waiting for the server
    message = _queue(mail_hub, contact=contact)
    dispatch([message])
    contact.opted_out_at = utcnow()
    db.session.commit()
    smtp.start()
    sending.sweep(utcnow() + timedelta(minutes=2))
    assert smtp.received == []
    stored = _fresh(message)
    assert stored.state == "failed"
    assert stored.last_error.startswith("Not sent: the contact has asked the hub to stop")


def test_an_address_email_servers_cannot_take_fails_and_the_batch_goes_on(mail_hub, smtp):
    odd = _queue(mail_hub, key="invite:1", to="zoë@hill.example")
    fine = _queue(mail_hub, key="invite:2", to="head@beck.example")
    dispatch([odd, fine])
    assert _fresh(odd).state == "failed"
    assert "has letters email servers cannot take" in _fresh(odd).last_error
    assert _fresh(fine).state == "sent" and len(smtp.received) == 1


def test_private_links_leave_the_stored_copy_once_the_message_has_gone(mail_hub, smtp):
    head = "http://localhost/head/" + "A1b2" * 11 + "/mou"
    person = "http://localhost/s/ABC234/p/" + "0f" * 32
    message = _queue(mail_hub, kind="mou", body=f"Read it: {head}\nYours: {person}\nThanks")
    dispatch([message])
    (received,) = smtp.received
    assert head in received.body and person in received.body  # the person gets them
    stored = _fresh(message).body
    assert "A1b2" not in stored and "0f0f" not in stored
    assert stored.count("(the private link was removed from the outbox") == 2


def test_after_a_mail_merge_the_lead_marks_the_waiting_messages_sent_at_once(app, hub):
    lead = make_user(LEAD, hubs=[hub])
    first = _queue(hub, key="invite:1", to="a@hill.example")
    second = _queue(hub, key="invite:2", to="b@hill.example")
    client = _signed_in(app, lead)
    page = client.get(f"/hubs/{hub.slug}/outbox/")
    assert "Mark the 2 waiting messages as sent" in page.text
    up_to = re.search(r'name="up_to" value="(\d+)"', page.text).group(1)
    later = _queue(hub, key="invite:3", to="c@hill.example")  # made after the page was opened
    done = client.post(f"/hubs/{hub.slug}/outbox/mark-waiting-sent", data={"up_to": up_to})
    assert "Marked 2 messages as sent." in client.get(done.headers["Location"]).text
    assert [_fresh(m).state for m in (first, second, later)] == ["sent", "sent", "waiting"]
    # Past the largest id a row can have (PostgreSQL's integer) is refused, not looked up.
    for wrong in ("9" * 5000, "175092117263", str(2**31)):
        path = f"/hubs/{hub.slug}/outbox/mark-waiting-sent"
        assert client.post(path, data={"up_to": wrong}).status_code == 400
