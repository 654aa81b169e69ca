"""A named person's answers: hub staff find them, hand them over as CSV, and erase them."""

import csv
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from factories import (
    PASSWORD,
    SMALL_SURVEY,
    make_hub,
    make_response,
    make_survey,
    make_user,
    sign_in,
)

from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.models import Answer, AuditEntry, Response, utcnow
from hubsurvey.surveys.questions import to_answers

# A spreadsheet runs a cell, or a part of one it splits off, that starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ANN = ("Ann Teacher", "ann@school.example")
BOB = ("Bob Annison", "bob@school.example")


@pytest.fixture
def hub(app):
    return make_hub("Leeds Teaching School Hub")


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(email="lead@leeds.example", hubs=[hub]))


@pytest.fixture
def surveys(hub):
    """Two named surveys and an anonymous one."""
    first = make_survey(hub, anonymous=False)
    second = make_survey(hub, {**SMALL_SURVEY, "title": "Mentoring feedback"}, anonymous=False)
    anonymous = make_survey(hub, {**SMALL_SURVEY, "title": "Anonymous check-in"})
    return first, second, anonymous


def _respond(survey, person, answers=None, status="submitted"):
    """A response by `person` (name, email), with answers by question prompt."""
    name, email = person
    response = make_response(
        survey,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
        profile_saved=True,
        role="senco",
        phase="primary",
        career_stage="ect-1",
        subject="all-primary",
        school_name="Hill Primary",
        respondent_name=name,
        respondent_email=email,
    )
    for question in survey.questions:
        value = (answers or {}).get(question.prompt)
        if question.kind == "needs_grid" and value is None:
            value = {question.grid_areas[0].id: (2, True)}
        for answer in to_answers(question, value):
            answer.response_id = response.id
            db.session.add(answer)
    db.session.commit()
    return response


def _url(hub, path=""):
    return f"/hubs/{hub.slug}/privacy/{path}"


def _found_ids(page: str) -> list[str]:
    return re.findall(r'name="responses" type="checkbox" value="(\d+)"', page)


def _audit_text() -> str:
    entries = db.session.scalars(db.select(AuditEntry)).all()
    return " ".join(f"{e.actor} {e.action} {e.target} {e.detail}" for e in entries)


def test_staff_find_a_persons_responses_by_email_in_every_named_survey(client, hub, lead, surveys):
    first, second, anonymous = surveys
    mine = [_respond(first, ANN), _respond(second, ANN, status="draft")]
    _respond(first, BOB)
    _respond(anonymous, ("", ""))  # anonymous answers say nobody's name

    page = client.post(_url(hub), data={"term": "  ANN@School.Example "})
    assert page.status_code == 200
    assert _found_ids(page.text) == [str(mine[1].id), str(mine[0].id)]  # newest survey first
    assert "2 responses found" in page.text
    assert "Mentoring feedback" in page.text and "Not sent (a draft" in page.text
    assert "Anonymous check-in" not in page.text.split("responses found")[1]
    # An email is matched whole: part of one finds nothing.
    page = client.post(_url(hub), data={"term": "ann@school"})
    assert _found_ids(page.text) == [] and "No responses found" in page.text


def test_a_name_is_found_from_part_of_it_in_any_case_on_every_database(client, hub, lead, surveys):
    first, second, _ = surveys
    elodie = _respond(first, ("Élodie  Durand", ""))
    ann, bob = _respond(second, ANN), _respond(first, BOB)

    # SQLite's lower() leaves É alone: the match must not depend on the database.
    assert _found_ids(client.post(_url(hub), data={"term": "élodie durand"}).text) == [
        str(elodie.id)
    ]
    # "ann" is in both Ann Teacher and Bob Annison: both are shown, to be told apart.
    page = client.post(_url(hub), data={"term": "ANN"}).text
    assert sorted(_found_ids(page)) == sorted([str(ann.id), str(bob.id)])
    assert "Check they are all the same person" in page
    # % and _ are letters like any other, not wildcards.
    assert _found_ids(client.post(_url(hub), data={"term": "%"}).text) == []


def test_the_page_says_anonymous_surveys_are_not_searched(client, hub, lead, surveys):
    page = client.get(_url(hub)).text
    assert "searches the hub's 2 named surveys" in page
    assert "Its 1 anonymous survey is not searched" in page
    assert 'method="post"' in page  # a name or an email never goes in the address


def test_the_persons_answers_are_shown_in_words(client, hub, lead, surveys):
    first = surveys[0]
    _respond(
        first,
        ANN,
        {"Formats?": [0, 2], "Pupils in your class?": 28, "What would help?": "Time <to> plan"},
    )
    page = client.post(_url(hub), data={"term": ANN[1]}).text
    assert "Online<br>In school" in page
    assert "28 pupils" in page
    assert "Time &lt;to&gt; plan" in page  # free text is never HTML
    assert "confidence 2 of 5, a priority" in page
    assert "SENCO" in page and "Hill Primary" in page and "Wave 1" in page


def _download(client, hub, ids, term):
    return client.post(_url(hub, "download"), data={"term": term, "responses": ids})


def test_a_person_downloads_their_answers_as_csv_one_row_per_answer(client, hub, lead, surveys):
    first, second, _ = surveys
    text = "ok\n=6+6\r\nx;=1+1"
    one = _respond(first, ANN, {"Formats?": [0, 2], "What would help?": text})
    two = _respond(second, ANN, {"One word for your school?": "-2+3"})
    _respond(first, BOB, {"What would help?": "not Ann's"})

    response = _download(client, hub, [one.id, two.id], ANN[1])
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["survey", "wave", "status", "started", "sent", "question", "answer"]
    # Per response: 7 facts about the person, then each answer (each option, each need area).
    first_rows = [r for r in rows[1:] if r[0] == first.title]
    second_rows = [r for r in rows[1:] if r[0] == "Mentoring feedback"]
    assert len(rows) == 1 + len(first_rows) + len(second_rows)
    assert [r[5:] for r in first_rows] == [
        ["Name", "Ann Teacher"],
        ["Email", "ann@school.example"],
        ["School", "Hill Primary"],
        ["Phase", "Primary"],
        ["Role", "SENCO"],
        ["Career stage", "Early career, year 1"],
        ["Subject", "All subjects (primary)"],
        ["How confident are you?", first_rows[7][6]],
        ["Formats?", "Online"],
        ["Formats?", "In school"],
        ["What would help?", first_rows[10][6]],
    ]
    assert first_rows[7][6].endswith(": confidence 2 of 5, a priority")
    assert "not Ann's" not in body
    assert [r[2] for r in (first_rows[0], second_rows[0])] == ["sent", "sent"]
    # A multi-line answer stays in its one cell, whole (an apostrophe defuses each formula).
    assert first_rows[10][6].replace("'", "") == text
    assert second_rows[-1][5:] == ["One word for your school?", "'-2+3"]


def _parts(cell: str) -> list[str]:
    """Where a spreadsheet may start a cell inside this one: each line, and after ; or tab."""
    return re.split(r"[\r\n;\t]", cell)


def test_the_access_csv_cannot_run_a_formula_whatever_the_separator(
    client, hub, lead, surveys, tmp_path
):
    first = surveys[0]
    text = "ok\n=6+6\r\nx;=1+1\t@SUM(A1)"
    one = _respond(first, ANN, {"What would help?": text, "One word for your school?": "-2+3"})
    body = _download(client, hub, [one.id], ANN[1]).data.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 1 + 7 + 1 + 2  # headings, about the person, the grid, two answers
    for separator in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(body), delimiter=separator):
            for cell in row:
                for part in _parts(cell):
                    assert not part.startswith(FORMULA_START), (separator, cell)
    # LibreOffice reads it with the same rows and not one formula, with , or ; as separator.
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "data.csv"
    source.write_bytes(("\ufeff" + body).encode("utf-8"))
    for separator in (44, 59):
        out = tmp_path / str(separator)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
             f"--infilter=CSV:{separator},34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
             str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        sheet = openpyxl.load_workbook(out / "data.xlsx").active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [c.value for c in cells if c.data_type == "f"], separator
        if separator == 44:
            assert sheet.max_row == len(rows)


def test_each_download_and_erasure_is_recorded_without_who_the_person_is(
    client, hub, lead, surveys
):
    first, second, _ = surveys
    ids = [_respond(first, ANN).id, _respond(first, ANN).id, _respond(second, ANN).id]
    _download(client, hub, ids, ANN[1])
    client.post(_url(hub, "erase/confirmed"), data={"term": "Ann Teacher", "responses": ids})

    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action.in_(["access-download", "responses-erased"]))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.target, e.detail, e.hub_id, e.actor) for e in entries] == [
        ("access-download", f"1 response in survey {second.id}: Mentoring feedback",
         "by email", hub.id, "lead@leeds.example"),
        ("access-download", f"2 responses in survey {first.id}: {first.title}", "by email",
         hub.id, "lead@leeds.example"),
        ("responses-erased", f"1 response in survey {second.id}: Mentoring feedback",
         "by name", hub.id, "lead@leeds.example"),
        ("responses-erased", f"2 responses in survey {first.id}: {first.title}", "by name",
         hub.id, "lead@leeds.example"),
    ]  # fmt: skip
    logged = _audit_text().lower()
    for word in ("ann teacher", "ann@school", "ann", "hill primary", "senco"):
        assert word not in logged


def test_the_confirmation_says_exactly_what_goes_and_deletes_nothing(client, hub, lead, surveys):
    first, second, _ = surveys
    ids = [_respond(first, ANN).id, _respond(first, ANN).id, _respond(second, ANN).id]
    page = client.post(_url(hub, "erase"), data={"term": ANN[1], "responses": ids})
    assert page.status_code == 200
    assert "Delete 3 responses?" in page.text
    assert f"2 in {first.title}" in page.text and "1 in Mentoring feedback" in page.text
    assert "This cannot be undone" in page.text
    assert sorted(re.findall(r'name="responses" value="(\d+)"', page.text)) == sorted(
        str(i) for i in ids
    )
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 3
    assert not db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "responses-erased")
    ).all()


def test_erasing_deletes_the_chosen_responses_and_their_answers_only(client, hub, lead, surveys):
    first, second, _ = surveys
    ann = [_respond(first, ANN), _respond(second, ANN)]
    bob = _respond(first, BOB)
    ann_ids = [r.id for r in ann]

    response = client.post(
        _url(hub, "erase/confirmed"), data={"term": ANN[1], "responses": ann_ids}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == _url(hub)
    db.session.expire_all()
    assert db.session.scalars(db.select(Response.id)).all() == [bob.id]
    assert {a.response_id for a in db.session.scalars(db.select(Answer))} == {bob.id}
    page = client.get(_url(hub)).text
    assert "Deleted 2 responses and their answers" in page
    assert _found_ids(client.post(_url(hub), data={"term": ANN[1]}).text) == []


def test_responses_left_unticked_are_kept_and_none_ticked_is_explained(client, hub, lead, surveys):
    first = surveys[0]
    ann, bob = _respond(first, ANN), _respond(first, BOB)
    client.post(_url(hub, "erase/confirmed"), data={"term": "ann", "responses": [bob.id]})
    assert db.session.scalars(db.select(Response.id)).all() == [ann.id]

    for path in ("download", "erase", "erase/confirmed"):
        page = client.post(_url(hub, path), data={"term": "ann"})
        assert page.status_code == 422
        assert "Choose at least one response" in page.text
        assert _found_ids(page.text) == [str(ann.id)]  # the search is shown again
    assert db.session.scalars(db.select(Response.id)).all() == [ann.id]


def test_staff_of_another_hub_get_404_for_all_of_it(client, app, hub, surveys):
    first = surveys[0]
    ann = _respond(first, ANN)
    other = make_hub("York Teaching School Hub")
    sign_in(client, make_user(email="lead@york.example", hubs=[other]))

    assert client.get(_url(hub)).status_code == 404
    for path in ("", "download", "erase", "erase/confirmed"):
        data = {"term": ANN[1], "responses": [ann.id]}
        assert client.post(_url(hub, path), data=data).status_code == 404
        # Through their own hub's pages, another hub's response is not theirs to touch.
        if path:
            assert client.post(_url(other, path), data=data).status_code == 404
    assert _found_ids(client.post(_url(other), data={"term": ANN[1]}).text) == []
    assert db.session.scalars(db.select(Response.id)).all() == [ann.id]
    assert not db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "access-download")
    ).all()


def test_an_anonymous_response_cannot_be_chosen(client, hub, lead, surveys):
    anonymous = surveys[2]
    response = _respond(anonymous, ("", ""))
    data = {"term": ANN[1], "responses": [response.id]}
    assert client.post(_url(hub, "erase/confirmed"), data=data).status_code == 404
    assert db.session.get(Response, response.id) is not None


def test_names_given_before_a_survey_became_anonymous_can_still_be_found_and_erased(
    client, hub, lead, surveys
):
    first = surveys[0]
    before = _respond(first, ANN)
    first.anonymous = True
    db.session.commit()
    assert _found_ids(client.post(_url(hub), data={"term": ANN[1]}).text) == [str(before.id)]
    data = {"term": ANN[1], "responses": [before.id]}
    assert client.post(_url(hub, "erase/confirmed"), data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(Response, before.id) is None


@pytest.mark.parametrize(
    "term, message",
    [
        ("", "Enter the person&#39;s name or email address"),
        ("   ", "Enter the person&#39;s name or email address"),
        ("a" * 255, "254 characters or fewer"),
    ],
)
def test_a_search_that_cannot_be_run_is_explained(client, hub, lead, term, message):
    page = client.post(_url(hub), data={"term": term})
    assert page.status_code == 422 and message in page.text


@pytest.mark.parametrize(
    "data",
    [
        {"term": "a" * 255, "responses": ["1"]},
        {"responses": ["1"]},
        {"term": " ", "responses": ["1"]},
        {"term": "ann", "responses": ["²"]},
        {"term": "ann", "responses": ["9" * 5000]},
        {"term": "ann", "responses": [str(2**31)]},
        {"term": "ann", "responses": ["-1"]},
    ],
)
def test_hostile_choices_are_refused_without_an_error_page(client, hub, lead, surveys, data):
    ann = _respond(surveys[0], ANN)
    for path in ("download", "erase", "erase/confirmed"):
        status = client.post(_url(hub, path), data=data).status_code
        assert 400 <= status < 500
    assert db.session.scalars(db.select(Response.id)).all() == [ann.id]


def test_erasing_without_the_forms_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds Teaching School Hub")
        user = make_user(email="lead@leeds.example", hubs=[hub])
        survey = make_survey(hub, anonymous=False)
        ann_id = _respond(survey, ANN).id
        slug = hub.slug
        page = client.get("/sign-in").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        data = {"term": ANN[1], "responses": [ann_id]}
        response = client.post(f"/hubs/{slug}/privacy/erase/confirmed", data=data)
        assert response.status_code == 400
        assert db.session.get(Response, ann_id) is not None
