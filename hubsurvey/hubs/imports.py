"""Reading a CSV file of partner schools: every row checked before anything is written."""

import csv
import io
import re
from dataclasses import dataclass, field

from hubsurvey.hubs.services import SchoolDetails, SchoolError, check_new_partner, clean_urn
from hubsurvey.models import Hub, School
from hubsurvey.vocabulary import PARTNER_STATUSES, PHASES

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000

# Column headings we recognise, compared with case, spaces and punctuation removed. They cover
# our own template and the export of the DfE's register of schools (Get Information about Schools).
HEADINGS = {
    "name": {"name", "school", "schoolname", "establishmentname"},
    "urn": {"urn"},
    "phase": {"phase", "phaseofeducation", "phaseofeducationname"},
    "local_authority": {"localauthority", "la", "laname"},
    "trust": {"trust", "trustname", "trusts", "trustsname", "academytrust"},
    "status": {"status", "participationstatus"},
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


PHASE_WORDS = {
    **{_key(value): value for value in PHASES},
    **{_key(label): value for value, label in PHASES.items()},
    # The register's own words for phases.
    "16plus": "post-16",
    "middledeemedprimary": "primary",
    "middledeemedsecondary": "secondary",
    "nursery": "primary",
    "ap": "alternative-provision",
    "pru": "alternative-provision",
}
STATUS_WORDS = {
    **{_key(value): value for value in PARTNER_STATUSES},
    **{_key(label): value for value, label in PARTNER_STATUSES.items()},
    "mou": "mou-signed",
}


@dataclass
class ImportRow:
    line: int
    details: SchoolDetails | None = None
    status: str = "invited"
    existing: School | None = None
    errors: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportCheck:
    """The outcome of reading a file: file-wide problems, and each row with its own."""

    text: str = ""
    problems: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def row_errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.problems and not self.row_errors


def decode(data: bytes) -> str:
    """Text from an uploaded file: UTF-8 (with or without a BOM), else Windows-1252 from Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def check_file(hub: Hub, text: str) -> ImportCheck:
    """Read every row and say what is wrong with each; writes nothing."""
    result = ImportCheck(text=text)
    if len(text.encode()) > MAX_BYTES:
        result.problems.append("The file is too big. It must be 1 MB or smaller.")
        return result
    if "\x00" in text:
        result.problems.append("This is not a CSV file. Save the spreadsheet as CSV and try again.")
        return result
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        result.problems.append("The file is empty.")
        return result
    dialect = "excel-tab" if "\t" in lines[0] and "," not in lines[0] else "excel"
    if ";" in lines[0] and "," not in lines[0]:
        dialect = _Semicolon
    reader = csv.reader(io.StringIO(text), dialect=dialect, strict=True)
    try:
        header = next(reader)
        columns = _columns(header)
    except (csv.Error, StopIteration):
        result.problems.append("The file could not be read as CSV.")
        return result
    if "name" not in columns:
        result.problems.append(
            "The first row must be column headings, including one called 'name' "
            "(the school's name). Download the template to see the headings."
        )
        return result
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(result.rows) >= MAX_ROWS:
                result.problems.append(f"The file has more than {MAX_ROWS:,} schools.")
                break
            raw = {
                name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()
            }
            result.rows.append(_check_row(hub, reader.line_num, raw))
    except csv.Error as error:
        result.problems.append(f"Line {reader.line_num} could not be read: {error}.")
    if not result.rows and not result.problems:
        result.problems.append("The file has headings but no schools.")
    _mark_repeats(result.rows)
    return result


class _Semicolon(csv.excel):
    delimiter = ";"


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, heading in enumerate(header):
        for name, words in HEADINGS.items():
            if _key(heading) in words and name not in columns:
                columns[name] = i
    return columns


def _check_row(hub: Hub, line: int, raw: dict[str, str]) -> ImportRow:
    row = ImportRow(line=line, raw=raw)
    name = raw.get("name", "")
    if not name:
        row.errors.append("The school's name is missing")
    elif len(name) > 200:
        row.errors.append("The school's name must be 200 characters or fewer")
    urn = None
    try:
        urn = clean_urn(raw.get("urn"))
    except SchoolError as error:
        row.errors.append(f"{error} (it is '{raw.get('urn')}')")
    phase = PHASE_WORDS.get(_key(raw.get("phase", "")))
    if not raw.get("phase"):
        row.errors.append("The phase is missing")
    elif phase is None:
        row.errors.append(
            f"Phase '{raw['phase']}' is not one we know. Use one of: {', '.join(PHASES.values())}"
        )
    if raw.get("status"):
        status = STATUS_WORDS.get(_key(raw["status"]))
        if status is None:
            row.errors.append(
                f"Status '{raw['status']}' is not one we know. "
                f"Use one of: {', '.join(PARTNER_STATUSES.values())}"
            )
        else:
            row.status = status
    for column, limit in (("local_authority", 120), ("trust", 200)):
        if len(raw.get(column, "")) > limit:
            row.errors.append(f"The {column.replace('_', ' ')} must be {limit} characters or fewer")
    if row.errors:
        return row
    row.details = SchoolDetails(
        name=name,
        urn=urn,
        phase=phase,
        local_authority=raw.get("local_authority", ""),
        trust=raw.get("trust", ""),
    )
    try:
        row.existing = check_new_partner(hub, row.details)
    except SchoolError as error:
        row.errors.append(str(error))
    return row


def _mark_repeats(rows: list[ImportRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.details is None:
            continue
        keys = [f"name:{row.details.name.lower()}"]
        if row.details.urn:
            keys.append(f"urn:{row.details.urn}")
        for key in keys:
            if key in seen:
                what = "URN" if key.startswith("urn:") else "school"
                row.errors.append(f"The same {what} is on line {seen[key]} too")
            else:
                seen[key] = row.line
