"""The needs summary by school: one grid, small schools counted together, figures by hand."""

import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.reports.schools import school_picture
from hubsurvey.reports.summary import Filters


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 5
    db.session.commit()
    return hub


def _answers(survey, school, people, grid, priorities=()):
    for _ in range(people):
        make_needs_response(survey, school=school, grid=grid, priorities=priorities)


def _rows(picture):
    lines = [(line.label, line.respondents, _scores(picture, line)) for line in picture.lines]
    group = picture.group
    return lines, (group.schools, group.respondents, _scores(picture, group)) if group else None


def _scores(picture, line):
    return [round(line.scores[area.id]) for area in picture.areas]


def test_small_schools_are_counted_together_and_large_ones_shown(hub):
    survey = make_survey(hub)
    _answers(survey, make_school(hub, "Hill Primary"), 6, (1, 4, 5), priorities=(0,))
    _answers(survey, make_school(hub, "Moor Primary"), 3, (2, 4, 3))
    _answers(survey, make_school(hub, "Oak Primary"), 2, (4, 4, 4))
    _answers(survey, make_school(hub, "Ash Primary"), 4, (1, 1, 1), priorities=(1,))

    lines, group = _rows(school_picture(hub, Filters(survey=survey)))

    assert lines == [("Hill Primary", 6, [100, 0, 0])]
    # Moor, Oak and Ash: 9 people. Early language: 7 of 9 low, none a priority: 50 * 7/9.
    # Phonics: 4 low and 4 priority: 50 * 4/9 + 50 * 4/9. Reading: 4 low: 50 * 4/9.
    assert group == (3, 9, [39, 44, 22])


def test_a_group_too_small_to_show_takes_in_the_smallest_school_shown(hub):
    survey = make_survey(hub)
    _answers(survey, make_school(hub, "Hill Primary"), 6, (1, 1, 1))
    _answers(survey, make_school(hub, "Moor Primary"), 7, (5, 5, 5))
    _answers(survey, make_school(hub, "Oak Primary"), 2, (5, 5, 5))
    picture = school_picture(hub, Filters(survey=survey))
    lines, group = _rows(picture)
    # Oak alone would be 2 people: the whole hub less Hill and Moor would show them.
    assert lines == [("Moor Primary", 7, [0, 0, 0])]
    assert group == (2, 8, [38, 38, 38]) and picture.group_shown  # 50 * 6/8


def test_when_even_every_school_together_is_too_few_nothing_is_shown(hub):
    survey = make_survey(hub)
    _answers(survey, make_school(hub, "Hill Primary"), 2, (1, 1, 1))
    _answers(survey, None, 1, (1, 1, 1))
    picture = school_picture(hub, Filters(survey=survey))
    assert picture.lines == [] and not picture.group_shown
    assert picture.group.schools == 1 and picture.unlisted


def test_a_named_survey_shows_every_school_on_its_own(hub):
    survey = make_survey(hub, anonymous=False)
    _answers(survey, make_school(hub, "Hill Primary"), 6, (1, 4, 5))
    _answers(survey, make_school(hub, "Oak Primary"), 2, (4, 4, 4))
    lines, group = _rows(school_picture(hub, Filters(survey=survey)))
    assert [label for label, *_rest in lines] == ["Hill Primary", "Oak Primary"]
    assert group is None


def test_the_needs_page_by_school_shows_the_grid(client, hub):
    sign_in(client, make_user(hubs=[hub]))
    survey = make_survey(hub)
    _answers(survey, make_school(hub, "Hill Primary"), 6, (1, 4, 5), priorities=(0,))
    _answers(survey, make_school(hub, "Moor <b>Primary</b>"), 3, (2, 4, 3))
    _answers(survey, make_school(hub, "Oak Primary"), 2, (4, 4, 4))
    page = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}&by=school").text
    grid = page.split("Need scores by school</h2>")[1].split("</table>")[0]
    assert "Hill Primary" in grid and "2 schools counted together" in grid
    assert "Moor" not in grid  # small schools are not named
    assert "Moor <b>" not in page  # and names are escaped wherever they are
