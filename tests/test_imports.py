"""Importing partner schools from a real "Get Information about Schools" download, through the
import page: check, then confirm."""

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_plus, urlencode

import pytest
from factories import make_hub, make_school, make_user, sign_in
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, Partnership, School

# A dozen rows in the register's own columns and character set (Windows-1252): a special
# school, a pupil referral unit, a college, an independent school, a closed school, one
# proposed to close, and two rows that cannot be imported (lines 13 and 14).
GIAS_FILE = Path(__file__).parent / "data" / "gias_schools.csv"
GIAS = GIAS_FILE.read_bytes()
IMPORTED = {
    "Hillside Primary School": "primary",
    "St Mary\u2019s Catholic Primary School": "primary",
    "Moorland Academy": "secondary",
    "Broomfield South SILC": "special",
    "East Leeds Pupil Referral Unit": "alternative-provision",
    "Woodland Special Academy": "special",
    "Ridge Alternative Provision Academy": "alternative-provision",
    "Leeds City College": "post-16",
    "École Française Jacques Prévert": "primary",
    "Parkside Infant School": "primary",
}


@pytest.fixture
def hub(app):
    return make_hub("Leeds Teaching School Hub")


@pytest.fixture
def lead(client, hub):
    user = make_user(hubs=[hub])
    sign_in(client, user)
    return user


def _upload(client, hub, content: bytes, filename="edubasealldata.csv"):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename)})
    return client.post(
        f"/hubs/{hub.slug}/schools/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


class _FormReader(HTMLParser):
    """What a browser would send from the page's form posting to `action`: its hidden and
    text inputs, and the checkboxes as they are ticked when the page loads."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self.found = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
            self.found = self.found or self.inside
        elif tag == "input" and self.inside:
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], html.unescape(attrs.get("value") or "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _confirm(client, hub, page: str, tick=(), untick=()):
    """Press the check page's import button, having ticked or unticked some boxes (by value)."""
    action = f"/hubs/{hub.slug}/schools/import/confirm"
    reader = _FormReader(action)
    reader.feed(page)
    assert reader.found, "the page offers no import button"
    fields = [(n, v) for n, v in reader.fields if v not in untick or n in ("text", "plan")]
    fields += [(name, value) for name, value in tick]
    # Encoded as a browser encodes a form: every line break sent as CR LF, and every character
    # but letters, digits and *-._ percent-encoded (commas too, which the test client keeps).
    fields = [(name, re.sub(r"\r\n|\r|\n", "\r\n", value)) for name, value in fields]
    return client.post(
        action,
        data=urlencode(fields, quote_via=quote_plus, safe="*-._"),
        content_type="application/x-www-form-urlencoded",
    )


def _stored(hub) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(School.name, School.phase).join(Partnership).where(Partnership.hub_id == hub.id)
    )
    return dict(rows.tuples().all())


def _school(hub, name) -> School:
    db.session.expire_all()
    return db.session.scalar(db.select(School).where(School.hub_id == hub.id, School.name == name))


def _text(response) -> str:
    """The page's words as a reader sees them: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def _line(response, line: int) -> str:
    """The words of the row the check page shows for a line of the file."""
    row = re.search(rf'<tr[^>]*id="line-{line}".*?</tr>', response.text, re.S)
    assert row, f"line {line} is not shown"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row[0])).split())


# A download from the register, as it comes


def test_a_register_download_in_windows_1252_keeps_its_accents_and_apostrophes(client, hub, lead):
    with pytest.raises(UnicodeDecodeError):
        GIAS.decode("utf-8")  # the fixture really is Windows-1252
    response = _upload(client, hub, GIAS)
    assert response.status_code == 200
    page = _text(response)
    assert "St Mary\u2019s Catholic Primary School" in page
    assert "École Française Jacques Prévert" in page
    assert "\ufffd" not in page


def test_a_register_download_imports_its_good_rows_with_phases_for_special_schools_and_units(
    client, hub, lead
):
    response = _upload(client, hub, GIAS)
    page = _text(response)
    assert "Add 10 new schools" in page
    assert _stored(hub) == {}  # nothing written by the check

    response = _confirm(client, hub, response.text)
    assert response.status_code == 303
    assert _stored(hub) == IMPORTED
    moorland = _school(hub, "Moorland Academy")
    assert (moorland.urn, moorland.local_authority, moorland.trust) == (
        "141234",
        "Leeds",
        "Moor Learning Trust",
    )
    page = _text(client.get(response.headers["Location"]))
    assert "Added 10 schools." in page


def test_the_check_page_says_where_a_phase_came_from(client, hub, lead):
    page = _text(_upload(client, hub, GIAS))
    assert "Special (from its type: Community special school)" in page
    assert "Alternative provision (from its type: Pupil referral unit)" in page
    assert "Post-16 (from its type: Further education)" in page
    assert "Primary (from its ages: 4 to 11)" in page


@pytest.mark.parametrize(
    ("kind", "group", "phase"),
    [
        ("Community special school", "Special schools", "special"),
        ("Foundation special school", "Special schools", "special"),
        ("Non-maintained special school", "Special schools", "special"),
        ("Academy special converter", "Academies", "special"),
        ("Academy special sponsor led", "Academies", "special"),
        ("Free schools special", "Free Schools", "special"),
        ("Other independent special school", "Independent schools", "special"),
        ("Special post 16 institution", "Colleges", "special"),
        ("Pupil referral unit", "Local authority maintained schools", "alternative-provision"),
        ("Academy alternative provision converter", "Academies", "alternative-provision"),
        ("Academy alternative provision sponsor led", "Academies", "alternative-provision"),
        ("Free schools alternative provision", "Free Schools", "alternative-provision"),
        ("Further education", "Colleges", "post-16"),
        ("Sixth form centres", "Colleges", "post-16"),
        ("Academy 16-19 converter", "Academies", "post-16"),
        ("Academy 16 to 19 sponsor led", "Academies", "post-16"),
        ("Free schools 16 to 19", "Free Schools", "post-16"),
        ("", "Special schools", "special"),
        ("", "Colleges", "post-16"),
    ],
)
def test_a_phase_of_not_applicable_is_worked_out_from_the_type(
    client, hub, lead, kind, group, phase
):
    content = (
        "URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentTypeGroup (name),"
        "EstablishmentStatus (name),PhaseOfEducation (code),PhaseOfEducation (name)\r\n"
        f"100001,Beck School,{kind},{group},Open,0,Not applicable\r\n"
    ).encode("cp1252")
    response = _upload(client, hub, content)
    assert response.status_code == 200, _text(response)
    assert _confirm(client, hub, response.text).status_code == 303
    assert _stored(hub) == {"Beck School": phase}


def test_a_phase_the_register_gives_is_kept_even_for_a_special_type(client, hub, lead):
    """Only "Not applicable" is worked out: a phase the register gives stands."""
    content = (
        b"URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name)\r\n"
        b"100001,Beck School,Academy special converter,Secondary\r\n"
    )
    response = _upload(client, hub, content)
    _confirm(client, hub, response.text)
    assert _stored(hub) == {"Beck School": "secondary"}


# Bad rows are listed, not blocking


def test_rows_that_cannot_be_imported_are_listed_with_the_reason_and_the_rest_imported(
    client, hub, lead
):
    response = _upload(client, hub, GIAS)
    assert response.status_code == 200
    page = _text(response)
    assert "2 rows cannot be imported" in page
    assert "Rows that cannot be imported" in page
    assert _line(response, 13).startswith("13 Wetherby Secure Unit Its phase is 'Not applicable'")
    assert "its type, 'Secure units', does not say which phase" in _line(response, 13)
    assert _line(response, 14) == (
        "14 Beckside Primary School URN must be 6 digits, like 100000 (it is '10796')."
    )

    assert _confirm(client, hub, response.text).status_code == 303
    stored = _stored(hub)
    assert "Wetherby Secure Unit" not in stored and "Beckside Primary School" not in stored
    assert len(stored) == 10


def test_a_file_with_only_bad_rows_offers_nothing_to_import(client, hub, lead):
    content = b"name,urn,phase\r\nBeck School,12AB,Primary\r\n,100002,Primary\r\n"
    response = _upload(client, hub, content)
    assert response.status_code == 422
    page = _text(response)
    assert "2 rows cannot be imported" in page
    assert "Nothing in this file can be imported" in page
    assert "Import schools" not in page


# Closed schools


def test_closed_schools_are_listed_and_not_imported_unless_the_lead_ticks_them(client, hub, lead):
    response = _upload(client, hub, GIAS)
    page = _text(response)
    closed = page.split("Closed schools", 1)[1]
    assert "Old Farm Junior School" in closed
    assert re.search(r"Parkside Infant School.{0,500}Open, but proposed to close", page, re.S)

    _confirm(client, hub, response.text)
    assert "Old Farm Junior School" not in _stored(hub)
    assert "Parkside Infant School" in _stored(hub)  # still open: imported, with a warning


def test_a_closed_school_ticked_by_the_lead_is_imported(client, hub, lead):
    response = _upload(client, hub, GIAS)
    _confirm(client, hub, response.text, tick=[("closed", "11")])
    assert _stored(hub)["Old Farm Junior School"] == "primary"


def test_a_closed_school_already_on_the_list_is_flagged_and_left_alone(client, hub, lead):
    make_school(hub, "Old Farm Junior School", urn="107960", status="active")
    response = _upload(client, hub, GIAS)
    page = _text(response)
    closed = page.split("Closed schools", 1)[1]
    assert "Old Farm Junior School is one of this hub's schools" in closed
    assert "Left" in closed
    _confirm(client, hub, response.text)
    assert db.session.get(
        Partnership, (hub.id, _school(hub, "Old Farm Junior School").id)
    ).status == ("active")


# Importing an updated list again


def _updated_gias() -> bytes:
    """The same download a term later: a school changed trust, one was renamed, one is new."""
    text = GIAS.decode("cp1252")
    text = text.replace("Moor Learning Trust", "White Rose Learning Trust")
    text = text.replace("Hillside Primary School", "Hillside Primary Academy")
    first = text.split("\r\n")[1]
    new = first.replace("107950", "150001").replace(
        "Hillside Primary Academy", "Meadow View Primary"
    )
    return (text + new + "\r\n").encode("cp1252")


def test_reimporting_an_updated_list_adds_new_offers_changes_and_skips_the_unchanged(
    client, hub, lead
):
    _confirm(client, hub, _upload(client, hub, GIAS).text)
    assert len(_stored(hub)) == 10

    response = _upload(client, hub, _updated_gias())
    assert response.status_code == 200
    page = _text(response)
    assert "Add 1 new school" in page
    assert "Update 2 schools whose details have changed" in page
    assert "Skip 8 schools already on your list with the same details" in page
    assert "Trust: Moor Learning Trust → White Rose Learning Trust" in page
    assert "Name: Hillside Primary School → Hillside Primary Academy" in page
    assert "already one of this hub's schools" not in page

    response = _confirm(client, hub, response.text)
    assert response.status_code == 303
    assert _school(hub, "Moorland Academy").trust == "White Rose Learning Trust"
    assert _school(hub, "Hillside Primary Academy").urn == "107950"
    assert "Meadow View Primary" in _stored(hub)
    assert len(_stored(hub)) == 11
    page = _text(client.get(response.headers["Location"]))
    assert "Added 1 school and updated 2." in page
    assert "8 already up to date." in page
    # Each import is in the audit log, by counts.
    imports = db.session.scalars(
        db.select(AuditEntry.detail)
        .where(AuditEntry.action == "schools-imported")
        .order_by(AuditEntry.id)
    ).all()
    assert imports == ["10 added, 0 updated", "1 added, 2 updated"]


def test_a_change_the_lead_unticks_is_not_made(client, hub, lead):
    _confirm(client, hub, _upload(client, hub, GIAS).text)
    response = _upload(client, hub, _updated_gias())
    _confirm(client, hub, response.text, untick=["4"])  # Moorland Academy's line
    assert _school(hub, "Moorland Academy").trust == "Moor Learning Trust"
    assert _school(hub, "Hillside Primary Academy") is not None


def test_reimporting_the_same_file_changes_nothing_and_says_so(client, hub, lead):
    _confirm(client, hub, _upload(client, hub, GIAS).text)
    before = _stored(hub)
    response = _upload(client, hub, GIAS)
    assert response.status_code == 200
    page = _text(response)
    assert "Skip 10 schools already on your list with the same details" in page
    assert "already one of this hub's schools" not in page
    assert _stored(hub) == before


def test_a_reimport_keeps_each_schools_status_and_details_the_file_does_not_have(client, hub, lead):
    """The register has no status column, and a short file may lack the trust: neither
    resets what the hub recorded."""
    school = make_school(hub, "Moorland Academy", urn="141234", phase="secondary", status="active")
    school.trust = "Moor Learning Trust"
    db.session.commit()
    content = (
        b"URN,EstablishmentName,PhaseOfEducation (name)\r\n141234,Moorland Academy,Secondary\r\n"
    )
    page = _text(_upload(client, hub, content))
    assert "Skip 1 school already on your list with the same details" in page
    partnership = db.session.get(Partnership, (hub.id, school.id))
    assert (partnership.status, partnership.school.trust) == ("active", "Moor Learning Trust")


def test_a_school_on_the_list_without_a_urn_is_matched_by_name_and_given_its_urn(client, hub, lead):
    make_school(hub, "Moorland Academy", phase="secondary")
    content = (
        b"URN,EstablishmentName,PhaseOfEducation (name)\r\n141234,moorland academy,Secondary\r\n"
    )
    response = _upload(client, hub, content)
    page = _text(response)
    assert "URN: none → 141234" in page
    _confirm(client, hub, response.text)
    assert _stored(hub) == {"moorland academy": "secondary"}
    assert _school(hub, "moorland academy").urn == "141234"


def test_a_school_of_the_same_name_with_another_urn_is_explained(client, hub, lead):
    make_school(hub, "Moorland Academy", urn="100001", phase="secondary")
    content = (
        b"URN,EstablishmentName,PhaseOfEducation (name)\r\n141234,Moorland Academy,Secondary\r\n"
    )
    response = _upload(client, hub, content)
    assert response.status_code == 422
    page = _text(response)
    assert "already has a school called Moorland Academy, with URN 100001" in page
    assert _school(hub, "Moorland Academy").urn == "100001"


def test_the_import_is_checked_again_and_nothing_half_written_if_the_list_changed(
    client, hub, lead
):
    response = _upload(client, hub, GIAS)
    make_school(hub, "Hillside Primary School (added meanwhile)", urn="107950")
    response = _confirm(client, hub, response.text)
    assert response.status_code == 409
    page = _text(response)
    assert "changed since you checked this file" in page
    assert _stored(hub) == {"Hillside Primary School (added meanwhile)": "primary"}
    # The page shows the file checked again, ready to import.
    assert "Name: Hillside Primary School (added meanwhile) → Hillside Primary School" in page
    assert _confirm(client, hub, response.text).status_code == 303
    assert len(_stored(hub)) == 10


def test_a_confirmation_naming_rows_that_are_not_offered_changes_nothing(client, hub, lead):
    response = _upload(client, hub, GIAS)
    response = _confirm(client, hub, response.text, tick=[("update", "99999"), ("closed", "x")])
    assert response.status_code in (400, 409)
    assert _stored(hub) == {}


def test_a_file_saved_as_unicode_text_from_excel_is_read(client, hub, lead):
    content = "name\tphase\r\nÉcole Française\tPrimary\r\n".encode("utf-16")
    response = _upload(client, hub, content, filename="schools.txt")
    assert response.status_code == 200
    assert "École Française" in _text(response)


# Phases the hub does not serve


def test_importing_schools_of_phases_an_english_hub_does_not_serve_warns_but_imports(client, app):
    hub = make_hub("Leeds English Hub", type_slug="english-hub")
    sign_in(client, make_user(email="english@hub.example", hubs=[hub]))
    response = _upload(client, hub, GIAS)
    assert response.status_code == 200
    page = _text(response)
    warning = page.split("This hub serves primary schools only.", 1)[1]
    warning = warning.split("They will still be added", 1)[0]
    assert "6 schools in this file are of other phases" in warning
    assert "Moorland Academy (Secondary)" in warning
    assert "Broomfield South SILC (Special)" in warning
    assert "Leeds City College (Post-16)" in warning
    assert "Hillside Primary School" not in warning
    assert _confirm(client, hub, response.text).status_code == 303
    assert _stored(hub)["Moorland Academy"] == "secondary"


def test_a_register_download_near_the_size_limit_can_be_confirmed(client, hub, lead):
    """The checked file goes back with the confirmation. The register's full download has
    well over a hundred columns, most of them empty: sent back whole, a file under the 1 MB
    limit grew past the 2 MB a request may be once a browser encoded its commas."""
    header = GIAS.decode("cp1252").split("\r\n")[0].split(",")
    header += [f"SEN{i} (name)" for i in range(1, 14)]
    header += [
        f"{area} ({part})" for area in ("MSOA", "LSOA", "QABName") for part in ("code", "name")
    ]
    header += [f"Unused column {i}" for i in range(30)]
    at = {name: i for i, name in enumerate(header)}
    rows = []
    for i in range(4800):
        cells = [""] * len(header)
        cells[at["URN"]] = str(200000 + i)
        cells[at["EstablishmentName"]] = f"Beck School {i}"
        cells[at["LA (name)"]] = "Leeds"
        cells[at["TypeOfEstablishment (name)"]] = "Community school"
        cells[at["EstablishmentStatus (name)"]] = "Open"
        cells[at["PhaseOfEducation (name)"]] = "Primary"
        rows.append(",".join(cells))
    content = "\r\n".join([",".join(header), *rows, ""]).encode("cp1252")
    assert 900_000 < len(content) < 1024 * 1024
    response = _upload(client, hub, content)
    assert response.status_code == 200
    assert "Add 4800 new schools" in _text(response)
    response = _confirm(client, hub, response.text)
    assert response.status_code == 303
    assert len(_stored(hub)) == 4800


def test_line_numbers_count_a_cell_written_over_two_lines(client, hub, lead):
    content = (
        b'name,address,phase\r\n"Beck School","1 Beck Lane\r\nLeeds",Primary\r\n'
        b"Dale School,,Nursery school\r\nFell School,,Primary\r\n"
    )
    response = _upload(client, hub, content)
    assert _line(response, 4).startswith("4 Dale School Phase 'Nursery school'")
    assert _line(response, 5).startswith("5 Fell School")
    assert _confirm(client, hub, response.text).status_code == 303
    assert _stored(hub) == {"Beck School": "primary", "Fell School": "primary"}
