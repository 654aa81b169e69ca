"""Activities as series: a work group's sessions sharing a feedback survey, need areas and
schools; follow-up with a school between sessions; and CPD hours per teacher and per school
for a school year, on a page and in two CSV files, with the figures worked out by hand.

Names on registers are personal data: the hours pages and files are the hub staff's only,
are built from the registers' rows (so erasing someone removes them), and every cell of the
files is safe to open in a spreadsheet."""

import csv
import io
import itertools
import re
from datetime import date, datetime, time, timedelta

import pytest
from factories import make_hub, make_school, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from hubsurvey.activities import series as series_services
from hubsurvey.activities.hours import period, year_hours
from hubsurvey.activities.participation import england_clock, participation
from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.services import save_activity
from hubsurvey.demo_series import series as demo_series
from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Attendance,
    AuditEntry,
    ExportRecord,
    FollowUp,
    Series,
    Survey,
    utcnow,
)
from hubsurvey.mou.services import new_head_link
from hubsurvey.reports.exports import safe
from hubsurvey.school_years import this_year, today_in_england

LEAD = "lead@leeds.example"
# Last school year: every session in it has been held, whatever day the tests run.
LAST_YEAR = this_year() - 1


def _on(days: int, hour: int = 16) -> datetime:
    """A moment `days` after the start of last school year, as activities keep times."""
    return datetime.combine(period(LAST_YEAR)[0] + timedelta(days=days), time(hour))


@pytest.fixture
def hub(app):
    return make_hub("Leeds Teaching School Hub")


@pytest.fixture
def schools(hub):
    return {
        name: make_school(hub, f"{name} Primary School", status="active")
        for name in ("Hill", "Beck", "Oak", "Elm")
    }


@pytest.fixture
def lead(client, hub):
    user = make_user(LEAD, hubs=[hub])
    sign_in(client, user)
    return user


def _url(hub, rest=""):
    return f"/hubs/{hub.slug}/activities/{rest}"


def _activity(hub, title, starts_at, hours=None, series=None, schools=()):
    activity = save_activity(
        hub,
        None,
        [],
        list(schools),
        shared_survey=series.survey if series else None,
        title=title,
        kind="training",
        starts_at=starts_at,
        hours=hours,
        series=series,
    )
    return activity


def _series(hub, schools=(), title="Reading work group", need_areas=()):
    return series_services.save_series(
        hub,
        None,
        list(need_areas),
        list(schools),
        title=title,
        kind="work-group",
        description="",
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# A series, made from the hub page's Activities


def test_a_lead_makes_a_series_with_its_own_feedback_survey(client, hub, schools, lead):
    index = client.get(_url(hub)).text
    assert 'href="/hubs/' + hub.slug + '/activities/series/"' in index
    assert "New series" in client.get(_url(hub, "series/")).text
    form = client.get(_url(hub, "series/new")).text
    # The hub type's need areas, and its current partner schools, to choose from.
    assert hub.hub_type.need_areas[0].name in form and "Hill Primary School" in form
    areas = [str(a.id) for a in hub.hub_type.need_areas[:2]]
    response = client.post(
        _url(hub, "series/new"),
        data={
            "title": "Early reading work group",
            "kind": "work-group",
            "description": "Six sessions for Year 1 teachers.\nWith visits between them.",
            "need_areas": areas,
            "schools": [str(schools["Hill"].id), str(schools["Beck"].id)],
            "feedback": "0",
        },
    )
    assert response.status_code == 303
    series = db.session.scalar(select(Series))
    assert response.headers["Location"].endswith(f"/activities/series/{series.id}/")
    assert (series.title, series.kind) == ("Early reading work group", "work-group")
    assert [a.id for a in series.need_areas] == [int(a) for a in areas]
    assert [s.name for s in series.schools] == ["Beck Primary School", "Hill Primary School"]
    survey = series.survey
    assert (survey.kind, survey.status, survey.hub_id) == ("feedback", "open", hub.id)
    assert survey.title == "Feedback: Early reading work group"
    # It asks which of the series' need areas each session helped with.
    assert [a.name for a in series.need_areas] in [q.options for q in survey.questions]
    page = client.get(_url(hub, f"series/{series.id}/")).text
    assert "Early reading work group" in page and "Add a session to this series" in page
    assert "Beck Primary School, Hill Primary School" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "series-saved"))
    assert entry.target == f"series {series.id}: Early reading work group"
    assert "Year 1" not in entry.detail


def test_a_series_can_share_a_feedback_survey_the_hub_has(client, hub, lead):
    earlier = _activity(hub, "Phonics twilight", _on(10))
    response = client.post(
        _url(hub, "series/new"),
        data={"title": "Phonics network", "kind": "network", "feedback": str(earlier.survey_id)},
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Series)).survey_id == earlier.survey_id
    assert db.session.scalar(select(func.count(Survey.id))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "  "}, "Enter a title"),
        ({"title": "x" * 161}, "Title must be 160 characters or fewer"),
        ({"kind": "party"}, "Not a valid choice"),
        ({"description": "x" * 1001}, "Description must be 1000 characters or fewer"),
    ],
)
def test_a_series_without_a_title_or_with_an_odd_kind_is_refused(client, hub, lead, data, message):
    form = {"title": "Work group", "kind": "work-group", "feedback": "0"} | data
    response = client.post(_url(hub, "series/new"), data=form)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(select(func.count(Series.id))) == 0


# Its sessions


def test_a_session_added_to_a_series_shares_its_survey_need_areas_and_schools(
    client, hub, schools, lead
):
    areas = hub.hub_type.need_areas[:2]
    series = _series(hub, [schools["Hill"], schools["Beck"]], need_areas=areas)
    page = client.get(_url(hub, f"series/{series.id}/")).text
    add = re.search(r'href="([^"]+)">Add a session to this series', page)[1]
    form = client.get(add.replace("&amp;", "&")).text
    # The series is chosen, and its need areas and schools are ticked.
    assert re.search(rf'<option selected value="{series.id}">Reading work group', form)
    for area in areas:
        assert re.search(rf'value="{area.id}" checked', form)
    assert re.search(rf'value="{schools["Hill"].id}" checked', form)
    assert not re.search(rf'value="{schools["Oak"].id}" checked', form)
    assert "Back to the series" in form

    data = {
        "title": "Session 1: blending",
        "kind": "training",
        "starts_on": "2027-01-12",
        "starts_at": "16:00",
        "hours": "1.5",
        "series_id": str(series.id),
        "need_areas": [str(areas[0].id)],
        "schools": [str(schools["Hill"].id)],
        # Asking for a new survey: a session in a series shares the series' one instead.
        "feedback": "0",
    }
    assert client.post(_url(hub, "new"), data=data).status_code == 303
    second = data | {"title": "Session 2: segmenting", "starts_on": "2027-02-09"}
    assert client.post(_url(hub, "new"), data=second).status_code == 303
    sessions = db.session.scalars(select(Activity).order_by(Activity.starts_at)).all()
    assert [s.series_id for s in sessions] == [series.id, series.id]
    assert {s.survey_id for s in sessions} == {series.survey_id}
    assert db.session.scalar(select(func.count(Survey.id))) == 1
    # Each session has its own feedback link, into the shared survey.
    assert sessions[0].code != sessions[1].code
    assert client.get(f"/s/{sessions[1].code}").status_code == 200

    shown = client.get(_url(hub, f"{sessions[0].id}/")).text
    assert "Part of a series" in shown and "Reading work group" in shown
    listed = client.get(_url(hub, f"series/{series.id}/")).text
    assert "Session 1: blending" in listed and "Session 2: segmenting" in listed
    assert "part of Reading work group" in client.get(_url(hub)).text


def test_a_series_whose_survey_went_takes_its_next_sessions_own(client, hub, lead):
    """A series' survey can be deleted while no session uses it: the next session gets a
    survey of its own, and the series shares it from then on."""
    series = _series(hub)
    series.survey = None
    db.session.commit()
    data = {"title": "Session 1", "kind": "training", "starts_on": "2027-01-12",
            "starts_at": "16:00", "feedback": "0", "series_id": str(series.id)}  # fmt: skip
    assert client.post(_url(hub, "new"), data=data).status_code == 303
    first = db.session.scalar(select(Activity))
    db.session.expire_all()
    assert series.survey_id == first.survey_id is not None
    assert "None: the next session" not in client.get(_url(hub, f"series/{series.id}/")).text


def test_an_activity_recorded_already_joins_a_series_from_its_edit_page(client, hub, lead):
    series = _series(hub)
    activity = _activity(hub, "Phonics twilight", _on(10))
    own = activity.survey_id
    form = client.get(_url(hub, f"{activity.id}/edit")).text
    assert "Part of a series (optional)" in form
    data = {
        "title": "Phonics twilight",
        "kind": "training",
        "starts_on": _on(10).date().isoformat(),
        "starts_at": "16:00",
        "series_id": str(series.id),
    }
    assert client.post(_url(hub, f"{activity.id}/edit"), data=data).status_code == 303
    db.session.expire_all()
    assert activity.series_id == series.id
    # Its feedback so far stays where it is: in its own survey.
    assert activity.survey_id == own
    # And leaves it again.
    data["series_id"] = "0"
    assert client.post(_url(hub, f"{activity.id}/edit"), data=data).status_code == 303
    db.session.expire_all()
    assert activity.series_id is None


def test_the_series_page_shows_past_and_planned_sessions_and_totals_by_hand(
    client, hub, schools, lead
):
    hill, beck = schools["Hill"], schools["Beck"]
    series = _series(hub, [hill, beck])
    first = _activity(hub, "Session 1", _on(20), hours=2, series=series)
    second = _activity(hub, "Session 2", _on(50), hours=1.5, series=series)
    planned = _activity(
        hub, "Session 3", england_clock() + timedelta(days=30), hours=2, series=series
    )
    add_person(first, Person("Ann Smith", "ann@hill.example", hill.id), lead)
    add_person(first, Person("Bo Jones", "", beck.id), lead)
    add_person(second, Person("Ann  Smith", "ANN@hill.example", hill.id), lead)
    series_services.save_follow_up(series, None, hill, _on(30).date(), 1.25, "", lead)
    page = client.get(_url(hub, f"series/{series.id}/")).text
    totals = _text(page, "series-totals")
    assert "Sessions held 2, and 1 planned" in totals
    assert "People 2" in totals  # Ann, once, and Bo
    assert "Schools reached 2" in totals
    assert "Hours of CPD at sessions 5.5" in totals  # Ann 2 + 1.5, Bo 2
    assert "Follow-up 1 visit or call: 1.25 hours" in totals
    rows = _text(page, "series-sessions")
    assert "Session 1" in rows and "4 (2 each)" in rows and "1.5 (1.5 each)" in rows
    assert "Planned" in rows and planned.title in rows


def _text(page: str, element_id: str) -> str:
    """The text of the element with this id, tags out and spaces collapsed."""
    start = page.index(f'id="{element_id}"')
    tag = re.search(r"<(\w+)", page[page.rindex("<", 0, start) :])[1]
    end = page.index(f"</{tag}>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end].split(">", 1)[1]).split())


def test_removing_a_series_keeps_its_sessions_and_deletes_its_follow_ups(
    client, hub, schools, lead
):
    series = _series(hub, [schools["Hill"]])
    session = _activity(hub, "Session 1", _on(20), series=series)
    series_services.save_follow_up(series, None, schools["Hill"], _on(30).date(), 1, "", lead)
    response = client.post(_url(hub, f"series/{series.id}/remove"))
    assert response.status_code == 303
    assert "Its 1 session stays" in client.get(_url(hub, "series/")).text
    db.session.expire_all()
    assert db.session.get(Activity, session.id).series_id is None
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0
    assert db.session.scalar(select(func.count(Series.id))) == 0
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "series-removed"))


# Follow-up between sessions


def _follow_up_url(hub, series, rest="new"):
    return _url(hub, f"series/{series.id}/follow-ups/{rest}")


def test_the_lead_logs_changes_and_removes_follow_up_with_a_school(client, hub, schools, lead):
    hill = schools["Hill"]
    series = _series(hub, [hill, schools["Beck"]])
    form = client.get(_follow_up_url(hub, series)).text
    # The series' schools only.
    assert "Hill Primary School" in form and "Oak Primary School" not in form
    notes = "Coached Ms Private on blending; agreed a visit after half term."
    yesterday = today_in_england() - timedelta(days=1)
    response = client.post(
        _follow_up_url(hub, series),
        data={"school": str(hill.id), "held_on": yesterday.isoformat(), "hours": "1.5",
              "notes": notes},
    )  # fmt: skip
    assert response.status_code == 303
    follow_up = db.session.scalar(select(FollowUp))
    assert (follow_up.school_id, follow_up.held_on, follow_up.hours) == (hill.id, yesterday, 1.5)
    assert (follow_up.notes, follow_up.hub_id, follow_up.created_by_id) == (notes, hub.id, lead.id)
    page = client.get(_url(hub, f"series/{series.id}/")).text
    assert "Logged follow-up with Hill Primary School" in page and "Ms Private" in page

    change = _follow_up_url(hub, series, str(follow_up.id))
    assert "Coached Ms Private" in client.get(change).text
    data = {"school": str(schools["Beck"].id), "held_on": yesterday.isoformat(), "hours": ""}
    assert client.post(change, data=data).status_code == 303
    db.session.expire_all()
    assert (follow_up.school_id, follow_up.hours, follow_up.notes) == (schools["Beck"].id, None, "")
    assert client.post(f"{change}/remove").status_code == 303
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("follow-up-%")).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == [
        "follow-up-saved",
        "follow-up-saved",
        "follow-up-removed",
    ]
    logged = " ".join(f"{e.target} {e.detail}" for e in entries)
    assert "Private" not in logged and "blending" not in logged


def test_follow_up_with_a_school_outside_the_series_or_on_an_odd_day_is_refused(
    client, hub, schools, lead
):
    other_hub = make_hub("York Hub")
    theirs = make_school(other_hub, "York Primary School")
    series = _series(hub, [schools["Hill"]])
    today = today_in_england()
    good = {"school": str(schools["Hill"].id), "held_on": today.isoformat(), "hours": "1"}
    for changes, message in [
        ({"school": str(schools["Oak"].id)}, "Choose a school taking part in the series"),
        ({"school": str(theirs.id)}, "Choose a school taking part in the series"),
        ({"school": ""}, "Choose a school taking part in the series"),
        ({"held_on": (today + timedelta(days=1)).isoformat()}, "today or in the past"),
        ({"held_on": "2000-01-01"}, "within the last five years"),
        ({"held_on": "2026-02-30"}, "Not a valid date value"),
        ({"held_on": ""}, "Enter the date of the follow-up"),
        ({"hours": "0.1"}, "Hours of CPD must be between 0.25 and 40"),
        ({"hours": "lots"}, "Enter the hours as a number"),
        ({"notes": "x" * 2001}, "Notes must be 2000 characters or fewer"),
    ]:
        response = client.post(_follow_up_url(hub, series), data=good | changes)
        assert response.status_code == 422, changes
        assert message in response.text, changes
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0
    assert client.post(_follow_up_url(hub, series), data=good).status_code == 303


def test_a_series_with_no_schools_asks_for_them_before_follow_up(client, hub, lead):
    series = _series(hub)
    page = client.get(_url(hub, f"series/{series.id}/")).text
    assert "List the series' schools first" in page
    assert "Log follow-up</a>" not in page


# CPD hours, per teacher and per school, worked out by hand


@pytest.fixture
def year_of_sessions(hub, schools, lead):
    """Last school year's sessions and follow-ups; the figures are worked out below."""
    hill, beck, oak = schools["Hill"], schools["Beck"], schools["Oak"]
    series = _series(hub, [hill, beck, oak])
    a = _activity(hub, "A", _on(10), hours=2, series=series)
    b = _activity(hub, "B", _on(40), hours=1.5, series=series)
    c = _activity(hub, "C", _on(70), hours=None)
    d = _activity(hub, "D", _on(100), hours=0.75)
    earlier = _activity(hub, "E, the year before", _on(-30), hours=3)
    later = _activity(hub, "F, this year", datetime.combine(period(LAST_YEAR)[1], time(9)), 5)
    people = [
        # Ann: the same person by email on A, B and D (spelt and cased differently on B).
        (a, "Ann Smith", "ann@hill.example", hill),
        (b, "Ann  Smith", "ANN@Hill.Example ", hill),
        (d, "Ann Smith", "ann@hill.example", hill),
        (earlier, "Ann Smith", "ann@hill.example", hill),  # another year
        (later, "Ann Smith", "ann@hill.example", hill),  # another year
        # Bo Jones at Hill, no email: the same person on A and B by name and school.
        (a, "Bo Jones", "", hill),
        (b, "bo  JONES", "", hill),
        # Another Bo Jones, at Beck: a different person.
        (a, "Bo Jones", "", beck),
        # Zoë Cy, from no partner school, on B and C: the same name, accents aside.
        (b, "Zoë Cy", "", None),
        (c, "zoe cy", "", None),
        # Dee, put on A's register twice: once.
        (a, "Dee Patel", "dee@beck.example", beck),
        (a, "Dee Patel", "dee@beck.example", beck),
    ]
    for activity, name, email, school in people:
        add_person(activity, Person(name, email, school.id if school else None), lead)
    for school, day, hours in [
        (hill, 20, 1.5),
        (hill, 60, None),
        (beck, 45, 0.5),
        (beck, -10, 4),  # the year before
        (oak, 80, 1),
    ]:
        series_services.save_follow_up(series, None, school, _on(day).date(), hours, "", lead)
    return {"A": a, "B": b, "C": c, "D": d}


# name, school, sessions, hours: Ann 2 + 1.5 + 0.75; Bo at Hill 2 + 1.5; Bo at Beck 2;
# Dee 2; Zoë 1.5 + nothing for C.
TEACHERS = [
    ("Ann Smith", "Hill Primary School", 3, 4.25),
    ("bo  JONES", "Hill Primary School", 2, 3.5),
    ("Bo Jones", "Beck Primary School", 1, 2.0),
    ("Dee Patel", "Beck Primary School", 1, 2.0),
    ("zoe cy", "Another school, or none", 2, 1.5),
]
# school, sessions attended, teachers, hours at sessions, follow-ups, their hours, in all.
SCHOOLS = [
    ("Beck Primary School", 1, 2, 4.0, 1, 0.5, 4.5),
    ("Hill Primary School", 3, 2, 7.75, 2, 1.5, 9.25),
    ("Oak Primary School", 0, 0, 0.0, 1, 1.0, 1.0),
    ("Another school, or none", 2, 1, 1.5, 0, 0.0, 1.5),
]


def test_hours_per_teacher_and_per_school_are_as_summed_by_hand(hub, schools, year_of_sessions):
    figures = year_hours(hub, LAST_YEAR)
    assert [
        (t.name, t.school.name if t.school else "Another school, or none", t.sessions, t.hours)
        for t in figures.teachers
    ] == TEACHERS
    assert [
        (
            s.school.name if s.school else "Another school, or none",
            len(s.sessions),
            len(s.teachers),
            s.session_hours,
            s.follow_ups,
            s.follow_up_hours,
            s.cpd_hours,
        )
        for s in figures.schools
    ] == SCHOOLS
    assert [s.name for s in figures.not_reached] == ["Elm Primary School"]
    assert [a.title for a in figures.without_hours] == ["C"]
    totals = participation(hub, *period(LAST_YEAR))
    # A, B, C and D; Hill, Beck and Oak; Ann, two Bos, Dee and Zoë; the teachers' hours.
    assert (totals.sessions, totals.schools, totals.teachers) == (4, 3, 5)
    assert totals.cpd_hours == 13.25 == figures.teacher_hours
    assert figures.follow_up_hours == 3.0


def test_the_cpd_hours_page_shows_the_figures_for_a_school_year(
    client, hub, schools, lead, year_of_sessions
):
    index = client.get(_url(hub)).text
    assert f'href="/hubs/{hub.slug}/activities/hours"' in index
    this = client.get(_url(hub, "hours")).text
    assert f"CPD hours, {LAST_YEAR + 1} to {LAST_YEAR + 2}" in this
    # Ann's session this year, F, is held only once its day comes.
    page = client.get(_url(hub, f"hours?year={LAST_YEAR}")).text
    assert f"CPD hours, {LAST_YEAR} to {LAST_YEAR + 1}" in page
    totals = _text(page, "hours-totals")
    assert "Sessions held 4" in totals and "Schools reached 3" in totals
    assert "Teachers reached 5" in totals and "Hours of CPD at sessions 13.25" in totals
    assert "Hours of follow-up with schools 3" in totals
    by_school = _text(page, "hours-by-school")
    assert "Hill Primary School 3 2 7.75 1.5 (2 logged) 9.25" in by_school
    assert "Oak Primary School 0 0 0 1 (1 logged) 1" in by_school
    by_teacher = _text(page, "hours-by-teacher")
    assert "Ann Smith Hill Primary School 3 4.25" in by_teacher
    assert "zoe cy Another school, or none 2 1.5" in by_teacher
    assert "Partner schools not reached" in page and "Elm Primary School." in page
    assert "1 session has people on the register but no hours" in page
    for odd in ("1999", "x", "", "²", str(this_year() + 1), "99999999999999999999"):
        assert client.get(_url(hub, f"hours?year={odd}")).status_code == 404, odd


def test_the_index_shows_this_school_years_participation(client, hub, schools, lead):
    start = period(this_year())[0]
    held = datetime.combine(start, time(9))
    a = _activity(hub, "This year", held, hours=1.5)
    _activity(hub, "Later", england_clock() + timedelta(days=3), hours=2)
    _activity(hub, "Last year", datetime.combine(start - timedelta(days=1), time(9)), hours=3)
    add_person(a, Person("Ann Smith", "ann@hill.example", schools["Hill"].id), lead)
    add_person(a, Person("Bo Jones", "", None), lead)
    figures = _text(client.get(_url(hub)).text, "participation")
    assert figures == ("Sessions held 1 Schools reached 1 Teachers reached 2 Hours of CPD 3"), (
        figures
    )


def test_a_session_later_today_is_not_held_yet(hub, schools, lead):
    now = utcnow()
    soon = _activity(hub, "Soon", england_clock(now) + timedelta(minutes=30), hours=1)
    add_person(soon, Person("Ann Smith", "ann@hill.example"), lead)
    assert participation(hub, now=now).sessions == 0
    assert participation(hub, now=now + timedelta(hours=1)).teachers == 1


def test_the_hours_files_read_back_as_the_page_and_are_recorded(
    client, hub, schools, lead, year_of_sessions
):
    teachers = client.get(_url(hub, f"hours/teachers.csv?year={LAST_YEAR}"))
    assert teachers.status_code == 200 and teachers.mimetype == "text/csv"
    assert teachers.headers["Cache-Control"] == "no-store"
    disposition = teachers.headers["Content-Disposition"]
    assert f"hours-by-teacher_{LAST_YEAR}-to-{LAST_YEAR + 1}_" in disposition
    rows = _csv_rows(teachers.data)
    assert rows[0] == ["name", "school", "school_urn", "sessions", "cpd_hours"]
    assert [(r[0], r[1], int(r[3]), float(r[4])) for r in rows[1:]] == TEACHERS
    schools_file = client.get(_url(hub, f"hours/schools.csv?year={LAST_YEAR}"))
    rows = _csv_rows(schools_file.data)
    assert rows[0][:4] == ["school", "school_urn", "sessions_attended", "teachers"]
    assert [
        (r[0], int(r[2]), int(r[3]), float(r[4]), int(r[5]), float(r[6]), float(r[7]))
        for r in rows[1:]
    ] == SCHOOLS
    records = db.session.scalars(select(ExportRecord).order_by(ExportRecord.id)).all()
    assert [(r.what, r.fmt, r.filters, r.user_id) for r in records] == [
        ("hours-by-teacher", "csv", f"year={LAST_YEAR}", lead.id),
        ("hours-by-school", "csv", f"year={LAST_YEAR}", lead.id),
    ]
    exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert len(exported) == 2 and not any("Ann" in f"{e.target} {e.detail}" for e in exported)
    assert "Hours by teacher (CSV)" in client.get(f"/hubs/{hub.slug}/reports/exports").text


SCHOOL_NUMBERS = itertools.count(1)
# Names as registers may hold them: commas, quotes, line breaks, formula characters.
HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("AbZé ,;\"'\n\r\t=+-@|%!0")), min_size=1, max_size=30
).filter(lambda text: text.strip())


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(names=st.lists(HOSTILE_TEXT, min_size=1, max_size=4), school_name=HOSTILE_TEXT)
def test_any_name_reads_back_from_the_hours_files_and_runs_no_formula(
    client, hub, lead, names, school_name
):
    school = make_school(hub, f"{school_name} school {next(SCHOOL_NUMBERS)}")
    session = _activity(hub, "Session", _on(10), hours=1.25)
    for n, name in enumerate(names):
        add_person(session, Person(name, f"p{n}@x.example", school.id), lead)
    try:
        teachers = _csv_rows(client.get(_url(hub, f"hours/teachers.csv?year={LAST_YEAR}")).data)
        assert sorted(row[:2] for row in teachers[1:]) == sorted(
            [safe(name), safe(school.name)] for name in names
        )
        schools = _csv_rows(client.get(_url(hub, f"hours/schools.csv?year={LAST_YEAR}")).data)
        assert [row[0] for row in schools[1:]] == [safe(school.name)]
        for row in teachers + schools:
            for cell in row:
                # No cell, nor any line or part of one a spreadsheet may split off, starts
                # a formula.
                for part in re.split(r"[\r\n;\t]", cell):
                    assert not part or part[0] not in "=+-@", cell
    finally:
        db.session.execute(delete(Attendance))
        db.session.execute(delete(Activity))
        db.session.execute(delete(ExportRecord))
        db.session.commit()


# Personal data: hub staff only, and gone with an erasure


def test_viewers_and_other_hubs_staff_never_see_the_hours(app, hub, schools, year_of_sessions):
    viewer = make_user("board@leeds.example", role="viewer", hubs=[hub])
    viewer.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    other = make_user("lead@york.example", hubs=[make_hub("York Hub")])
    for user in (viewer, other):
        client = app.test_client()
        sign_in(client, user)
        for path in ("hours", "hours/teachers.csv", "hours/schools.csv", "series/"):
            assert client.get(_url(hub, path)).status_code == 404, (user.email, path)
    assert db.session.scalar(select(func.count(ExportRecord.id))) == 0


def test_another_hubs_series_and_follow_ups_are_not_found(client, hub, schools, lead):
    york = make_hub("York Hub")
    york_school = make_school(york, "York Primary School")
    york_lead = make_user("lead@york.example", hubs=[york])
    theirs = _series(york, [york_school], title="York work group")
    follow_up = series_services.save_follow_up(
        theirs, None, york_school, _on(10).date(), 1, "York notes", york_lead
    )
    mine = _series(hub, [schools["Hill"]])
    for path in (
        f"series/{theirs.id}/",
        f"series/{theirs.id}/edit",
        f"series/{theirs.id}/follow-ups/new",
        f"series/{theirs.id}/follow-ups/{follow_up.id}",
        # Their follow-up through my series.
        f"series/{mine.id}/follow-ups/{follow_up.id}",
    ):
        assert client.get(_url(hub, path)).status_code == 404, path
        if not path.endswith("/"):  # the series' page is only read
            response = client.post(_url(hub, path), data={"title": "Mine now"})
            assert response.status_code == 404, path
    for path in (
        f"series/{theirs.id}/remove",
        f"series/{mine.id}/follow-ups/{follow_up.id}/remove",
    ):
        assert client.post(_url(hub, path)).status_code == 404, path
    # Their series named in my activity form: not offered, not chosen, and refused.
    form = client.get(_url(hub, f"new?series={theirs.id}")).text
    assert "York work group" not in form
    data = {"title": "Mine", "kind": "training", "starts_on": "2027-01-12", "starts_at": "16:00",
            "feedback": "0", "series_id": str(theirs.id)}  # fmt: skip
    assert client.post(_url(hub, "new"), data=data).status_code == 422
    assert client.post(_url(hub, "series/new"), data={
        "title": "Mine", "kind": "network", "feedback": str(theirs.survey_id),
        "schools": [str(york_school.id)],
    }).status_code == 422  # fmt: skip
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Activity.id))) == 0
    assert db.session.get(FollowUp, follow_up.id).notes == "York notes"
    assert db.session.get(Series, theirs.id).title == "York work group"
    assert db.session.scalar(select(func.count(Series.id))) == 2


def test_a_person_erased_from_the_registers_is_gone_from_the_hours(
    client, hub, schools, lead, year_of_sessions
):
    before = client.get(_url(hub, f"hours?year={LAST_YEAR}")).text
    assert "Ann Smith" in before
    found = client.post(f"/hubs/{hub.slug}/privacy/", data={"term": "ann@hill.example"}).text
    ids = re.findall(r'name="attendance" type="checkbox" value="(\d+)"', found)
    assert len(ids) == 5  # on A, B and D, and two sessions in other years
    erased = client.post(
        f"/hubs/{hub.slug}/privacy/erase/confirmed",
        data={"term": "ann@hill.example", "attendance": ids},
    )
    assert erased.status_code == 303
    page = client.get(_url(hub, f"hours?year={LAST_YEAR}")).text
    assert "Ann Smith" not in page and "ann@hill.example" not in page
    assert "Teachers reached 4" in _text(page, "hours-totals")
    # Hill keeps Bo's hours and its follow-up: 3.5 + 1.5.
    assert "Hill Primary School 2 1 3.5 1.5 (2 logged) 5" in _text(page, "hours-by-school")
    teachers = _csv_rows(client.get(_url(hub, f"hours/teachers.csv?year={LAST_YEAR}")).data)
    assert [row[0] for row in teachers[1:]] == ["bo  JONES", "Bo Jones", "Dee Patel", "zoe cy"]
    assert "Ann" not in client.get(_url(hub, f"hours/schools.csv?year={LAST_YEAR}")).text


# The head's view of their school: counts only


def test_the_heads_view_shows_their_schools_cpd_this_year_without_names(client, hub, schools, lead):
    hill = schools["Hill"]
    series = _series(hub, [hill])
    start = period(this_year())[0]
    first = _activity(hub, "First", datetime.combine(start, time(16)), hours=2, series=series)
    second = _activity(
        hub, "Second", datetime.combine(start + timedelta(days=1), time(16)), 1.5, series=series
    )
    last_year = _activity(hub, "Last year", _on(10), hours=3)
    add_person(first, Person("Ann Smith", "ann@hill.example", hill.id), lead)
    add_person(second, Person("Ann Smith", "ann@hill.example", hill.id), lead)
    add_person(second, Person("Bo Jones", "", hill.id), lead)
    add_person(first, Person("Cy Beck", "", schools["Beck"].id), lead)
    add_person(last_year, Person("Di Hill", "", hill.id), lead)
    series_services.save_follow_up(series, None, hill, start, 1, "Met the head", lead)
    _link, token = new_head_link(hill, lead, utcnow())
    page = client.get(f"/head/{token}/school").text
    figures = _text(page, "school-cpd")
    assert figures == (
        # Ann 2 + 1.5, Bo 1.5; Cy is at another school, and Di came last year.
        "Sessions attended 2 Teachers who came 2 Hours of CPD at sessions 5 "
        "Follow-up with your school 1 hour"
    ), figures
    for private in ("Ann", "Bo Jones", "Cy Beck", "Di Hill", "Met the head"):
        assert private not in page


# The demo's series


def test_the_demo_makes_a_series_with_registers_and_follow_ups(app, hub, schools):
    today = date.today()
    made = []
    shared = None
    for n in range(4):
        activity = save_activity(
            hub,
            None,
            [hub.hub_type.need_areas[0]],
            [schools["Hill"], schools["Beck"]],
            shared_survey=shared if n != 2 else None,
            title=f"Reading: session {n + 1}",
            kind="training",
            starts_at=datetime.combine(today - timedelta(days=60 - 14 * n), time(16)),
        )
        shared = shared or activity.survey
        made.append(activity)
    series = demo_series(hub, made, today)
    assert series.hub_id == hub.id and series.survey_id == made[0].survey_id
    figures = series_services.figures(series)
    sessions = figures.sessions
    # The three sessions that share a survey, and one planned.
    assert [s.activity.id for s in sessions if s.held] == [made[0].id, made[1].id, made[3].id]
    assert [s.held for s in sessions].count(False) == 1
    assert all(s.people and s.activity.hours for s in sessions if s.held)
    assert all(s.people == 0 for s in sessions if not s.held)
    totals = figures.totals
    # Some people came more than once.
    assert totals.people < sum(s.people for s in sessions)
    assert totals.follow_ups == 2 and totals.follow_up_hours > 0
    names = db.session.scalars(select(Attendance.school_id)).all()
    assert set(names) <= {s.id for s in series.schools}
