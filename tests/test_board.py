"""The report for the board, against figures worked out by hand."""

import re
from datetime import datetime, timedelta

import pytest
from factories import (
    make_hub,
    make_needs_response,
    make_response,
    make_school,
    make_survey,
    make_user,
    sign_in,
)

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Answer
from hubsurvey.surveys.services import create_survey
from hubsurvey.surveys.waves import current_wave, open_next_wave

MINUS = "\u2212"


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    return hub


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))


def _activity(hub, title, areas, days):
    return save_activity(
        hub,
        None,
        areas,
        [],
        title=title,
        kind="training",
        starts_at=datetime.now() + timedelta(days=days),
    )


def _rated(activity, rating):
    response = make_response(activity.survey, activity=activity, status="submitted")
    question = activity.survey.questions[0]
    db.session.add(Answer(response_id=response.id, question_id=question.id, number=rating))
    db.session.commit()


def _figures(survey, wave, school, pupils, share):
    response = make_response(survey, wave, status="submitted", school=school)
    response.school_name = school.name
    pupils_q, share_q = [q for q in survey.questions if q.kind == "number"]
    db.session.add(Answer(response_id=response.id, question_id=pupils_q.id, number=pupils))
    db.session.add(Answer(response_id=response.id, question_id=share_q.id, number=share))
    db.session.commit()


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def board_year(hub):
    """A year of a hub: two waves of needs, two activities with feedback, two waves of
    outcome figures. Returns the needs survey and its two waves."""
    hill, moor = make_school(hub, "Hill Primary"), make_school(hub, "Moor Primary")
    early, phonics, _reading = hub.hub_type.need_areas
    survey = make_survey(hub, status="open")
    autumn = current_wave(survey)
    # Autumn: Early language 100 (both low, both priority), Phonics 25, Reading 0.
    make_needs_response(survey, autumn, school=hill, grid=(1, 4, 5), priorities=(0,))
    make_needs_response(survey, autumn, school=moor, grid=(2, 4, 3), priorities=(0, 1))
    spring = open_next_wave(survey)
    # Spring: Phonics 50 (one of two low, one priority), Early language 0, Reading 0.
    make_needs_response(survey, spring, school=hill, grid=(3, 4, 5))
    make_needs_response(survey, spring, school=hill, grid=(4, 2, 5), priorities=(1,))

    held = _activity(hub, "Phonics for new teachers", [phonics], days=-20)
    planned = _activity(hub, "Talk in the early years", [early], days=30)
    _rated(held, 4)
    _rated(held, 5)
    # Feedback on an earlier run of a repeated session, asked by name: a single rating from an
    # anonymous survey would be held back, with the overall figure that would give it away
    # (test_a_single_anonymous_rating_is_not_shown_nor_given_away_by_the_overall_figure).
    planned.survey.anonymous = False
    _rated(planned, 3)

    outcomes = create_survey(hub, "outcomes")
    first = current_wave(outcomes)
    _figures(outcomes, first, hill, 30, 70)
    _figures(outcomes, first, moor, 10, 50)
    second = open_next_wave(outcomes)
    _figures(outcomes, second, hill, 30, 80)
    _figures(outcomes, second, moor, 10, 90)

    return survey, autumn, spring


def test_the_board_report_figures_worked_out_by_hand(client, hub, lead):
    survey, autumn, spring = board_year(hub)
    page = client.get(f"/hubs/{hub.slug}/reports/board")
    assert page.status_code == 200
    text = _text(page.text)
    assert (
        f"In {spring.label} of “{survey.title}”, 2 people sent their answers, from 1 of 2 "
        "partner schools (50%)" in text
    )
    top = page.text.split('id="top-needs"')[1].split("</table>")[0]
    rows = [_text(row).strip() for row in top.split('<tr class="govuk-table__row">')[2:]]
    assert rows == [
        "1. Systematic synthetic phonics 50 +25 3.0 of 5 50%",
        f"2. Early language 0 {MINUS}100 3.5 of 5 0%",
        "2. Reading for pleasure 0 no change 5.0 of 5 0%",
    ]
    assert f"compared with {autumn.label}" in text
    assert "Systematic synthetic phonics : 1 activity held." in text
    assert "Early language : 0 activities held, 1 planned (next: Talk in the early years" in text
    assert "Reading for pleasure : no activity held or planned yet." in text
    assert "3 people rated 2 activities: on average 4.0 out of 5" in text
    # (30 * 70 + 10 * 50) / 40 = 65; (30 * 80 + 10 * 90) / 40 = 82.5.
    assert "65% → 82.5%" in text
    assert "Printed from hubsurvey on" in page.text


def test_a_single_anonymous_rating_is_not_shown_nor_given_away_by_the_overall_figure(
    client, hub, lead
):
    """Smallest group 2. The overall figure of 3 ratings averaging 4.0, less the 4 and 5 shown,
    would give away the single 3."""
    shown = _activity(hub, "Phonics for new teachers", [], days=-20)
    single = _activity(hub, "Talk in the early years", [], days=-10)
    _rated(shown, 4)
    _rated(shown, 5)
    _rated(single, 3)
    text = _text(client.get(f"/hubs/{hub.slug}/reports/board").text)
    assert "Phonics for new teachers 2 4.5" in text
    assert "Talk in the early years Not shown: fewer than 2 ratings" in text
    assert (
        "People rated 2 activities. The average over all of them is not shown: it would give "
        "away the ratings of an activity that are not shown." in text
    )
    assert "4.0" not in text and "3 people" not in text
    _rated(single, 2)  # now two ratings: every figure can be shown
    text = _text(client.get(f"/hubs/{hub.slug}/reports/board").text)
    assert "Talk in the early years 2 2.5" in text
    assert "4 people rated 2 activities: on average 3.5 out of 5" in text


def test_too_few_anonymous_ratings_over_all_activities_are_not_shown(client, hub, lead):
    _rated(_activity(hub, "Phonics for new teachers", [], days=-20), 5)
    text = _text(client.get(f"/hubs/{hub.slug}/reports/board").text)
    assert "Phonics for new teachers Not shown: fewer than 2 ratings" in text
    assert (
        "People rated 1 activity. The average over all of them is not shown: there are too few"
        in text
    )
    assert "5.0" not in text


def test_a_new_hub_gets_a_report_that_says_what_is_missing(client, hub, lead):
    text = _text(client.get(f"/hubs/{hub.slug}/reports/board").text)
    assert "No one has answered a needs assessment yet." in text
    assert "No feedback yet." in text and "No outcome figures yet." in text


def test_another_hubs_staff_cannot_read_the_report(client, hub):
    other = make_hub("York Maths Hub", "maths-hub")
    sign_in(client, make_user("york@hub.example", hubs=[other]))
    assert client.get(f"/hubs/{hub.slug}/reports/board").status_code in (403, 404)


def test_the_lead_chooses_which_needs_assessment_the_board_reads(client, hub, lead):
    survey, _autumn, _spring = board_year(hub)
    later = make_survey(hub, status="open")
    later.title = "Careers leaders network: who wants to join"
    db.session.commit()
    make_needs_response(later, grid=(1, 1, 1))
    url = f"/hubs/{hub.slug}/reports/board"
    # The latest answered is the default, and the others are offered.
    page = _text(client.get(url).text)
    assert f"of “{later.title}”, 1 person sent" in page
    assert f'<option value="{survey.id}">' in client.get(url).text
    chosen = _text(client.get(f"{url}?survey={survey.id}").text)
    assert f"of “{survey.title}”, 2 people sent" in chosen
    other = make_survey(make_hub("York Maths Hub", "maths-hub"))
    for odd in (str(other.id), "x", "99999"):
        assert f"of “{later.title}”" in _text(client.get(f"{url}?survey={odd}").text)
