"""A survey's results page: every question's figures, worked out by hand, per wave, pooled and
side by side, within the small-group rules."""

import html
import re

import pytest
from factories import make_hub, make_response, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Participant
from hubsurvey.models.base import utcnow
from hubsurvey.surveys.questions import to_answers
from hubsurvey.surveys.waves import open_next_wave

SINGLE = "Years in phase?"
MULTIPLE = "Formats?"
SCALE = "Confidence with phonics?"
RATING = "How supported do you feel?"
NUMBER = "Pupils in your class?"
SHORT = "One word for your school?"
LONG = "What would help?"
LEADERS = "Your priority as a leader?"
GRID = "How confident are you?"

MINUS = "\u2212"  # a true minus sign, as the board report and outcome figures write it


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))


def _respond(survey, values, wave=None, status="submitted", role="teacher", **fields):
    """A response with these answers, by question prompt, stored as the app stores them.
    A needs grid's value is a list of (confidence, priority), in the grid's order."""
    response = make_response(
        survey,
        wave=wave,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
        role=role,
        phase="primary",
        profile_saved=True,
        **fields,
    )
    questions = {q.prompt: q for q in survey.questions}
    for prompt, value in values.items():
        question = questions[prompt]
        if question.kind == "needs_grid":
            value = dict(zip([a.id for a in question.grid_areas], value, strict=True))
        for answer in to_answers(question, value):
            answer.response_id = response.id
            db.session.add(answer)
    db.session.commit()
    return response


def _words(fragment: str) -> str:
    """What a reader sees: the text without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _question(page: str, survey, prompt: str) -> str:
    question = next(q for q in survey.questions if q.prompt == prompt)
    found = re.search(rf'<section [^>]*id="question-{question.id}">(.*?)</section>', page, re.S)
    assert found, f"no result for {prompt!r}"
    return _words(found.group(1))


def _results(client, hub, survey, **args):
    response = client.get(
        f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results", query_string=args
    )
    assert response.status_code == 200, response.text
    return response.text


def _named_survey_with_five_answers(hub):
    """Four teachers and a headteacher, on a named survey (so nothing is held back)."""
    survey = make_survey(hub, anonymous=False)
    _respond(
        survey,
        {
            GRID: [(1, True), (4, False), (5, False)],
            SINGLE: 0,
            MULTIPLE: [0, 1],
            SCALE: 2,
            RATING: 7,
            NUMBER: 28,
            SHORT: "Busy",
            LONG: "More time",
        },
    )
    _respond(
        survey,
        {
            GRID: [(2, True), (4, True), (3, False)],
            SINGLE: 2,
            MULTIPLE: [1],
            SCALE: 4,
            RATING: 9,
            NUMBER: 30,
            LONG: "Coaching",
        },
    )
    _respond(
        survey,
        {
            GRID: [(4, False), (5, False), (1, False)],
            SINGLE: 2,
            MULTIPLE: [1, 2],
            SCALE: 4,
            NUMBER: 25,
        },
    )
    _respond(
        survey,
        {
            GRID: [(3, False), (3, False), (3, False)],
            SINGLE: 1,
            SCALE: 4,
            RATING: 8,
            NUMBER: 31,
            SHORT: "Calm",
        },
    )
    _respond(survey, {SINGLE: 2, LEADERS: "Phonics first"}, role="headteacher")
    # Neither a draft nor a response left out in review counts.
    _respond(survey, {SINGLE: 0, SCALE: 1, NUMBER: 1, LONG: "Draft words"}, status="draft")
    excluded = _respond(survey, {SINGLE: 0, SCALE: 1, NUMBER: 1, LONG: "Left out"})
    excluded.excluded = True
    db.session.commit()
    return survey


def test_every_question_is_reported_with_figures_worked_out_by_hand(client, hub, lead):
    survey = _named_survey_with_five_answers(hub)
    page = _results(client, hub, survey)

    single = _question(page, survey, SINGLE)
    assert "5 of 5 shown answered" in single
    assert "0-2 1 (20%)" in single and "3-5 1 (20%)" in single and "6+ 3 (60%)" in single

    multiple = _question(page, survey, MULTIPLE)  # shares of the 3 who answered
    assert "3 of 5 shown answered" in multiple
    assert "Online 1 (33%)" in multiple and "Twilight 3 (100%)" in multiple
    assert "In school 1 (33%)" in multiple and "more than 100%" in multiple

    scale = _question(page, survey, SCALE)  # 2, 4, 4, 4
    assert "4 of 5 shown answered" in scale and "Mean: 3.5 on a scale of 1 to 5" in scale
    assert "1: Very low 0 (0%)" in scale and "2: Low 1 (25%)" in scale
    assert "4: High 3 (75%)" in scale and "5: Very high 0 (0%)" in scale

    rating = _question(page, survey, RATING)  # 7, 9, 8
    assert "3 of 5 shown answered" in rating and "Mean: 8.0 out of 10" in rating
    assert "0: Not at all 0 (0%)" in rating and "7 1 (33%)" in rating
    assert "10: Fully 0 (0%)" in rating

    number = _question(page, survey, NUMBER)  # 25, 28, 30, 31: the middle two's mean
    assert "4 of 5 shown answered" in number
    assert "Median 29 pupils" in number and "Range 25 pupils to 31 pupils" in number
    assert "Answers 4" in number

    short = _question(page, survey, SHORT)
    assert "2 of 5 shown answered" in short and "Busy" in short and "Calm" in short
    long = _question(page, survey, LONG)
    assert "Coaching" in long and "More time" in long
    assert "Draft words" not in page and "Left out" not in page

    grid = _question(page, survey, GRID)  # confidence 1, 2, 4, 3 in early language
    assert "4 of 5 shown answered" in grid
    assert "Early language 4 2.5 50% 50% 50" in grid  # low: the 1 and the 2; first: 2 of 4
    assert "Systematic synthetic phonics 4 4.0 0% 25% 12" in grid
    assert "Reading for pleasure 4 3.0 25% 0% 12" in grid


def test_a_question_for_leaders_is_counted_over_leaders(client, hub, lead):
    survey = _named_survey_with_five_answers(hub)
    leaders = _question(_results(client, hub, survey), survey, LEADERS)
    assert "1 of 1 shown answered" in leaders
    assert "Only for: Senior leader or Headteacher" in leaders
    assert "Phonics first" in leaders


def test_small_groups_are_held_back_on_anonymous_surveys_only(client, hub, lead):
    survey = make_survey(hub)  # anonymous; the hub's smallest group is 5
    for _ in range(5):
        _respond(survey, {SINGLE: 1, SCALE: 3})
    _respond(survey, {SINGLE: 1, RATING: 4, LONG: "Only two wrote this"})
    _respond(survey, {SINGLE: 1, RATING: 6, LONG: "and this"})
    page = _results(client, hub, survey)
    single = _question(page, survey, SINGLE)
    assert "7 of 7 shown answered" in single and "3-5 7 (100%)" in single
    rating = _question(page, survey, RATING)
    assert "2 of 7 shown answered" in rating
    assert "Not shown: fewer than 5 answered" in rating and "Mean" not in rating
    long = _question(page, survey, LONG)
    assert "Not shown: fewer than 5 answered" in long
    assert "Only two wrote this" not in page and "and this" not in page
    assert "a question answered by fewer than 5 people shows no figures" in _words(page)
    question = next(q for q in survey.questions if q.prompt == LONG)
    answers = client.get(
        f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/questions/{question.id}"
    )
    assert "Only two wrote this" not in answers.text and "fewer than 5 answered" in answers.text

    survey.anonymous = False  # the same answers, named: nothing is held back
    db.session.commit()
    page = _results(client, hub, survey)
    assert "Mean: 5.0 out of 10" in _question(page, survey, RATING)
    assert "Only two wrote this" in page


def test_a_recurring_survey_opens_on_its_latest_wave(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    _respond(survey, {SINGLE: 0})
    _respond(survey, {SINGLE: 0})
    latest = open_next_wave(survey)
    _respond(survey, {SINGLE: 2}, wave=latest)
    page = _results(client, hub, survey)
    assert "Wave 2, the latest wave: 1 sent response" in _words(page)
    assert "6+ 1 (100%)" in _question(page, survey, SINGLE)
    assert '<option value="all">All waves: 3 sent</option>' in page
    first = _results(client, hub, survey, wave=survey.waves[0].id)
    assert "0-2 2 (100%)" in _question(first, survey, SINGLE)


def test_all_waves_says_what_is_pooled_and_who_answered_twice(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    linked = Participant(hub_id=hub.id, code_hash="a" * 64)
    other = Participant(hub_id=hub.id, code_hash="b" * 64)
    db.session.add_all([linked, other])
    _respond(survey, {SINGLE: 0}, participant=linked)
    _respond(survey, {SINGLE: 0}, participant=other)
    _respond(survey, {SINGLE: 1})
    latest = open_next_wave(survey)
    _respond(survey, {SINGLE: 2}, wave=latest, participant=linked)
    _respond(survey, {SINGLE: 2}, wave=latest)
    page = _results(client, hub, survey, wave="all")
    assert (
        "All waves: Wave 1 and Wave 2: 5 responses. A person who answered in both waves is "
        "counted in each. Participant codes show that 1 person answered in more than one "
        "wave: each of their responses is counted."
    ) in _words(page)
    assert "5 of 5 shown answered" in _question(page, survey, SINGLE)
    assert "6+ 2 (40%)" in _question(page, survey, SINGLE)


def test_pooling_without_participant_codes_says_repeats_cannot_be_told(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    _respond(survey, {SINGLE: 0})
    _respond(survey, {SINGLE: 0}, wave=open_next_wave(survey))
    page = _words(_results(client, hub, survey, wave="all"))
    assert "Wave 1 and Wave 2: 2 responses." in page
    assert "the app cannot tell how many people answered more than once" in page


def test_two_waves_side_by_side_with_the_change(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    for single, scale, pupils, grid in (
        (0, 2, 20, [(2, True), (3, False), (3, False)]),
        (0, 3, 30, [(2, False), (3, False), (3, False)]),
        (1, 3, 40, [(2, True), (3, False), (3, False)]),
        (2, 2, 50, [(2, False), (3, False), (3, False)]),
        (2, 3, 10, [(2, False), (3, False), (3, False)]),
    ):
        _respond(survey, {SINGLE: single, SCALE: scale, NUMBER: pupils, GRID: grid})
    later = open_next_wave(survey)
    for single, scale, pupils, grid in (
        (0, 3, 25, [(3, False), (3, False), (3, False)]),
        (2, 4, 26, [(3, False), (3, False), (3, False)]),
        (2, 4, 27, [(3, False), (3, False), (3, False)]),
        (2, 4, 28, [(3, False), (3, False), (3, False)]),
    ):
        _respond(survey, {SINGLE: single, SCALE: scale, NUMBER: pupils, GRID: grid}, wave=later)
    response = client.get(f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/compare")
    assert response.status_code == 200
    page = response.text
    single = _question(page, survey, SINGLE)  # 2 of 5 -> 1 of 4; 2 of 5 -> 3 of 4
    assert f"Answered 5 of 5 shown 4 of 4 shown {MINUS}1" in single
    assert f"0-2 40% 25% {MINUS}15 points" in single and "6+ 40% 75% +35 points" in single
    scale = _question(page, survey, SCALE)  # 13 / 5 = 2.6 -> 15 / 4 = 3.75, shown as 3.8
    assert "Mean 2.6 3.8 +1.2" in scale
    number = _question(page, survey, NUMBER)  # 10 20 30 40 50 -> 25 26 27 28
    assert f"Median 30 pupils 26.5 pupils {MINUS}3.5" in number
    grid = _question(page, survey, GRID)
    assert "Early language: mean confidence 2.0 3.0 +1.0" in grid
    assert f"Early language: a priority 40% 0% {MINUS}40 points" in grid
    assert "Reading for pleasure: mean confidence 3.0 3.0 no change" in grid
    assert "Reading for pleasure: a priority 0% 0% no change" in grid

    # Any two waves, either way round.
    swapped = client.get(
        f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/compare",
        query_string={"from": later.id, "to": survey.waves[0].id},
    )
    assert f"Mean 3.8 2.6 {MINUS}1.2" in _question(swapped.text, survey, SCALE)


def test_one_wave_is_held_back_when_all_waves_would_give_away_a_small_one(client, hub, lead):
    survey = make_survey(hub)  # anonymous, smallest group 5
    for _ in range(2):
        _respond(survey, {SINGLE: 0})
    later = open_next_wave(survey)
    for _ in range(6):
        _respond(survey, {SINGLE: 1}, wave=later)
    latest = _question(_results(client, hub, survey), survey, SINGLE)
    assert "6 of 6 shown answered" in latest
    assert "Not shown: set against all waves together" in latest and "(100%)" not in latest
    assert "Not shown: fewer than 5 answered" in _question(
        _results(client, hub, survey, wave=survey.waves[0].id), survey, SINGLE
    )
    pooled = _question(_results(client, hub, survey, wave="all"), survey, SINGLE)
    assert "0-2 2 (25%)" in pooled and "3-5 6 (75%)" in pooled
    compared = client.get(f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/compare")
    assert "3-5 Not shown Not shown \u2013" in _question(compared.text, survey, SINGLE)


def test_with_three_waves_a_small_one_cannot_be_worked_out_from_the_others(client, hub, lead):
    survey = make_survey(hub)  # anonymous, smallest group 5
    for _ in range(6):
        _respond(survey, {SINGLE: 0})
    waves = [survey.waves[0], open_next_wave(survey)]
    for _ in range(7):
        _respond(survey, {SINGLE: 1}, wave=waves[1])
    waves.append(open_next_wave(survey))
    for _ in range(2):
        _respond(survey, {SINGLE: 2}, wave=waves[2])
    # All waves (15) minus the first (6) and second (7) would give the third's 2: the
    # smallest of the others is held back too.
    shown = [
        "(100%)" in _question(_results(client, hub, survey, wave=w.id), survey, SINGLE)
        for w in waves
    ]
    assert shown == [False, True, False]


def test_written_answers_are_searched_and_paged_and_never_read_as_html(client, hub, lead):
    survey = make_survey(hub)
    texts = [f"Phonics idea {n}" for n in range(27)] + [
        "<script>alert(1)</script> more time",
        "100% of us want coaching",
        "Nothing",
    ]
    for text in texts:
        _respond(survey, {LONG: text})
    question = next(q for q in survey.questions if q.prompt == LONG)
    page = _results(client, hub, survey)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "See all 30 answers" in _question(page, survey, LONG)

    url = f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/questions/{question.id}"
    found = client.get(url, query_string={"search": "PHONICS", "wave": "all"}).text
    assert "27 answers contain “PHONICS”. Page 1 of 2." in _words(found)
    assert found.count('class="app-comment app-results-text"') == 25
    assert "Nothing" not in found
    second = client.get(url, query_string={"search": "phonics", "page": 2}).text
    assert second.count('class="app-comment app-results-text"') == 2
    assert "Page 2 of 2" in second
    # % and _ are matched as typed, not as wildcards.
    assert "1 answer contains “100%”" in _words(client.get(url + "?search=100%25").text)
    assert "No answers contain “_”" in _words(client.get(url + "?search=_").text)
    hostile = client.get(url, query_string={"search": "<script>"}).text
    assert "<script>alert" not in hostile and "1 answer contains “&lt;script&gt;”" in hostile

    # htmx asks for the list alone.
    fragment = client.get(url, query_string={"search": "coaching"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "100% of us want coaching" in fragment.text


def test_odd_addresses_are_refused_or_ignored_never_an_error(client, hub, lead):
    survey = _named_survey_with_five_answers(hub)
    base = f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results"
    for args in ({"wave": "x"}, {"wave": "99999999999"}, {"wave": "-1"}, {"wave": ""}):
        assert client.get(base, query_string=args).status_code == 200
    for args in ({"from": "1", "to": "1"}, {"from": "x"}, {"to": "99999999999"}):
        assert client.get(base + "/compare", query_string=args).status_code == 200
    text = next(q for q in survey.questions if q.prompt == LONG)
    for args in ({"page": "0"}, {"page": "999"}, {"page": "x"}, {"search": "x" * 5000}):
        assert client.get(f"{base}/questions/{text.id}", query_string=args).status_code == 200
    number = next(q for q in survey.questions if q.prompt == NUMBER)
    assert client.get(f"{base}/questions/{number.id}").status_code == 404  # not written
    assert client.get(f"{base}/questions/99999999").status_code == 404


def test_another_hubs_staff_cannot_see_the_results(client, hub):
    survey = _named_survey_with_five_answers(hub)
    other = make_hub("Leeds Maths Hub", "maths-hub")
    sign_in(client, make_user(email="other@hub.example", hubs=[other]))
    text = next(q for q in survey.questions if q.prompt == LONG)
    for path in ("", "/compare", f"/questions/{text.id}"):
        for slug in (hub.slug, other.slug):  # neither their hub's address nor this one's
            url = f"/hubs/{slug}/reports/surveys/{survey.id}/results{path}"
            assert client.get(url).status_code == 404, url


def test_the_survey_page_links_to_the_results(client, hub, lead):
    survey = _named_survey_with_five_answers(hub)
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert f'href="/hubs/{hub.slug}/reports/surveys/{survey.id}/results"' in page


def test_the_needs_summary_says_which_waves_it_uses(client, hub, lead):
    survey = make_survey(hub)
    grid = [(3, False)] * 3
    _respond(survey, {GRID: grid})
    later = open_next_wave(survey)
    _respond(survey, {GRID: grid}, wave=later)
    needs = f"/hubs/{hub.slug}/reports/needs"
    hub_wide = _words(client.get(needs).text)
    assert (
        "Uses every wave of every needs assessment, pooled: 'Training needs' (Wave 1 and "
        "Wave 2). A person who answered more than once is counted each time."
    ) in hub_wide
    one_wave = client.get(needs, query_string={"survey": survey.id, "wave": later.id}).text
    assert "Uses Wave 2 of 'Training needs' only." in _words(one_wave)
    pooled = _words(client.get(needs, query_string={"survey": survey.id}).text)
    assert "Uses every wave of 'Training needs', pooled. Wave 1 and Wave 2: 2 responses." in pooled


def test_a_draft_survey_has_results_page_saying_nothing_is_in_yet(client, hub, lead):
    survey = make_survey(hub, status="draft")
    page = _words(_results(client, hub, survey))
    assert "No responses yet: nobody can answer until the survey is open." in page
    assert "0 of 0 shown answered" in page
    compare = client.get(f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results/compare")
    assert compare.status_code == 200 and "has one wave so far" in compare.text


def test_a_survey_that_asks_nobody_about_themselves_shows_everyone_everything(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    survey.asks_profile = False  # quick feedback: no role to choose the leaders' section by
    db.session.commit()
    _respond(survey, {LEADERS: "Everyone saw this"}, role=None)
    _respond(survey, {SINGLE: 1}, role=None)
    leaders = _question(_results(client, hub, survey), survey, LEADERS)
    assert "1 of 2 shown answered" in leaders and "Only for" not in leaders
