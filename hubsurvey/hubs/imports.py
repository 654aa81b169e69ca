"""Reading a CSV file of partner schools, such as a download from Get Information about Schools
(the DfE's register): every row is checked, and what importing it would do is worked out, before
anything is written. Good rows never wait for bad ones."""

import codecs
import contextlib
import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from hubsurvey.contacts.services import (
    HEAD_ROLE,
    NAME_LIMIT,
    ROLE_LIMIT,
    ContactDetails,
    hub_contacts,
    one_line,
    valid_phone,
)
from hubsurvey.hubs import services
from hubsurvey.hubs.register import key, read_phase
from hubsurvey.hubs.services import (
    NewPartner,
    SchoolDetails,
    SchoolError,
    SchoolUpdate,
    clean_urn,
)
from hubsurvey.inputs import clean_text
from hubsurvey.models import Hub, Partnership, User
from hubsurvey.vocabulary import PARTNER_STATUSES, PHASES

# A local authority's or a region's download from the register, with its hundred-odd columns,
# fits; the whole of England's does not (nor would it be a hub's partner list).
MAX_BYTES = 10 * 1024 * 1024
TOO_BIG = "The file is too big. It must be 10 MB or smaller: download only your area's schools."
MAX_ROWS = 5000

# Column headings we recognise, compared with case, spaces and punctuation removed. They cover
# our own template and the register's download ("EstablishmentName", "LA (name)", ...).
HEADINGS = {
    "name": {"name", "school", "schoolname", "establishmentname"},
    "urn": {"urn"},
    "phase": {"phase", "phaseofeducation", "phaseofeducationname"},
    "local_authority": {"localauthority", "la", "laname"},
    "trust": {"trust", "trustname", "trusts", "trustsname", "academytrust"},
    "status": {"status", "participationstatus"},
    # The register's own columns, used to work out a phase and to spot closed schools.
    "school_type": {"typeofestablishment", "typeofestablishmentname", "establishmenttype"},
    "type_group": {"establishmenttypegroup", "establishmenttypegroupname"},
    "open_status": {"establishmentstatus", "establishmentstatusname"},
    "low_age": {"statutorylowage"},
    "high_age": {"statutoryhighage"},
    # The register's headteacher and school phone number: kept as the school's head contact.
    "head_title": {"headtitle", "headtitlename"},
    "head_first_name": {"headfirstname"},
    "head_last_name": {"headlastname"},
    "head_role": {"headpreferredjobtitle"},
    "phone": {"telephonenum", "telephone", "phone"},
}
# A heading for each column that the check recognises again, for the text sent back.
COLUMN_HEADINGS = {
    "name": "name",
    "urn": "urn",
    "phase": "phase",
    "local_authority": "local_authority",
    "trust": "trust",
    "status": "status",
    "school_type": "TypeOfEstablishment (name)",
    "type_group": "EstablishmentTypeGroup (name)",
    "open_status": "EstablishmentStatus (name)",
    "low_age": "StatutoryLowAge",
    "high_age": "StatutoryHighAge",
    "head_title": "HeadTitle (name)",
    "head_first_name": "HeadFirstName",
    "head_last_name": "HeadLastName",
    "head_role": "HeadPreferredJobTitle",
    "phone": "TelephoneNum",
}
STATUS_WORDS = {
    **{key(value): value for value in PARTNER_STATUSES},
    **{key(label): value for value, label in PARTNER_STATUSES.items()},
    "mou": "mou-signed",
}
FIELD_LABELS = {
    "name": "Name",
    "urn": "URN",
    "phase": "Phase",
    "local_authority": "Local authority",
    "trust": "Trust",
    "status": "Status",
    "head_name": "Headteacher",
    "head_phone": "Phone",
}
# What the register writes where it has no value.
NOT_GIVEN = "notapplicable"


@dataclass
class Change:
    """One detail of a school the file would change: shown as old → new, made if ticked."""

    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    def words(self, value: str) -> str:
        if self.field == "phase":
            return PHASES.get(value, value)
        if self.field == "status":
            return PARTNER_STATUSES.get(value, value)
        return value or "none"


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str] = field(default_factory=dict)
    details: SchoolDetails | None = None
    # The school's head and phone number, when the file gives either.
    head: ContactDetails | None = None
    # As the file gives it; None when it gives none, so a school's status is never reset.
    status: str | None = None
    phase_from: str = ""
    closed: bool = False
    existing: Partnership | None = None
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.raw.get("name", "")

    @property
    def action(self) -> str:
        """problem, closed, new, update or unchanged."""
        if self.errors:
            return "problem"
        if self.closed:
            return "closed"
        if self.existing is None:
            return "new"
        return "update" if self.changes else "unchanged"


@dataclass
class ImportCheck:
    """The outcome of reading a file: file-wide problems, and each row with what it would do."""

    text: str = ""
    problems: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    # The phases the hub serves; empty for every phase.
    serves: list[str] = field(default_factory=list)

    def _of(self, action: str) -> list[ImportRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def problem_rows(self) -> list[ImportRow]:
        return self._of("problem")

    @property
    def new_rows(self) -> list[ImportRow]:
        return self._of("new")

    @property
    def update_rows(self) -> list[ImportRow]:
        return self._of("update")

    @property
    def unchanged_rows(self) -> list[ImportRow]:
        return self._of("unchanged")

    @property
    def closed_rows(self) -> list[ImportRow]:
        return self._of("closed")

    @property
    def closed_new_rows(self) -> list[ImportRow]:
        """Closed schools the hub does not have: added only if the lead ticks them."""
        return [row for row in self.closed_rows if row.existing is None]

    @property
    def importable(self) -> bool:
        return not self.problems and bool(self.new_rows or self.update_rows or self.closed_new_rows)

    def outside_phases(self, row: ImportRow) -> bool:
        return (
            bool(self.serves) and row.details is not None and row.details.phase not in self.serves
        )

    @property
    def rows_outside_phases(self) -> list[ImportRow]:
        """Schools to be added whose phase the hub does not serve: a warning, not a refusal."""
        return [row for row in self.new_rows + self.closed_new_rows if self.outside_phases(row)]

    @property
    def plan(self) -> str:
        """A fingerprint of what importing would do: if the hub's schools change between the
        check and the confirmation, the confirmation is refused and the file checked again.
        Taken from the rows, not the text, which a browser sends back with its line breaks
        changed to CR LF."""
        steps = [
            [
                row.line,
                row.action,
                vars(row.details) if row.details else None,
                row.status,
                row.existing.school_id if row.existing else None,
                [[c.field, c.old, c.new] for c in row.changes],
            ]
            for row in self.rows
        ]
        data = json.dumps([self.problems, steps], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:32]


@dataclass
class ImportResult:
    added: int
    updated: int
    unchanged: int
    closed_left_out: int
    problems: int

    def words(self) -> str:
        """What was done, in one or two sentences for the banner on the hub's page."""

        def schools(n: int) -> str:
            return f"{n} {'school' if n == 1 else 'schools'}"

        if self.added and self.updated:
            said = f"Added {schools(self.added)} and updated {self.updated}."
        elif self.added:
            said = f"Added {schools(self.added)}."
        elif self.updated:
            said = f"Updated {schools(self.updated)}."
        else:
            said = "No schools were added or changed."
        if self.unchanged:
            said += f" {self.unchanged} already up to date."
        left_out = []
        if self.closed_left_out:
            n = self.closed_left_out
            left_out.append(f"{n} closed {'school' if n == 1 else 'schools'}")
        if self.problems:
            left_out.append(
                f"{self.problems} {'row' if self.problems == 1 else 'rows'} with problems"
            )
        if left_out:
            said += f" Not imported: {' and '.join(left_out)}."
        return said


def decode(data: bytes) -> str:
    """Text from an uploaded file: UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8
    (with or without a BOM), else Windows-1252, as the register's downloads and Excel save."""
    text = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-16")
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text


def check_file(hub: Hub, text: str) -> ImportCheck:
    """Read every row and work out what importing it would do; writes nothing."""
    result = ImportCheck(serves=services.phases_served(hub))
    if len(text.encode()) > MAX_BYTES:
        result.problems.append(TOO_BIG)
        return result
    if "\x00" in text:
        result.problems.append("This is not a CSV file. Save the spreadsheet as CSV and try again.")
        return result
    # Cleaned as every form value is (hubsurvey/inputs.py), so that the text checked here is
    # the text the confirmation sends back.
    text = result.text = clean_text(text)
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
    checker = _RowChecker(hub, columns)
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
            result.rows.append(checker.check(reader.line_num, raw))
    except csv.Error as error:
        result.problems.append(f"Line {reader.line_num} could not be read: {error}.")
    if not result.rows and not result.problems:
        result.problems.append("The file has headings but no schools.")
    result.text = _columns_we_read(columns, result.rows)
    return result


def _columns_we_read(columns: dict[str, int], rows: list[ImportRow]) -> str:
    """The file again with only the columns we read, for the confirmation to send back: the
    register's download has over a hundred columns, and a form field holds far less than the
    10 MB a file may be. Each row stays on its line, so that line numbers keep their meaning."""
    names = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([COLUMN_HEADINGS[name] for name in names])
    written = 1
    for row in rows:
        record = io.StringIO()
        csv.writer(record, lineterminator="\r\n").writerow([row.raw[name] for name in names])
        lines = len(io.StringIO(record.getvalue()).readlines())
        padding = max(row.line - lines - written, 0)
        out.write("\r\n" * padding)
        out.write(record.getvalue())
        written += padding + lines
    return out.getvalue()


def import_checked(
    hub: Hub,
    check: ImportCheck,
    update_lines: list[int],
    closed_lines: list[int],
    by: User | None = None,
) -> ImportResult:
    """Write what the lead (`by`) confirmed, in one transaction: the new schools with their
    heads, the changes they ticked and the closed schools they chose. Raises NotOffered for a
    line the check did not offer, and SchoolError, having written nothing, if a school was
    added meanwhile."""
    updates = {row.line: row for row in check.update_rows}
    closed = {row.line: row for row in check.closed_new_rows}
    if not set(update_lines) <= set(updates) or not set(closed_lines) <= set(closed):
        raise NotOffered
    chosen_closed = [closed[line] for line in closed_lines]
    new = [
        NewPartner(row.details, row.status or "invited", row.head)
        for row in check.new_rows + chosen_closed
    ]
    changes = [_update(updates[line]) for line in sorted(set(update_lines))]
    services.import_partners(hub, new, changes, by)
    return ImportResult(
        added=len(new),
        updated=len(changes),
        unchanged=len(check.unchanged_rows),
        closed_left_out=len(check.closed_new_rows) - len(chosen_closed),
        problems=len(check.problem_rows),
    )


def _update(row: ImportRow) -> SchoolUpdate:
    update = SchoolUpdate(partnership=row.existing)
    for change in row.changes:
        if change.field == "status":
            update.status = change.new
        elif change.field.startswith("head_"):
            update.head[change.field.removeprefix("head_")] = change.new
        else:
            update.fields[change.field] = change.new
    return update


class NotOffered(ValueError):
    """A confirmation choosing a line the check did not offer: not sent by our page."""


class _Semicolon(csv.excel):
    delimiter = ";"


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, heading in enumerate(header):
        for name, words in HEADINGS.items():
            if key(heading) in words and name not in columns:
                columns[name] = i
    return columns


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


class _RowChecker:
    """Checks rows one by one against the hub's schools and the rows before them."""

    def __init__(self, hub: Hub, columns: dict[str, int]) -> None:
        self.columns = columns
        partners = services.partner_schools(hub)
        self.by_urn = {p.school.urn: p for p in partners if p.school.urn}
        self.by_name = {_name_key(p.school.name): p for p in partners}
        contacts = hub_contacts(hub.id)
        self.heads = {school_id: c for (school_id, kind), c in contacts.items() if kind == "head"}
        self.seen: dict[str, int] = {}  # a URN or name in the file, and its first line
        self.claimed: dict[int, int] = {}  # a school of the hub, and the line matching it

    def check(self, line: int, raw: dict[str, str]) -> ImportRow:
        row = ImportRow(line=line, raw=raw)
        self._read(row)
        if not row.errors:
            self._repeats(row)
        if not row.errors:
            self._match(row)
        return row

    def _read(self, row: ImportRow) -> None:
        raw = row.raw
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
        phase, row.phase_from, problem = read_phase(raw)
        if problem:
            row.errors.append(problem)
        if raw.get("status"):
            row.status = STATUS_WORDS.get(key(raw["status"]))
            if row.status is None:
                row.errors.append(
                    f"Status '{raw['status']}' is not one we know. "
                    f"Use one of: {', '.join(PARTNER_STATUSES.values())}"
                )
        for column, limit in (("local_authority", 120), ("trust", 200)):
            if len(raw.get(column, "")) > limit:
                row.errors.append(
                    f"The {column.replace('_', ' ')} must be {limit} characters or fewer"
                )
        open_status = key(raw.get("open_status", ""))
        if open_status == "closed":
            row.closed = True
        elif "proposedtoclose" in open_status:
            row.notes.append("Open, but proposed to close")
        elif "proposedtoopen" in open_status:
            row.notes.append("Not open yet: proposed to open")
        if row.errors or phase is None:
            return
        row.head = _head(row)
        row.details = SchoolDetails(
            name=name,
            urn=urn,
            phase=phase,
            local_authority=raw.get("local_authority", ""),
            trust=raw.get("trust", ""),
        )

    def _repeats(self, row: ImportRow) -> None:
        marks = [f"name:{_name_key(row.details.name)}"]
        if row.details.urn:
            marks.append(f"urn:{row.details.urn}")
        for mark in marks:
            if mark in self.seen:
                what = "URN" if mark.startswith("urn:") else "school"
                row.errors.append(f"The same {what} is on line {self.seen[mark]} too")
                return
        for mark in marks:
            self.seen[mark] = row.line

    def _match(self, row: ImportRow) -> None:
        """Find the hub's own record of the school, by URN, else by name; say what would change."""
        details = row.details
        match = self.by_urn.get(details.urn) if details.urn else None
        if match is None:
            named = self.by_name.get(_name_key(details.name))
            if named and details.urn and named.school.urn:
                row.errors.append(
                    f"This hub already has a school called {named.school.name}, with URN "
                    f"{named.school.urn}, and this row has URN {details.urn}. If it is the same "
                    "school with a new URN (after becoming an academy, say), change the URN on "
                    "the school's page first. If it is another school, add a word to one of the "
                    "names (its town, say) to tell them apart."
                )
                return
            match = named
        if match is None:
            return
        if match.school_id in self.claimed:
            row.errors.append(
                f"Line {self.claimed[match.school_id]} is the same school ({match.school.name})"
            )
            return
        self.claimed[match.school_id] = row.line
        row.existing = match
        if row.closed:
            return
        school = match.school
        wanted = {"name": details.name, "phase": details.phase}
        if details.urn and not school.urn:
            wanted["urn"] = details.urn
        # A column the file lacks keeps what the hub recorded; a blank cell in it clears it.
        for column in ("local_authority", "trust"):
            if column in self.columns:
                wanted[column] = getattr(details, column)
        for name, value in wanted.items():
            old = getattr(school, name) or ""
            if old != value:
                row.changes.append(Change(name, old, value))
        if row.status and row.status != match.status:
            row.changes.append(Change("status", match.status, row.status))
        self._head_changes(row, match)
        renamed = self.by_name.get(_name_key(details.name))
        if renamed is not None and renamed is not match:
            row.changes.clear()
            row.errors.append(
                f"It would be renamed {details.name}, but another of this hub's schools "
                f"(URN {renamed.school.urn or 'not given'}) has that name"
            )

    def _head_changes(self, row: ImportRow, match: Partnership) -> None:
        """The head's name or the phone number, where the file gives a new one. A blank keeps
        what the hub recorded, and the email address hub staff typed is never touched."""
        if row.head is None:
            return
        head = self.heads.get(match.school_id)
        old_name, old_phone = (head.name, head.phone) if head else ("", "")
        if row.head.name and _name_key(row.head.name) != _name_key(old_name):
            row.changes.append(Change("head_name", old_name, row.head.name))
            if head is not None and head.email:
                row.notes.append(
                    f"A new head: check that {head.email} is still theirs on the school's page"
                )
        if row.head.phone and row.head.phone != old_phone:
            row.changes.append(Change("head_phone", old_phone, row.head.phone))


def _head(row: ImportRow) -> ContactDetails | None:
    """The head the register names (title, first and last names, role) and the school's phone
    number; None when it gives neither. What cannot be kept is left out with a note."""
    raw = row.raw
    parts = [one_line(raw.get(column)) for column in ("head_title", "head_first_name")]
    parts.append(one_line(raw.get("head_last_name")))
    name = " ".join(part for part in parts if part and key(part) != NOT_GIVEN)
    if len(name) > NAME_LIMIT:
        row.notes.append(f"The head's name is over {NAME_LIMIT} characters, so it is left out")
        name = ""
    role = one_line(raw.get("head_role"))
    if key(role) == NOT_GIVEN or len(role) > ROLE_LIMIT:
        role = ""
    phone = one_line(raw.get("phone"))
    if phone and not valid_phone(phone):
        row.notes.append(
            f"The phone number '{phone[:40]}' is not one we can keep, so it is left out"
        )
        phone = ""
    if not name and not phone:
        return None
    return ContactDetails(name=name, role=role or HEAD_ROLE, phone=phone)
