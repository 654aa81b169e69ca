"""Uploaded files: what they are, found from their content; where they are kept; and how they
are sent back.

A file is taken only when its bytes say it is a PDF, an image (PNG, JPEG, GIF, WebP), or an
Office or OpenDocument file, and its name's ending agrees: what the browser says the type is
counts for nothing, and neither does the name alone. SVG images and web pages are refused,
as they can hold scripts. A file is kept under a random name in a folder per hub, written to
a temporary file first and renamed into place, so that a half-written file is never found
under a real name. It goes back out as an attachment, with the type found from its content,
never as a page the browser would run."""

import os
import re
import secrets
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from flask import Response, current_app, send_file

from hubsurvey.inputs import clean_text
from hubsurvey.models import Resource


@dataclass(frozen=True)
class Kind:
    """A kind of file the library takes."""

    label: str
    content_type: str
    endings: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
PNG = Kind("PNG image", "image/png", (".png",))
JPEG = Kind("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
GIF = Kind("GIF image", "image/gif", (".gif",))
WEBP = Kind("WebP image", "image/webp", (".webp",))
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = Kind("Word document", f"{_OOXML}wordprocessingml.document", (".docx",))
PPTX = Kind("PowerPoint slides", f"{_OOXML}presentationml.presentation", (".pptx",))
XLSX = Kind("Excel spreadsheet", f"{_OOXML}spreadsheetml.sheet", (".xlsx",))
_ODF = "application/vnd.oasis.opendocument."
ODT = Kind("OpenDocument text", f"{_ODF}text", (".odt",))
ODP = Kind("OpenDocument presentation", f"{_ODF}presentation", (".odp",))
ODS = Kind("OpenDocument spreadsheet", f"{_ODF}spreadsheet", (".ods",))
KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, PPTX, XLSX, ODT, ODP, ODS)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
# What the file chooser offers (a convenience only: every file is checked by its content).
ACCEPT = ",".join(ending for kind in KINDS for ending in kind.endings)
TAKEN = (
    "a PDF; a Word, PowerPoint or Excel file; an OpenDocument file; or a PNG, JPEG, GIF "
    "or WebP image"
)
# An Office file names its main part in [Content_Types].xml, under the folder of its kind.
_MAIN_PARTS = {
    "/word/": (DOCX, f"{DOCX.content_type}.main+xml"),
    "/ppt/": (PPTX, f"{PPTX.content_type}.main+xml"),
    "/xl/": (XLSX, f"{XLSX.content_type}.main+xml"),
}
_OVERRIDE = re.compile(rb"<Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(PartName|ContentType)\s*=\s*"([^"]*)"')
# Read no more of a zipped part than this, whatever the zip claims: a small zip can unpack huge.
_PART_LIMIT = 1024 * 1024
# Files that can carry script, refused by name as well as by content.
SCRIPTED = {".svg", ".svgz", ".html", ".htm", ".xhtml", ".xht", ".xml", ".mht", ".mhtml", ".js"}
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')
NAME_LIMIT = 200
_STORED_NAME = re.compile(r"[0-9a-f]{32}")
_CHUNK = 1024 * 1024


class UploadRefused(Exception):
    """An uploaded file the library does not take; the message says why, for the lead."""


@dataclass
class Upload:
    """A checked file, ready to be kept: its safe name, what it is, its size and its bytes."""

    name: str
    kind: Kind
    size: int
    stream: IO[bytes]


def size_words(size: int) -> str:
    """A size as people read it: 900 bytes, 12 KB, 1.5 MB, 20 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f}".removesuffix(".0") + " MB"


def kind_of(resource: Resource) -> Kind | None:
    return BY_CONTENT_TYPE.get(resource.content_type)


def safe_name(filename: str) -> str:
    """The uploaded name as it may be shown and offered back: its last part only (no folders),
    without control characters or the characters file systems and headers trip on."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = _UNSAFE_IN_NAMES.sub("_", clean_text(name))
    name = " ".join(name.split()).lstrip(". ")
    stem, ending = os.path.splitext(name)
    if len(ending) > 20:  # not an ending: part of a long name with a dot in it
        stem, ending = name, ""
    # A long name loses the end of its stem, never the ending that says what the file is.
    return (stem[: NAME_LIMIT - len(ending)] or "resource") + ending


def ending_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if 1 < len(suffix) <= 20 else ""


def check(filename: str, stream: IO[bytes], limit: int) -> Upload:
    """The upload as a file the library takes, or UploadRefused saying what is wrong."""
    name = safe_name(filename)
    ending = ending_of(name)
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRefused(f"{name} is empty. Choose the file again, or another file.")
    if size > limit:
        raise UploadRefused(
            f"{name} is {size_words(size)}: files must be {size_words(limit)} or smaller. "
            "Make it smaller (save slides as PDF, or make pictures smaller), or add it as a link."
        )
    kind = sniff(stream)
    if ending in SCRIPTED or (kind is None and _looks_like_markup(stream)):
        raise UploadRefused(
            f"{name} cannot be uploaded: SVG images and web pages can hold scripts that run "
            "when they are opened. Save it as a PDF or a PNG image and upload that."
        )
    if kind is None:
        raise UploadRefused(f"{name} is not a kind of file the library takes. Upload {TAKEN}.")
    if not ending:
        raise UploadRefused(
            f"{name} has no ending to say what kind of file it is: it holds a {kind.label}. "
            f"Rename it to end {kind.endings[0]} and upload it again."
        )
    if ending not in kind.endings:
        raise UploadRefused(
            f"{name} is not what its name says: it holds a {kind.label}, not a file ending "
            f"{ending}. Choose the file you meant, or rename it to end {kind.endings[0]}."
        )
    return Upload(name=name, kind=kind, size=size, stream=stream)


def sniff(stream: IO[bytes]) -> Kind | None:
    """What the file is, from its first bytes (and, for a zip, what is inside it)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zipped(stream)
    return None


def _zipped(stream: IO[bytes]) -> Kind | None:
    """An OpenDocument file (a `mimetype` entry naming its kind) or an Office file (a main part
    declared in [Content_Types].xml, and present); None for any other zip."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    declared = part.read(100).strip().decode("ascii", "replace")
                return {kind.content_type: kind for kind in (ODT, ODP, ODS)}.get(declared)
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as part:
                    types = part.read(_PART_LIMIT)
                return _office_kind(types, names)
    # A damaged or crafted zip fails inside zipfile in many ways (bad headers, encryption,
    # unknown compression, a wrong length): any of them means it is not a file we take.
    except Exception:
        return None
    finally:
        stream.seek(0)
    return None


def _office_kind(types: bytes, names: set[str]) -> Kind | None:
    found = set()
    for override in _OVERRIDE.findall(types):
        attributes = dict(_ATTRIBUTE.findall(override))
        part = attributes.get(b"PartName", b"").decode("utf-8", "replace")
        content_type = attributes.get(b"ContentType", b"").decode("utf-8", "replace")
        for folder, (kind, main) in _MAIN_PARTS.items():
            if part.startswith(folder) and content_type == main and part[1:] in names:
                found.add(kind)
    return found.pop() if len(found) == 1 else None


def _looks_like_markup(stream: IO[bytes]) -> bool:
    """Text that opens with a tag, as SVG, HTML and XML do (after a byte-order mark)."""
    head = stream.read(512)
    stream.seek(0)
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    return head.replace(b"\x00", b"").lstrip().startswith(b"<")


# Where files are kept


def folder(hub_id: int) -> Path:
    root = current_app.config["RESOURCE_DIR"] or Path(current_app.instance_path) / "resources"
    return Path(root) / str(hub_id)


def stored_path(resource: Resource) -> Path:
    # The name is ours (random hex); checked anyway, so a changed row can never name another
    # file on the server.
    if not _STORED_NAME.fullmatch(resource.stored_name or ""):
        raise FileNotFoundError(resource.stored_name)
    return folder(resource.hub_id) / resource.stored_name


def store(hub_id: int, upload: Upload) -> str:
    """Keep the file under a new random name in the hub's folder; returns the name. Written to
    a temporary file and renamed, so the name never holds a part-written file."""
    place = folder(hub_id)
    place.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    handle, temporary = tempfile.mkstemp(dir=place, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            upload.stream.seek(0)
            shutil.copyfileobj(upload.stream, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, place / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync(place)
    return name


def delete(hub_id: int, stored_name: str | None) -> None:
    """Delete a kept file that no row names (any more); a failure leaves it behind, logged."""
    if not stored_name or not _STORED_NAME.fullmatch(stored_name):
        return
    try:
        (folder(hub_id) / stored_name).unlink(missing_ok=True)
    except OSError as error:
        current_app.logger.error("Could not delete resource file %s: %s", stored_name, error)


Aside = tuple[Path, Path]  # where a file was set aside, and where it came from


def set_aside(resource: Resource) -> Aside | None:
    """Move the resource's file out of its name, before its row is deleted: if deleting the
    row fails, put_back() returns it; if moving fails (OSError), nothing has changed. None
    when there is no file to move."""
    if not _STORED_NAME.fullmatch(resource.stored_name or ""):
        return None
    path = stored_path(resource)
    aside = path.with_name(f".removing-{path.name}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return None
    return aside, path


def put_back(moved: Aside | None) -> None:
    if moved is not None:
        aside, path = moved
        os.replace(aside, path)


def discard(moved: Aside | None) -> None:
    """Delete a file set aside, once its row is gone; a failure leaves it behind, logged."""
    if moved is None:
        return
    aside, _path = moved
    try:
        aside.unlink(missing_ok=True)
    except OSError as error:
        current_app.logger.error("Could not delete resource file %s: %s", aside.name, error)


def _sync(place: Path) -> None:
    """Make the rename itself durable: a crash just after must not lose the new name."""
    handle = os.open(place, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


# Sending a file back


def disposition(name: str) -> str:
    """`attachment` with the file's name: plain ASCII for old browsers, and the name as it is
    (RFC 5987) for the rest."""
    ending = ending_of(name)
    # Accents dropped from their letters ("é" as "e"); anything else not plain becomes "_".
    letters = unicodedata.normalize("NFKD", name)
    simple = "".join(ch for ch in letters if not unicodedata.combining(ch))
    simple = re.sub(r"[^A-Za-z0-9 ._()+-]", "_", simple).strip(" ._")
    if not simple or simple == ending.lstrip("."):
        simple = f"resource{ending}"
    quoted = quote(name, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{simple}\"; filename*=UTF-8''{quoted}"


def send(resource: Resource, headers: dict[str, str] | None = None) -> Response:
    """The file as a download of the type found from its content: never shown as a page, never
    sniffed into another type, and sandboxed if a browser opens it anyway."""
    kind = kind_of(resource)
    response = send_file(
        stored_path(resource),
        mimetype=kind.content_type if kind else "application/octet-stream",
        conditional=True,
        max_age=0,
    )
    response.headers.update(headers or {})
    # Kept by no cache on the way: the link, not a copy somewhere, decides who has it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = disposition(resource.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
