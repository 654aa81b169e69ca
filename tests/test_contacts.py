"""A partner school's contacts (its headteacher and its main contact for the hub), each
contact's own page with its button to stop the hub's email, the contacts in the register
import and the schools export, and each school's status history."""

import csv
import html
import io
import re
import unicodedata
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from factories import make_hub, make_school, make_user, sign_in
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from records import snapshot
from test_imports import GIAS, _confirm, _upload

from hubsurvey.admin.services import load_reference_data
from hubsurvey.contacts.links import contact_url
from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, Contact, Partnership, School, StatusChange, utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.mou.services import new_head_link

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9 +()-]*[0-9][0-9 +()-]*$")


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub", contact_email="hub@leeds.example")


@pytest.fixture
def lead(client, hub):
    user = make_user("lead@leeds.example", hubs=[hub])
    sign_in(client, user)
    return user


@pytest.fixture
def school(hub):
    return make_school(hub, "Hill Primary", urn="100001")


def _words(response) -> str:
    """The page's words as a reader sees them: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def _contact(school_id: int, kind: str) -> Contact | None:
    db.session.expire_all()
    return db.session.scalar(
        db.select(Contact).where(Contact.school_id == school_id, Contact.kind == kind)
    )


def _audit(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def _path(app, contact: Contact) -> str:
    """The contact's own page, as the link in a message names it."""
    with app.test_request_context():
        return urlsplit(contact_url(contact)).path


HEAD = {
    "name": "Jane Smith",
    "role": "Headteacher",
    "email": "head@hill.sch.uk",
    "phone": "0113 496 0000",
}


# Hub staff add, change and remove a school's contacts


def test_the_lead_adds_a_head_and_a_main_contact_and_sees_them_on_the_schools_page(
    client, hub, lead, school
):
    base = f"/hubs/{hub.slug}/schools/{school.id}"
    page = client.get(f"{base}/contacts/head")
    assert page.status_code == 200
    assert 'value="Headteacher"' in page.text  # a new head's role, ready filled in

    response = client.post(f"{base}/contacts/head", data=HEAD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{base}#contacts")
    main = {"name": "Raj Patel", "role": "CPD lead", "email": "cpd@hill.sch.uk", "phone": ""}
    assert client.post(f"{base}/contacts/main", data=main).status_code == 303

    page = client.get(base)
    words = _words(page)
    assert "Jane Smith" in words and "Raj Patel" in words and "CPD lead" in words
    assert 'href="mailto:head@hill.sch.uk"' in page.text
    assert 'href="tel:01134960000"' in page.text
    assert "Why we hold these details" in words
    assert "hub@leeds.example" in words
    head = _contact(school.id, "head")
    assert (head.name, head.role, head.email, head.phone) == tuple(HEAD.values())
    assert head.hub_id == hub.id and len(head.public_id) == 32
    saved = _audit("contact-saved")
    assert [e.target for e in saved] == [f"school {school.id}: Hill Primary"] * 2
    assert saved[0].detail == "Headteacher: added" and saved[0].actor == lead.email


def test_the_lead_changes_a_contact_and_the_audit_log_says_what_changed(client, hub, lead, school):
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/head"
    client.post(url, data=HEAD)
    assert 'value="Jane Smith"' in client.get(url).text
    response = client.post(url, data=HEAD | {"phone": "+44 (0)113 496-0001"})
    assert response.status_code == 303
    assert _contact(school.id, "head").phone == "+44 (0)113 496-0001"
    assert _audit("contact-saved")[-1].detail == "Headteacher: changed phone"


def test_the_lead_removes_a_contact(client, hub, lead, school):
    base = f"/hubs/{hub.slug}/schools/{school.id}"
    client.post(f"{base}/contacts/main", data=HEAD | {"name": "Raj Patel"})
    response = client.post(f"{base}/contacts/main/remove")
    assert response.status_code == 303
    assert _contact(school.id, "main") is None
    assert "Raj Patel" not in client.get(base).text
    assert _audit("contact-removed")[0].detail == "Main contact for the hub"
    # Nothing left to remove.
    assert client.post(f"{base}/contacts/main/remove").status_code == 404


def test_a_new_email_address_makes_a_new_link_and_the_old_one_stops_working(
    app, client, hub, lead, school
):
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/head"
    client.post(url, data=HEAD)
    old = _path(app, _contact(school.id, "head"))
    client.post(url, data=HEAD | {"name": "Janet Smith"})
    assert _path(app, _contact(school.id, "head")) == old  # a name corrected: same link
    client.post(url, data=HEAD | {"email": "new.head@hill.sch.uk"})
    new = _path(app, _contact(school.id, "head"))
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_new_head_or_none_ends_the_former_heads_private_links(app, client, hub, lead, school):
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/head"
    client.post(url, data=HEAD)
    _row, first = new_head_link(school, None, utcnow())
    db.session.commit()
    assert app.test_client().get(f"/head/{first}/school").status_code == 200
    client.post(url, data=HEAD | {"name": "Janet Smith"})  # the same head, name corrected
    assert app.test_client().get(f"/head/{first}/school").status_code == 200
    client.post(url, data=HEAD | {"email": "new.head@hill.sch.uk"})  # a new head
    assert app.test_client().get(f"/head/{first}/school").status_code == 404
    _row, second = new_head_link(school, None, utcnow())
    db.session.commit()
    client.post(f"{url}/remove")
    assert app.test_client().get(f"/head/{second}/school").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Enter the contact's name"),
        ("name", "x" * 121, "Name must be 120 characters or fewer"),
        ("role", "x" * 121, "Role must be 120 characters or fewer"),
        ("email", "head at hill", "Enter an email address like name@school.org.uk"),
        ("email", "head@hill", "Enter an email address like name@school.org.uk"),
        ("email", "a b@hill.sch.uk", "Enter an email address like name@school.org.uk"),
        ("email", "İ" * 130 + "@x.uk", "254 characters or fewer"),
        ("phone", "0113 496 0000 ext 12", "Enter a phone number using digits"),
        ("phone", "٠١١٣٤٩٦٠٠٠٠", "Enter a phone number using digits"),
        ("phone", "+-()", "Enter a phone number using digits"),
        ("phone", "1" * 41, "40 characters or fewer"),
    ],
)
def test_a_contact_the_form_cannot_keep_is_refused_with_a_message(
    client, hub, lead, school, field, value, message
):
    before = snapshot()
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/head"
    response = client.post(url, data=HEAD | {field: value})
    assert response.status_code == 422
    assert message in _words(response)
    assert snapshot() == before


def test_values_are_kept_on_one_line_without_stray_spaces(client, hub, lead, school):
    data = {
        "name": "  Jane\u00a0 Smith\n",
        "role": "Head\tteacher",
        "email": " head@hill.sch.uk ",
        "phone": " 0113\n496 0000 ",
    }
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/head"
    assert client.post(url, data=data).status_code == 303
    head = _contact(school.id, "head")
    assert (head.name, head.role, head.email, head.phone) == (
        "Jane Smith",
        "Head teacher",
        "head@hill.sch.uk",
        "0113 496 0000",
    )


# Anything a browser can send: never a 500, and only what the form accepts is kept

typed = st.text(st.characters(codec="utf-8"), max_size=60)
nasty = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\x0b\x0c\x1b\x7f\x85",
        "x" * 3000,
        "<script>alert(1)</script>",
        "=1+1",
        "İ" * 130 + "@x.uk",
        "١٢٣",
        "²",
        "\u202e\ufeff",
        "\r\n",
        "e\u0301" * 70,
    ]
)
hostile = st.one_of(typed, nasty, st.lists(st.one_of(typed, nasty), min_size=2, max_size=3))


def assert_contacts_obey_the_form() -> None:
    db.session.expire_all()
    for contact in db.session.scalars(db.select(Contact)):
        for value, limit in (
            (contact.name, 120),
            (contact.role, 120),
            (contact.email, 254),
            (contact.phone, 40),
        ):
            assert len(value) <= limit
            assert value == " ".join(value.split()), repr(value)  # one line, no stray spaces
            assert not [c for c in value if unicodedata.category(c) == "Cc"]
        assert contact.name
        assert contact.email == "" or EMAIL.match(contact.email)
        assert contact.phone == "" or PHONE.match(contact.phone)
    db.session.commit()


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["head", "main"]),
    field=st.sampled_from(sorted(HEAD)),
    bad=hostile,
    extra=st.dictionaries(typed, typed, max_size=2),
)
@example(kind="head", field="name", bad="Jane\x00 Smith\x0b", extra={})
@example(kind="main", field="phone", bad="0113\x00 496", extra={})
@example(kind="head", field="email", bad="head@hill.sch.uk\x1b", extra={})
def test_hostile_text_in_the_contact_form_is_refused_or_kept_cleanly(
    client, hub, lead, school, kind, field, bad, extra
):
    url = f"/hubs/{hub.slug}/schools/{school.id}/contacts/{kind}"
    before = snapshot()
    response = client.post(url, data=extra | HEAD | {field: bad})
    assert response.status_code in (303, 422), response.status_code
    assert "<script>alert" not in response.text
    if response.status_code == 422:
        assert snapshot() == before
    assert_contacts_obey_the_form()
    page = client.get(f"/hubs/{hub.slug}/schools/{school.id}")
    assert page.status_code == 200 and "<script>alert" not in page.text


# The wall between hubs


def test_staff_of_another_hub_cannot_see_or_change_a_schools_contacts(app, client, hub, school):
    save_contact(school, "head", ContactDetails(**HEAD))
    other = make_hub("Bradford English Hub", "english-hub")
    theirs = make_school(other, "Beck Primary")
    save_contact(theirs, "head", ContactDetails(**HEAD | {"name": "Their Head"}))
    sign_in(client, make_user("lead@bradford.example", hubs=[other]))
    before = snapshot()
    for slug in (hub.slug, other.slug):  # their hub in the URL; my hub with their school
        base = f"/hubs/{slug}/schools/{school.id}/contacts"
        for method, path in (
            ("GET", f"{base}/head"),
            ("POST", f"{base}/head"),
            ("POST", f"{base}/main"),
            ("POST", f"{base}/head/remove"),
        ):
            response = client.open(path, method=method, data=HEAD | {"name": "Taken over"})
            assert response.status_code == 404, (method, path)
    assert snapshot() == before
    # Their own school's page shows their contact, and not the other hub's.
    page = client.get(f"/hubs/{other.slug}/schools/{theirs.id}")
    assert "Their Head" in page.text and "Jane Smith" not in page.text


def test_a_viewer_of_the_hub_cannot_open_the_contacts_pages(client, hub, school):
    viewer = make_user("board@leeds.example", role="viewer", hubs=[hub])
    viewer.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    sign_in(client, viewer)
    base = f"/hubs/{hub.slug}/schools/{school.id}/contacts"
    assert client.get(f"{base}/head").status_code == 404
    assert client.post(f"{base}/head", data=HEAD).status_code == 404
    assert _contact(school.id, "head") is None


# The contact's own page


@pytest.fixture
def head(school):
    return save_contact(school, "head", ContactDetails(**HEAD))


def test_the_contact_page_says_who_holds_what_why_for_how_long_and_who_to_ask(
    app, client, hub, school, head
):
    response = client.get(_path(app, head))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    words = _words(response)
    assert "Your details held by Leeds English Hub" in words
    assert "as the school's headteacher" in words
    assert "invite the school to its surveys" in words
    for value in HEAD.values():
        assert value in words
    assert "While Hill Primary works with Leeds English Hub" in words
    assert 'href="mailto:hub@leeds.example"' in response.text
    assert "Stop emails from Leeds English Hub" in words
    assert "Sign out" not in words  # nobody needs to sign in


@pytest.mark.parametrize(
    "change",
    [
        lambda path: path[:-1] + ("0" if path[-1] != "0" else "1"),  # the signature's last digit
        lambda path: path.rsplit("/", 1)[0] + "/" + "0" * 32,
        lambda path: path.rsplit("/", 1)[0],  # no signature
        lambda path: path.rsplit("/", 1)[0] + "/" + quote("é" * 32),
        lambda path: "/contact/" + "a" * 32 + "/" + path.rsplit("/", 1)[1],  # another id
        lambda path: path + "/extra",
    ],
)
def test_a_link_that_was_not_made_here_opens_nothing(app, client, head, change):
    path = change(_path(app, head))
    response = client.get(path)
    assert response.status_code == 404
    assert "Jane Smith" not in response.text
    before = snapshot()
    for action in ("stop-email", "email-again"):
        # 405 where the missing signature makes the action's name read as one.
        assert client.post(f"{path}/{action}").status_code in (404, 405)
    assert snapshot() == before


def test_a_removed_contacts_link_says_it_no_longer_works(app, client, head):
    path = _path(app, head)
    db.session.delete(head)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "This link no longer works" in _words(response)


def test_a_contact_stops_the_hubs_email_and_starts_it_again(app, client, hub, lead, school, head):
    path = _path(app, head)
    stranger = app.test_client()  # the contact: not signed in
    response = stranger.post(f"{path}/stop-email")
    assert response.status_code == 303 and response.headers["Location"].endswith(path)
    page = _words(stranger.get(path))
    assert "You will get no more email from Leeds English Hub." in page
    assert "You stopped emails from Leeds English Hub on" in page
    assert "Email me again" in page
    contact = _contact(school.id, "head")
    assert contact.opted_out_at is not None and not contact.reachable
    stranger.post(f"{path}/stop-email")  # pressed twice: recorded once
    [entry] = _audit("contact-opted-out")
    assert entry.hub_id == hub.id and entry.actor == ""
    assert entry.target == f"school {school.id}: Hill Primary"
    # The school and which of its contacts; nothing about the person.
    assert entry.detail == "Headteacher"
    for key in ("name", "email", "phone"):
        assert HEAD[key] not in entry.target + entry.detail
    # Hub staff see that, and when, on the school's page.
    day = f"{in_uk(contact.opted_out_at):%-d %B %Y}"
    staff = _words(client.get(f"/hubs/{hub.slug}/schools/{school.id}"))
    assert f"Stopped They stopped the hub's email on {day}" in staff

    assert stranger.post(f"{path}/email-again").status_code == 303
    assert "Stop emails from Leeds English Hub" in _words(stranger.get(path))
    assert _contact(school.id, "head").reachable
    assert len(_audit("contact-opted-in")) == 1


def test_the_contact_pages_buttons_need_the_pages_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        school = make_school(make_hub("Leeds English Hub", "english-hub"), "Hill Primary")
        path = _path(app, save_contact(school, "head", ContactDetails(**HEAD)))
        school_id = school.id
    client = app.test_client()
    page = client.get(path).text
    assert client.post(f"{path}/stop-email").status_code == 400
    assert client.post(f"{path}/stop-email", data={"csrf_token": "forged"}).status_code == 400
    with app.app_context():
        assert _contact(school_id, "head").opted_out_at is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert client.post(f"{path}/stop-email", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert _contact(school_id, "head").opted_out_at is not None


def test_guessing_links_is_slowed_but_a_contact_using_theirs_never_is(make_app):
    app = make_app(CONTACT_LINK_LIMIT="3 per hour")
    with app.app_context():
        load_reference_data()
        school = make_school(make_hub("Leeds English Hub", "english-hub"), "Hill Primary")
        path = _path(app, save_contact(school, "head", ContactDetails(**HEAD)))
    client = app.test_client()
    for _ in range(5):
        assert client.get(path).status_code == 200
        assert client.post(f"{path}/stop-email").status_code == 303
    wrong = path[:-1] + ("0" if path[-1] != "0" else "1")
    assert [client.get(wrong).status_code for _ in range(3)] == [404] * 3
    assert client.get(wrong).status_code == 429
    assert client.post(f"{wrong}/email-again").status_code == 429


# The register's download fills in each school's head


def _gias(rows: list[dict[str, str]]) -> bytes:
    columns = [
        "URN",
        "EstablishmentName",
        "PhaseOfEducation (name)",
        "TelephoneNum",
        "HeadTitle (name)",
        "HeadFirstName",
        "HeadLastName",
        "HeadPreferredJobTitle",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"PhaseOfEducation (name)": "Primary"} | row)
    return out.getvalue().encode("cp1252")


def _school_named(hub, name) -> School:
    db.session.expire_all()
    return db.session.scalar(db.select(School).where(School.hub_id == hub.id, School.name == name))


def test_importing_the_register_gives_each_new_school_its_head_and_phone(client, hub, lead):
    response = _confirm(client, hub, _upload(client, hub, GIAS).text)
    assert response.status_code == 303
    hillside = _school_named(hub, "Hillside Primary School")
    head = _contact(hillside.id, "head")
    assert (head.name, head.role, head.email, head.phone) == (
        "Mrs Ann Example",
        "Headteacher",
        "",
        "0113 000 0000",
    )
    st_marys = _school_named(hub, "St Mary\u2019s Catholic Primary School")
    assert _contact(st_marys.id, "head").name == "Mr Se\u00e1n O\u2019Brien"
    assert _contact(hillside.id, "main") is None
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 10


def test_blank_parts_of_the_heads_name_are_skipped_and_a_job_title_kept(client, hub, lead):
    content = _gias(
        [
            {
                "URN": "100001",
                "EstablishmentName": "Ash School",
                "HeadFirstName": "Jane",
                "HeadLastName": "Smith",
                "HeadPreferredJobTitle": "Executive headteacher",
            },
            {
                "URN": "100002",
                "EstablishmentName": "Beck School",
                "HeadTitle (name)": "Dr",
                "HeadLastName": "Okafor",
                "TelephoneNum": "not known",
            },
            {
                "URN": "100003",
                "EstablishmentName": "Cove School",
                "HeadTitle (name)": "Not applicable",
            },
        ]
    )
    response = _upload(client, hub, content)
    assert "The phone number 'not known' is not one we can keep" in _words(response)
    assert _confirm(client, hub, response.text).status_code == 303
    ash = _contact(_school_named(hub, "Ash School").id, "head")
    assert (ash.name, ash.role) == ("Jane Smith", "Executive headteacher")
    beck = _contact(_school_named(hub, "Beck School").id, "head")
    assert (beck.name, beck.role, beck.phone) == ("Dr Okafor", "Headteacher", "")
    assert _contact(_school_named(hub, "Cove School").id, "head") is None


def test_a_reimport_offers_a_new_head_and_phone_and_keeps_the_email_the_lead_typed(
    client, hub, lead
):
    first = {
        "URN": "100001",
        "EstablishmentName": "Ash School",
        "TelephoneNum": "0113 000 0001",
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Ann",
        "HeadLastName": "Example",
    }
    _confirm(client, hub, _upload(client, hub, _gias([first])).text)
    ash = _school_named(hub, "Ash School")
    url = f"/hubs/{hub.slug}/schools/{ash.id}/contacts/head"
    typed = {
        "name": "Mrs Ann Example",
        "role": "Headteacher",
        "email": "ann@ash.sch.uk",
        "phone": "0113 000 0001",
    }
    assert client.post(url, data=typed).status_code == 303

    # The same file again: nothing to do.
    page = _words(_upload(client, hub, _gias([first])))
    assert "Skip 1 school already on your list with the same details" in page

    new_head = first | {
        "HeadTitle (name)": "Mr",
        "HeadFirstName": "Tom",
        "HeadLastName": "New",
        "TelephoneNum": "0113 000 0002",
    }
    response = _upload(client, hub, _gias([new_head]))
    page = _words(response)
    assert "Update 1 school whose details have changed" in page
    assert "Headteacher: Mrs Ann Example → Mr Tom New" in page
    assert "Phone: 0113 000 0001 → 0113 000 0002" in page
    assert "check that ann@ash.sch.uk is still theirs" in page

    # Unticked, nothing changes.
    _confirm(client, hub, response.text, untick=["2"])
    assert _contact(ash.id, "head").name == "Mrs Ann Example"
    assert _confirm(client, hub, _upload(client, hub, _gias([new_head])).text).status_code == 303
    head = _contact(ash.id, "head")
    assert (head.name, head.email, head.phone) == ("Mr Tom New", "ann@ash.sch.uk", "0113 000 0002")


def test_a_reimport_with_blank_head_cells_keeps_the_head_recorded(client, hub, lead):
    first = {
        "URN": "100001",
        "EstablishmentName": "Ash School",
        "TelephoneNum": "0113 000 0001",
        "HeadFirstName": "Ann",
        "HeadLastName": "Example",
    }
    _confirm(client, hub, _upload(client, hub, _gias([first])).text)
    blank = {"URN": "100001", "EstablishmentName": "Ash School"}
    assert "Skip 1 school" in _words(_upload(client, hub, _gias([blank])))
    other_columns = (
        b"URN,EstablishmentName,PhaseOfEducation (name)\r\n100001,Ash School,Primary\r\n"
    )
    assert "Skip 1 school" in _words(_upload(client, hub, other_columns))


def test_a_reimport_gives_a_school_without_a_head_the_registers(client, hub, lead):
    ash = make_school(hub, "Ash School", urn="100001")
    row = {
        "URN": "100001",
        "EstablishmentName": "Ash School",
        "HeadFirstName": "Ann",
        "HeadLastName": "Example",
    }
    response = _upload(client, hub, _gias([row]))
    assert "Headteacher: none → Ann Example" in _words(response)
    _confirm(client, hub, response.text)
    head = _contact(ash.id, "head")
    assert (head.name, head.role) == ("Ann Example", "Headteacher")


# The schools export


def _csv_rows(client, hub) -> list[dict[str, str]]:
    response = client.get(f"/hubs/{hub.slug}/reports/export/partner-schools.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_schools_export_has_each_schools_contacts(client, hub, lead, school):
    save_contact(school, "head", ContactDetails(**HEAD | {"phone": "+44 113 496 0000"}))
    main = save_contact(
        school, "main", ContactDetails(name="=HYPERLINK(1)", role="CPD lead", email="c@h.uk")
    )
    main.opted_out_at = utcnow()
    db.session.commit()
    make_school(hub, "Zed Academy", urn="100002")
    hill, zed = _csv_rows(client, hub)
    assert hill["school"] == "Hill Primary"
    assert [hill[f"head_{c}"] for c in ("name", "role", "email", "phone", "email_stopped")] == [
        "Jane Smith",
        "Headteacher",
        "head@hill.sch.uk",
        "'+44 113 496 0000",  # defused: a spreadsheet would read + as a formula
        "no",
    ]
    assert hill["main_name"] == "'=HYPERLINK(1)"
    assert (hill["main_role"], hill["main_email"], hill["main_email_stopped"]) == (
        "CPD lead",
        "c@h.uk",
        "yes",
    )
    assert all(
        zed[f"{kind}_name"] == zed[f"{kind}_email_stopped"] == "" for kind in ("head", "main")
    )


# Each school's status history


def _history(hub, school_id) -> list[StatusChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(StatusChange)
            .where(StatusChange.hub_id == hub.id, StatusChange.school_id == school_id)
            .order_by(StatusChange.id)
        )
    )


SCHOOL_FORM = {"name": "Beck Primary", "phase": "primary", "status": "invited"}


def test_adding_a_school_records_its_first_status_and_each_change_after(client, hub, lead):
    assert client.post(f"/hubs/{hub.slug}/schools/new", data=SCHOOL_FORM).status_code == 303
    beck = _school_named(hub, "Beck Primary")
    url = f"/hubs/{hub.slug}/schools/{beck.id}"
    assert client.post(url, data=SCHOOL_FORM | {"status": "active"}).status_code == 303
    assert client.post(url, data=SCHOOL_FORM | {"status": "active"}).status_code == 303
    history = _history(hub, beck.id)
    assert [(c.status, c.changed_by_id) for c in history] == [
        ("invited", lead.id),
        ("active", lead.id),
    ]
    [entry] = _audit("status-changed")
    assert (entry.target, entry.detail) == (f"school {beck.id}: Beck Primary", "Invited → Active")

    table = client.get(url).text.split('id="history"', 1)[1].split("<tbody", 1)[1]
    rows = [_words_of(row) for row in re.findall(r"<tr.*?</tr>", table, re.S)]
    assert rows == [
        f"Active {in_uk(history[1].changed_at):%-d %b %Y %H:%M} lead@leeds.example",
        f"Invited {in_uk(history[0].changed_at):%-d %b %Y %H:%M} lead@leeds.example",
    ]


def _words_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_importing_schools_records_their_first_status_and_changes(client, hub, lead):
    content = b"name,urn,phase,status\r\nAsh School,100001,Primary,Invited\r\n"
    _confirm(client, hub, _upload(client, hub, content).text)
    ash = _school_named(hub, "Ash School")
    content = b"name,urn,phase,status\r\nAsh School,100001,Primary,Active\r\n"
    _confirm(client, hub, _upload(client, hub, content).text)
    assert [(c.status, c.changed_by_id) for c in _history(hub, ash.id)] == [
        ("invited", lead.id),
        ("active", lead.id),
    ]
    db.session.expire_all()
    assert db.session.get(Partnership, (hub.id, ash.id)).status == "active"
    assert _audit("status-changed")[0].detail == "Invited → Active"


def test_a_school_from_before_the_history_began_says_so(client, hub, lead, school):
    db.session.execute(db.delete(StatusChange))
    db.session.commit()
    page = _words(client.get(f"/hubs/{hub.slug}/schools/{school.id}"))
    assert "No changes recorded yet" in page


def test_removing_a_school_removes_its_contacts_and_history(app, client, hub, lead, school):
    head = save_contact(school, "head", ContactDetails(**HEAD))
    path = _path(app, head)
    assert client.post(f"/hubs/{hub.slug}/schools/{school.id}/remove").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0
    assert _history(hub, school.id) == []
    assert client.get(path).status_code == 404
