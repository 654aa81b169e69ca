"""A hub lead invites three schools from a phone, and a teacher answers through the link their
school was sent, with the school filled in."""

import re

from conftest import PHONE, page_width, settled
from factories import PASSWORD, make_hub, make_school, make_survey, make_user
from test_teacher_on_phone import assert_accessible, fill_grid, fill_teaching

from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.models import Contact, Message, Response

SCHOOLS = ("Hill Primary School", "Moor Primary School", "Dale Church of England Academy")


def test_a_lead_invites_three_schools_and_a_teacher_answers_through_a_school_link(
    live_app, live_server, phone, browser
):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        for number, name in enumerate(SCHOOLS):
            school = make_school(hub, name, urn=f"10000{number}")
            db.session.add(
                Contact(
                    hub_id=hub.id,
                    school_id=school.id,
                    kind="main",
                    name=f"Contact {number}",
                    role="CPD lead",
                    email=f"cpd{number}@school{number}.example",
                    public_id=new_public_id(),
                )
            )
        db.session.commit()
        survey = make_survey(hub)
        make_user(email="lead@hub.example", hubs=[hub])
        title = survey.title

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@hub.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name="Surveys").first.click()
    phone.get_by_role("link", name=title).click()
    phone.get_by_role("link", name="Invite schools").click()
    phone.get_by_role("heading", name="Invite schools").wait_for()
    for name in SCHOOLS:  # chosen for them: not yet invited, with an email address
        assert phone.get_by_label(name).is_checked()
    assert_accessible(phone)
    assert page_width(phone) <= PHONE["width"]

    phone.get_by_role("button", name="Preview").click()
    preview = phone.locator("#preview")
    preview.get_by_text("Dear Contact 2,").wait_for()  # A to Z: Dale comes first
    assert "{school}" not in preview.inner_text()
    assert page_width(phone) <= PHONE["width"]
    phone.get_by_role("button", name="Send the invitations").click()
    phone.get_by_text("Invited 3 schools.").wait_for()
    settled(phone)
    assert_accessible(phone)
    assert page_width(phone) <= PHONE["width"]

    with live_app.app_context():
        message = db.session.scalar(
            db.select(Message).where(Message.to_email == "cpd0@school0.example")
        )
        link = re.search(r"http://\S+/school/\S+", message.body).group(0)
    assert link.startswith(live_server)

    teacher = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    teacher.goto(link)
    teacher.get_by_role("button", name="Start now").click()
    teacher.get_by_role("heading", name="About you").wait_for()
    assert teacher.get_by_label("Your school").input_value().startswith("Hill Primary School")
    teacher.get_by_role("group", name="Your school's phase").get_by_label("Primary").check()
    teacher.get_by_label("Teacher", exact=True).check()
    teacher.get_by_label("Early career, year 1").check()
    teacher.get_by_label("The subject you teach most").select_option("all-primary")
    teacher.get_by_role("button", name="Save and continue").click()
    teacher.get_by_role("heading", name="Confidence").wait_for()
    fill_grid(teacher)
    teacher.get_by_role("heading", name="Your teaching").wait_for()
    fill_teaching(teacher)
    teacher.get_by_role("button", name="Send my answers").click()
    teacher.get_by_role("heading", name="Answers sent").wait_for()
    teacher.context.close()

    with live_app.app_context():
        response = db.session.scalar(db.select(Response))
        assert response.status == "submitted" and response.school.name == "Hill Primary School"
    phone.reload()
    row = phone.get_by_role("row").filter(has_text="Hill Primary School")
    assert "1" in row.locator('[data-label="Responses"]').inner_text()
    assert row.locator('[data-label="Link opened"]').inner_text().strip() != "No"
    assert page_width(phone) <= PHONE["width"]
