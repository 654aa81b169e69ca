"""The audit log: who did what, read and filtered by administrators and by each hub's staff,
kept for a set time; survey and privacy-setting changes recorded as they happen."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import make_hub, make_survey, make_user, sign_in

from hubsurvey.audit import services as audit
from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, HubType, utcnow
from hubsurvey.surveys.services import create_survey

# The actions the engineers of issue 9 record, each to be shown in words.
# What an empty cell shows.
NONE = "\N{EN DASH}"
ISSUE_ACTIONS = [
    "sign-in", "sign-in-failed", "sign-out", "password-changed", "session-ended",
    "account-created", "role-changed", "account-disabled", "account-enabled",
    "membership-added", "membership-removed", "survey-opened", "survey-closed",
    "survey-deleted", "privacy-changed", "export", "responses-erased", "access-download",
    "purge", "response-excluded", "response-restored",
]  # fmt: skip


@pytest.fixture
def hubs(app):
    return make_hub("Leeds Teaching School Hub"), make_hub("York Teaching School Hub")


@pytest.fixture
def admin(client):
    sign_in(client, make_user(email="admin@example.org", role="admin"))


def _entry(action, hub=None, actor="", when=None, target="", detail="", ip="") -> AuditEntry:
    entry = AuditEntry(
        action=action,
        hub_id=hub.id if hub else None,
        actor=actor,
        created_at=when or utcnow(),
        target=target,
        detail=detail,
        ip=ip,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def _rows(page: str) -> list[list[str]]:
    """The log table's rows, each as its cells' text."""
    if '<tbody class="govuk-table__body">' not in page:
        return []
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _actions(page: str, column: int = 2) -> list[str]:
    return [row[column] for row in _rows(page)]


def test_administrators_read_the_whole_log_newest_first_in_words(client, hubs, admin):
    leeds, york = hubs
    now = utcnow()
    _entry("purge", leeds, when=now - timedelta(hours=3), detail="4 responses deleted")
    _entry("sign-in-failed", when=now - timedelta(hours=2), target="who@x.example", ip="10.0.0.9")
    _entry(
        "export",
        york,
        actor="lead@york.example",
        when=now - timedelta(hours=1),
        target="survey 3: Needs",
        detail="responses-long as CSV",
        ip="10.0.0.7",
    )

    page = client.get("/admin/audit")
    assert page.status_code == 200
    rows = [row for row in _rows(page.text) if row[2] != "Signed in"]
    assert rows == [
        [rows[0][0], "lead@york.example", "Exported answers", "York Teaching School Hub",
         "survey 3: Needs", "responses-long as CSV", "10.0.0.7"],
        [rows[1][0], "not signed in", "Sign-in failed", NONE, "who@x.example", NONE, "10.0.0.9"],
        [rows[2][0], "system", "Deleted expired answers", "Leeds Teaching School Hub", NONE,
         "4 responses deleted", NONE],
    ]  # fmt: skip
    assert rows[0][0] == f"{now - timedelta(hours=1):%-d %b %Y %H:%M}"


def test_every_action_recorded_anywhere_is_shown_in_words():
    recorded = set(ISSUE_ACTIONS)
    # Every action the code records, however it calls `record`.
    pattern = re.compile(r"""\brecord\(\s*["']([a-z-]+)["']""")
    for path in (Path(__file__).parents[1] / "hubsurvey").rglob("*.py"):
        recorded |= set(pattern.findall(path.read_text()))
    missing = sorted(recorded - set(audit.ACTIONS))
    assert missing == []
    assert len(set(audit.ACTIONS.values())) == len(audit.ACTIONS)  # each said differently


def test_the_log_filters_by_action_hub_person_and_dates_kept_in_the_address(client, hubs, admin):
    leeds, york = hubs
    day = datetime(2026, 3, 10, 12, 0)
    _entry("export", leeds, actor="ann@leeds.example", when=day - timedelta(days=2))
    _entry("export", york, actor="bob@york.example", when=day)
    _entry("survey-opened", leeds, actor="ann@leeds.example", when=day + timedelta(days=1))
    _entry("export", leeds, actor="ann@leeds.example", when=day.replace(hour=23, minute=59))

    def who_what(query: str) -> list[tuple[str, str]]:
        page = client.get(f"/admin/audit?{query}")
        assert page.status_code == 200, page.text
        return [(row[1], row[2]) for row in _rows(page.text) if row[2] != "Signed in"]

    assert who_what("action=export") == [
        ("ann@leeds.example", "Exported answers"),
        ("bob@york.example", "Exported answers"),
        ("ann@leeds.example", "Exported answers"),
    ]
    assert who_what(f"hub={leeds.id}&action=survey-opened") == [
        ("ann@leeds.example", "Opened a survey")
    ]
    assert who_what("actor=BOB@") == [("bob@york.example", "Exported answers")]
    assert who_what("actor=%25") == []  # % is a character, not a wildcard
    # Both ends of a date range are whole days.
    assert who_what("since=2026-03-10&until=2026-03-10") == [
        ("ann@leeds.example", "Exported answers"),
        ("bob@york.example", "Exported answers"),
    ]
    assert len(who_what("since=2026-03-08&until=2026-03-11&hub=" + str(leeds.id))) == 3
    page = client.get(f"/admin/audit?action=export&hub={york.id}").text
    assert "Nothing in the log matches" not in page and "Clear filters" in page
    assert f'<option selected value="{york.id}">' in page or (
        f'<option value="{york.id}" selected>' in page
    )


def test_the_log_shows_fifty_entries_a_page_with_older_and_newer_links(client, hubs, admin):
    leeds = hubs[0]
    start = datetime(2026, 1, 1, 9, 0)
    for n in range(120):
        _entry("export", leeds, actor="ann@leeds.example", when=start + timedelta(minutes=n),
               detail=f"export {n}")  # fmt: skip

    first = client.get("/admin/audit?action=export").text
    details = [row[5] for row in _rows(first)]
    assert details == [f"export {n}" for n in range(119, 69, -1)]
    older = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "action=export" in older and "page=2" in older
    assert 'rel="prev"' not in first

    second = client.get(older).text
    assert _rows(second)[0][5] == "export 69"
    third = client.get("/admin/audit?action=export&page=3").text
    assert [row[5] for row in _rows(third)] == [f"export {n}" for n in range(19, -1, -1)]
    assert 'rel="next"' not in third and 'rel="prev"' in third


def test_hub_staff_read_only_their_own_hubs_entries(client, hubs):
    leeds, york = hubs
    _entry("export", leeds, actor="ann@leeds.example", target="survey 1: Leeds needs")
    _entry("export", york, actor="bob@york.example", target="survey 2: York needs")
    _entry("role-changed", actor="admin@example.org", target="ann@leeds.example")
    assert client.get(f"/hubs/{leeds.slug}/audit").status_code == 302  # sign in first
    sign_in(client, make_user(email="ann@leeds.example", hubs=[leeds]))

    page = client.get(f"/hubs/{leeds.slug}/audit")
    assert page.status_code == 200
    assert [row[3] for row in _rows(page.text)] == ["survey 1: Leeds needs"]
    assert 'name="hub"' not in page.text  # the hub is not a filter here
    assert client.get(f"/hubs/{york.slug}/audit").status_code == 404
    assert client.get("/admin/audit").status_code == 404
    # Filters cannot reach past the hub either.
    page = client.get(f"/hubs/{leeds.slug}/audit?hub={york.id}").text
    assert [row[3] for row in _rows(page)] == ["survey 1: Leeds needs"]
    assert "Audit log" in client.get(f"/hubs/{leeds.slug}/").text


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=2026-13-45", "Enter a date like 2026-03-31"),
        ("since=2026-03-10&until=2026-03-01", "on or after the &#39;from&#39; date"),
        ("hub=%C2%B2", "Not a valid choice"),
        ("action=not-an-action", "Not a valid choice"),
        ("actor=" + "a" * 255, "254 characters or fewer"),
    ],
)
def test_filters_that_cannot_be_read_are_explained(client, hubs, admin, query, message):
    page = client.get(f"/admin/audit?{query}")
    assert page.status_code == 422
    assert message in page.text


@pytest.mark.parametrize(
    "query, status",
    [
        ("page=0", 404),
        ("page=-1", 404),
        ("page=10001", 404),
        ("page=" + "9" * 5000, 200),  # not a page number: the first page
        ("page=%C2%B2", 200),
        ("until=9999-12-31&since=0001-01-01", 200),
        ("actor=ann%00", 200),
    ],
)
def test_odd_pages_and_dates_are_never_an_error(client, hubs, admin, query, status):
    assert client.get(f"/admin/audit?{query}").status_code == status


def test_old_entries_are_deleted_after_the_keeping_time(app, hubs):
    now = datetime(2028, 6, 1, 12, 0)
    kept = [
        _entry("export", hubs[0], when=now - timedelta(days=729)),
        _entry("export", hubs[0], when=now - timedelta(days=730)),
    ]
    _entry("export", hubs[0], when=now - timedelta(days=730, seconds=1))
    _entry("sign-in", when=now - timedelta(days=2000))

    assert app.config["AUDIT_KEEP_DAYS"] == 730
    assert audit.purge_old_entries(now) == 2
    db.session.commit()
    assert db.session.scalars(db.select(AuditEntry.id)).all() == [e.id for e in kept]
    # The time can be set; the same run twice removes nothing more.
    app.config["AUDIT_KEEP_DAYS"] = 365
    assert audit.purge_old_entries(now) == 2
    assert audit.purge_old_entries(now) == 0
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0


def _survey_entries(action=None) -> list[tuple[str, str, str, int | None, str]]:
    query = db.select(AuditEntry).order_by(AuditEntry.id)
    actions = [action] if action else ["survey-opened", "survey-closed", "privacy-changed"]
    query = query.where(AuditEntry.action.in_(actions))
    return [(e.action, e.target, e.detail, e.hub_id, e.actor) for e in db.session.scalars(query)]


def test_opening_and_closing_a_survey_is_recorded(client, hubs):
    leeds = hubs[0]
    sign_in(client, make_user(email="ann@leeds.example", hubs=[leeds]))
    survey = make_survey(leeds, status="draft")
    url = f"/hubs/{leeds.slug}/surveys/{survey.id}/status"
    client.post(f"{url}/open")
    client.post(f"{url}/open")  # already open: nothing changes, nothing to record
    client.post(f"{url}/closed")
    target = f"survey {survey.id}: Training needs"
    assert _survey_entries() == [
        ("survey-opened", target, "", leeds.id, "ann@leeds.example"),
        ("survey-closed", target, "", leeds.id, "ann@leeds.example"),
    ]
    page = client.get(f"/hubs/{leeds.slug}/audit").text
    assert _actions(page)[:2] == ["Closed a survey", "Opened a survey"]


def test_a_survey_with_nothing_to_answer_is_not_opened_or_recorded(app, hubs):
    from hubsurvey.surveys.services import set_status

    survey = make_survey(hubs[0], {"title": "Empty", "sections": []}, status="draft")
    with pytest.raises(ValueError):
        set_status(survey, "open")
    assert _survey_entries() == []


def test_changes_to_a_surveys_anonymity_and_keep_until_date_are_recorded(client, hubs):
    leeds = hubs[0]
    sign_in(client, make_user(email="ann@leeds.example", hubs=[leeds]))
    survey = create_survey(leeds, "template")
    before = survey.keep_until
    form = {
        "title": "Spring needs",
        "anonymous": "yes",
        "keep_until": before.isoformat(),
        "privacy_notice": "Notice",
        "cycle": "none",
    }
    url = f"/hubs/{leeds.slug}/surveys/{survey.id}/settings"
    assert client.post(url, data=form).status_code == 303
    assert _survey_entries() == []  # nothing about privacy changed

    later = date(before.year + 1, 12, 31)
    form |= {"anonymous": "no", "keep_until": later.isoformat()}
    assert client.post(url, data=form).status_code == 303
    form |= {"anonymous": "yes"}
    assert client.post(url, data=form).status_code == 303
    target = f"survey {survey.id}: Spring needs"
    assert _survey_entries() == [
        ("privacy-changed", target, "anonymous → named", leeds.id, "ann@leeds.example"),
        ("privacy-changed", target, f"keep until {before} → {later}", leeds.id,
         "ann@leeds.example"),
        ("privacy-changed", target, "named → anonymous", leeds.id, "ann@leeds.example"),
    ]  # fmt: skip


def test_changing_a_hubs_smallest_group_is_recorded(client, hubs, admin):
    leeds = hubs[0]
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == "teaching-school-hub"))
    form = {"name": leeds.name, "hub_type_id": hub_type.id, "smallest_group": "5"}
    assert client.post(f"/admin/hubs/{leeds.id}/edit", data=form).status_code == 303
    assert _survey_entries("privacy-changed") == []
    form["smallest_group"] = "10"
    assert client.post(f"/admin/hubs/{leeds.id}/edit", data=form).status_code == 303
    assert _survey_entries("privacy-changed") == [
        ("privacy-changed", f"hub {leeds.id}: {leeds.name}", "smallest group 5 → 10", leeds.id,
         "admin@example.org"),
    ]  # fmt: skip
    # A new hub has no earlier setting to change.
    form = {"name": "Hull Hub", "hub_type_id": hub_type.id, "smallest_group": "8"}
    assert client.post("/admin/hubs/new", data=form).status_code == 303
    assert len(_survey_entries("privacy-changed")) == 1
