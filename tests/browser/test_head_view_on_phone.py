"""A head opens their school's view on a 320 px phone from the message the hub sent: their
school's participation, top needs, activities and outcome figures, nothing of other schools."""

import re
import secrets
from datetime import datetime, timedelta

from conftest import PHONE, page_width
from factories import PASSWORD, make_hub, make_needs_response, make_school, make_survey, make_user
from test_teacher_on_phone import assert_accessible

from hubsurvey.activities.services import save_activity
from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.models import Answer, HeadLink, Message, Response
from hubsurvey.surveys.services import create_survey, set_status
from hubsurvey.surveys.waves import current_wave

SCHOOL = "Hill Primary School"
OTHER = "Moor Primary School"


def _network(hub):
    hill, moor = make_school(hub, SCHOOL), make_school(hub, OTHER)
    save_contact(
        hill,
        "head",
        ContactDetails(name="Jane Smith", role="Headteacher", email="jane@hill.example"),
    )
    needs = make_survey(hub)
    for _ in range(5):
        make_needs_response(needs, school=hill, grid=(1, 3, 5), priorities=(0,))
    for _ in range(6):
        make_needs_response(needs, school=moor, grid=(5, 1, 2))
    activity = save_activity(
        hub,
        None,
        [hub.hub_type.need_areas[0]],
        [hill, moor],
        title="Phonics training for Year 1 and Year 2 teachers across the partnership",
        kind="training",
        starts_at=datetime.now() - timedelta(days=14),
    )
    for rating in (4, 5, 4, 3, 4):
        response = Response(
            survey=activity.survey,
            wave=current_wave(activity.survey),
            activity=activity,
            token=secrets.token_hex(8),
            resume_code=secrets.token_hex(4).upper(),
            status="submitted",
        )
        db.session.add(response)
        db.session.flush()
        question = activity.survey.questions[0]
        db.session.add(Answer(response_id=response.id, question_id=question.id, number=rating))
    outcomes = create_survey(hub, "outcomes")
    set_status(outcomes, "open")
    response = Response(
        survey=outcomes,
        wave=current_wave(outcomes),
        token=secrets.token_hex(8),
        resume_code=secrets.token_hex(4).upper(),
        status="submitted",
        school=hill,
        school_name=hill.name,
    )
    db.session.add(response)
    db.session.flush()
    for question, value in zip(
        [q for q in outcomes.questions if q.kind == "number"], (120, 65), strict=True
    ):
        db.session.add(Answer(response_id=response.id, question_id=question.id, number=value))
    db.session.commit()


def test_a_head_opens_their_schools_view_on_a_phone(live_app, live_server, phone, browser):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        _network(hub)
        make_user(email="lead@hub.example", hubs=[hub])

    phone.goto(f"{live_server}/sign-in")
    phone.get_by_label("Email address").fill("lead@hub.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()
    phone.get_by_role("link", name=SCHOOL).click()
    phone.get_by_role("button", name="Send the head their school's view").click()
    phone.get_by_text(f"Sent their school's view to the head of {SCHOOL}.").wait_for()

    with live_app.app_context():
        message = db.session.scalar(db.select(Message).where(Message.kind == "head-view"))
        link = re.search(r"http://\S+/head/\S+/school(?=\s)", message.body).group(0)

    head = browser.new_context(viewport=PHONE, is_mobile=True, device_scale_factor=2).new_page()
    head.goto(link)
    head.get_by_role("heading", name=f"{SCHOOL}: your school's view").wait_for()
    head.get_by_role("heading", name="Your staff's top training needs").wait_for()
    head.get_by_text("1. Early language").wait_for()
    head.get_by_text("4.0 out of 5, from 5 ratings").wait_for()
    head.get_by_text("65%").wait_for()
    assert OTHER not in head.content()
    assert_accessible(head)
    assert page_width(head) <= PHONE["width"]
    # Their home page, and the memorandum's (not written yet), fit too.
    head.get_by_role("link", name=SCHOOL, exact=True).click()
    head.get_by_role("link", name="See your school's view").wait_for()
    assert_accessible(head)
    assert page_width(head) <= PHONE["width"]
    head.get_by_role("link", name="Memorandum of understanding").click()
    head.get_by_text("has not written its memorandum yet").wait_for()
    assert_accessible(head)
    assert page_width(head) <= PHONE["width"]
    head.context.close()

    with live_app.app_context():
        link_row = db.session.scalar(db.select(HeadLink))
        assert link_row.opens == 3 and link_row.last_opened_at is not None
