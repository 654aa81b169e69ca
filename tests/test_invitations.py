"""Inviting partner schools to a survey and reminding them: each school's own link, who gets
the message, where each school is, and reminders that never write to a school twice."""

import re
from datetime import date, datetime, timedelta

import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in

from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.invitations.services import due_reminders
from hubsurvey.models import AuditEntry, Contact, Message, Reminder, Response, SchoolLink, utcnow
from hubsurvey.surveys.services import create_survey, set_status
from hubsurvey.worker import daily_in_england

LINK = re.compile(r"http://localhost(/s/[A-Z0-9]+/school/[\w-]+)(?=\s)")


@pytest.fixture
def hub(app):
    return make_hub()


@pytest.fixture
def schools(hub):
    return {
        name: make_school(hub, name)
        for name in ("Hill Primary", "Moor Primary", "Dale Academy", "Fell School")
    }


@pytest.fixture
def survey(hub):
    return make_survey(hub)


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))
    return client


def _contact(school, kind="main", email=None, name="Sam Lee", opted_out=False):
    contact = Contact(
        hub_id=school.hub_id,
        school_id=school.id,
        kind=kind,
        name=name,
        role="CPD lead" if kind == "main" else "Headteacher",
        email=email if email is not None else f"{kind}@{school.name.split()[0].lower()}.example",
        public_id=new_public_id(),
        opted_out_at=utcnow() if opted_out else None,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def _invite_form(lead, survey):
    page = lead.get(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/invite")
    assert page.status_code == 200
    subject = re.search(r'name="subject"[^>]*value="([^"]*)"', page.text).group(1)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', page.text, re.S)
    return page, {"to": "main", "subject": subject, "body": body.group(1)}


def _unescape(text):
    return text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')


def _send_invitations(lead, survey, chosen, **changes):
    _page, data = _invite_form(lead, survey)
    data = {k: _unescape(v) for k, v in data.items()}
    data.update(schools=[str(s.id) for s in chosen], action="send")
    data.update(changes)
    return lead.post(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/invite", data=data)


def test_a_teacher_through_a_school_link_has_the_school_filled_in_and_is_counted(
    app, hub, schools, survey
):
    link = SchoolLink(survey=survey, school=schools["Moor Primary"], token="moor-link-token")
    db.session.add(link)
    db.session.commit()
    teacher = app.test_client()
    arrived = teacher.get(f"/s/{survey.code}/school/moor-link-token")
    assert arrived.status_code == 302 and arrived.headers["Location"] == f"/s/{survey.code}"
    started = teacher.post(f"/s/{survey.code}")
    assert started.status_code in (302, 303)
    response = db.session.scalar(db.select(Response))
    assert response.school_id == schools["Moor Primary"].id
    about_you = teacher.get(f"/s/{survey.code}/about-you")
    assert 'value="Moor Primary' in about_you.text  # filled in, and can still be changed
    db.session.refresh(link)
    assert link.opens == 1 and link.opened_at is not None
    # The general link keeps working, with no school filled in.
    other = app.test_client()
    other.post(f"/s/{survey.code}")
    responses = db.session.scalars(db.select(Response).order_by(Response.id)).all()
    assert [r.school_id for r in responses] == [schools["Moor Primary"].id, None]


def test_an_unknown_school_link_is_not_found(app, survey):
    assert app.test_client().get(f"/s/{survey.code}/school/nothing-here").status_code == 404
    assert app.test_client().get(f"/s/{survey.code}/school/nothing-here/qr.png").status_code == 404


def test_the_invite_page_chooses_uninvited_schools_that_have_an_email_address(
    lead, schools, survey
):
    _contact(schools["Hill Primary"])
    _contact(schools["Moor Primary"], kind="head")
    _contact(schools["Dale Academy"], opted_out=True)
    page, data = _invite_form(lead, survey)
    checked = set(
        re.findall(r'name="schools" type="checkbox" value="(\d+)"[^>]*checked', page.text)
    )
    assert checked == {str(schools["Hill Primary"].id), str(schools["Moor Primary"].id)}
    assert "Its contact asked us to stop emailing them." in page.text
    assert "No email address" in page.text  # Fell School
    assert "{link}" in data["body"] and "{school}" in data["body"]


def test_inviting_writes_each_school_its_own_link_once(app, lead, schools, survey):
    hill, moor = schools["Hill Primary"], schools["Moor Primary"]
    _contact(hill, name="Ann Hill")
    _contact(moor, kind="head", name="Raj Moor")
    sent = _send_invitations(lead, survey, [hill, moor])
    assert sent.status_code == 303 and sent.headers["Location"].endswith("#schools")
    messages = db.session.scalars(db.select(Message).order_by(Message.to_email)).all()
    assert [(m.to_email, m.state, m.kind) for m in messages] == [
        ("head@moor.example", "waiting", "invitation"),  # no mail server: in the outbox
        ("main@hill.example", "waiting", "invitation"),
    ]
    for message, school, name in ((messages[0], moor, "Raj Moor"), (messages[1], hill, "Ann Hill")):
        assert message.subject == f"{survey.title}: a few minutes from your staff, please"
        assert f"Dear {name}," in message.body and school.name in message.body
        path = LINK.search(message.body).group(1)
        link = db.session.scalar(db.select(SchoolLink).where(SchoolLink.school_id == school.id))
        assert path == f"/s/{survey.code}/school/{link.token}"
        assert link.invited_at is not None
        # The link in the message works, and its QR code too.
        assert app.test_client().get(path).status_code == 302
        assert app.test_client().get(path + "/qr.png").mimetype == "image/png"
    # The survey page shows who was invited; sending again writes nobody twice.
    page = lead.get(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/")
    assert page.text.count('data-label="Invited">' + f"{date.today():%-d %B %Y}") >= 1
    _send_invitations(lead, survey, [hill, moor])
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 2
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "schools-invited"))
    assert [e.detail for e in audit] == ["Invited 2 schools"]


def test_the_preview_shows_one_schools_message_and_sends_nothing(lead, schools, survey):
    _contact(schools["Hill Primary"], name="Ann Hill")
    _page, data = _invite_form(lead, survey)
    data = {k: _unescape(v) for k, v in data.items()}
    data.update(schools=[str(schools["Hill Primary"].id)], action="preview")
    page = lead.post(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/invite", data=data)
    assert page.status_code == 200
    assert "As Ann Hill at Hill Primary will receive it" in page.text
    assert "Dear Ann Hill," in page.text and "{school}" not in page.text.split("Preview")[-1]
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"body": "Dear {nmae}, here: {link}"}, "We cannot fill in {nmae}"),
        ({"body": "Dear {name}, please answer."}, "Keep {link} in the message"),
        ({"subject": ""}, "Enter a subject"),
        ({"schools": []}, "Choose at least one school to invite"),
        ({"to": "everyone"}, "Not a valid choice"),
    ],
)
def test_a_message_the_app_cannot_send_is_refused_with_a_reason(
    lead, schools, survey, changes, error
):
    _contact(schools["Hill Primary"])
    refused = _send_invitations(lead, survey, [schools["Hill Primary"]], **changes)
    assert refused.status_code == 422
    assert error in _unescape(refused.text)
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_braces_and_markup_in_the_lead_s_words_are_kept_as_typed(lead, schools, survey):
    _contact(schools["Hill Primary"])
    body = "Dear {name}, {} and <b>{school}</b> {link}"
    refused = _send_invitations(lead, survey, [schools["Hill Primary"]], body=body + " {colour}")
    assert refused.status_code == 422  # {colour} is not ours to fill
    fine = _send_invitations(lead, survey, [schools["Hill Primary"]], body=body)
    assert fine.status_code == 303
    message = db.session.scalar(db.select(Message))
    assert "{} and <b>Hill Primary</b>" in message.body


def test_opted_out_contacts_and_schools_without_email_are_skipped_and_said(lead, schools, survey):
    _contact(schools["Hill Primary"])
    _contact(schools["Dale Academy"], opted_out=True)
    sent = _send_invitations(
        lead, survey, [schools["Hill Primary"], schools["Dale Academy"], schools["Fell School"]]
    )
    page = lead.get(sent.headers["Location"])
    assert "Invited 1 school; 2 skipped" in page.text
    assert "Dale Academy (its contact has asked us to stop emailing them)" in page.text
    assert "Fell School (no email address for this school" in page.text
    assert [m.to_email for m in db.session.scalars(db.select(Message))] == ["main@hill.example"]


def test_both_contacts_when_the_lead_asks_and_the_head_when_there_is_no_main_contact(
    lead, schools, survey
):
    _contact(schools["Hill Primary"])
    _contact(schools["Hill Primary"], kind="head")
    _contact(schools["Moor Primary"], kind="head")
    _send_invitations(lead, survey, [schools["Hill Primary"], schools["Moor Primary"]], to="both")
    assert sorted(m.to_email for m in db.session.scalars(db.select(Message))) == [
        "head@hill.example",
        "head@moor.example",
        "main@hill.example",
    ]


def _remind(lead, survey, **fields):
    page = lead.get(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/remind")
    assert page.status_code == 200
    subject = _unescape(re.search(r'name="subject"[^>]*value="([^"]*)"', page.text).group(1))
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', page.text, re.S)
    data = {
        "below": "3",
        "when": "now",
        "to": "main",
        "subject": subject,
        "body": _unescape(body.group(1)),
        "action": "send",
        **fields,
    }
    return lead.post(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/remind", data=data)


def test_reminders_go_to_schools_short_of_answers_and_never_twice_within_the_gap(
    lead, schools, survey
):
    for school in schools.values():
        _contact(school)
    grid = (3,) * len(survey.questions[0].grid_areas)
    for _ in range(3):
        make_needs_response(survey, school=schools["Hill Primary"], grid=grid)
    make_needs_response(survey, school=schools["Moor Primary"], grid=grid)
    make_needs_response(survey, school=schools["Moor Primary"], grid=grid, status="draft")
    db.session.commit()
    reminded = _remind(lead, survey)
    assert reminded.status_code == 303
    to = sorted(m.to_email for m in db.session.scalars(db.select(Message)))
    assert to == ["main@dale.example", "main@fell.example", "main@moor.example"]
    message = db.session.scalar(db.select(Message).where(Message.to_email == "main@moor.example"))
    assert message.kind == "reminder" and "/school/" in message.body
    # Within the gap (3 days by default), nobody is reminded again, and the page says why.
    again = _remind(lead, survey)
    assert "already reminded on" in lead.get(again.headers["Location"]).text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 3


def test_a_reminder_on_a_date_is_sent_by_the_daily_job_once(app, lead, schools, survey):
    _contact(schools["Hill Primary"])
    when = date.today() + timedelta(days=2)
    set_for_later = _remind(lead, survey, when="later", send_on=when.isoformat())
    assert set_for_later.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0
    assert due_reminders(date.today()) == []  # not yet
    with app.test_request_context(base_url="http://localhost"):
        done = due_reminders(when)
    assert done == [f"{survey.title}: Reminded 1 school; 3 skipped"]  # 3 with no address
    with app.test_request_context(base_url="http://localhost"):
        assert due_reminders(when) == []  # done once
    reminder = db.session.scalar(db.select(Reminder))
    assert reminder.outcome == "Reminded 1 school; 3 skipped"
    assert [m.to_email for m in db.session.scalars(db.select(Message))] == ["main@hill.example"]


def test_a_reminder_date_must_be_after_today(lead, schools, survey):
    refused = _remind(lead, survey, when="later", send_on=date.today().isoformat())
    assert refused.status_code == 422
    assert "Choose a date after today" in refused.text


def test_automatic_reminders_go_out_on_their_days_before_closing(app, lead, schools, survey):
    _contact(schools["Hill Primary"])
    survey.closes_on = date.today() + timedelta(days=7)
    db.session.commit()
    saved = lead.post(
        f"/hubs/{survey.hub.slug}/surveys/{survey.id}/reminders/automatic",
        data={"remind_days": "2, 7", "remind_below": "5", "remind_gap_days": "1"},
    )
    assert saved.status_code == 303
    assert survey.remind_days == [7, 2]
    with app.test_request_context(base_url="http://localhost"):
        assert due_reminders(date.today() + timedelta(days=1)) == []  # 6 days before
        first = due_reminders(date.today())  # 7 days before
        assert first == [f"{survey.title} (7 days before closing): Reminded 1 school; 3 skipped"]
        again = due_reminders(date.today())  # the job run twice: written once
        assert again == [f"{survey.title} (7 days before closing): Reminded 0 schools; 4 skipped"]
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 1
    with app.test_request_context(base_url="http://localhost"):
        due_reminders(date.today() + timedelta(days=5))  # 2 days before, past the gap
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 2


@pytest.mark.parametrize("days", ["seven", "0", "61", "7,6,5,4,3,2", "²", "9" * 5000])
def test_automatic_reminder_days_that_make_no_sense_are_refused(lead, survey, days):
    refused = lead.post(
        f"/hubs/{survey.hub.slug}/surveys/{survey.id}/reminders/automatic",
        data={"remind_days": days, "remind_below": "5", "remind_gap_days": "3"},
    )
    assert refused.status_code == 422
    assert survey.remind_days == []


def test_another_hubs_staff_cannot_invite_remind_or_see_the_schools(app, hub, schools, survey):
    other = make_hub("South Teaching School Hub")
    outsider = app.test_client()
    sign_in(outsider, make_user("other@hub.example", hubs=[other]))
    base = f"/hubs/{hub.slug}/surveys/{survey.id}"
    for path in ("/invite", "/remind"):
        assert outsider.get(base + path).status_code == 404
        assert outsider.post(base + path, data={"action": "send"}).status_code == 404
    # Nor through their own hub's address with this hub's survey.
    assert outsider.get(f"/hubs/{other.slug}/surveys/{survey.id}/invite").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_nobody_is_invited_to_a_survey_that_is_not_open_yet(lead, hub, schools):
    _contact(schools["Hill Primary"])
    draft = make_survey(hub, status="draft")
    base = f"/hubs/{hub.slug}/surveys/{draft.id}"
    assert "Open the survey first" in lead.get(base + "/invite").text
    refused = lead.post(
        base + "/invite",
        data={
            "schools": [str(schools["Hill Primary"].id)],
            "to": "main",
            "subject": "Hi",
            "body": "{link}",
            "action": "send",
        },
    )
    assert refused.status_code == 409 and "Open the survey first" in refused.text
    assert lead.post(base + "/remind", data={"action": "send"}).status_code == 409
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_a_reminder_is_previewed_as_the_first_school_short_of_answers_receives_it(
    lead, schools, survey
):
    _contact(schools["Hill Primary"], name="Ann Hill")
    previewed = _remind(lead, survey, action="preview")
    assert previewed.status_code == 200
    assert "As Ann Hill at Hill Primary will receive it" in previewed.text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_an_outcomes_survey_sends_each_school_its_link_to_enter_its_figures(
    app, lead, hub, schools
):
    outcomes = create_survey(hub, "outcomes")
    set_status(outcomes, "open")
    _contact(schools["Hill Primary"], name="Ann Hill")
    sent = _send_invitations(lead, outcomes, [schools["Hill Primary"]])
    assert sent.status_code == 303
    message = db.session.scalar(db.select(Message))
    assert message.kind == "outcomes"
    assert message.subject == f"{outcomes.title}: your school's figures, please"
    assert "Please enter Hill Primary's figures" in message.body
    path = LINK.search(message.body).group(1)
    contact = app.test_client()
    assert contact.get(path).headers["Location"] == f"/s/{outcomes.code}/1"


def test_reminders_go_at_the_same_time_on_englands_clock_all_year():
    due = daily_in_england("08:30")
    # Winter: England is on UTC. Summer: 08:30 in England is 07:30 UTC.
    assert due(datetime(2026, 12, 1, 8, 30)) and not due(datetime(2026, 12, 1, 7, 30))
    assert due(datetime(2027, 6, 1, 7, 30)) and not due(datetime(2027, 6, 1, 8, 30))
    assert not due(datetime(2026, 12, 1, 8, 31))
