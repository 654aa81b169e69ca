"""The resource library: uploads checked by their content and size, files kept and served
safely and only to the hub they belong to, downloads counted, and a teacher offered the
resources and activities for the needs they put first, with nothing more kept about them."""

import io
import re
import struct
import zipfile
import zlib
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from factories import (
    PROFILE,
    make_hub,
    make_needs_response,
    make_school,
    make_survey,
    make_user,
    refuse_writes,
    sign_in,
    without_token,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from records import snapshot
from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError

from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import load_reference_data
from hubsurvey.demo_resources import pdf, resources
from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, Hub, Resource, Response
from hubsurvey.resources import files, matching
from hubsurvey.resources.links import resource_url
from hubsurvey.resources.services import Details, add_resource, remove_resource
from hubsurvey.surveys import questions

# Tiny real files of each kind the library takes


def _png() -> bytes:
    """A 1 x 1 white PNG, chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = pdf("Phonics guide", ["For teachers new to phonics"])
PNG = _png()
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
# A JPEG's start of image and JFIF header, and its end.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
# A lossless 1 x 1 WebP.
WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
OOXML = "application/vnd.openxmlformats-officedocument."


def _office(folder: str, part: str, main: str, extra: str = "") -> bytes:
    """An Office Open XML file as Word, PowerPoint and Excel write them: a zip whose
    [Content_Types].xml declares the main part, which is there."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{folder}/{part}" ContentType="{main}"/>{extra}</Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/{part}", "<document/>")
    return out.getvalue()


def _open_document(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # As OpenDocument asks: the type first, not compressed.
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


DOCX = _office("word", "document.xml", f"{OOXML}wordprocessingml.document.main+xml")
PPTX = _office("ppt", "presentation.xml", f"{OOXML}presentationml.presentation.main+xml")
XLSX = _office("xl", "workbook.xml", f"{OOXML}spreadsheetml.sheet.main+xml")
ODT, ODP, ODS = (_open_document(kind) for kind in ("text", "presentation", "spreadsheet"))
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def lead(app, client):
    """North Hub's lead, signed in: (client, hub)."""
    hub = make_hub("North Hub")
    sign_in(client, make_user(hubs=[hub]))
    return client, hub


def _add(client, hub, data: dict):
    form = {"title": "Phonics guide"} | data
    return client.post(
        f"/hubs/{hub.slug}/resources/new", data=form, content_type="multipart/form-data"
    )


def _upload(client, hub, name: str, content: bytes, **fields):
    return _add(client, hub, {"file": (io.BytesIO(content), name)} | fields)


def _kept(app) -> list[Path]:
    """Every file in the library's folders, temporary ones included."""
    return sorted(p for p in Path(app.config["RESOURCE_DIR"]).rglob("*") if p.is_file())


def _resources() -> list[Resource]:
    db.session.expire_all()
    return list(db.session.scalars(select(Resource).order_by(Resource.id)))


def _public(app, resource: Resource) -> str:
    """A teacher's link to the resource."""
    with app.test_request_context():
        return resource_url(resource.id, resource.hub_id, resource.created_at)


def _get(client, path: str):
    """A download, read whole and closed (a file is sent as a stream)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


# Uploads are checked by their content


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("guide.pdf", PNG, "guide.pdf is not what its name says: it holds a PNG image"),
        ("slides.pptx", PDF, "slides.pptx is not what its name says: it holds a PDF"),
        ("notes.pdf", DOCX, "notes.pdf is not what its name says: it holds a Word document"),
        ("guide", PDF, "guide has no ending to say what kind of file it is: it holds a PDF"),
        ("page.pdf", HTML, "page.pdf cannot be uploaded: SVG images and web pages can hold"),
        ("logo.svg", SVG, "logo.svg cannot be uploaded"),
        ("logo.png", SVG, "logo.png cannot be uploaded"),
        ("page.html", PDF, "page.html cannot be uploaded"),
        ("archive.zip", _open_document("graphics")[:0] + DOCX[:30], "not a kind of file"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "not a kind of file the library takes"),
        (
            "macros.docm",
            _office(
                "word", "document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
            ),
            "not a kind of file",
        ),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(app, lead, name, content, says):
    client, hub = lead
    response = _upload(client, hub, name, content)
    assert response.status_code == 422
    assert says in response.text
    assert 'class="govuk-error-summary"' in response.text
    assert _resources() == [] and _kept(app) == []


def test_an_office_file_must_hold_the_main_part_it_declares(app, lead):
    """A zip that only names a Word main part, without it, is not a Word document."""
    client, hub = lead
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        types = (
            f'<Override PartName="/word/document.xml" ContentType="{OOXML}'
            'wordprocessingml.document.main+xml"/>'
        )
        archive.writestr("[Content_Types].xml", f"<Types>{types}</Types>")
    response = _upload(client, hub, "notes.docx", out.getvalue())
    assert response.status_code == 422
    assert _resources() == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("guide.pdf", PDF, "application/pdf"),
        ("poster.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("Photo.JPEG", JPEG, "image/jpeg"),
        ("badge.gif", GIF, "image/gif"),
        ("chart.webp", WEBP, "image/webp"),
        ("notes.docx", DOCX, f"{OOXML}wordprocessingml.document"),
        ("slides.pptx", PPTX, f"{OOXML}presentationml.presentation"),
        ("budget.xlsx", XLSX, f"{OOXML}spreadsheetml.sheet"),
        ("notes.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("slides.odp", ODP, "application/vnd.oasis.opendocument.presentation"),
        ("budget.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_each_kind_of_file_the_library_takes_is_kept_and_sent_back(
    app, lead, name, content, content_type
):
    client, hub = lead
    # The browser's word for the type counts for nothing.
    data = {"file": (io.BytesIO(content), name, "text/html")}
    assert _add(client, hub, data).status_code == 303
    [resource] = _resources()
    assert (resource.file_name, resource.content_type, resource.size) == (
        name,
        content_type,
        len(content),
    )
    # Kept under a random name in the hub's folder, never the uploaded one.
    [kept] = _kept(app)
    assert kept.parent.name == str(hub.id) and re.fullmatch(r"[0-9a-f]{32}", kept.name)
    assert kept.read_bytes() == content
    download = _get(client, f"/hubs/{hub.slug}/resources/{resource.id}/file")
    assert download.status_code == 200
    assert download.data == content
    assert download.headers["Content-Type"] == content_type


def test_the_demos_slides_are_a_pdf_the_library_takes(app):
    hub = make_hub("North Hub", "english-hub")
    area = hub.hub_type.need_areas[0]
    activity = save_activity(
        hub,
        None,
        [area],
        [],
        title="Phonics (session 2)",
        kind="training",
        starts_at=datetime(2027, 1, 12, 16, 0),
    )
    made = resources(hub, [activity])
    assert [(r.url != "", r.content_type) for r in made] == [(True, ""), (False, "application/pdf")]
    slides = made[-1]
    assert slides.activity == activity and slides.need_areas == [area]
    kept = files.stored_path(slides).read_bytes()
    assert kept.startswith(b"%PDF-1.4") and b"(Phonics \\(session 2\\)) Tj" in kept


# The size limit


@pytest.fixture
def small_limit(make_app):
    """Files up to 4 KB; North Hub's lead signed in."""
    app = make_app(RESOURCE_MAX_BYTES=4096)
    with app.app_context():
        load_reference_data()
        hub = make_hub("North Hub")
        client = app.test_client()
        sign_in(client, make_user(hubs=[hub]))
        yield app, client, hub


def test_a_file_over_the_limit_is_refused_with_a_message_naming_the_limit(small_limit):
    app, client, hub = small_limit
    large = PDF + b"%" * (5 * 1024 - len(PDF))
    response = _upload(client, hub, "guide.pdf", large)
    assert response.status_code == 422
    assert "guide.pdf is 5 KB: files must be 4 KB or smaller" in response.text
    # Just under it is fine.
    assert _upload(client, hub, "guide.pdf", PDF + b"%" * (4096 - len(PDF))).status_code == 303
    assert len(_resources()) == 1 and len(_kept(app)) == 1


def test_a_request_too_large_to_read_gets_a_page_saying_how_large_a_file_may_be(small_limit):
    """Larger than the file limit and the form's room together: refused before it is read,
    with the library's own page, not a bare error."""
    app, client, hub = small_limit
    response = _upload(client, hub, "film.pdf", PDF + b"x" * (400 * 1024))
    assert response.status_code == 413
    assert "That file is too big" in response.text
    assert "Files in the resource library must be 4 KB or smaller" in response.text
    assert f'href="/hubs/{hub.slug}/resources/new"' in response.text
    assert _resources() == [] and _kept(app) == []


def test_the_library_takes_files_larger_than_the_apps_own_request_limit(make_app):
    """The app refuses requests over MAX_CONTENT_LENGTH (2 MB, here 100 KB); the library's
    upload forms take files up to RESOURCE_MAX_BYTES (20 MB), and no other form does. (Small
    sizes, so that the test client keeps every body in memory.)"""
    app = make_app(MAX_CONTENT_LENGTH=100 * 1024)
    assert app.config["RESOURCE_MAX_BYTES"] == 20 * 1024 * 1024
    with app.app_context():
        load_reference_data()
        hub = make_hub("North Hub")
        client = app.test_client()
        sign_in(client, make_user(hubs=[hub]))
        big = PDF + b"%" * (300 * 1024)
        assert _upload(client, hub, "big.pdf", big).status_code == 303
        [resource] = _resources()
        assert resource.size == len(big)
        elsewhere = client.post(
            f"/hubs/{hub.slug}/schools/new",
            data={"name": "Hill School", "notes": big.decode("latin-1")},
        )
        assert elsewhere.status_code == 413
        # Nor for someone not signed in: sent to sign in, with nothing kept.
        stranger = app.test_client()
        assert _upload(stranger, hub, "big.pdf", big).status_code in (302, 413)
        assert len(_resources()) == 1 and len(_kept(app)) == 1


# Links


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/guide.pdf",
        "https://",
        "https://user:secret@example.org/",
        "http://localhost/",
        "https://exa mple.org",
        "https://example.org:99999/",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(app, lead, url):
    client, hub = lead
    response = _add(client, hub, {"url": url})
    assert response.status_code == 422
    assert _resources() == []


def test_a_link_typed_without_its_scheme_is_made_whole(app, lead):
    client, hub = lead
    assert _add(client, hub, {"url": "www.example.org/phonics"}).status_code == 303
    assert [r.url for r in _resources()] == ["https://www.example.org/phonics"]


def test_a_link_or_a_file_but_not_both_and_not_neither(app, lead):
    client, hub = lead
    both = _upload(client, hub, "guide.pdf", PDF, url="https://example.org/guide")
    assert both.status_code == 422 and "Give a link or choose a file, not both" in both.text
    neither = _add(client, hub, {"url": ""})
    assert neither.status_code == 422
    assert "Give a link to the resource, or choose a file to upload" in neither.text
    assert _resources() == [] and _kept(app) == []


schemes = st.sampled_from(
    [
        "javascript:",
        "JAVASCRIPT:",
        "\tjavascript:",
        "java\x00script:",
        "data:",
        "vbscript:",
        "file:",
        "http://",
        "https://",
        "HTTPS://",
        "//",
        "",
        "mailto:",
        "https:",
    ]
)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scheme=schemes,
    rest=st.text(st.characters(codec="utf-8"), max_size=40),
    title=st.text(st.characters(codec="utf-8"), max_size=240),
)
@example(scheme="javascript:", rest="//example.org/%0aalert(1)", title="<script>x</script>")
@example(scheme="https://", rest="example.org/a b", title=" \x00\x0b ")
def test_hostile_links_and_titles_store_only_web_addresses_and_clean_titles(
    app, lead, scheme, rest, title
):
    client, hub = lead
    response = _add(client, hub, {"url": scheme + rest, "title": title})
    assert response.status_code in (303, 422)
    for resource in _resources():
        parts = urlsplit(resource.url)
        assert parts.scheme in ("http", "https") and parts.hostname, resource.url
        assert not any(ch.isspace() for ch in resource.url)
        assert resource.title and resource.title == " ".join(resource.title.split())
        assert len(resource.title) <= 200 and "\x00" not in resource.title
    page = client.get(f"/hubs/{hub.slug}/resources/").text
    assert "<script>" not in page
    assert not re.search(r'href="\s*(javascript|data|vbscript)', page, re.IGNORECASE)


# Serving files


def test_a_download_is_an_attachment_of_the_type_found_in_its_content(app, lead):
    client, hub = lead
    name = "Phonics \u2013 première séance.pdf"
    assert _add(client, hub, {"file": (io.BytesIO(PDF), name, "text/html")}).status_code == 303
    [resource] = _resources()
    for path in (
        f"/hubs/{hub.slug}/resources/{resource.id}/file",
        _public(app, resource),
    ):
        response = _get(app.test_client() if path.startswith("/r/") else client, path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="Phonics _ premiere seance.pdf"; '
            f"filename*=UTF-8''{quote(name, safe='')}"
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert response.headers["Cache-Control"] == "no-store"


def test_a_file_name_is_kept_without_folders_or_characters_that_break_headers(app, lead):
    client, hub = lead
    assert _upload(client, hub, "../../home/ann/guide <1> ?*|\x1b.pdf", PDF).status_code == 303
    [resource] = _resources()
    assert resource.file_name == "guide _1_ ___.pdf"
    response = _get(client, f"/hubs/{hub.slug}/resources/{resource.id}/file")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"guide _1_ ___.pdf\"; filename*=UTF-8''guide%20_1_%20___.pdf"
    )


@pytest.fixture
def two_hubs(app, client):
    """North Hub's lead signed in; a file and a link in South Hub's library."""
    north, south = make_hub("North Hub"), make_hub("South Hub")
    sign_in(client, make_user(hubs=[north]))
    upload = files.check("their guide.pdf", io.BytesIO(PDF), len(PDF))
    theirs = [
        add_resource(south, Details("Their guide"), upload),
        add_resource(south, Details("Their link", url="https://south.example/guide")),
    ]
    return client, north, south, theirs


def test_another_hubs_resource_is_never_found_through_a_hub(app, two_hubs):
    client, north, south, theirs = two_hubs
    for resource in theirs:
        for hub in (north, south):
            base = f"/hubs/{hub.slug}/resources/{resource.id}"
            assert _get(client, f"{base}/file").status_code == 404
            assert client.get(f"{base}/edit").status_code == 404
            assert client.post(f"{base}/edit", data={"title": "Mine"}).status_code == 404
            assert client.post(f"{base}/remove").status_code == 404
    assert [(r.title, r.downloads) for r in _resources()] == [("Their guide", 0), ("Their link", 0)]
    assert len(_kept(app)) == 1


def test_a_public_link_opens_only_the_resource_it_was_made_for(app, two_hubs):
    _client, _north, _south, (guide, link) = two_hubs
    teacher = app.test_client()
    good = _public(app, guide)
    assert _get(teacher, good).status_code == 200
    signature = good.rsplit("/", 1)[1]
    gone = _get(teacher, f"/r/{link.id}/{signature}")  # another resource's signature
    assert gone.status_code == 404
    for wrong in (good[:-1] + ("0" if good[-1] != "0" else "1"), f"/r/{guide.id}/", good + "x"):
        assert _get(teacher, wrong).status_code == 404
    # A removed resource's link: the same page as a link never made.
    with app.test_request_context():
        removed = add_resource(guide.hub, Details("Gone soon", url="https://south.example/x"))
    path = _public(app, removed)
    db.session.delete(removed)
    db.session.commit()
    assert without_token(_get(teacher, path).text) == without_token(gone.text)
    assert "This link no longer works" in gone.text
    assert [r.downloads for r in _resources()] == [1, 0]


def test_wrong_links_are_rate_limited_but_a_good_one_is_not_counted(make_app):
    app = make_app(RESOURCE_LINK_LIMIT="3 per hour")
    with app.app_context():
        load_reference_data()
        resource = add_resource(make_hub("North Hub"), Details("Guide", url="https://x.example/"))
        good = _public(app, resource)
    teacher = app.test_client()
    for _ in range(5):
        assert teacher.get(good).status_code == 303
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert [teacher.get(wrong).status_code for _ in range(3)] == [404] * 3
    assert teacher.get(wrong).status_code == 429


def test_each_download_and_each_link_followed_is_counted(app, lead):
    client, hub = lead
    _upload(client, hub, "guide.pdf", PDF)
    _add(client, hub, {"url": "https://example.org/phonics", "title": "Phonics online"})
    guide, link = _resources()
    # A link checker's HEAD request is not a download.
    checked = client.head(f"/hubs/{hub.slug}/resources/{guide.id}/file")
    checked.close()
    assert checked.status_code == 200
    assert _get(client, f"/hubs/{hub.slug}/resources/{guide.id}/file").status_code == 200
    teacher = app.test_client()
    assert _get(teacher, _public(app, guide)).status_code == 200
    followed = teacher.get(_public(app, link))
    assert followed.status_code == 303
    assert followed.headers["Location"] == "https://example.org/phonics"
    assert followed.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/hubs/{hub.slug}/resources/{link.id}/file").status_code == 303
    assert [(r.title, r.downloads) for r in _resources()] == [
        ("Phonics guide", 2),
        ("Phonics online", 2),
    ]
    page = client.get(f"/hubs/{hub.slug}/resources/").text
    assert "Downloaded 2 times" in page and "Opened 2 times" in page


def test_two_downloads_at_once_both_count(app, lead):
    """The count is added to in the database, not read, added to and written back."""
    client, hub = lead
    _add(client, hub, {"url": "https://example.org/phonics"})
    [resource] = _resources()
    stale = db.session.get(Resource, resource.id)  # read before either download
    teacher = app.test_client()
    teacher.get(_public(app, resource))
    teacher.get(_public(app, resource))
    assert stale.downloads == 0
    assert _resources()[0].downloads == 2


# Changing and removing


def test_removing_a_resource_deletes_its_file_and_is_audited(app, lead):
    client, hub = lead
    _upload(client, hub, "guide.pdf", PDF)
    [resource] = _resources()
    [kept] = _kept(app)
    response = client.post(f"/hubs/{hub.slug}/resources/{resource.id}/remove")
    assert response.status_code == 303
    assert _resources() == [] and _kept(app) == []
    assert not kept.exists()
    entries = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert entries[-2:] == ["resource-added", "resource-removed"]
    page = client.get(f"/hubs/{hub.slug}/audit").text
    assert "Removed a resource from the library" in page


def test_a_file_that_cannot_be_moved_keeps_its_resource(app, lead):
    """When the file cannot be deleted, the row stays, and still names a file that is there."""
    client, hub = lead
    _upload(client, hub, "guide.pdf", PDF)
    [resource] = _resources()
    [kept] = _kept(app)
    # Where the file would be moved before it is deleted, a folder in the way.
    (kept.parent / f".removing-{kept.name}" / "x").mkdir(parents=True)
    response = client.post(
        f"/hubs/{hub.slug}/resources/{resource.id}/remove", follow_redirects=True
    )
    assert "could not be removed just now, so it is still in the library" in response.text
    assert [r.id for r in _resources()] == [resource.id]
    assert kept.read_bytes() == PDF


@contextmanager
def writes_refused():
    """The database refuses writes while inside; afterwards, connections start afresh."""
    db.session.commit()
    allow_writes = refuse_writes()
    try:
        yield
    finally:
        allow_writes()
        db.session.remove()
        db.engine.dispose()


def test_a_resource_that_cannot_be_saved_leaves_no_file_and_loses_none(app):
    """The database refuses the write (read-only, or a full disk): a new file is deleted
    again, and a file being removed goes back, so rows and files still agree."""
    hub = make_hub("North Hub")
    upload = files.check("guide.pdf", io.BytesIO(PDF), len(PDF))
    db.session.commit()
    with writes_refused(), pytest.raises(DBAPIError):
        add_resource(hub, Details("Phonics guide"), upload)
    assert _resources() == [] and _kept(app) == []

    hub = db.session.scalar(select(Hub))
    resource = add_resource(hub, Details("Phonics guide"), upload)
    [kept] = _kept(app)
    db.session.commit()
    with writes_refused(), pytest.raises(DBAPIError):
        remove_resource(resource)
    assert _kept(app) == [kept] and kept.read_bytes() == PDF
    assert [r.stored_name for r in _resources()] == [kept.name]


def test_changing_the_file_or_giving_a_link_deletes_the_old_file(app, lead):
    client, hub = lead
    _upload(client, hub, "guide.pdf", PDF)
    [resource] = _resources()
    [first] = _kept(app)
    edit = f"/hubs/{hub.slug}/resources/{resource.id}/edit"
    area = hub.hub_type.need_areas[2]
    page = client.get(edit).text
    assert "It has a file" in page and "guide.pdf" in page
    # Only the words changed: the file stays.
    data = {"title": "Phonics guide, 2nd edition", "activity": "0", "need_areas": [area.id]}
    assert client.post(edit, data=data).status_code == 303
    assert _kept(app) == [first]
    replaced = client.post(
        edit,
        data=data | {"file": (io.BytesIO(PNG), "poster.png")},
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 303
    [second] = _kept(app)
    assert second != first and second.read_bytes() == PNG
    [resource] = _resources()
    assert (resource.title, resource.file_name, resource.need_areas) == (
        "Phonics guide, 2nd edition",
        "poster.png",
        [area],
    )
    assert client.post(edit, data=data | {"url": "https://example.org/p"}).status_code == 303
    assert _kept(app) == []
    [resource] = _resources()
    assert (resource.url, resource.stored_name, resource.size) == ("https://example.org/p", "", 0)
    # A link must stay a link or become a file.
    assert client.post(edit, data=data | {"url": ""}).status_code == 422


def test_the_library_is_filtered_by_need_area(app, lead):
    client, hub = lead
    first, second = hub.hub_type.need_areas[:2]
    _add(client, hub, {"url": "https://a.example/", "title": "For one", "need_areas": [first.id]})
    _add(client, hub, {"url": "https://b.example/", "title": "For two", "need_areas": [second.id]})

    def listed(query: str) -> list[str]:
        page = client.get(f"/hubs/{hub.slug}/resources/?need_area={query}").text
        return re.findall(r'<h2 class="govuk-heading-s[^"]*"><a [^>]*>([^<]+)</a>', page)

    assert listed(str(first.id)) == ["For one"]
    assert listed(str(second.id)) == ["For two"]
    # Anything else is no filter at all.
    assert listed("%C2%B2") == listed("99999999999") == ["For two", "For one"]


def test_the_planning_aid_shows_need_areas_with_no_resource(app, lead):
    client, hub = lead
    areas = hub.hub_type.need_areas
    for title in ("One", "Two"):
        _add(
            client, hub, {"url": "https://a.example/", "title": title, "need_areas": [areas[0].id]}
        )
    _add(client, hub, {"url": "https://a.example/", "title": "Three", "need_areas": [areas[1].id]})
    page = client.get(f"/hubs/{hub.slug}/reports/planning").text
    assert f"{len(areas) - 2} of {len(areas)} need areas have no resource yet" in page
    rows = re.findall(
        r'data-label="Need area">([^<]+)</td>\s*<td[^>]*data-label="Resources">(.*?)</td>', page
    )
    counts = {name: re.sub(r"<[^>]+>|\s+for .*", "", cell) for name, cell in rows}
    assert counts[areas[0].name] == "2" and counts[areas[1].name] == "1"
    assert all(counts[area.name] == "None" for area in areas[2:])


# What a teacher gets back


@pytest.fixture
def library(app):
    """North Hub's needs assessment, and resources and activities on its need areas: the
    hand-worked case below. A teacher's answers: B confidence 1, a priority; A confidence 2,
    a priority; C confidence 1, not a priority; D confidence 5; every other area 4."""
    hub = make_hub("North Hub")
    make_school(hub, "Hill Primary", urn="100001")
    survey = make_survey(hub)
    a, b, c, d = survey.questions[0].grid_areas[:4]
    now = datetime.now()

    def link(title, areas, phases=(), hub=hub):
        details = Details(title, url=f"https://x.example/{len(title)}", need_areas=areas)
        details.phases = list(phases)
        return add_resource(hub, details)

    def activity(title, areas, days, hub=hub):
        starts = now + timedelta(days=days)
        return save_activity(hub, None, areas, [], title=title, kind="training", starts_at=starts)

    upload = files.check("a-guide.pdf", io.BytesIO(PDF), len(PDF))
    made = {
        "A guide": add_resource(hub, Details("A guide", need_areas=[a]), upload),
        "A for primary": link("A for primary", [a], ["primary"]),
        "A for secondary": link("A for secondary", [a], ["secondary"]),
        "B link": link("B link", [b]),
        "C link": link("C link", [c]),
        "D link": link("D link", [d]),
        "Theirs on A": link("Theirs on A", [a], hub=make_hub("South Hub")),
    }
    activities = {
        "B session": activity("B session", [b], 20),
        "A session": activity("A session", [a], 10),
        "B last term": activity("B last term", [b], -30),
        "C session": activity("C session", [c], 5),
        "Their B session": activity("Their B session", [b], 3, hub=made["Theirs on A"].hub),
    }
    grid = survey.questions[0]
    answers = {questions.grid_field(grid, area.id): "4" for area in grid.grid_areas}
    for area, level, priority in ((a, "2", True), (b, "1", True), (c, "1", False), (d, "5", False)):
        answers[questions.grid_field(grid, area.id)] = level
        if priority:
            answers[questions.grid_field(grid, area.id) + "-priority"] = "1"
    return survey, answers, made, activities, (a, b, c, d)


def _send(client, survey, grid_answers, profile=PROFILE):
    code = survey.code
    steps = [
        ("", {}),
        ("/about-you", profile),
        ("/1", grid_answers),
        ("/2", {f"q{q.id}": v for q, v in _teaching(survey).items()}),
        ("/send", {}),
    ]
    for path, data in steps:
        response = client.post(f"/s/{code}{path}", data=data)
        assert response.status_code == 303, (path, response.text[:400])


def _teaching(survey):
    by_prompt = {q.prompt: q for q in survey.questions}
    return {
        by_prompt["Years in phase?"]: "1",
        by_prompt["Confidence with phonics?"]: "4",
        by_prompt["Pupils in your class?"]: "28",
    }


def _session(app, client) -> dict:
    """What the teacher's session cookie holds, but the CSRF token every page's forms need."""
    cookie = client.get_cookie("session")
    held = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    held.pop("csrf_token", None)
    return held


def test_a_teacher_is_offered_what_matches_the_two_needs_they_put_first(app, library):
    """B (confidence 1) then A (2): B's link; A's newest first, the secondary one left out
    for a primary teacher; the upcoming sessions on B then A. Nothing on C (low confidence,
    but not a priority when priorities are named), on D, from the past, or from South Hub."""
    survey, answers, _made, _activities, (a, b, _c, _d) = library
    teacher = app.test_client()
    _send(teacher, survey, answers)

    before, cookie = snapshot(), _session(app, teacher)
    page = teacher.get(f"/s/{survey.code}/done").text
    assert snapshot() == before, "the page stored something"
    assert _session(app, teacher) == cookie, "the page kept something in the teacher's cookie"

    offered = re.findall(r'<li class="app-break">\s*(?:<a[^>]*>|<strong>)([^<]+)<', page)
    assert offered == ["B link", "A for primary", "A guide", "B session", "A session"]
    assert f"North Hub has these for {b.name} and {a.name}." in page
    assert "PDF, " in page and "For " + a.name in page


def test_the_teacher_downloads_what_they_were_offered_without_signing_in(app, library):
    survey, answers, made, _activities, _areas = library
    teacher = app.test_client()
    _send(teacher, survey, answers)
    page = teacher.get(f"/s/{survey.code}/done").text
    links = dict(
        (title, href)
        for href, title in re.findall(r'<a class="govuk-link" href="(/r/[^"]+)">([^<]+)<', page)
    )
    guide = _get(teacher, links["A guide"])
    assert (guide.status_code, guide.data) == (200, PDF)
    followed = teacher.get(links["B link"])
    assert (followed.status_code, followed.headers["Location"]) == (303, made["B link"].url)
    assert {r.title: r.downloads for r in _resources()}["A guide"] == 1


def test_with_no_priority_named_the_needs_are_the_areas_rated_1_or_2(app, library):
    survey, answers, _made, _activities, (a, b, c, _d) = library
    unnamed = {key: value for key, value in answers.items() if not key.endswith("-priority")}
    teacher = app.test_client()
    _send(teacher, survey, unnamed)
    page = teacher.get(f"/s/{survey.code}/done").text
    # B and C at 1 (in the framework's order), then A at 2.
    assert f"North Hub has these for {b.name}, {c.name} and {a.name}." in page
    offered = re.findall(r'<li class="app-break">\s*(?:<a[^>]*>|<strong>)([^<]+)<', page)
    assert offered == ["B link", "C link", "A for primary", "B session", "C session", "A session"]


def test_a_teacher_who_gave_no_phase_is_offered_every_phases_resources(app, library):
    survey, _answers, _made, _activities, _areas = library
    grid = survey.questions[0].grid_areas
    # A 2 and a priority, B 1 and a priority, as above; no phase given.
    levels = [2, 1, 1, 5] + [4] * (len(grid) - 4)
    response = make_needs_response(survey, phase=None, grid=levels, priorities=(0, 1))
    offered = matching.matched(response)
    assert [o.title for o in offered.resources] == ["B link", "A for secondary", "A for primary"]


def test_what_a_teacher_is_offered_takes_two_small_queries(app, library):
    survey, answers, _made, _activities, _areas = library
    teacher = app.test_client()
    _send(teacher, survey, answers)
    response = db.session.scalar(select(Response).where(Response.status == "submitted"))
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        offered = matching.matched(response)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 2, statements
    assert [o.title for o in offered.resources] == ["B link", "A for primary", "A guide"]


def test_feedback_and_a_needs_assessment_without_priorities_offer_nothing(app, library):
    survey, answers, _made, activities, _areas = library
    calm = {key: "4" for key in answers if not key.endswith("-priority")}
    teacher = app.test_client()
    _send(teacher, survey, calm)
    page = teacher.get(f"/s/{survey.code}/done").text
    assert "Answers sent" in page and "For the needs you put first" not in page
    # Feedback on a session about one of the teacher's needs: a thank-you, no offers.
    session = activities["A session"]
    survey = session.survey
    teacher = app.test_client()
    rating = questions.field_name(survey.questions[0])
    assert teacher.post(f"/s/{session.code}/1", data={rating: "4"}).status_code == 303
    sent = teacher.post(f"/s/{survey.code}/2", data={})
    assert sent.headers["Location"] == f"/s/{survey.code}/done"
    page = teacher.get(f"/s/{survey.code}/done").text
    assert "Answers sent" in page and "For the needs you put first" not in page
