"""A headteacher's view of their school, on hand-worked figures: their school's part in the
surveys against the network's, their staff's top needs with small groups hidden, the activities
their staff attended as the network rated them, their outcome figures over the waves, and
nothing of any other school."""

import re
import secrets
from datetime import datetime, timedelta

import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in

from hubsurvey.activities.services import save_activity
from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.models import Answer, AuditEntry, Contact, HeadLink, Message, Response, utcnow
from hubsurvey.mou import services
from hubsurvey.surveys.services import create_survey, set_status
from hubsurvey.surveys.waves import current_wave, open_next_wave

# The hub's smallest group is 5 (the default).
HILL, MOOR, DALE = "Hill Primary School", "Moor Primary School", "Dale Church of England Academy"


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def schools(hub):
    return {name: make_school(hub, name) for name in (HILL, MOOR, DALE)}


@pytest.fixture
def survey(hub):
    return make_survey(hub)


def _answers(survey, school, count, grid, priorities=()):
    for _ in range(count):
        make_needs_response(survey, school=school, grid=grid, priorities=priorities)


def _link(school):
    _link_row, token = services.new_head_link(school, None, utcnow())
    db.session.commit()
    return token


def _view(app, school):
    response = app.test_client().get(f"/head/{_link(school)}/school")
    assert response.status_code == 200
    return response.text


def _text(page: str) -> str:
    """The page's words, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _feedback(activity, ratings, school=None):
    survey = activity.survey
    for rating in ratings:
        response = Response(
            survey=survey,
            wave=current_wave(survey),
            activity=activity,
            token=secrets.token_hex(8),
            resume_code=secrets.token_hex(4).upper(),
            status="submitted",
            profile_saved=True,
            school=school,
            school_name=school.name if school else "",
            submitted_at=datetime.now(),
        )
        db.session.add(response)
        db.session.flush()
        question = survey.questions[0]
        db.session.add(Answer(response_id=response.id, question_id=question.id, number=rating))
    db.session.commit()


def _activity(hub, title, schools, days=-20):
    return save_activity(
        hub,
        None,
        [hub.hub_type.need_areas[0]],
        schools,
        title=title,
        kind="training",
        starts_at=datetime.now() + timedelta(days=days),
    )


def test_participation_and_top_needs_are_the_schools_own_against_the_network(app, schools, survey):
    hill, moor, dale = schools[HILL], schools[MOOR], schools[DALE]
    # Hill: early language low for all five, a priority for three; phonics and reading fine.
    _answers(survey, hill, 3, (1, 3, 5), priorities=(0,))
    _answers(survey, hill, 2, (2, 4, 4))
    # Moor's staff feel the opposite: none of its figures may show on Hill's page.
    _answers(survey, moor, 6, (5, 1, 2), priorities=(1, 2))
    _answers(survey, dale, 2, (3, 3, 3))
    page = _text(_view(app, hill))
    # 5 of the network's 13 answers, from 3 of the 3 partner schools.
    assert "Training needs Wave 1 5 people 13 people, from 3 of 3 partner schools" in page
    # Early language: confidence (1+1+1+2+2)/5 = 1.4, all low, a priority for 3 of 5:
    # need score 50 x 5/5 + 50 x 3/5 = 80. The other two areas: no one low, no priority.
    assert "1. Early language 80 1.4 of 5 60%" in page
    assert "2. Systematic synthetic phonics 0 3.4 of 5 0%" in page
    assert "2. Reading for pleasure 0 4.6 of 5 0%" in page
    needs = page.split("Your staff's top training needs")[1].split("Activities your staff")[0]
    assert "not shown" not in needs.lower()
    # Moor's figures (confidence 5.0, 1.0 and 2.0, need scores of 100) and name are not shown.
    for theirs in ("5.0 of 5", "1.0 of 5", "2.0 of 5", MOOR, DALE, "Moor", "Dale"):
        assert theirs not in page, theirs
    assert not re.search(r"(language|phonics|pleasure) 100", page)


def test_too_few_of_the_schools_staff_means_not_shown_never_a_figure(app, schools, survey):
    _answers(survey, schools[HILL], 3, (1, 1, 1), priorities=(0, 1, 2))
    _answers(survey, schools[MOOR], 6, (4, 4, 4))
    page = _view(app, schools[HILL])
    needs = _text(page).split("Your staff's top training needs")[1].split("Activities")[0]
    assert "Not shown: fewer than 5 respondents." in needs
    assert not re.search(r"\d", needs.replace("Wave 1", "").replace("fewer than 5", ""))
    assert "Need score" not in needs


def test_one_teachers_answers_to_a_named_survey_are_not_shown_to_the_head_either(app, hub, schools):
    named = make_survey(hub, anonymous=False)
    _answers(named, schools[HILL], 1, (1, 1, 1), priorities=(0,))
    _answers(named, schools[MOOR], 6, (4, 4, 4))
    page = _view(app, schools[HILL])
    needs = _text(page).split("Your staff's top training needs")[1].split("Activities")[0]
    assert "Not shown: fewer than 5 respondents." in needs
    assert not re.search(r"\d", needs.replace("Wave 1", "").replace("fewer than 5", ""))


def test_a_group_the_network_total_would_give_away_is_not_shown_either(app, schools, survey):
    """Hill's five are enough on their own, but the network's eight less Hill's five would show
    the other three's answers: the needs summary's own rule hides Hill's figures."""
    _answers(survey, schools[HILL], 5, (1, 2, 3), priorities=(0,))
    _answers(survey, schools[MOOR], 3, (4, 4, 4))
    needs = _text(_view(app, schools[HILL])).split("Your staff's top training needs")[1]
    needs = needs.split("Activities")[0]
    assert "Not shown: the figures would give away a smaller group's answers." in needs
    assert "Need score" not in needs and "of 5" not in needs


def test_activities_are_rated_across_the_network_never_one_schools_feedback_alone(
    app, hub, schools
):
    hill, moor = schools[HILL], schools[MOOR]
    together = _activity(hub, "Phonics training for Year 1 teachers", [hill, moor])
    _feedback(together, [4, 4, 5, 3, 4])  # (4+4+5+3+4)/5 = 4.0, from both schools' staff
    small = _activity(hub, "Reading for pleasure twilight", [hill], days=-10)
    _feedback(small, [5, 5])
    alone = _activity(hub, "Early language coaching visit", [], days=-5)
    _feedback(alone, [5, 5, 4, 4, 3, 5], school=hill)  # all of them Hill's staff
    _activity(hub, "Mentoring network", [moor])
    _activity(hub, "Next term's phonics training", [hill], days=+10)
    page = _text(_view(app, hill))
    assert "Phonics training for Year 1 teachers Training session" in page
    assert "4.0 out of 5, from 5 ratings" in page
    assert "Reading for pleasure twilight Training session" in page
    assert "Not shown: fewer than 5 ratings" in page
    assert "Early language coaching visit Training session" in page
    assert "Not shown: only your staff rated it" in page
    assert "4.3 out of 5" not in page  # Hill's own six ratings: 26/6
    assert "Mentoring network" not in page  # Moor's, not Hill's
    assert "Next term" not in page  # not held yet


def test_the_outcome_figures_the_school_sent_as_a_trend(app, hub, schools):
    survey = create_survey(hub, "outcomes")
    set_status(survey, "open")
    first = current_wave(survey)
    second = open_next_wave(survey, first.opened_on + timedelta(days=120))
    pupils, share = (q for q in survey.questions if q.kind == "number")
    for school, wave, figures in (
        (schools[HILL], first, (120, 65)),
        (schools[HILL], second, (118, 72)),
        (schools[MOOR], first, (777, 91)),
    ):
        response = Response(
            survey=survey,
            wave=wave,
            token=secrets.token_hex(8),
            resume_code=secrets.token_hex(4).upper(),
            status="submitted",
            school=school,
            school_name=school.name,
        )
        db.session.add(response)
        db.session.flush()
        for question, value in zip((pupils, share), figures, strict=True):
            db.session.add(Answer(response_id=response.id, question_id=question.id, number=value))
    db.session.commit()
    page = _text(_view(app, schools[HILL]))
    outcomes = page.split("Your school's outcome figures")[1]
    assert f"{pupils.prompt} 120 118 {chr(0x2212)}2" in outcomes
    assert f"{share.prompt} 65% 72% +7 points" in outcomes
    assert "777" not in page and "91%" not in page


def test_every_visit_is_recorded(app, hub, schools):
    hill = schools[HILL]
    token = _link(hill)
    client = app.test_client()
    for _ in range(2):
        assert client.get(f"/head/{token}/school").status_code == 200
    link = db.session.scalar(db.select(HeadLink))
    db.session.refresh(link)
    assert link.opens == 2 and link.last_opened_at is not None
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "head-view-opened")
    ).all()
    assert [(e.hub_id, e.target, e.user_id) for e in entries] == [
        (hub.id, f"school {hill.id}: {HILL}", None)
    ] * 2


def test_a_heads_link_shows_their_school_only(app, schools, survey):
    _answers(survey, schools[HILL], 5, (1, 3, 5))
    moor_page = _view(app, schools[MOOR])
    assert MOOR in moor_page and HILL not in moor_page and "Hill" not in moor_page
    assert "No answers from your staff to the hub's needs assessments yet." in moor_page


def test_the_lead_sends_the_view_and_the_head_opens_it_from_the_message(app, client, hub, schools):
    hill = schools[HILL]
    db.session.add(
        Contact(
            hub_id=hub.id,
            school_id=hill.id,
            kind="head",
            name="Jane Smith",
            role="Headteacher",
            email="jane@hill.example",
            public_id=new_public_id(),
        )
    )
    db.session.commit()
    sign_in(client, make_user(hubs=[hub]))
    response = client.post(f"/hubs/{hub.slug}/schools/{hill.id}/head-view/send")
    assert response.status_code == 303
    message = db.session.scalar(db.select(Message))
    path = re.search(r"http://localhost(/head/[\w-]+/school)\s", message.body).group(1)
    page = app.test_client().get(path)
    assert page.status_code == 200 and f"{HILL}: your school" in page.text
    assert "has not written its memorandum yet" in page.text  # its memorandum, and where it is
    # No answer is in the message: only the link.
    assert "need score" not in message.body.lower()


def test_a_view_with_nothing_yet_says_so(app, schools):
    page = _text(_view(app, schools[HILL]))
    for words in (
        "No answers yet from any school.",
        "No answers from your staff to the hub's needs assessments yet.",
        "None recorded yet.",
        "Your school has not sent outcome figures yet.",
        "has not written its memorandum yet.",
    ):
        assert words in page, words
