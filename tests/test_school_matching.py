"""A school typed on "About you" is matched to the hub's list however it is spelt.

"St Mary's" with a straight or a curly apostrophe, "ST MARYS", "St. Mary's C of E" and "Saint
Mary's Church of England" are one name, and the teacher's answers must count for that school.
Different names never meet, and a name like two of the hub's schools is never given to one of
them: the teacher is asked to choose."""

import itertools
import re
import unicodedata

import pytest
from factories import PROFILE, make_hub, make_school, make_survey, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsurvey.extensions import db
from hubsurvey.models import Response
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.respond.school_names import name_key
from hubsurvey.respond.services import match_school, must_choose_school

# The ways of writing one thing, written out here rather than read from the code under test.
APOSTROPHES = ["'", "\u2019", "\u2018", "`", "\u2032", "\u02bc", "\u00b4", ""]
SPELLINGS = {
    "saint": ["St", "St.", "Saint", "ST", "st.", "SAINT", "st"],
    "and": ["&", "and", "AND", "And"],
    "ce": [
        "CE",
        "C of E",
        "C. of E.",
        "C.E.",
        "Church of England",
        "CofE",
        "C of E.",
        "church of england",
        "C E",
    ],
    "rc": ["RC", "R.C.", "Roman Catholic", "R C", "roman catholic"],
}
SEPARATORS = [" ", "  ", " - ", "-", ", ", " \u2013 ", ". ", "/", " ("]
CASES = [str, str.upper, str.lower, str.title, str.swapcase]
# Words that are spelt several ways, or are part of such a spelling: a generated plain word is
# never one of them.
SPECIAL = {
    "st", "ss", "sts", "saint", "saints", "and", "c", "e", "r", "of", "ce", "rc", "cofe",
    "church", "england", "roman", "catholic",
}  # fmt: skip


def fold(word: str) -> str:
    """A word as it reads whatever its case and accents."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    ).casefold()


plain = st.text("abcdefghijklmnopqrstuvwxyzéüçñ", min_size=2, max_size=9).filter(
    lambda w: fold(w) not in SPECIAL
)
part = st.one_of(
    plain.map(lambda w: ("word", w)),
    plain.map(lambda w: ("possessive", w)),  # Mary's
    st.sampled_from([("saint",), ("and",), ("ce",), ("rc",)]),
)
# A school's name as a list of parts; what it means is `meaning(parts)`.
school_name = st.lists(part, min_size=1, max_size=5)


def meaning(parts) -> tuple[str, ...]:
    """The words a name says, however written: two names with one meaning are one name."""
    words = []
    for kind, *word in parts:
        if kind == "word":
            words.append(fold(word[0]))
        elif kind == "possessive":
            words.append(fold(word[0]) + "s")
        else:
            words.append(kind)
    return tuple(words)


@st.composite
def spelling(draw, parts) -> str:
    """One way a teacher or a spreadsheet might write the name."""
    pieces = []
    for kind, *word in parts:
        if kind == "word":
            text = word[0]
        elif kind == "possessive":
            text = word[0] + draw(st.sampled_from(APOSTROPHES)) + "s"
        else:
            text = draw(st.sampled_from(SPELLINGS[kind]))
        pieces.append(draw(st.sampled_from(CASES))(text))
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + piece
    return (
        draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", ".", ",", " "]))
    )


def test_straight_and_curly_apostrophes_read_the_same():
    assert name_key("St Mary\u2019s") == name_key("St Mary's") == name_key("st. marys")
    assert name_key("St Mary\u2019s") != name_key("Mary\u2019s")


@given(data=st.data(), parts=school_name, other=school_name)
@settings(max_examples=200)
def test_two_spellings_read_the_same_exactly_when_they_mean_the_same(data, parts, other):
    one, two = data.draw(spelling(parts)), data.draw(spelling(parts))
    assert name_key(one) == name_key(two)
    if meaning(other) != meaning(parts):
        assert name_key(data.draw(spelling(other))) != name_key(one)


@pytest.mark.parametrize(
    ("listed", "typed"),
    [
        ("St Mary\u2019s CE Primary School", "St Mary's CE Primary School"),
        ("St Mary\u2019s CE Primary School", "st marys c of e primary school"),
        ("St Mary\u2019s CE Primary School", "Saint Mary`s Church of England Primary School"),
        ("St. John's C.E. (VA) Primary", "St Johns CE VA Primary"),
        ("Ss Peter & Paul RC Academy", "SS. Peter and Paul Roman Catholic Academy"),
        ("Hill-Side Infant School", "hill side  infant school"),
        ("Église Saint-Joseph", "Eglise St Joseph"),
    ],
)
def test_a_typed_name_is_matched_however_it_is_spelt(app, listed, typed):
    hub = make_hub("Leeds English Hub", "english-hub")
    school = make_school(hub, listed)
    make_school(hub, "Hill Primary")
    assert match_school(hub, typed) == (school, listed)


@pytest.mark.parametrize(
    ("listed", "typed"),
    [
        ("St Mary\u2019s CE Primary School", "St Mary's Primary School"),  # not the church school
        ("St Mary\u2019s CE Primary School", "St Mary's RC Primary School"),
        ("St Mary\u2019s Primary School", "St Mark's Primary School"),
        ("Hill Primary School", "Hill Primary"),  # another school may be called that
    ],
)
def test_a_different_name_is_kept_as_written(app, listed, typed):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, listed)
    assert match_school(hub, typed) == (None, typed)


# Shared by the examples of one test, on purpose: each example makes a hub of its own.
DATABASE = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_numbers = itertools.count(1)


def _hub_with(names: list[str]):
    hub = make_hub(f"Hub {next(_numbers)}", "teaching-school-hub")
    schools = [
        make_school(hub, name, urn=str(100000 + next(_numbers)), phase="primary") for name in names
    ]
    return hub, schools


@DATABASE
@given(data=st.data(), names=st.lists(school_name, min_size=1, max_size=4), pick=st.integers(0, 3))
def test_a_teachers_spelling_finds_their_school_and_no_other(app, data, names, pick):
    names = list({meaning(parts): parts for parts in names}.values())  # different names
    listed = [data.draw(spelling(parts)).strip() for parts in names]
    hub, schools = _hub_with(listed)
    chosen = pick % len(names)
    typed = data.draw(spelling(names[chosen]))
    assert match_school(hub, typed)[0] == schools[chosen]
    assert not must_choose_school(hub, typed)

    stranger = data.draw(school_name)
    if meaning(stranger) not in {meaning(parts) for parts in names}:
        typed = data.draw(spelling(stranger))
        assert match_school(hub, typed) == (None, " ".join(typed.split()))


@DATABASE
@given(data=st.data(), parts=school_name)
def test_a_name_like_two_schools_is_given_to_neither(app, data, parts):
    first, second = data.draw(spelling(parts)).strip(), data.draw(spelling(parts)).strip()
    if first.casefold() == second.casefold():
        second += "."  # the hub's list refuses one name twice
    hub, schools = _hub_with([first, second])
    typed = data.draw(spelling(parts))
    assert match_school(hub, typed)[0] is None
    assert must_choose_school(hub, typed)
    # Chosen from the list, with the URN the list shows, each is found.
    for school in schools:
        assert match_school(hub, f"{school.name} (URN {school.urn})")[0] == school


# Through the pages: teachers type their school on "About you", and the hub lead reads the
# needs summary for that school.


def _answer_and_send(client, survey, school_typed):
    code = survey.code
    assert client.post(f"/s/{code}").status_code == 303
    page = client.post(f"/s/{code}/about-you", data=PROFILE | {"school": school_typed})
    assert page.status_code == 303, page.text
    grid = survey.questions[0]
    levels = {f"q{grid.id}-{area.id}": "2" for area in grid.grid_areas}
    assert client.post(f"/s/{code}/1", data=levels).status_code == 303
    teaching = {q.prompt: f"q{q.id}" for q in survey.sections[1].questions}
    answers = {
        teaching["Years in phase?"]: "1",
        teaching["Confidence with phonics?"]: "3",
        teaching["Pupils in your class?"]: "28",
    }
    assert client.post(f"/s/{code}/2", data=answers).status_code == 303
    assert client.post(f"/s/{code}/send").status_code == 303


def test_every_spelling_of_a_school_counts_in_its_figures(app, client):
    hub = make_hub("Leeds English Hub", "english-hub")
    school = make_school(hub, "St Mary\u2019s C of E Primary School", urn="100001")
    make_school(hub, "St Mary\u2019s Primary School", urn="100002")  # another school
    survey = make_survey(hub)
    typed = [
        "St Mary's C of E Primary School",  # a straight apostrophe
        "st marys ce primary school",
        "ST. MARY\u2019S CHURCH OF ENGLAND PRIMARY SCHOOL",
        "Saint Mary`s C.E. Primary School",
        "St Mary\u2019s C-of-E Primary School ",
    ]
    for spelt in typed:
        _answer_and_send(app.test_client(), survey, spelt)

    stored = db.session.scalars(db.select(Response).order_by(Response.id)).all()
    assert [r.school for r in stored] == [school] * 5
    assert {r.school_name for r in stored} == {school.name}

    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}&school={school.id}")
    assert page.status_code == 200
    # Five respondents: enough for the figures of an anonymous survey to be shown.
    assert re.findall(r'data-label="Respondents"[^>]*>\s*(\d+)\s*<', page.text) == ["5"] * 3
    rows = needs_summary(hub, Filters(survey=survey, values={"school": str(school.id)}))
    assert [r.respondents for r in rows] == [5, 5, 5] and not any(r.suppressed for r in rows)


def test_a_teacher_whose_school_name_is_like_two_is_asked_to_choose(app, client):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "St Mary\u2019s CE Primary School", urn="100001")
    other = make_school(hub, "St Mary's C of E Primary School", urn="100002")  # another town
    survey = make_survey(hub)
    code = survey.code
    client.post(f"/s/{code}")

    page = client.post(
        f"/s/{code}/about-you", data=PROFILE | {"school": "st marys ce primary school"}
    )
    assert page.status_code == 422
    assert "More than one school on the hub&#39;s list has a name like that" in page.text
    assert db.session.scalar(db.select(Response)).profile_saved is False

    chosen = "St Mary's C of E Primary School (URN 100002)"  # as the list offers it
    assert client.post(f"/s/{code}/about-you", data=PROFILE | {"school": chosen}).status_code == 303
    assert db.session.scalar(db.select(Response)).school == other
    # Coming back to "About you", the school is shown as chosen, and saving again keeps it.
    assert "(URN 100002)" in client.get(f"/s/{code}/about-you").text
    assert client.post(f"/s/{code}/about-you", data=PROFILE | {"school": chosen}).status_code == 303
    assert db.session.scalar(db.select(Response)).school == other
