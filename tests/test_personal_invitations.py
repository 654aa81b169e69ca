"""Named surveys: people invited by name, each with their own link, and reminded until they
have answered."""

import re
from datetime import date, timedelta

import pytest
from factories import PROFILE, make_hub, make_survey, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.invitations.people import PeopleError, Person, invite, parse_people, remind
from hubsurvey.models import Invitee, Message, Response

LINK = re.compile(r"http://localhost(/s/[A-Z0-9]+/p/[0-9a-f]+)")


@pytest.fixture
def hub(app):
    return make_hub()


@pytest.fixture
def survey(hub):
    return make_survey(hub, anonymous=False)


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))
    return client


def _invite(lead, survey, text):
    return lead.post(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/people", data={"people": text})


def test_people_are_read_one_a_line_in_the_ways_people_paste_them():
    text = "Jo Bloggs, Jo@School.example\n\nSam Lee <sam@school.example>\nali@school.example\n"
    assert [(p.name, p.email) for p in parse_people(text + "Jo B; jo@school.example")] == [
        ("Jo Bloggs", "jo@school.example"),
        ("Sam Lee", "sam@school.example"),
        ("ali", "ali@school.example"),
    ]
    with pytest.raises(PeopleError, match="line 2 has no email address"):
        parse_people("Jo, jo@school.example\nSam Lee")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_pasted_text_is_read_or_refused_with_a_reason(text):
    try:
        found = parse_people(text)
    except PeopleError as error:
        assert str(error).startswith(("Write each person", "Enter at least one", "Invite at most"))
    else:
        assert all("@" in p.email and "\n" not in p.name for p in found)


def test_each_person_gets_their_own_link_and_answers_under_their_name(app, lead, survey):
    invited = _invite(lead, survey, "Jo Bloggs, jo@school.example\nSam Lee, sam@school.example")
    assert invited.status_code == 303
    assert "Invited 2 people." in lead.get(invited.headers["Location"]).text
    messages = db.session.scalars(db.select(Message).order_by(Message.to_email)).all()
    assert [(m.to_email, m.kind, m.state) for m in messages] == [
        ("jo@school.example", "personal", "waiting"),
        ("sam@school.example", "personal", "waiting"),
    ]
    path = LINK.search(messages[0].body).group(1)
    # Only a hash of the link's secret is stored.
    secret = path.rsplit("/", 1)[1]
    assert all(secret not in (i.token_hash or "") for i in db.session.scalars(db.select(Invitee)))

    jo = app.test_client()
    assert jo.get(path).status_code == 302
    about_you = jo.get(f"/s/{survey.code}/about-you")
    assert 'value="Jo Bloggs"' in about_you.text and 'value="jo@school.example"' in about_you.text
    response = db.session.scalar(db.select(Response))
    assert (response.respondent_name, response.respondent_email) == (
        "Jo Bloggs",
        "jo@school.example",
    )
    # The same link leads back to the same answers, from another device too.
    again = app.test_client()
    again.get(path)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1

    # Inviting Jo again writes nobody twice.
    _invite(lead, survey, "Jo Bloggs, jo@school.example")
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 2


def test_reminders_go_only_to_those_who_have_not_answered_with_the_same_link(app, lead, survey):
    _invite(lead, survey, "Jo Bloggs, jo@school.example\nSam Lee, sam@school.example")
    first = {m.to_email: m for m in db.session.scalars(db.select(Message))}
    jo_path = LINK.search(first["jo@school.example"].body).group(1)
    jo = app.test_client()
    jo.get(jo_path)
    db.session.scalar(db.select(Response)).status = "submitted"
    db.session.commit()
    reminded = lead.post(f"/hubs/{survey.hub.slug}/surveys/{survey.id}/people/remind")
    assert "Reminded 1 person who had not answered." in lead.get(reminded.headers["Location"]).text
    reminder = db.session.scalar(db.select(Message).where(Message.key.like("personal-reminder:%")))
    assert reminder.to_email == "sam@school.example"
    assert LINK.search(reminder.body).group(1) == LINK.search(
        first["sam@school.example"].body
    ).group(1)
    # Within the gap nobody is reminded twice; after it, Sam is.
    with app.test_request_context(base_url="http://localhost"):
        assert remind(survey, None, date.today()) == 0
        assert remind(survey, None, date.today() + timedelta(days=survey.remind_gap_days)) == 1


def test_unknown_links_and_anonymous_surveys_take_no_one_by_name(app, lead, hub):
    anonymous = make_survey(hub)
    refused = _invite(lead, anonymous, "Jo Bloggs, jo@school.example")
    assert refused.status_code == 409
    assert db.session.scalar(db.select(db.func.count(Invitee.id))) == 0
    assert app.test_client().get(f"/s/{anonymous.code}/p/{'0' * 64}").status_code == 404


def test_a_list_with_a_bad_line_invites_nobody_and_says_which_line(lead, survey):
    refused = _invite(lead, survey, "Jo Bloggs, jo@school.example\nSam Lee, sam at school")
    assert refused.status_code == 422
    assert "line 2 has no email address we can use" in refused.text
    assert db.session.scalar(db.select(db.func.count(Invitee.id))) == 0


def test_another_hubs_staff_cannot_see_or_invite_people(app, hub, survey):
    other = make_hub("South Teaching School Hub")
    outsider = app.test_client()
    sign_in(outsider, make_user("other@hub.example", hubs=[other]))
    base = f"/hubs/{hub.slug}/surveys/{survey.id}/people"
    assert outsider.get(base).status_code == 404
    assert outsider.post(base, data={"people": "a, a@b.example"}).status_code == 404
    assert outsider.post(base + "/remind").status_code == 404


def test_guessing_personal_links_is_slowed_but_a_person_using_theirs_never_is(make_app):
    app = make_app(PERSONAL_LINK_LIMIT="3 per hour")
    with app.app_context():
        load_reference_data()
        survey = make_survey(make_hub(), anonymous=False)
        with app.test_request_context(base_url="http://localhost"):
            invite(survey, [Person("Jo Bloggs", "jo@school.example")], None)
        path = LINK.search(db.session.scalar(db.select(Message.body))).group(1)
        code = survey.code
    client = app.test_client()
    for _ in range(5):
        assert client.get(path).status_code == 302
    wrong = f"/s/{code}/p/{'0' * 64}"
    assert [client.get(wrong).status_code for _ in range(3)] == [404] * 3
    assert client.get(wrong).status_code == 429


def test_one_persons_link_is_withdrawn_and_opens_nothing_while_the_others_work(app, lead, survey):
    _invite(lead, survey, "Jo Bloggs, jo@school.example\nSam Lee, sam@school.example")
    sent = {m.to_email: m for m in db.session.scalars(db.select(Message))}
    jo_path = LINK.search(sent["jo@school.example"].body).group(1)
    sam_path = LINK.search(sent["sam@school.example"].body).group(1)
    jo = db.session.scalar(db.select(Invitee).where(Invitee.email == "jo@school.example"))
    people_page = f"/hubs/{survey.hub.slug}/surveys/{survey.id}/people"

    withdrawn = lead.post(f"{people_page}/{jo.id}/withdraw")
    assert withdrawn.status_code == 303
    page = lead.get(withdrawn.headers["Location"]).text
    assert "Jo Bloggs&#39;s link is withdrawn" in page
    assert "1 unsent message to them stopped." in page
    # Jo's waiting invitation is stopped and no longer holds the link; Sam's still waits.
    db.session.expire_all()
    jo_message, sam_message = sent["jo@school.example"], sent["sam@school.example"]
    assert (jo_message.state, sam_message.state) == ("failed", "waiting")
    assert "withdrawn" in jo_message.last_error and jo_path not in jo_message.body

    assert app.test_client().get(jo_path).status_code == 404
    assert app.test_client().get(sam_path).status_code == 302
    # Reminders pass Jo by; withdrawing again changes nothing.
    lead.post(f"{people_page}/remind")
    reminders = db.session.scalars(db.select(Message).where(Message.key.like("personal-rem%")))
    assert [m.to_email for m in reminders] == ["sam@school.example"]
    again = lead.post(f"{people_page}/{jo.id}/withdraw")
    assert "link is withdrawn" not in lead.get(again.headers["Location"]).text  # no second notice
    assert "Withdrawn" in lead.get(people_page).text


def test_a_person_whose_link_was_withdrawn_can_be_invited_again_with_a_new_link(app, lead, survey):
    _invite(lead, survey, "Jo Bloggs, jo@school.example")
    first = LINK.search(db.session.scalar(db.select(Message)).body).group(1)
    forwarded = app.test_client()  # someone Jo forwarded the link to begins answering
    assert forwarded.get(first).status_code == 302
    forwarded.post(f"/s/{survey.code}/about-you", data=PROFILE)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    jo_id = db.session.scalar(db.select(Invitee.id))
    people_page = f"/hubs/{survey.hub.slug}/surveys/{survey.id}/people"
    withdrawn = lead.post(f"{people_page}/{jo_id}/withdraw")
    flashed = lead.get(withdrawn.headers["Location"]).text
    assert "The answers begun through it and not sent are deleted." in flashed
    # What was begun through the withdrawn link cannot be carried on, or sent.
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    assert forwarded.post(f"/s/{survey.code}/send").status_code in (302, 303, 404, 409)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0

    again = _invite(lead, survey, "Jo Bloggs, jo@school.example")
    page = lead.get(again.headers["Location"]).text
    assert "Invited 1 person. Sent a new link to jo@school.example" in page
    assert "Withdrawn " not in page and "Withdraw<span" in page  # Jo's link can be withdrawn
    messages = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    assert [m.state for m in messages] == ["failed", "waiting"]
    second = LINK.search(messages[1].body).group(1)
    assert second != first
    assert app.test_client().get(first).status_code == 404  # the withdrawn link stays dead
    jo = app.test_client()
    assert jo.get(second).status_code == 302
    assert 'value="Jo Bloggs"' in jo.get(f"/s/{survey.code}/about-you").text  # afresh, as Jo
    # Inviting Jo once more writes nobody twice; a reminder goes with the new link.
    _invite(lead, survey, "Jo Bloggs, jo@school.example")
    lead.post(f"{people_page}/remind")
    reminders = db.session.scalars(db.select(Message).where(Message.key.like("personal-rem%")))
    assert [second in m.body for m in reminders] == [True]
    # Withdrawn a second time, the new invitation and its reminder are stopped too.
    lead.post(f"{people_page}/{jo_id}/withdraw")
    db.session.expire_all()
    assert {m.state for m in db.session.scalars(db.select(Message))} == {"failed"}
    assert app.test_client().get(second).status_code == 404


def test_another_hubs_invitation_cannot_be_withdrawn(app, lead, survey):
    other_hub = make_hub(name="Other Hub")
    theirs = make_survey(other_hub, anonymous=False)
    with app.test_request_context():
        invite(theirs, [Person("Kim", "kim@school.example")], None)
    kim = db.session.scalar(db.select(Invitee))
    mine = f"/hubs/{survey.hub.slug}/surveys/{survey.id}/people/{kim.id}/withdraw"
    assert lead.post(mine).status_code == 404
    hers = f"/hubs/{other_hub.slug}/surveys/{theirs.id}/people/{kim.id}/withdraw"
    assert lead.post(hers).status_code == 404
    db.session.expire_all()
    assert kim.withdrawn_at is None
