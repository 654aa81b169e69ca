"""Hub staff and their partner schools, and the wall between one hub and another."""

import html
import io
import re

import pytest
from factories import make_hub, make_school, make_user, sign_in
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hubsurvey.extensions import db
from hubsurvey.hubs import imports
from hubsurvey.models import Partnership, School


@pytest.fixture
def hub(app):
    return make_hub("North Hub")


@pytest.fixture
def lead(client, hub):
    user = make_user(hubs=[hub])
    sign_in(client, user)
    return user


def _school_form(**fields):
    return {
        "name": "Hillside Primary School",
        "urn": "",
        "phase": "primary",
        "local_authority": "",
        "trust": "",
        "status": "invited",
        **fields,
    }


def _schools(hub):
    return db.session.scalars(
        db.select(School.name).join(Partnership).where(Partnership.hub_id == hub.id)
    ).all()


def test_signed_out_visitors_are_sent_to_sign_in(client, hub):
    response = client.get(f"/hubs/{hub.slug}/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_lead_adds_a_partner_school(client, hub, lead):
    response = client.post(
        f"/hubs/{hub.slug}/schools/new",
        data=_school_form(urn=" 123 456 ", local_authority="Leeds", trust="Moor Trust"),
    )
    assert response.status_code == 303
    school = db.session.scalar(db.select(School))
    assert (school.name, school.urn, school.local_authority) == (
        "Hillside Primary School",
        "123456",
        "Leeds",
    )
    page = client.get(f"/hubs/{hub.slug}/").text
    assert "Hillside Primary School" in page and "Invited" in page


@pytest.mark.parametrize("urn", ["12345", "1234567", "ABC123", "12-456"])
def test_a_urn_that_is_not_six_digits_gets_a_message(client, hub, lead, urn):
    response = client.post(f"/hubs/{hub.slug}/schools/new", data=_school_form(urn=urn))
    assert response.status_code == 422
    assert "URN must be 6 digits" in response.text
    assert _schools(hub) == []


def test_missing_name_and_phase_get_messages(client, hub, lead):
    response = client.post(f"/hubs/{hub.slug}/schools/new", data=_school_form(name="", phase=""))
    assert response.status_code == 422
    assert "Enter the school&#39;s name" in response.text
    assert "Choose the school&#39;s phase" in response.text


def test_a_school_already_in_the_hub_is_refused(client, hub, lead):
    make_school(hub, "Hillside Primary School", urn="123456")
    for form in (
        _school_form(urn="123456", name="Other name"),
        _school_form(name="hillside primary school"),
    ):
        response = client.post(f"/hubs/{hub.slug}/schools/new", data=form)
        assert response.status_code == 422
        assert "already one of this hub&#39;s schools" in response.text
    assert _schools(hub) == ["Hillside Primary School"]


def test_a_school_another_hub_knows_gets_a_record_of_this_hubs_own(client, hub, lead):
    other = make_hub("South Hub")
    theirs = make_school(other, "Hillside Primary School (South's name)", urn="123456")
    response = client.post(
        f"/hubs/{hub.slug}/schools/new", data=_school_form(urn="123456", trust="Our Trust")
    )
    assert response.status_code == 303
    # Nothing of the other hub's record is shown, linked or changed.
    assert _schools(hub) == ["Hillside Primary School"]
    assert _schools(other) == ["Hillside Primary School (South's name)"]
    ours = db.session.scalar(db.select(School).where(School.hub_id == hub.id))
    assert ours.id != theirs.id and ours.trust == "Our Trust"


def test_lead_changes_a_schools_status_and_details(client, hub, lead):
    school = make_school(hub)
    response = client.post(
        f"/hubs/{hub.slug}/schools/{school.id}",
        data=_school_form(name="Hillside Primary Academy", status="mou-signed"),
    )
    assert response.status_code == 303
    partnership = db.session.get(Partnership, (hub.id, school.id))
    db.session.refresh(partnership)
    assert partnership.status == "mou-signed"
    assert partnership.school.name == "Hillside Primary Academy"
    assert "Memorandum of understanding signed" in client.get(f"/hubs/{hub.slug}/").text


def test_a_school_both_hubs_work_with_stays_editable_by_each(client, hub, lead):
    """Hub A adding a URN hub B works with never freezes B's record (a defect found in trial)."""
    other = make_hub("South Hub")
    theirs = make_school(other, urn="123456")
    client.post(f"/hubs/{hub.slug}/schools/new", data=_school_form(urn="123456"))
    south_lead = make_user("south@hub.example", hubs=[other])
    client.post("/sign-out")
    sign_in(client, south_lead)
    page = client.get(f"/hubs/{other.slug}/schools/{theirs.id}").text
    assert 'name="name"' in page
    response = client.post(
        f"/hubs/{other.slug}/schools/{theirs.id}",
        data=_school_form(name="Hillside Academy", urn="123456", status="active"),
    )
    assert response.status_code == 303
    assert _schools(other) == ["Hillside Academy"]
    assert _schools(hub) == ["Hillside Primary School"]


def test_lead_removes_a_school_added_by_mistake(client, hub, lead):
    school = make_school(hub)
    response = client.post(f"/hubs/{hub.slug}/schools/{school.id}/remove")
    assert response.status_code == 303
    assert _schools(hub) == []


# Importing from CSV


def _upload(client, hub, content: bytes, filename="schools.csv"):
    # Encoded in memory: the test client would spool a large body to an unclosed temporary file.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename)})
    return client.post(
        f"/hubs/{hub.slug}/schools/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


GOOD_CSV = (
    "name,urn,phase,local_authority,trust,status\r\n"
    "Hillside Primary School,100001,Primary,Leeds,,\r\n"
    "Moorland Academy,100002,secondary,Leeds,Moor Trust,Active\r\n"
    "Église Saint-Étienne School,,Primary,Bradford,,mou signed\r\n"
).encode()


def _plan(page: str) -> str:
    """The fingerprint of what the checked file would do, as the check page sends it back."""
    return re.search(r'name="plan" type="hidden" value="([0-9a-f]+)"', page)[1]


def test_import_previews_then_writes_every_row(client, hub, lead):
    response = _upload(client, hub, GOOD_CSV)
    assert response.status_code == 200
    assert "Add 3 new schools" in response.text
    assert _schools(hub) == []  # nothing written by the preview

    text = GOOD_CSV.decode()
    response = client.post(
        f"/hubs/{hub.slug}/schools/import/confirm",
        data={"text": text, "plan": _plan(response.text)},
    )
    assert response.status_code == 303
    statuses = dict(
        db.session.execute(db.select(School.name, Partnership.status).join(Partnership))
        .tuples()
        .all()
    )
    assert statuses == {
        "Hillside Primary School": "invited",
        "Moorland Academy": "active",
        "Église Saint-Étienne School": "mou-signed",
    }


def test_import_reads_excel_csv_in_windows_1252(client, hub, lead):
    content = "name,phase\r\nÉcole Française,Primary\r\n".encode("cp1252")
    response = _upload(client, hub, content)
    assert "École Française" in response.text


def test_import_reads_the_register_of_schools_headings(client, hub, lead):
    content = (
        b"URN,EstablishmentName,PhaseOfEducation (name),LA (name)\r\n"
        b"100001,Hillside Primary School,Middle deemed primary,Leeds\r\n"
    )
    response = _upload(client, hub, content)
    assert response.status_code == 200
    assert "Add 1 new school" in response.text


def test_import_lists_each_bad_row_and_imports_the_rest(client, hub, lead):
    make_school(hub, "Already Here School", urn="100009")
    content = (
        b"name,urn,phase,status\r\n"
        b"Good School,100001,Primary,\r\n"
        b",100002,Primary,\r\n"
        b"Bad Urn School,12AB,Primary,\r\n"
        b"Bad Phase School,100003,Nursery school,\r\n"
        b"Bad Status School,100004,Primary,Maybe\r\n"
        b"Copy School,100001,Primary,\r\n"
        b"Renamed Already Here,100009,Primary,\r\n"
    )
    response = _upload(client, hub, content)
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "5 rows cannot be imported" in page
    problems = page.split("Rows that cannot be imported", 1)[1]
    assert re.search(r'"line-3".*?>3</td>.*?No name given.*?name is missing', problems, re.S)
    assert (
        "Bad Urn School" in problems
        and "URN must be 6 digits, like 100000 (it is '12AB')" in problems
    )
    assert "Phase 'Nursery school' is not one we know" in problems
    assert "Status 'Maybe' is not one we know" in problems
    assert "The same URN is on line 2 too" in problems
    # The school already on the list is matched by its URN: its new name is offered.
    assert "Name: Already Here School → Renamed Already Here" in page
    assert _schools(hub) == ["Already Here School"]  # nothing written by the check

    response = client.post(
        f"/hubs/{hub.slug}/schools/import/confirm",
        data={"text": content.decode(), "plan": _plan(response.text), "update": ["8"]},
    )
    assert response.status_code == 303
    assert sorted(_schools(hub)) == ["Good School", "Renamed Already Here"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose a CSV file to upload"),
        (b"\r\n\r\n", "The file is empty."),
        (b"school_id,postcode\r\n1,LS1\r\n", "including one called &#39;name&#39;"),
        (b"name,phase\r\n", "The file has headings but no schools."),
        (b"PK\x03\x04\x00\x00binary", "This is not a CSV file."),
        (b'name,phase\r\n"Unclosed,Primary\r\n', "could not be read"),
    ],
)
def test_malformed_files_get_a_message(client, hub, lead, content, message):
    response = _upload(client, hub, content, filename="schools.csv" if content else "")
    assert response.status_code == 422
    assert message in response.text
    assert _schools(hub) == []


def test_an_oversized_upload_gets_a_message(client, hub, lead):
    row = b"A school,Primary\r\n"
    content = b"name,phase\r\n" + row * (imports.MAX_BYTES // len(row) + 100)  # just over
    response = _upload(client, hub, content)
    assert response.status_code == 422
    assert "The file is too big. It must be 10 MB or smaller" in response.text


def test_a_file_larger_than_other_forms_take_is_read_by_the_import(client, hub, lead):
    """A register download of a large area is several MB: more than the 2 MB other forms
    take, well within the import's 10 MB."""
    rows = b"".join(b"A school %d,Primary,%s\r\n" % (i, b"x" * 300) for i in range(4000))
    content = b"name,phase,notes\r\n" + rows
    assert len(content) > 1024 * 1024
    response = _upload(client, hub, content)
    assert response.status_code == 200
    assert "Add 4000 new schools" in " ".join(response.text.split())


def test_an_upload_over_the_request_limit_gets_a_page_not_a_crash(client, hub, lead):
    body = b"x" * (11 * 1024 * 1024)
    response = client.post(
        f"/hubs/{hub.slug}/schools/import",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type="multipart/form-data; boundary=boundary",
    )
    assert response.status_code == 413
    assert "What you sent is larger than this page takes" in response.text


def test_confirm_checks_the_file_again(client, hub, lead):
    text = "name,urn,phase\r\nHillside Primary School,100001,Primary\r\n"
    plan = _plan(_upload(client, hub, text.encode()).text)
    make_school(hub, "Hillside Primary School", urn="100001")  # added since the preview
    response = client.post(
        f"/hubs/{hub.slug}/schools/import/confirm", data={"text": text, "plan": plan}
    )
    assert response.status_code == 409
    assert "changed since you checked this file" in response.text
    assert _schools(hub) == ["Hillside Primary School"]


def test_free_text_is_escaped(client, hub, lead):
    make_school(hub, "<script>alert(1)</script> School")
    page = client.get(f"/hubs/{hub.slug}/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; School" in page


def test_admin_pages_are_hidden_from_hub_staff(app, client):
    hub = make_hub()
    sign_in(client, make_user(hubs=[hub]))
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and "GET" in rule.methods:
            path = rule.build(dict.fromkeys(rule.arguments, 1) | {"direction": "up"})[1]
            assert client.get(path).status_code == 404, path


def test_administrators_see_every_hub(client):
    hub = make_hub()
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    assert client.get(f"/hubs/{hub.slug}/").status_code == 200


# Phases the hub does not serve: a warning, not a refusal


def test_the_add_school_page_says_which_phases_the_hub_serves(client):
    english = make_hub("Leeds English Hub", type_slug="english-hub")
    sign_in(client, make_user(hubs=[english]))
    page = html.unescape(client.get(f"/hubs/{english.slug}/schools/new").text)
    assert "This hub serves primary schools only." in page


def test_adding_a_school_of_a_phase_the_hub_does_not_serve_warns_but_adds_it(client):
    english = make_hub("Leeds English Hub", type_slug="english-hub")
    sign_in(client, make_user(hubs=[english]))
    response = client.post(
        f"/hubs/{english.slug}/schools/new",
        data=_school_form(name="Moorland Academy", phase="secondary"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Added Moorland Academy." in page
    assert (
        "Moorland Academy is a secondary school, and this hub serves primary schools only." in page
    )
    assert _schools(english) == ["Moorland Academy"]


def test_a_school_of_a_phase_the_hub_serves_is_added_without_a_warning(client, hub, lead):
    response = client.post(
        f"/hubs/{hub.slug}/schools/new", data=_school_form(phase="special"), follow_redirects=True
    )
    assert "Added Hillside Primary School." in response.text
    assert "this hub serves" not in response.text
