"""The plan's measures: typed in, or bound to live evidence, each judged on track, at risk or
off track by the rule it states. Every figure below is worked out by hand in the comments.

The plan's school year is 2026 to 2027: it starts on 1 September 2026. Most measures are due
on 10 December 2026, 100 days later, so that the straight line from baseline to target moves
a hundredth of the way each day: on day 50 (21 October) it is halfway."""

import math
import re
import secrets
from datetime import date, datetime, timedelta
from html import unescape

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
from hypothesis import given, settings
from hypothesis import strategies as st
from wtforms.validators import ValidationError

from hubsurvey import demo_plan
from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Answer, Measure, Participant, PlanChange, Question, Response
from hubsurvey.plans.evidence import read
from hubsurvey.plans.measure_forms import read_number
from hubsurvey.plans.services import add_objective, start_plan
from hubsurvey.surveys.services import create_survey
from hubsurvey.surveys.waves import current_wave, open_next_wave
from hubsurvey.vocabulary import MEASURE_KINDS

YEAR = 2026
DUE = date(2026, 12, 10)  # day 100 of the plan's year


def day(n: int) -> date:
    """The nth day after the plan's year starts (1 September 2026 is day 0)."""
    return date(2026, 9, 1) + timedelta(days=n)


@pytest.fixture
def hub(app):
    # An English hub: three need areas (early language, phonics, reading for pleasure).
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def objective(hub):
    plan, _made = start_plan(hub, YEAR, None, with_objectives=False)
    return add_objective(plan, "Teachers confident in phonics", None, [hub.hub_type.need_areas[1]])


def _measure(objective, kind, **fields) -> Measure:
    fields.setdefault("title", f"A {kind} measure")
    measure = Measure(objective=objective, kind=kind, **fields)
    db.session.add(measure)
    db.session.commit()
    return measure


# -- The rule, at its edges ------------------------------------------------------------------


def _edges(measure: Measure, value: float) -> None:
    """The measure reads `value`; its baseline and target are set 10 either side of it, so the
    line reaches `value` on day 50 and a quarter of the distance is 5."""
    better = 1 if measure.higher_is_better else -1
    measure.baseline, measure.target, measure.due_on = value - 10 * better, value + 10 * better, DUE
    db.session.commit()
    expected = [
        # day, status, where the line stands
        (0, "on-track", value - 10 * better),  # at the baseline, ahead of the line
        (50, "on-track", value),  # exactly on the line
        (51, "at-risk", value + 0.2 * better),  # just behind it: 0.2
        (75, "at-risk", value + 5 * better),  # a quarter behind: 5, no more
        (76, "off-track", value + 5.2 * better),  # more than a quarter behind: 5.2
        (100, "off-track", value + 10 * better),  # due today, 10 behind
    ]
    for n, status, line in expected:
        reading = read(measure, day(n))
        assert reading.value == pytest.approx(value)
        assert (reading.status, n) == (status, n)
        assert reading.expected == pytest.approx(line)
    past_due = read(measure, day(101))
    assert (past_due.status, past_due.expected) == ("off-track", None)
    assert past_due.why == "the due date, 10 December 2026, has passed without reaching the target"
    # The target reached: on track, even past the due date.
    measure.target = value
    db.session.commit()
    assert read(measure, day(101)).status == "on-track"
    assert read(measure, day(101)).why == "the target is reached"


def test_typed_measure_at_the_edges_of_the_rule(objective):
    # 40 teachers trained, from 30, aiming for 50 by 10 December: the line passes 40 on day 50.
    measure = _measure(objective, "typed", current=40, unit="teachers")
    reading = read(measure, day(50))
    assert (reading.value, reading.unit, reading.source) == (
        40,
        "teachers",
        "Typed in by hub staff",
    )
    _edges(measure, 40)


def test_the_rule_in_words_carries_the_measure_figures(objective):
    measure = _measure(
        objective, "typed", current=40, unit="teachers", baseline=30, target=50, due_on=DUE
    )
    rule = read(measure, day(51)).rule
    assert "baseline of 30 teachers on 1 September 2026" in rule
    assert "target of 50 teachers on 10 December 2026, which stands at 40.2 teachers today" in rule
    assert "no more than 5 teachers (a quarter of the way from baseline to target)" in rule
    assert rule.endswith("Higher is better.")
    assert read(measure, day(51)).why == "0.2 teachers behind the expected progress"


def test_a_measure_is_not_judged_without_a_target_a_figure_or_a_line(objective):
    measure = _measure(objective, "typed", unit="%")
    assert (read(measure, day(10)).status, read(measure, day(10)).why) == (
        None,
        "no target is set",
    )
    measure.target = 80
    db.session.commit()
    assert read(measure, day(10)).why == "no current value is typed in yet"
    measure.current = 70
    db.session.commit()
    reading = read(measure, day(10))
    assert reading.status is None
    assert reading.why == (
        "the target is not reached yet, and without a baseline progress cannot be judged"
    )
    measure.baseline = 60
    db.session.commit()
    assert read(measure, day(10)).why.endswith("without a due date progress cannot be judged")
    measure.current = 80
    db.session.commit()
    assert read(measure, day(10)).status == "on-track"  # reached: no line needed


def test_before_the_year_starts_the_line_is_at_the_baseline(objective):
    measure = _measure(objective, "typed", current=30, baseline=30, target=50, due_on=DUE)
    reading = read(measure, date(2026, 8, 1))
    assert (reading.status, reading.expected) == ("on-track", 30)


# -- Need score -----------------------------------------------------------------------------


def _needs_survey(hub, anonymous=True):
    return make_survey(hub, anonymous=anonymous)


def test_need_score_of_a_need_area(hub, objective):
    survey = _needs_survey(hub)
    # Phonics (the second area): confidence 1, 2, 3, 4, 5; named a priority by one person.
    for n, level in enumerate((1, 2, 3, 4, 5)):
        make_needs_response(survey, grid=(3, level, 3), priorities=(1,) if n == 0 else ())
    phonics = hub.hub_type.need_areas[1]
    measure = _measure(
        objective, "need-score", survey=survey, need_area=phonics, higher_is_better=False
    )
    reading = read(measure, day(50))
    # Low confidence (1 or 2): 2 of 5 = 40%; a priority: 1 of 5 = 20%. 50 x 0.4 + 50 x 0.2 = 30.
    assert reading.value == 30
    assert reading.source == (
        f"Need score of 'Systematic synthetic phonics' in 'Training needs', "
        f"{survey.waves[0].label} (the latest wave with answers)"
    )
    # Lower is better: baseline 40, target 20; the line reaches 30 on day 50.
    _edges(measure, 30)


def test_need_score_of_a_small_group_is_hidden_with_the_summary_reason(hub, objective):
    survey = _needs_survey(hub)
    for level in (1, 2, 3, 4):  # four people: fewer than the hub's smallest group of 5
        make_needs_response(survey, grid=(3, level, 3))
    measure = _measure(
        objective,
        "need-score",
        survey=survey,
        need_area=hub.hub_type.need_areas[1],
        higher_is_better=False,
        baseline=50,
        target=20,
        due_on=DUE,
    )
    reading = read(measure, day(50))
    assert (reading.value, reading.status) == (None, None)
    assert reading.hidden == "fewer than 5 people rated it in Wave 1"
    assert reading.why == "the figure is not shown: fewer than 5 people rated it in Wave 1"


def test_need_score_reads_the_wave_chosen_or_the_latest_with_answers(hub, objective):
    survey = _needs_survey(hub)
    first = current_wave(survey)
    for level in (1, 1, 1, 1, 1):  # everyone low: 50
        make_needs_response(survey, wave=first, grid=(3, level, 3))
    second = open_next_wave(survey)
    for level in (1, 4, 4, 4, 4):  # one low in five: 10
        make_needs_response(survey, wave=second, grid=(3, level, 3))
    open_next_wave(survey)  # a third wave, with no answers yet
    phonics = hub.hub_type.need_areas[1]
    latest = _measure(objective, "need-score", survey=survey, need_area=phonics)
    chosen = _measure(objective, "need-score", survey=survey, need_area=phonics, wave=first)
    assert read(latest, day(1)).value == 10
    assert read(chosen, day(1)).value == 50
    assert read(chosen, day(1)).source.endswith("'Training needs', Wave 1")


# -- Change in confidence for linked participants -------------------------------------------


def _linked(survey, people, wave, levels):
    for person, level in zip(people, levels, strict=True):
        response = make_needs_response(survey, wave=wave, grid=(level, level, 1))
        response.participant = person
    db.session.commit()


def _people(hub, count):
    people = [Participant(hub_id=hub.id, code_hash=secrets.token_hex(32)) for _ in range(count)]
    db.session.add_all(people)
    db.session.commit()
    return people


def test_change_in_confidence_of_linked_participants(hub, objective):
    survey = _needs_survey(hub)
    people = _people(hub, 6)
    first = current_wave(survey)
    _linked(survey, people[:5], first, (1, 2, 2, 3, 2))
    second = open_next_wave(survey)
    # The sixth person starts in wave 2: their first wave is wave 2.
    _linked(survey, people[1:], second, (2, 3, 3, 3, 1))
    third = open_next_wave(survey)
    _linked(survey, people, third, (3, 3, 4, 4, 3, 4))
    # Someone without a code, and someone whose answers staff left out: neither counts.
    make_needs_response(survey, wave=third, grid=(5, 5, 5))
    left_out = make_needs_response(survey, wave=third, grid=(5, 5, 5))
    left_out.participant, left_out.excluded = people[0], True
    db.session.commit()

    early = hub.hub_type.need_areas[0]
    measure = _measure(objective, "confidence-change", survey=survey, need_area=early)
    reading = read(measure, day(10))
    # Early language, in wave 3 against each person's first wave:
    # people 1-5 first answered in wave 1 (1, 2, 2, 3, 2: mean 2.0), person 6 in wave 2 (1).
    # Before: (1 + 2 + 2 + 3 + 2 + 1) / 6 = 11/6; in wave 3: (3 + 3 + 4 + 4 + 3 + 4) / 6 = 21/6.
    # Change: 10/6 = 1.67, shown as 1.7.
    assert reading.value == 1.7
    assert reading.source.endswith(
        "for people who linked their answers with a participant code: 6 people"
    )

    # Every need area: early language and phonics as above, reading for pleasure 1 -> 1.
    every = _measure(objective, "confidence-change", survey=survey)
    # Before: (11 + 11 + 6) / 18; after: (21 + 21 + 6) / 18; change 20/18 = 1.11, shown 1.1.
    assert read(every, day(10)).value == 1.1

    # Wave 2 chosen: people 2-5 against wave 1 (2, 2, 3, 2 -> 3, 3, 3, 1): 4 people, hidden
    # in an anonymous survey, whose smallest group is 5.
    in_two = _measure(objective, "confidence-change", survey=survey, need_area=early, wave=second)
    reading = read(in_two, day(10))
    assert (reading.value, reading.hidden) == (
        None,
        "fewer than 5 people linked their answers to an earlier wave",
    )
    # The same in a named survey is shown: before 9/4, after 11/4, change 0.5.
    survey.anonymous = False
    db.session.commit()
    assert read(in_two, day(10)).value == 0.5

    # Baseline 0, target 3.4 (higher is better), due 10 December: on day 50 the line is at 1.7.
    every.need_area = early
    every.baseline, every.target, every.due_on = 0, 3.4, DUE
    db.session.commit()
    assert read(every, day(50)).status == "on-track"
    assert read(every, day(51)).status == "at-risk"
    _edges(measure, 1.7)


def _two_waves(hub, before, after):
    """A needs assessment whose linked people rated the three need areas (None: not rated)
    as `before` in its first wave and as `after` in its second."""
    survey = _needs_survey(hub)
    for wave, grids in ((current_wave(survey), before), (open_next_wave(survey), after)):
        for person, grid in grids.items():
            make_needs_response(survey, wave=wave, grid=grid).participant = person
    db.session.commit()
    return survey


def test_every_need_area_together_gives_away_no_hidden_need_area(app, hub, objective):
    # Six people linked across two waves of an anonymous survey; the hub's smallest group is 5.
    # Early language and phonics: all six, shown. Reading for pleasure: two people, hidden.
    p = _people(hub, 6)
    survey = _two_waves(
        hub,
        {p[0]: (2, 1, 1), p[1]: (2, 1, 1)} | {x: (2, 1, None) for x in p[2:]},
        {p[0]: (3, 2, 5), p[1]: (3, 2, 5)} | {x: (3, 2, None) for x in p[2:]},
    )
    every = _measure(objective, "confidence-change", survey=survey)
    # All 14 pairs: before (12 + 6 + 2) / 14, after (18 + 12 + 10) / 14. Shown beside the
    # areas shown (6 people, 2.0 to 3.0; 6 people, 1.0 to 2.0) and reading's count of 2, it
    # would give away that both went from 1 to 5: (20 - 12 - 6) / 2 and (40 - 18 - 12) / 2.
    reading = read(every, day(10))
    assert (reading.value, reading.hidden) == (
        None,
        "set against the need areas shown, it would give away the answers of fewer than 5 people",
    )
    client = _lead(app, hub)
    page = " ".join(client.get(f"/hubs/{hub.slug}/plan/{YEAR}/measures/{every.id}").text.split())
    assert "Every need area together: not shown, set against the need areas shown" in page
    # Nor is the hidden area's own count of people given.
    assert (
        'data-label="People">Fewer than 5</td> <td class="govuk-table__cell" colspan="3" '
        'data-label="Figures">Not shown: fewer than 5 people</td>'
    ) in page
    assert 'data-label="People">2</td>' not in page
    assert page.count('data-label="People">6</td>') == 2
    # In a named survey nothing is hidden: change (40 - 20) / 14 = 1.43, shown 1.4.
    survey.anonymous = False
    db.session.commit()
    assert read(every, day(10)).value == 1.4

    # Two hidden need areas holding five people together (phonics people 1-3, reading people
    # 4 and 5): set against early language, the overall figure gives away a mean over five
    # people, no fewer, so it is shown. 11 pairs: before (12 + 3 + 2) / 11, after
    # (18 + 6 + 10) / 11: change 17/11 = 1.55, shown 1.5.
    five = _two_waves(
        hub,
        {x: (2, 1, None) for x in p[:3]}
        | {x: (2, None, 1) for x in p[3:5]}
        | {p[5]: (2, None, None)},
        {x: (3, 2, None) for x in p[:3]}
        | {x: (3, None, 5) for x in p[3:5]}
        | {p[5]: (3, None, None)},
    )
    assert read(_measure(objective, "confidence-change", survey=five), day(10)).value == 1.5
    # The same figures, but reading rated by people 3 and 4: the hidden areas hold four people
    # (in five pairs), so the overall figure is hidden.
    four = _two_waves(
        hub,
        {x: (2, 1, None) for x in p[:2]}
        | {p[2]: (2, 1, 1), p[3]: (2, None, 1)}
        | {x: (2, None, None) for x in p[4:]},
        {x: (3, 2, None) for x in p[:2]}
        | {p[2]: (3, 2, 5), p[3]: (3, None, 5)}
        | {x: (3, None, None) for x in p[4:]},
    )
    reading = read(_measure(objective, "confidence-change", survey=four), day(10))
    assert reading.value is None
    assert reading.hidden.endswith("would give away the answers of fewer than 5 people")


def test_no_linked_people_yet(hub, objective):
    survey = _needs_survey(hub)
    _linked(survey, _people(hub, 5), current_wave(survey), (1, 2, 2, 3, 2))
    measure = _measure(objective, "confidence-change", survey=survey, target=1)
    reading = read(measure, day(10))
    assert reading.value is None and reading.hidden == ""
    assert reading.why == (
        "nobody who answered Wave 1 with a participant code answered an earlier wave with it"
    )


# -- Mean feedback rating of the objective's activities -------------------------------------


def _activity(hub, title, starts_at=datetime(2026, 9, 20, 16, 0), survey=None):
    return save_activity(
        hub, None, [], [], shared_survey=survey, title=title, kind="training", starts_at=starts_at
    )


def _ratings(activity, ratings):
    for rating in ratings:
        response = make_response(activity.survey, activity=activity, status="submitted")
        db.session.add(
            Answer(
                response_id=response.id, question_id=activity.survey.questions[0].id, number=rating
            )
        )
    db.session.commit()


def test_mean_feedback_rating_of_the_objective_activities(hub, objective):
    first, second = _activity(hub, "Phonics one"), _activity(hub, "Phonics two")
    elsewhere = _activity(hub, "Not this objective's")
    _ratings(first, (5, 4, 4, 3, 5))
    _ratings(second, (2, 3))
    _ratings(elsewhere, (1, 1, 1, 1, 1))
    objective.activities = [first, second]
    db.session.commit()
    measure = _measure(objective, "feedback-rating")
    # The second activity has 2 ratings, hidden; the total less the first activity's (shown)
    # would give them away, so the total is hidden too.
    reading = read(measure, day(10))
    assert (reading.value, reading.hidden) == (None, "it would give away a smaller group's ratings")
    _ratings(second, (3, 4, 3))
    # 5 + 4 + 4 + 3 + 5 = 21 and 2 + 3 + 3 + 4 + 3 = 15: 36 / 10 = 3.6.
    reading = read(measure, day(10))
    assert (reading.value, reading.unit) == (3.6, "out of 5")
    assert reading.source.endswith("from their feedback: 10 ratings")
    _edges(measure, 3.6)


def test_feedback_rating_without_activities_is_not_judged(hub, objective):
    measure = _measure(objective, "feedback-rating", target=4)
    assert read(measure, day(10)).why == "no activities are linked to the objective"


# -- Outcome figures across partner schools -------------------------------------------------


def _outcomes(hub, figures, wave=None):
    """An outcomes survey with each school's (pupils, share) in its first wave."""
    survey = create_survey(hub, "outcomes")
    survey.status = "open"
    pupils, share = survey.questions[0], survey.questions[1]
    for name, (count, percent) in figures.items():
        school = make_school(hub, name)
        response = make_response(
            survey, school=school, school_name=name, status="submitted", wave=wave
        )
        db.session.add_all(
            [
                Answer(response_id=response.id, question_id=pupils.id, number=count),
                Answer(response_id=response.id, question_id=share.id, number=percent),
            ]
        )
    db.session.commit()
    return survey


SCHOOLS = {"Ash Primary": (40, 50), "Beck Primary": (60, 75), "Cliff Primary": (100, 80)}


def test_outcome_hub_figure_and_share_of_schools_meeting_a_standard(hub, objective):
    survey = _outcomes(hub, SCHOOLS)
    share = survey.questions[1]
    hub_figure = _measure(objective, "outcome", survey=survey, question=share)
    reading = read(hub_figure, day(10))
    # Weighted by pupils: (40 x 50 + 60 x 75 + 100 x 80) / 200 = 14,500 / 200 = 72.5%.
    assert (reading.value, reading.unit) == (72.5, "%")
    meeting = _measure(objective, "outcome", survey=survey, question=share, standard="75")
    reading = read(meeting, day(10))
    # At or above 75%: Beck (75) and Cliff (80), 2 of 3 schools: 66.67%, shown as 66.7%.
    assert (reading.value, reading.unit) == (66.7, "%")
    assert "whose figure is 75% or more (3 schools)" in reading.source
    assert [(s, v, m) for s, v, m in reading.evidence.schools] == [
        ("Ash Primary", 50, False),
        ("Beck Primary", 75, True),
        ("Cliff Primary", 80, True),
    ]
    pupils = _measure(objective, "outcome", survey=survey, question=survey.questions[0])
    assert (read(pupils, day(10)).value, read(pupils, day(10)).unit) == (200, "pupils")
    _edges(meeting, 66.7)


def test_outcome_of_a_choice_question_keeps_the_results_small_group_rule(hub, objective):
    survey = _outcomes(hub, SCHOOLS)
    section = survey.sections[0]
    question = Question(
        kind="single", prompt="Phonics lead in post?", options=["Yes", "No"], position=9
    )
    section.questions.append(question)
    db.session.commit()
    responses = db.session.scalars(db.select(Response).where(Response.survey == survey)).all()
    for response, answer in zip(responses, (0, 0, 1), strict=True):
        db.session.add(Answer(response_id=response.id, question_id=question.id, number=answer))
    db.session.commit()
    measure = _measure(objective, "outcome", survey=survey, question=question, standard="Yes")
    reading = read(measure, day(10))
    # Three schools answered an anonymous survey: fewer than the smallest group of 5.
    assert (reading.value, reading.hidden) == (None, "fewer than 5 answered")
    hub.smallest_group = 3
    db.session.commit()
    # 'Yes' from 2 of 3 schools: 66.7%.
    assert read(measure, day(10)).value == 66.7


# -- Participation over the plan's school year ----------------------------------------------


def test_schools_active_and_teachers_attending_this_school_year(hub, objective):
    hill, beck, cliff = (make_school(hub, n) for n in ("Hill", "Beck", "Cliff"))
    lead = make_user(hubs=[hub])
    september = _activity(hub, "September", datetime(2026, 9, 15, 16, 0))
    october = _activity(hub, "October", datetime(2026, 10, 20, 16, 0))
    last_year = _activity(hub, "Last June", datetime(2026, 6, 10, 16, 0))
    later = _activity(hub, "After today", datetime(2026, 10, 25, 16, 0))
    add_person(september, Person("Ann Smith", "ann@hill.example", hill.id), lead)
    add_person(september, Person("Bo Jones", "", beck.id), lead)
    # Ann again (by her email) and Bo again (by name, at the same school): counted once each.
    add_person(october, Person("ANN SMITH", "Ann@Hill.example", hill.id), lead)
    add_person(october, Person("bo  jones", "", beck.id), lead)
    add_person(october, Person("Cy Wu", "cy@elsewhere.example", None), lead)
    add_person(last_year, Person("Di Last", "", cliff.id), lead)
    add_person(later, Person("Ed Later", "", cliff.id), lead)
    db.session.commit()
    schools = _measure(objective, "schools-active")
    teachers = _measure(objective, "teachers-attending")
    today = date(2026, 10, 21)  # the session on 25 October is still to come
    # Schools: Hill and Beck (Cy has no school; Cliff's sessions are outside the year so far).
    assert (read(schools, today).value, read(schools, today).unit) == (2, "schools")
    # Teachers: Ann, Bo and Cy.
    assert (read(teachers, today).value, read(teachers, today).unit) == (3, "teachers")
    assert read(schools, today).source == (
        "Schools reached by the hub's sessions or follow-up in 2026 to 2027, so far"
    )
    # For the rule's edges, every day from the first: both sessions on 1 September, the
    # later one after the measure is due.
    september.starts_at = october.starts_at = datetime(2026, 9, 1, 9, 0)
    later.starts_at = datetime(2027, 1, 5, 16, 0)
    db.session.commit()
    _edges(teachers, 3)
    _edges(schools, 2)


# -- The pages ------------------------------------------------------------------------------


def _lead(app, hub):
    client = app.test_client()
    sign_in(client, make_user("lead@leeds.example", hubs=[hub]))
    return client


def _urls(hub, objective):
    base = f"/hubs/{hub.slug}/plan/{YEAR}"
    return base, f"{base}/objectives/{objective.id}/measures/new"


def _scored_survey(hub):
    """Phonics scores 30 (see test_need_score_of_a_need_area)."""
    survey = _needs_survey(hub)
    for n, level in enumerate((1, 2, 3, 4, 5)):
        make_needs_response(survey, grid=(3, level, 3), priorities=(1,) if n == 0 else ())
    return survey


def test_a_lead_binds_a_measure_to_a_need_score_and_reads_its_evidence(app, hub, objective):
    survey = _scored_survey(hub)
    phonics = hub.hub_type.need_areas[1]
    client = _lead(app, hub)
    base, new = _urls(hub, objective)
    # First, what the measure reads; then only the fields that kind needs.
    page = client.get(new)
    assert page.status_code == 200 and "What does the measure read?" in page.text
    page = client.get(new, query_string={"kind": "need-score"})
    assert 'name="need_area"' in page.text and 'name="survey"' in page.text
    assert 'name="question"' not in page.text and 'name="current"' not in page.text
    assert 'value="lower" checked' in page.text  # a need score should fall
    sent = client.post(
        new,
        query_string={"kind": "need-score"},
        data={
            "title": "",
            "survey": str(survey.id),
            "wave": "0",
            "need_area": str(phonics.id),
            "baseline": "50",
            "target": "20",
            "due_on": "2027-07-16",
            "direction": "lower",
        },
    )
    assert sent.status_code == 303, sent.text
    measure = db.session.scalar(db.select(Measure))
    assert (measure.title, measure.kind, measure.survey_id, measure.need_area_id) == (
        "Need score: Systematic synthetic phonics",
        "need-score",
        survey.id,
        phonics.id,
    )
    assert (measure.wave_id, measure.baseline, measure.target, measure.higher_is_better) == (
        None,
        50,
        20,
        False,
    )
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "<strong>30</strong>" in text
    assert "Lower is better." in text and "baseline of 50 on 1 September 2026" in text
    assert "<strong>Systematic synthetic phonics</strong> (this measure)" in text
    # The objective lists it with its figures and status.
    listed = " ".join(client.get(f"{base}/objectives/{objective.id}").text.split())
    assert "Need score: Systematic synthetic phonics" in listed
    assert (
        "govuk-tag" in listed and 'Current</dt><dd class="govuk-summary-list__value">30' in listed
    )
    logged = db.session.scalars(db.select(PlanChange.what).order_by(PlanChange.id)).all()
    assert logged[-1] == (
        "Measure 'Need score: Systematic synthetic phonics' added to Objective 1 "
        "'Teachers confident in phonics'"
    )


def _post_measure(client, hub, objective, kind, **fields):
    _base, new = _urls(hub, objective)
    data = {"title": "A measure", "direction": "higher", **fields}
    return client.post(new, query_string={"kind": kind}, data=data)


def test_combinations_that_make_no_sense_are_refused_with_a_clear_message(app, hub, objective):
    ours = _needs_survey(hub)
    other_hub = make_hub("York Maths Hub", "maths-hub")
    theirs = make_survey(other_hub)
    maths_area = other_hub.hub_type.need_areas[0]
    outcomes = _outcomes(hub, {"Ash Primary": (40, 50)})
    other_outcomes = _outcomes(hub, {"Beck Primary": (60, 75)})
    their_wave = current_wave(other_outcomes)
    client = _lead(app, hub)
    cases = [
        (
            "need-score",
            {"survey": str(theirs.id), "need_area": str(hub.hub_type.need_areas[0].id)},
            "That survey is not one of this hub&#39;s needs assessments: choose one",
        ),
        (
            "need-score",
            {"survey": str(ours.id), "need_area": str(maths_area.id)},
            "That need area is not in the English hub framework this hub uses",
        ),
        (
            "outcome",
            {"survey": str(outcomes.id), "question": str(other_outcomes.questions[1].id)},
            "That question is not in &#39;Pupil outcomes&#39;: choose one of its questions",
        ),
        (
            "outcome",
            {
                "survey": str(outcomes.id),
                "question": str(outcomes.questions[1].id),
                "wave": str(their_wave.id),
            },
            "That wave is not one of &#39;Pupil outcomes&#39;",
        ),
        (
            "outcome",
            {"survey": str(outcomes.id), "question": str(outcomes.questions[2].id)},
            "Choose a number, single choice, scale or rating question",
        ),
        (
            "need-score",
            {"survey": str(ours.id), "need_area": "0"},
            "Choose the need area whose need score it reads",
        ),
        (
            "feedback-rating",
            {"target": "7"},
            "A feedback rating runs from 1 to 5: enter a target within it",
        ),
        (
            "outcome",
            {
                "survey": str(outcomes.id),
                "question": str(outcomes.questions[1].id),
                "baseline": "120",
            },
            "The figure is a percentage, from 0 to 100: enter a baseline within it",
        ),
        ("typed", {"target": "lots"}, "Enter the target as a number, like 60 or 62.5"),
        ("typed", {"baseline": "50", "target": "40"}, "the target must be above the baseline"),
        ("typed", {"due_on": "2026-08-31"}, "Enter a due date between 1 September 2026 and"),
        ("typed", {"title": ""}, "Enter a title: what the figure counts"),
    ]
    for kind, fields, message in cases:
        sent = _post_measure(client, hub, objective, kind, **fields)
        assert sent.status_code == 422, (kind, fields)
        assert message in sent.text, (message, fields)
    assert db.session.scalar(db.select(Measure)) is None


def test_the_current_figure_becomes_the_baseline_when_asked(app, hub, objective):
    survey = _scored_survey(hub)
    client = _lead(app, hub)
    fields = {
        "survey": str(survey.id),
        "need_area": str(hub.hub_type.need_areas[1].id),
        "use_current": "y",
        "baseline": "99",
        "target": "20",
        "direction": "lower",
    }
    assert _post_measure(client, hub, objective, "need-score", **fields).status_code == 303
    assert db.session.scalar(db.select(Measure.baseline)) == 30
    # A target on the wrong side of the figure taken is refused, saying so.
    sent = _post_measure(client, hub, objective, "need-score", **(fields | {"target": "35"}))
    assert sent.status_code == 422
    assert "target must be below the baseline (the current figure, 30)" in sent.text
    # With too few answers there is no figure to take: the page says why.
    reading_area = hub.hub_type.need_areas[2]
    small = _needs_survey(hub)
    make_needs_response(small, grid=(1, 1, 1))
    fields |= {"survey": str(small.id), "need_area": str(reading_area.id)}
    sent = _post_measure(client, hub, objective, "need-score", **fields)
    assert sent.status_code == 422
    assert "There is no current figure to use: it is not shown: fewer than 5 people" in sent.text
    assert len(db.session.scalars(db.select(Measure)).all()) == 1
    # A typed measure has no figure to take: its baseline is the one typed, and checked.
    typed = {"use_current": "y", "baseline": "30", "target": "10", "direction": "higher"}
    sent = _post_measure(client, hub, objective, "typed", **typed)
    assert sent.status_code == 422
    assert "With higher better, the target must be above the baseline" in sent.text
    assert len(db.session.scalars(db.select(Measure)).all()) == 1


def test_changes_are_logged_and_removal_asks_first(app, hub, objective):
    client = _lead(app, hub)
    assert (
        _post_measure(client, hub, objective, "typed", current="40", target="50").status_code == 303
    )
    measure = db.session.scalar(db.select(Measure))
    base, _new = _urls(hub, objective)
    edit = f"{base}/measures/{measure.id}/edit"
    page = client.get(edit)
    assert 'value="40"' in page.text and 'value="50"' in page.text
    fields = {"title": "A measure", "current": "40", "target": "55", "direction": "higher"}
    assert client.post(edit, data=fields).status_code == 303
    assert client.post(edit, data=fields).status_code == 303  # nothing changed: not logged
    logged = db.session.scalars(db.select(PlanChange.what).order_by(PlanChange.id)).all()
    assert logged[-2:] == [
        "Measure 'A measure' added to Objective 1 'Teachers confident in phonics'",
        "Measure 'A measure': target changed",
    ]
    # Changing what it reads starts from choosing the kind again.
    assert "What does the measure read?" in client.get(edit, query_string={"choose": 1}).text
    remove = f"{base}/measures/{measure.id}/remove"
    assert "Remove this measure" in client.get(remove).text
    assert db.session.get(Measure, measure.id) is not None
    assert client.post(remove).status_code == 303
    db.session.expire_all()
    assert db.session.get(Measure, measure.id) is None
    assert db.session.scalars(
        db.select(PlanChange.what).order_by(PlanChange.id.desc())
    ).first() == ("Measure 'A measure' removed from Objective 1 'Teachers confident in phonics'")


def test_another_hubs_plan_objective_and_measure_are_not_found(app, hub, objective):
    measure = _measure(objective, "typed", current=1)
    other = make_hub("York English Hub", "english-hub")
    client = app.test_client()
    sign_in(client, make_user("lead@york.example", hubs=[other]))
    start_plan(other, YEAR, None, with_objectives=False)
    theirs = f"/hubs/{other.slug}/plan/{YEAR}"
    for path in (
        f"{theirs}/objectives/{objective.id}/measures/new",
        f"{theirs}/measures/{measure.id}",
        f"{theirs}/measures/{measure.id}/edit",
        f"{theirs}/measures/{measure.id}/remove",
        f"/hubs/{other.slug}/plan/2030/measures/{measure.id}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{theirs}/measures/{measure.id}/remove").status_code == 404
    assert db.session.get(Measure, measure.id) is not None


def test_a_small_group_is_not_shown_on_the_measure_page(app, hub, objective):
    survey = _needs_survey(hub)
    for level in (1, 2, 3, 4):
        make_needs_response(survey, grid=(3, level, 3))
    measure = _measure(
        objective, "need-score", survey=survey, need_area=hub.hub_type.need_areas[1], target=20
    )
    client = _lead(app, hub)
    page = " ".join(client.get(f"/hubs/{hub.slug}/plan/{YEAR}/measures/{measure.id}").text.split())
    assert "Not shown: fewer than 5 people rated it in Wave 1" in page
    assert "Not judged" in page
    assert "Not shown: fewer than 5 respondents" in page  # the summary's own rows


def _links(html: str) -> dict[str, str]:
    """A page's links: their words, on one line without markup, and where each goes."""
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", words)).split()): unescape(href)
        for href, words in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def test_viewers_read_measures_on_the_plan_without_changing_them(app, hub, objective):
    needs = _needs_survey(hub)
    people = _people(hub, 5)
    _linked(needs, people, current_wave(needs), (1, 2, 2, 3, 2))
    _linked(needs, people, open_next_wave(needs), (3, 3, 3, 4, 3))
    session = _activity(hub, "Phonics one")
    _ratings(session, (5, 4, 4, 3, 5))
    objective.activities = [session]
    outcomes = _outcomes(hub, SCHOOLS)
    share = outcomes.questions[1]
    measures = {
        "Schools visited": ("typed", {"current": 4, "target": 8}),
        "Confidence": ("confidence-change", {"survey": needs}),
        "Phonics need": ("need-score", {"survey": needs, "need_area": hub.hub_type.need_areas[1]}),
        "Ratings": ("feedback-rating", {}),
        "Pupils at 75%": ("outcome", {"survey": outcomes, "question": share, "standard": "75"}),
        "Schools reached": ("schools-active", {}),
    }
    for title, (kind, fields) in measures.items():
        _measure(objective, kind, title=title, **fields)
    viewer = make_user("board@leeds.example", role="viewer", hubs=[hub])
    client = app.test_client()
    sign_in(client, viewer)
    plan = client.get(f"/hubs/{hub.slug}/plan/{YEAR}")
    assert plan.status_code == 200 and "Add a measure" not in plan.text
    on_the_plan = _links(plan.text)
    pages = {}
    for title in measures:
        # Reached as a viewer reaches it: by the measure's link on the plan.
        page = client.get(on_the_plan[title])
        assert page.status_code == 200, title
        assert "Edit the measure" not in page.text and "Back to the plan" in page.text
        # Every link on it opens for them: none leads to a page only hub staff may open.
        for words, href in _links(page.text).items():
            if href.startswith("/"):
                assert client.get(href).status_code == 200, (title, words, href)
        pages[title] = " ".join(page.text.split())
    # The outcome: the hub's figure, never a school's own.
    assert "<strong>66.7%</strong>" in pages["Pupils at 75%"]
    assert "3 schools have sent this figure; 2 meet the standard." in pages["Pupils at 75%"]
    assert not any(school in pages["Pupils at 75%"] for school in SCHOOLS)
    assert "Phonics one" in pages["Ratings"]
    measure = objective.measures[0]
    assert client.get(f"/hubs/{hub.slug}/plan/{YEAR}/measures/{measure.id}/edit").status_code == 404

    # Hub staff see each school's figure, and the way to the survey and the activity.
    lead = _lead(app, hub)
    outcome = " ".join(lead.get(on_the_plan["Pupils at 75%"]).text.split())
    assert all(school in outcome for school in SCHOOLS) and "Open the outcomes survey" in outcome
    assert "Phonics one" in _links(lead.get(on_the_plan["Ratings"]).text)


# -- The demo's plan ------------------------------------------------------------------------


def test_the_demo_plan_shows_a_measure_in_every_state(hub):
    early, _phonics, reading = hub.hub_type.need_areas
    survey = _needs_survey(hub)
    people = _people(hub, 5)
    _linked(survey, people, current_wave(survey), (1, 2, 2, 3, 2))
    _linked(survey, people, open_next_wave(survey), (3, 3, 3, 4, 3))
    talk = save_activity(
        hub, None, [early], [], title="Early talk", kind="training", starts_at=datetime(2026, 9, 20)
    )
    books = save_activity(
        hub, None, [reading], [], title="Books", kind="training", starts_at=datetime(2026, 9, 21)
    )
    _ratings(talk, (5, 4, 4, 3, 5))
    _outcomes(hub, SCHOOLS)
    today = date(2026, 11, 26)

    made = demo_plan.plan(hub, survey, [talk, books], today)

    assert made.year == YEAR and made.aims
    assert [o.need_areas for o in made.objectives] == [[early], [reading]]
    assert [o.activities for o in made.objectives] == [[talk], [books]]
    readings = [read(m, today) for o in made.objectives for m in o.measures]
    assert {r.status for r in readings} == {"on-track", "at-risk", "off-track", None}
    kinds = {m.kind for o in made.objectives for m in o.measures}
    assert kinds == set(MEASURE_KINDS) - {"typed"}


# -- Figures as typed -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=30), st.from_regex(r"-?[0-9,]{0,12}(\.[0-9]{0,5})?%?")))
def test_a_typed_figure_is_a_plain_finite_number_or_a_message(text):
    try:
        figure = read_number(text, "target")
    except ValidationError as error:
        assert str(error) == "Enter the target as a number, like 60 or 62.5"
        return
    if figure is None:
        assert text.strip().removesuffix("%").strip().replace(",", "") == ""
        return
    assert math.isfinite(figure) and abs(figure) < 10**9
    # Only the digits 0 to 9 were read: never '²' or another script's digits.
    assert set(text.strip()) <= set("-0123456789.,% ")
