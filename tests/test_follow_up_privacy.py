"""Follow-up notes may name people ("Coached Ann Smith on blending"), so they are personal data
like a register: deleted by the daily purge once the series' feedback survey's keep-until date
has passed, and found by a person's name on the privacy page, handed over in their download
and cleared at their request. The audit log says how many, never what the notes said."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from factories import make_hub, make_school, make_user, sign_in
from sqlalchemy import select

from hubsurvey.activities.series import save_follow_up, save_series
from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, FollowUp
from hubsurvey.retention.services import purge_expired, still_expired

PRIVATE = "Ann Smith"


@pytest.fixture
def hub(app):
    return make_hub("Leeds Teaching School Hub")


@pytest.fixture
def hill(hub):
    return make_school(hub, "Hill Primary School", status="active")


def _series(hub, schools, title):
    return save_series(hub, None, [], list(schools), title=title, kind="work-group", description="")


def _follow_up(series, school, day, notes, hours=1.0):
    return save_follow_up(series, None, school, day, hours, notes, None)


def _audit_text() -> str:
    return " ".join(f"{e.target} {e.detail}" for e in db.session.scalars(select(AuditEntry)))


# Retention


def test_follow_ups_go_when_their_series_feedback_survey_is_past_its_keep_until_date(
    client, hub, hill
):
    kept = _series(hub, [hill], "Still kept")
    expired = _series(hub, [hill], "Kept until yesterday")
    expired.survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    day = date.today() - timedelta(days=30)
    mine = _follow_up(kept, hill, day, f"Coached {PRIVATE}")
    for notes in (f"Coached {PRIVATE}", "Met the head"):
        _follow_up(expired, hill, day, notes)
    assert still_expired()["follow_ups"] == 2
    sign_in(client, make_user("admin@hub.example", role="admin"))
    assert "2 follow-ups with schools in series" in client.get("/admin/").text

    purged = purge_expired()
    assert purged.follow_ups == 2
    assert "2 follow-ups with schools past their series' feedback survey's keep-until" in str(
        purged
    )
    assert db.session.scalars(select(FollowUp.id)).all() == [mine.id]
    assert still_expired()["follow_ups"] == 0
    (entry,) = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "purge", AuditEntry.target.startswith("series ")
        )
    ).all()
    assert entry.target == f"series {expired.id}: Kept until yesterday"
    assert entry.detail.startswith("2 follow-ups deleted")
    assert "Ann" not in _audit_text() and "head" not in _audit_text()
    assert purge_expired().follow_ups == 0


# Found, handed over and cleared on the privacy page


@pytest.fixture
def noted(client, hub, hill):
    """The lead signed in; two follow-ups whose notes name Ann (one by her email), one that
    does not, and another hub's that names her too."""
    sign_in(client, make_user("lead@leeds.example", hubs=[hub]))
    series = _series(hub, [hill], "Reading group")
    today = date.today()
    first = _follow_up(series, hill, today - timedelta(days=20), "Coached ann  SMITH\non blending")
    second = _follow_up(
        series, hill, today - timedelta(days=10), "Ann Smith (ann@hill.example) to observe", 1.5
    )
    other = _follow_up(series, hill, today - timedelta(days=5), "Met the head")
    york = make_hub("York Hub")
    york_school = make_school(york, "York Primary School")
    theirs = _follow_up(
        _series(york, [york_school], "York group"), york_school, today, f"Coached {PRIVATE}"
    )
    return first, second, other, theirs


def _privacy(hub, path=""):
    return f"/hubs/{hub.slug}/privacy/{path}"


def _found(page: str) -> list[str]:
    return re.findall(r'name="follow_ups" type="checkbox" value="(\d+)"', page)


def test_follow_ups_naming_the_person_are_found_by_name_or_email(client, hub, noted):
    first, second, _other, _theirs = noted
    page = client.post(_privacy(hub), data={"term": "Ann Smith"}).text
    assert _found(page) == [str(second.id), str(first.id)]  # latest first
    assert "2 follow-up notes found" in page
    assert "Follow-up: Reading group" in page and "Coached ann  SMITH" in page
    assert "Deleting a follow-up note clears the notes" in page
    by_email = client.post(_privacy(hub), data={"term": "ANN@hill.example"}).text
    assert _found(by_email) == [str(second.id)]
    assert _found(client.post(_privacy(hub), data={"term": "Bo Jones"}).text) == []


def test_the_persons_download_holds_each_follow_ups_date_school_and_notes(client, hub, noted):
    first, second, _other, _theirs = noted
    data = {"term": "Ann Smith", "follow_ups": [first.id, second.id]}
    download = client.post(_privacy(hub, "download"), data=data)
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"), newline="")))
    facts = [(row[0], row[1], row[5], row[6]) for row in rows[1:]]
    day = f"{second.held_on:%Y-%m-%d}"
    assert ("Follow-up: Reading group", day, "Date", day) in facts
    assert ("Follow-up: Reading group", day, "School", "Hill Primary School") in facts
    assert (
        "Follow-up: Reading group",
        f"{first.held_on:%Y-%m-%d}",
        "Notes",
        "Coached ann  SMITH\non blending",
    ) in facts
    (entry,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "access-download")
    ).all()
    assert entry.target == f"2 follow-up notes in series {first.series_id}: Reading group"
    assert "Ann" not in _audit_text() and "blending" not in _audit_text()


def test_erasing_clears_the_notes_after_confirming_and_keeps_the_schools_hours(client, hub, noted):
    first, second, other, theirs = noted
    data = {"term": "Ann Smith", "follow_ups": [first.id, second.id]}
    confirm = client.post(_privacy(hub, "erase"), data=data).text
    assert "Delete 2 follow-up notes?" in confirm
    assert "This clears the notes of 2 follow-ups with schools" in confirm
    assert "2 in Reading group" in confirm
    db.session.expire_all()
    assert db.session.get(FollowUp, first.id).notes  # nothing changed yet

    erased = client.post(_privacy(hub, "erase/confirmed"), data=data)
    assert erased.status_code == 303
    assert "Cleared the notes of 2 follow-ups." in client.get(_privacy(hub)).text
    db.session.expire_all()
    left = {f.id: (f.notes, f.hours, f.school_id) for f in db.session.scalars(select(FollowUp))}
    assert left[first.id] == ("", 1.0, first.school_id)
    assert left[second.id] == ("", 1.5, second.school_id)
    assert left[other.id][0] == "Met the head" and left[theirs.id][0] == f"Coached {PRIVATE}"
    assert _found(client.post(_privacy(hub), data={"term": "Ann"}).text) == []
    (entry,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "follow-up-notes-cleared")
    ).all()
    assert entry.target == f"2 follow-up notes in series {first.series_id}: Reading group"
    assert "Ann" not in _audit_text() and "observe" not in _audit_text()


def test_another_hubs_follow_up_is_never_found_or_cleared(client, hub, noted):
    *_mine, theirs = noted
    page = client.post(_privacy(hub), data={"term": "Ann Smith"}).text
    assert str(theirs.id) not in _found(page) and "York group" not in page
    for path in ("download", "erase", "erase/confirmed"):
        data = {"term": "Ann", "follow_ups": [theirs.id]}
        assert client.post(_privacy(hub, path), data=data).status_code == 404, path
    for bad in ("²", "9" * 5000, str(2**31), "-1", "0"):
        data = {"term": "Ann", "follow_ups": [bad]}
        status = client.post(_privacy(hub, "erase/confirmed"), data=data).status_code
        assert 400 <= status < 500, bad
    db.session.expire_all()
    assert db.session.get(FollowUp, theirs.id).notes == f"Coached {PRIVATE}"
