"""One teacher across registers is one teacher: "Ann Smith" registered with her email at one
session and without it at another counts once in the teachers reached, the CPD hours per
teacher (page and file) and a series' totals; two addresses under one name stay two people,
and one name at two schools stays two. A series' sessions count their registers the way its
totals do, so the sessions' figures add up to the totals. Every figure is worked by hand."""

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest
from factories import make_hub, make_school, make_user, sign_in

from hubsurvey.activities import series as series_services
from hubsurvey.activities.hours import period, year_hours
from hubsurvey.activities.participation import participation
from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.services import save_activity
from hubsurvey.school_years import this_year

# Last school year: every session in it has been held, whatever day the tests run.
LAST_YEAR = this_year() - 1


def _on(days: int) -> datetime:
    return datetime.combine(period(LAST_YEAR)[0] + timedelta(days=days), time(16))


@pytest.fixture
def hub(app):
    return make_hub("Leeds Teaching School Hub")


@pytest.fixture
def hill(hub):
    return make_school(hub, "Hill Primary School", status="active")


@pytest.fixture
def beck(hub):
    return make_school(hub, "Beck Primary School", status="active")


@pytest.fixture
def lead(client, hub):
    user = make_user("lead@leeds.example", hubs=[hub])
    sign_in(client, user)
    return user


def _session(hub, title, days, hours, series=None):
    return save_activity(
        hub,
        None,
        [],
        [],
        shared_survey=series.survey if series else None,
        title=title,
        kind="training",
        starts_at=_on(days),
        hours=hours,
        series=series,
    )


def _register(lead, people):
    for activity, name, email, school in people:
        add_person(activity, Person(name, email, school.id if school else None), lead)


def _teachers(hub) -> list[tuple[str, str, int, float]]:
    return [
        (t.name, t.school.name if t.school else "", t.sessions, t.hours)
        for t in year_hours(hub, LAST_YEAR).teachers
    ]


def _teachers_file(client, hub) -> list[list[str]]:
    data = client.get(f"/hubs/{hub.slug}/activities/hours/teachers.csv?year={LAST_YEAR}").data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]


def test_a_teacher_registered_with_and_without_her_email_counts_once(client, hub, hill, beck, lead):
    a = _session(hub, "A", 10, 2)
    b = _session(hub, "B", 40, 1.5)
    c = _session(hub, "C", 70, 1)
    _register(
        lead,
        [
            (a, "Ann Smith", "ann@hill.example", hill),
            (b, "ann  SMITH", "", hill),  # no email: the Ann with one at Hill
            # On C's register twice, with and without her email: once.
            (c, "Ann Smith", "", hill),
            (c, "Ann Smith", "Ann@Hill.example", hill),
            (a, "Bo Jones", "", beck),
        ],
    )
    # Ann: A 2 + B 1.5 + C 1 on three sessions; Bo: A 2.
    totals = participation(hub, *period(LAST_YEAR))
    assert (totals.sessions, totals.schools, totals.teachers, totals.cpd_hours) == (3, 2, 2, 6.5)
    assert sorted(_teachers(hub)) == [
        ("Ann Smith", "Hill Primary School", 3, 4.5),
        ("Bo Jones", "Beck Primary School", 1, 2.0),
    ]
    rows = _teachers_file(client, hub)
    assert sorted((r[0], r[1], int(r[3]), float(r[4])) for r in rows) == [
        ("Ann Smith", "Hill Primary School", 3, 4.5),
        ("Bo Jones", "Beck Primary School", 1, 2.0),
    ]
    page = client.get(f"/hubs/{hub.slug}/activities/hours?year={LAST_YEAR}").text
    assert "Teachers reached 2" in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_two_email_addresses_under_one_name_are_two_teachers(hub, hill, lead):
    a = _session(hub, "A", 10, 2)
    b = _session(hub, "B", 40, 1.5)
    c = _session(hub, "C", 70, 1)
    _register(
        lead,
        [
            (a, "Ann Smith", "ann@hill.example", hill),
            (b, "Ann Smith", "ann.smith@hill.example", hill),
            # No email, and two Anns with one at Hill: which is she? Neither is assumed.
            (c, "Ann Smith", "", hill),
        ],
    )
    assert participation(hub, *period(LAST_YEAR)).teachers == 3
    assert sorted(_teachers(hub)) == [
        ("Ann Smith", "Hill Primary School", 1, 1.0),
        ("Ann Smith", "Hill Primary School", 1, 1.5),
        ("Ann Smith", "Hill Primary School", 1, 2.0),
    ]


def test_one_name_at_two_schools_is_two_teachers(hub, hill, beck, lead):
    a = _session(hub, "A", 10, 2)
    b = _session(hub, "B", 40, 1.5)
    c = _session(hub, "C", 70, 1)
    _register(
        lead,
        [
            (a, "Ann Smith", "ann@hill.example", hill),
            (b, "Ann Smith", "", beck),  # another Ann, at Beck
            (c, "Ann Smith", "", hill),  # the Ann with an email at Hill
        ],
    )
    totals = participation(hub, *period(LAST_YEAR))
    assert (totals.teachers, totals.cpd_hours) == (2, 4.5)
    assert sorted(_teachers(hub)) == [
        ("Ann Smith", "Beck Primary School", 1, 1.5),
        ("Ann Smith", "Hill Primary School", 2, 3.0),
    ]


def _text(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    tag = re.search(r"<(\w+)", page[page.rindex("<", 0, start) :])[1]
    end = page.index(f"</{tag}>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end].split(">", 1)[1]).split())


def test_a_series_sessions_add_up_to_its_totals_with_a_double_entry_at_the_door(
    client, hub, hill, beck, lead
):
    series = series_services.save_series(
        hub, None, [], [hill, beck], title="Reading group", kind="work-group", description=""
    )
    first = _session(hub, "Session 1", 10, 2, series)
    second = _session(hub, "Session 2", 40, 1.5, series)
    _register(
        lead,
        [
            (first, "Ann Smith", "ann@hill.example", hill),
            (first, "Ann Smith", "ann@hill.example", hill),  # put on twice at the door
            (first, "Bo Jones", "", beck),
            (second, "Ann Smith", "", hill),  # Ann again, without her email
            (second, "Ann Smith", "ann@hill.example", hill),  # and with it
        ],
    )
    figures = series_services.figures(series)
    listed, totals = figures.sessions, figures.totals
    # Session 1: Ann and Bo, 2 hours each; session 2: Ann, 1.5 hours.
    assert [(s.activity.title, s.people, s.cpd_hours) for s in listed] == [
        ("Session 1", 2, 4.0),
        ("Session 2", 1, 1.5),
    ]
    assert (totals.people, totals.session_hours) == (2, 5.5)
    assert sum(s.cpd_hours for s in listed) == totals.session_hours
    page = client.get(f"/hubs/{hub.slug}/activities/series/{series.id}/").text
    assert "Session 1 " in _text(page, "series-sessions")
    rows = _text(page, "series-sessions")
    assert "2 4 (2 each)" in rows and "1 1.5 (1.5 each)" in rows
    assert "People 2" in _text(page, "series-totals")
    assert "Hours of CPD at sessions 5.5" in _text(page, "series-totals")
