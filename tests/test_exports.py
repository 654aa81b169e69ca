"""Exports that always parse and single no one out.

Every CSV is read back with the csv module and, for a few fixed files, converted by LibreOffice
as a hub lead's spreadsheet would open it; hostile text comes from hypothesis where a check is
quick. Anonymous surveys' response files are checked for k-anonymity on generated populations.
"""

import csv
import io
import os
import re
import secrets
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from factories import make_hub, make_response, make_school, make_survey, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_feedback_reports import file_figures, page_figures

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Answer, AuditEntry, ExportRecord, Participant, Response
from hubsurvey.reports.anonymity import BLANK, PROFILE_COLUMNS, generalise
from hubsurvey.reports.downloads import HUB_FILES
from hubsurvey.reports.exports import csv_chunks, long_csv, long_rows, safe
from hubsurvey.reports.xlsx import Column, Table, workbook
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

SOFFICE = os.environ.get("HUBSURVEY_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"

# Text a teacher might type, or someone might type to attack the hub lead's spreadsheet.
HOSTILE = [
    "ok\n=6+6",
    "two\r\nlines, with a comma",
    "x;=1+1",
    "tab\there\t-3",
    '"Quoted", he said; then =HYPERLINK("http://x.example","go")',
    "=1+1",
    "+44 113 496 0000",
    "-2+3",
    "@SUM(A1:A3)",
    "\tstarts with a tab",
    "\rstarts with a return",
    "line one\r@two\n+three\r\n-four",
    "£5 for the café, naïve résumé",
    'a;"=1+1',
]
# Where the guard puts its apostrophes in some of them.
DEFUSED = {
    "ok\n=6+6": "ok\n'=6+6",
    "x;=1+1": "x;'=1+1",
    "tab\there\t-3": "tab\there\t'-3",
    "-2+3": "'-2+3",
    "line one\r@two\n+three\r\n-four": "line one\r'@two\n'+three\r\n'-four",
    "£5 for the café, naïve résumé": "£5 for the café, naïve résumé",
}


def _defused(text: str) -> str:
    """The guard written out plainly: an apostrophe before a formula character wherever a
    spreadsheet could start a cell (the text's start, a line's, after a semicolon or a tab)."""
    out = []
    for i, char in enumerate(text):
        if char in "=+-@\t\r" and (i == 0 or text[i - 1] in "\r\n;\t"):
            out.append("'")
        out.append(char)
    return "".join(out)


# A formula character where a spreadsheet could start a cell.
LIVE = re.compile(r"(?:^|(?<=[\r\n;\t]))[=+\-@\t\r]")

HOSTILE_SURVEY = {
    "title": "Needs =1+1",
    "sections": [
        {
            "title": "Confidence",
            "questions": [{"kind": "needs_grid", "prompt": "How confident are you?"}],
        },
        {
            "title": "Your words",
            "questions": [
                {
                    "kind": "single",
                    "prompt": "Pick one,\n=or two?",
                    "options": ["-Other; =maybe", "@plain", "Fine"],
                },
                {
                    "kind": "multiple",
                    "prompt": "Formats;\t+which?",
                    "options": ["Online", "=Twilight", "In school\r\n-after"],
                    "required": False,
                },
                {"kind": "number", "prompt": "Pupils?", "min": 0, "max": 40, "integer": True},
                {
                    "kind": "long_text",
                    "prompt": "What would help?\r\n@you",
                    "max_length": 2000,
                    "required": False,
                },
            ],
        },
    ],
}


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 3
    db.session.commit()
    return hub


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))


def _send(
    survey,
    *,
    text=None,
    school=None,
    school_name="Elsewhere School",
    excluded=False,
    role="teacher",
    phase="primary",
    career_stage="ect-1",
    subject="all-primary",
):
    """A sent response to a HOSTILE_SURVEY survey: the grid, one option, two of the multiple
    choice, a number, and `text` for the long text question unless it is None."""
    response = make_response(
        survey,
        status="submitted",
        submitted_at=datetime(2026, 5, 11, 14, 7, 30),
        profile_saved=True,
        role=role,
        phase=phase,
        career_stage=career_stage,
        subject=subject,
        school=school,
        school_name=school.name if school else school_name,
        excluded=excluded,
    )
    question = {q.kind: q.id for q in survey.questions}
    grid = next(q for q in survey.questions if q.kind == "needs_grid")
    # As the app stores them: a needs grid's answers each with a priority, true or false.
    answers = [(question["needs_grid"], area.id, 2, None, False) for area in grid.grid_areas]
    answers += [(question["single"], 0, 0, None, None), (question["number"], 0, 28, None, None)]
    answers += [(question["multiple"], item, 1, None, None) for item in (2, 3)]
    if text is not None:
        answers.append((question["long_text"], 0, None, text, None))
    for question_id, item, number, words, priority in answers:
        db.session.add(
            Answer(response_id=response.id, question_id=question_id, item=item, number=number,
                   text=words, priority=priority)
        )  # fmt: skip
    db.session.commit()
    return response


def _hostile_survey(hub):
    """A named survey whose prompts, options, school names and answers hold HOSTILE text."""
    survey = make_survey(hub, HOSTILE_SURVEY, anonymous=False)
    school = make_school(hub, "St Mary's, Leeds;=1\n-Annex")
    for text in HOSTILE:
        _send(survey, text=text, school=school)
    _send(survey, school_name="=cmd|' /C calc'!A0")  # no text answer
    return survey


def _read_csv(data: bytes) -> list[list]:
    """Rows read back by the csv module. Read as QUOTE_NONNUMERIC: an unquoted cell that is
    not a number would fail here, so every text cell must be in quotes."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), quoting=csv.QUOTE_NONNUMERIC))


def _long_rows_expected(survey) -> int:
    """How many answers HOSTILE_SURVEY's sent responses hold: one row each in the long file."""
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Answer)
        .join(Response)
        .where(Response.survey_id == survey.id, Response.excluded.is_(False))
    )


def _download(client, hub, what, fmt, **args) -> bytes:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    with client.get(f"/hubs/{hub.slug}/reports/export/{what}.{fmt}?{query}") as response:
        assert response.status_code == 200
        return response.data


# The CSV files, read back by the csv module


def test_every_csv_keeps_one_row_per_record_whatever_the_text(client, hub, lead):
    survey = _hostile_survey(hub)
    long = _read_csv(_download(client, hub, "responses-long", "csv", survey=survey.id))
    wide = _read_csv(_download(client, hub, "responses-wide", "csv", survey=survey.id))
    assert len(long) == 1 + _long_rows_expected(survey)
    assert len(wide) == 1 + len(HOSTILE) + 1
    answers = [row[-2] for row in long if row[-4] == safe("What would help?\r\n@you")]
    assert answers == [safe(text) for text in HOSTILE]
    for text, defused in DEFUSED.items():
        assert safe(text) == defused and defused in answers
    heading = wide[0]
    assert [row[heading.index("school")] for row in wide[1:]] == [
        "St Mary's, Leeds;'=1\n'-Annex"
    ] * len(HOSTILE) + ["'=cmd|' /C calc'!A0"]
    # Numbers are unquoted numbers; the whole file holds no live formula.
    assert {type(row[0]) for row in wide[1:]} == {float}
    assert all(
        not LIVE.search(cell) for row in long + wide for cell in row if cell.__class__ is str
    )
    # The fast writer of the long file is the generic one, byte for byte.
    assert _download(client, hub, "responses-long", "csv", survey=survey.id).decode() == "".join(
        csv_chunks(long_rows(survey.id))
    )


def test_the_summary_csv_quotes_and_defuses_group_names(client, hub, lead):
    survey = _hostile_survey(hub)
    summary = _read_csv(_download(client, hub, "summary", "csv", survey=survey.id, by="school"))
    # The english hub's three need areas for the school, and for the school not on the list.
    assert len(summary) == 1 + 2 * 3
    assert {row[0] for row in summary[1:]} == {
        "St Mary's, Leeds;'=1\n'-Annex",
        "School not on the list",
    }


cells = st.one_of(
    st.text(),
    st.text(alphabet="=+-@\t\r\n;,\"' x£é\0", max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)


@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=8))
@settings(max_examples=300)
def test_any_text_reads_back_as_the_same_cells_with_formulas_defused(rows):
    data = "".join(csv_chunks(rows)).encode("utf-8")
    back = _read_csv(data)
    assert len(back) == len(rows)
    for row, read in zip(rows, back, strict=True):
        assert len(read) == len(row)
        for cell, value in zip(row, read, strict=True):
            if isinstance(cell, str):
                assert not LIVE.search(value)
                assert value == _defused(cell.replace("\0", ""))
            elif cell is None:
                assert value == ""
            else:
                assert value == float(cell)  # as written: repr of a float, digits of an int


@given(text=st.text().map(lambda text: text.replace("\0", "")))  # PostgreSQL stores no NUL
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_fast_long_csv_writes_any_text_as_the_generic_writer_does(app, text):
    hub = make_hub(f"Hub {secrets.token_hex(4)}", "english-hub")
    survey = make_survey(hub, HOSTILE_SURVEY, anonymous=False)
    _send(survey, text=text, school_name=text[:200])
    assert "".join(long_csv(survey.id)) == "".join(csv_chunks(long_rows(survey.id)))


# LibreOffice, as a hub lead's spreadsheet opens the files


@pytest.fixture
def soffice(tmp_path):
    """Converts CSV files to XLSX with LibreOffice, in a profile of this test's own."""
    if not Path(SOFFICE).exists():
        reason = f"LibreOffice not found at {SOFFICE}: install Debian's libreoffice-calc-nogui"
        if os.environ.get("HUBSURVEY_REQUIRE_BROWSER"):
            pytest.fail(reason + " (HUBSURVEY_REQUIRE_BROWSER is set, so this is a failure)")
        pytest.skip(reason)
    profile = (tmp_path / "libreoffice-profile").as_uri()

    def convert(files: list[Path], separators: str) -> list[openpyxl.Workbook]:
        # Separators as LibreOffice's CSV filter names them: 44 comma, 59 semicolon, 9 tab;
        # 34 the quote, 76 UTF-8, 1 the first line.
        out = files[0].parent / f"xlsx-{separators.replace('/', '-')}"
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless",
             f"--infilter=CSV:{separators},34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
             *map(str, files)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return [openpyxl.load_workbook(out / f"{f.stem}.xlsx") for f in files]

    return convert


def _no_formulas(book) -> None:
    _no_formulas_in(book.active)


def _no_formulas_in(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"


def test_libreoffice_opens_every_csv_with_exact_rows_and_no_formula(client, hub, lead, soffice,
                                                                    tmp_path):  # fmt: skip
    survey = _hostile_survey(hub)
    files = {
        "long": _download(client, hub, "responses-long", "csv", survey=survey.id),
        "wide": _download(client, hub, "responses-wide", "csv", survey=survey.id),
        "summary": _download(client, hub, "summary", "csv", survey=survey.id, by="school"),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp_path / f"{name}.csv")
        paths[-1].write_bytes(data)
    records = {"long": _long_rows_expected(survey), "wide": len(HOSTILE) + 1, "summary": 6}
    long_path = paths[0]
    for book, (name, count) in zip(soffice(paths, "44"), records.items(), strict=True):
        assert book.active.max_row == 1 + count, name
        _no_formulas(book)
        read = _read_csv(files[name])
        assert [[c.value for c in row] for row in book.active.iter_rows(max_col=2)] == [
            [None if v == "" else (int(v) if isinstance(v, float) else v) for v in row[:2]]
            for row in read
        ], name
    # A program told to split on semicolons or tabs too keeps each quoted cell whole.
    for separators in ("44/59", "44/9"):
        (book,) = soffice([long_path], separators)
        assert book.active.max_row == 1 + records["long"]
        _no_formulas(book)
        answers = [row[-2].value for row in book.active.iter_rows(min_row=2)]
        assert "x;'=1+1" in answers and "ok\n'=6+6" in answers
    # Told to split on semicolons or tabs only, it cannot read the file's rows, but even then
    # no piece of text it cuts out becomes a formula.
    for separators in ("59", "9"):
        (book,) = soffice([long_path], separators)
        _no_formulas(book)


# XLSX: text as typed, in string cells

XLSX_ESCAPE = re.compile(r"_x([0-9A-F]{4})_")


def _typed(value):
    """A cell's text as typed: XLSX itself writes a control character as _xHHHH_."""
    return XLSX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value) if isinstance(value, str) else value


def test_xlsx_cells_hold_the_text_as_typed_without_apostrophes(client, hub, lead):
    survey = _hostile_survey(hub)
    for what in ("responses-long", "responses-wide"):
        book = openpyxl.load_workbook(
            io.BytesIO(_download(client, hub, what, "xlsx", survey=survey.id))
        )
        sheet = book.worksheets[0]
        _no_formulas(book)
        cells = [_typed(c.value) for row in sheet.iter_rows() for c in row]
        for text in [*HOSTILE, "St Mary's, Leeds;=1\n-Annex", "=cmd|' /C calc'!A0"]:
            if text.strip():
                assert text in cells, (what, text)
        assert "'-2+3" not in cells
        # Text, numbers, and the times responses were sent as dates: nothing else.
        assert all(c.data_type in ("s", "n", "d") for row in sheet.iter_rows() for c in row)
        assert book.sheetnames[1:] == ["Questions", "About this file"]
        _no_formulas_in(book["Questions"])


@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_xlsx_writes_any_text_as_a_string_cell(texts):
    columns = [Column(f"c{i}", "heading") for i in range(len(texts))]
    path = workbook(Table("sheet", columns, [texts]), None, [("About", "texts")])
    try:
        book = openpyxl.load_workbook(path)
        row = [c for c in next(book.active.iter_rows(min_row=2, max_row=2))]
        for text, cell in zip(texts, row, strict=False):
            if text.replace("\0", ""):
                assert cell.data_type == "s"
                assert _typed(cell.value) == text.replace("\0", "")
    finally:
        os.remove(path)


# Anonymous means anonymous in the files

PROFILE_VALUES = {
    "school": ["Hill Primary", "Dale Academy", "Moor School"],
    "role": ["teacher", "senco", "headteacher"],
    "phase": ["primary", "secondary"],
    "career_stage": ["ect-1", "years-3-5"],
    "subject": ["english", "maths"],
}
people = st.lists(
    st.fixed_dictionaries(
        {name: st.sampled_from(values) for name, values in PROFILE_VALUES.items()}
    ),
    max_size=14,
)


def _profiles_in(rows: list[list]) -> dict[tuple, set]:
    """Each combination of the profile columns in a file, with the responses that have it."""
    heading, columns = rows[0], [rows[0].index(c) for c in PROFILE_COLUMNS]
    shared: dict[tuple, set] = {}
    for row in rows[1:]:
        profile = tuple("" if row[i] is None else row[i] for i in columns)
        shared.setdefault(profile, set()).add(row[heading.index("response_id")])
    return shared


# The readable headings of the XLSX response files, by the CSV column each stands for.
READABLE = {
    "Response": "response_id", "Wave": "wave", "Sent (UK time)": "submitted_at",
    "Sent on (UK date)": "submitted_at", "School": "school", "School URN": "school_urn",
    "Phase": "phase", "Role": "role", "Career stage": "career_stage", "Subject": "subject",
    "Activity": "activity", "Participant": "participant", "Question ID": "question_id",
    "Question": "question", "Option or need area": "item", "Answer": "answer",
    "A priority (1 = yes)": "priority",
}  # fmt: skip


def _xlsx_rows(data: bytes) -> list[list]:
    """The data sheet's rows, headed by the CSV columns' names: the profile's and the long
    file's from READABLE, each question column's as the Questions sheet gives it."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    key = [list(r) for r in book["Questions"].iter_rows(values_only=True)]
    book.close()
    by_heading = dict(READABLE)
    if key[0][:3] == ["Column", "Heading", "CSV column"]:  # the wide file's: one per column
        by_heading |= {heading: name for _letter, heading, name, *_rest in key[1:]}
    rows[0] = [by_heading[heading] for heading in rows[0]]
    return rows


@given(population=people, k=st.integers(min_value=2, max_value=5))
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_anonymous_files_share_every_profile_by_the_smallest_group_and_named_keep_all(
    client, hub, lead, population, k
):
    hub.smallest_group = k
    anonymous = make_survey(hub, HOSTILE_SURVEY)
    named = make_survey(hub, HOSTILE_SURVEY, anonymous=False)
    schools = {}  # the hub's schools, new for each example
    for person in population:
        if person["school"] not in schools:
            urn = str(100000 + anonymous.id * 10 + len(schools))
            schools[person["school"]] = make_school(hub, f"{person['school']} {urn}", urn=urn)
        for survey in (anonymous, named):
            _send(survey, **{**person, "school": schools[person["school"]]})

    def files(survey) -> dict[str, list[list]]:
        return {
            f"{what} {fmt}": (_read_csv if fmt == "csv" else _xlsx_rows)(
                _download(client, hub, what, fmt, survey=survey.id)
            )
            for what in ("responses-wide", "responses-long")
            for fmt in ("csv", "xlsx")
        }

    anonymous_files = files(anonymous)
    for name, rows in anonymous_files.items():
        shared = _profiles_in(rows)
        assert all(len(ids) >= k for ids in shared.values()), (name, shared)
        # Everyone is in the file when there are enough of them to hide among; else no one.
        assert sum(len(ids) for ids in shared.values()) == (
            len(population) if len(population) >= k else 0
        )
        sent = rows[0].index("submitted_at")
        # The date, not the time: as text in CSV, as a date in XLSX.
        assert {row[sent] for row in rows[1:]} <= {"2026-05-11", datetime(2026, 5, 11)}
    # The wide and long files give each response the same profile.
    wide, long = (anonymous_files[f"responses-{w} csv"] for w in ("wide", "long"))
    assert _profiles_in(wide) == _profiles_in(long)
    # The named survey's files keep every profile value, and the time.
    expected = sorted(
        (schools[p["school"]].name, schools[p["school"]].urn, PHASES[p["phase"]],
         RESPONDENT_ROLES[p["role"]], CAREER_STAGES[p["career_stage"]], SUBJECTS[p["subject"]],
         "")  # no activity
        for p in population
    )  # fmt: skip
    for name, rows in files(named).items():
        shared = _profiles_in(rows)
        assert sorted(p for p, ids in shared.items() for _ in ids) == expected, name
        sent = rows[0].index("submitted_at")
        # Stored in UTC; the CSV says so, the XLSX gives the UK time (summer time: UTC+1).
        assert {row[sent] for row in rows[1:]} <= (
            {"2026-05-11 14:07:30"} if name.endswith("csv") else {datetime(2026, 5, 11, 15, 7, 30)}
        )


@given(
    counts=st.dictionaries(
        st.tuples(*[st.sampled_from(["", "a", "b"])] * len(PROFILE_COLUMNS)),
        st.integers(1, 4),
        max_size=30,
    ),
    k=st.integers(min_value=1, max_value=8),
)
@settings(max_examples=500)
def test_generalising_only_blanks_values_and_leaves_no_group_smaller_than_k(counts, k):
    written = generalise(counts, k)
    assert written.keys() == counts.keys()
    shared: dict = {}
    for profile, count in counts.items():
        if written[profile] is not None:
            shared[written[profile]] = shared.get(written[profile], 0) + count
            assert all(w in ("", v) for w, v in zip(written[profile], profile, strict=True))
    assert all(n >= k for n in shared.values())
    total = sum(counts.values())
    assert sum(shared.values()) == (total if total >= k else 0)
    # A profile shared by k already is written as it is, unless its group had to take in the
    # few left with no profile at all.
    assert all(written[p] in (p, BLANK) for p, n in counts.items() if n >= k)


def test_the_only_senco_at_a_school_is_not_picked_out(client, hub, lead):
    hub.smallest_group = 3
    survey = make_survey(hub, HOSTILE_SURVEY)
    hill = make_school(hub, "Hill Primary", urn="123456")
    for _ in range(3):
        _send(survey, school=hill, role="teacher")
    senco = _send(survey, school=hill, role="senco")
    for _ in range(2):
        _send(survey, school_name="Dale Academy", role="senco")
    rows = _read_csv(_download(client, hub, "responses-wide", "csv", survey=survey.id))
    by_id = {int(row[0]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_id) == 6
    alone = by_id[senco.id]
    assert (alone["school"], alone["school_urn"]) == ("", "")
    assert alone["role"] == "SENCO"  # one of three SENCOs once their schools are left out
    teachers = [r for r in by_id.values() if r["role"] == "Teacher"]
    assert {(r["school"], r["school_urn"]) for r in teachers} == {("Hill Primary", "123456")}
    assert {r["submitted_at"] for r in by_id.values()} == {"2026-05-11"}
    assert all(r["school"] == "" for r in by_id.values() if r["role"] == "SENCO")


def test_named_surveys_are_exported_in_full_with_times(client, hub, lead):
    hub.smallest_group = 5
    survey = make_survey(hub, HOSTILE_SURVEY, anonymous=False)
    hill = make_school(hub, "Hill Primary", urn="123456")
    _send(survey, school=hill, role="senco", subject="maths", career_stage="years-3-5")
    for what in ("responses-wide", "responses-long"):
        rows = _read_csv(_download(client, hub, what, "csv", survey=survey.id))
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["school"] == "Hill Primary" and record["school_urn"] == "123456"
        assert (record["role"], record["subject"]) == ("SENCO", "Mathematics")
        assert record["career_stage"] == "3 to 5 years" and record["phase"] == "Primary"
        assert record["submitted_at"] == "2026-05-11 14:07:30"
    book = openpyxl.load_workbook(
        io.BytesIO(_download(client, hub, "responses-wide", "xlsx", survey=survey.id))
    )
    notes = [c.value for c in book["About this file"]["B"]]
    assert any(
        "named: every response is exported in full" in n for n in notes if n.__class__ is str
    )


def test_feedback_from_a_small_session_does_not_say_which_session(client, hub, lead):
    """A hub knows who attended a session of two: the activity counts as a profile column."""
    hub.smallest_group = 3
    survey = make_survey(hub, HOSTILE_SURVEY)
    small, big = (
        Activity(
            hub=hub, title=title, kind="training", starts_at=datetime(2026, 5, 1),
            survey=survey, code=code,
        )
        for title, code in (("Coaching pair", "SMALL1"), ("Conference", "BIG111"))
    )  # fmt: skip
    db.session.add_all([small, big])
    for activity in [small] * 2 + [big] * 4:
        _send(survey).activity = activity
    db.session.commit()
    for what in ("responses-wide", "responses-long"):
        rows = _read_csv(_download(client, hub, what, "csv", survey=survey.id))
        titles = [dict(zip(rows[0], row, strict=True))["activity"] for row in rows[1:]]
        assert "Coaching pair" not in titles
        assert all(n >= 3 for n in _profile_counts(rows).values())


def _profile_counts(rows) -> dict:
    return {p: len(ids) for p, ids in _profiles_in(rows).items()}


def test_anonymous_files_never_carry_the_participant_link(client, hub, lead):
    """A participant id would join one person's rows across files generalised apart."""
    hub.smallest_group = 2
    for kind, anonymous in (("anonymous", True), ("named", False)):
        survey = make_survey(hub, HOSTILE_SURVEY, anonymous=anonymous)
        person = Participant(hub_id=hub.id, code_hash=kind[0] * 64)
        db.session.add(person)
        for response in (_send(survey), _send(survey)):
            response.participant = person
        db.session.commit()
        for what in ("responses-wide", "responses-long"):
            rows = _read_csv(_download(client, hub, what, "csv", survey=survey.id))
            ids = {dict(zip(rows[0], row, strict=True))["participant"] for row in rows[1:]}
            assert ids == ({""} if anonymous else {float(person.id)})  # unquoted: a number


def test_an_anonymous_xlsx_says_what_was_left_out_on_its_about_sheet(client, hub, lead):
    hub.smallest_group = 3
    survey = make_survey(hub, HOSTILE_SURVEY)
    for role in ("teacher", "teacher", "teacher", "senco", "senco"):
        _send(survey, role=role)
    _send(survey, role="senco", school_name="Dale Academy")
    book = openpyxl.load_workbook(
        io.BytesIO(_download(client, hub, "responses-long", "xlsx", survey=survey.id))
    )
    notes = " ".join(c.value for c in book["About this file"]["B"] if isinstance(c.value, str))
    assert "anonymous" in notes and "fewer than 3 responses" in notes
    assert "3 of the 6 responses in this file have some of those values left blank" in notes
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "Files of anonymous surveys pick no one out" in page
    assert "Named surveys are exported in full" in page


def test_an_anonymous_survey_with_fewer_responses_than_the_smallest_group_exports_none(
    client, hub, lead
):
    hub.smallest_group = 5
    survey = make_survey(hub, HOSTILE_SURVEY)
    for _ in range(4):
        _send(survey)
    assert len(_read_csv(_download(client, hub, "responses-wide", "csv", survey=survey.id))) == 1
    assert len(_read_csv(_download(client, hub, "responses-long", "csv", survey=survey.id))) == 1
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "its files hold no responses until 5 are sent (4 so far)" in page


# Excluded responses, and the record of every export


def test_excluded_responses_are_left_out_of_every_response_export(client, hub, lead):
    hub.smallest_group = 2
    for anonymous in (False, True):
        survey = make_survey(hub, HOSTILE_SURVEY, anonymous=anonymous)
        kept = [_send(survey, text="kept"), _send(survey, text="kept")]
        left_out = _send(survey, text="suspect", excluded=True)
        for what in ("responses-wide", "responses-long"):
            for rows in (
                _read_csv(_download(client, hub, what, "csv", survey=survey.id)),
                _xlsx_rows(_download(client, hub, what, "xlsx", survey=survey.id)),
            ):
                ids = {int(row[0]) for row in rows[1:]}
                assert ids == {r.id for r in kept}, (anonymous, what)
                assert left_out.id not in ids
                assert not any("suspect" in str(cell) for row in rows for cell in row)


def test_every_export_is_in_the_audit_log_with_what_format_and_filters(client, hub, lead):
    survey = make_survey(hub, HOSTILE_SURVEY, anonymous=False)
    _download(client, hub, "responses-wide", "xlsx", survey=survey.id)
    _download(client, hub, "summary", "csv", survey=survey.id, by="role")
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)
    ).all()
    assert [(e.hub_id, e.actor) for e in entries] == [(hub.id, "lead@hub.example")] * 2
    assert entries[0].target == f"survey {survey.id}: Needs =1+1"
    assert entries[0].detail == f"responses-wide as XLSX; filters: survey={survey.id}"
    assert entries[1].detail == f"summary as CSV; filters: survey={survey.id}&by=role"
    assert db.session.scalar(db.select(db.func.count()).select_from(ExportRecord)) == 2


# Files named for what they hold, with the columns docs/exports.md lists

DOCS = Path(__file__).parent.parent / "docs" / "exports.md"


def _documented_columns() -> dict[str, list[str]]:
    """Each file's columns as docs/exports.md lists them: the `column` tables of the section
    whose heading names the file, after the profile columns where it says it starts with them;
    for the wide file, the patterns of its question columns, as "<patterns>"."""
    sections = {}
    for part in DOCS.read_text().split("\n## ")[1:]:
        heading, _newline, body = part.partition("\n")
        sections[heading] = body
    profile = _table_names(sections["Profile columns (both response exports)"], "column")
    files = {}
    for heading, body in sections.items():
        named = re.search(r"\(`([a-z-]+)`\)$", heading)
        if not named:
            continue
        columns = profile.copy() if body.lstrip().startswith("The profile columns") else []
        files[named[1]] = columns + _table_names(body, "column")
        if named[1] == "responses-wide":
            files["<patterns>"] = _table_names(body, "question type", cell=1)
    return files


def _table_names(body: str, first_heading: str, cell: int = 0) -> list[str]:
    """The `names` in one cell of each row of the section's tables headed `first_heading`."""
    names, in_table = [], False
    for line in body.splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == first_heading:
            in_table = True
        elif in_table and not set(cells[0]) <= {"-"}:
            names += re.findall(r"`([^`]+)`", cells[cell])
    return names


def _pattern(documented: str) -> re.Pattern:
    parts = re.split(r"(<[^>]+>)", documented)
    return re.compile(
        "".join(
            r"\d+" if p == "<n>" else "[a-z0-9_]+" if p.startswith("<") else re.escape(p)
            for p in parts
        )
    )


def test_every_csv_heading_row_is_the_one_docs_exports_md_lists(client, hub, lead):
    survey = _hostile_survey(hub)
    documented = _documented_columns()
    files = {
        "responses-wide": {"survey": survey.id},
        "responses-long": {"survey": survey.id},
        "summary": {"survey": survey.id, "by": "role"},
        "partner-schools": {},
        "activities": {},
        "feedback-summary": {},
        "outcome-figures": {},
    }
    assert set(files) == set(documented) - {"<patterns>"}
    for what, args in files.items():
        heading = _read_csv(_download(client, hub, what, "csv", **args))[0]
        if what != "responses-wide":
            assert heading == documented[what], what
            continue
        profile = documented["responses-wide"]  # the profile columns alone
        assert heading[: len(profile)] == profile
        patterns = [_pattern(p) for p in documented["<patterns>"]]
        for column in heading[len(profile) :]:
            assert any(p.fullmatch(column) for p in patterns), column
        # The grid's need areas each have their confidence and priority columns.
        assert sum(c.endswith("__confidence") for c in heading) == 3
        assert sum(c.endswith("__priority") for c in heading) == 3


def _disposition(client, path) -> str:
    with client.get(path) as response:
        assert response.status_code == 200
        return response.headers["Content-Disposition"]


def test_file_names_say_the_survey_the_filters_and_the_day(client, hub, lead):
    from hubsurvey.reports.xlsx import uk_now

    survey = make_survey(hub, {**HOSTILE_SURVEY, "title": "Besoins en français: 2026/27"})
    hill = make_school(hub, "Hill Primary")
    _send(survey, school=hill)
    base = f"/hubs/{hub.slug}/reports/export"
    days = {f"{uk_now():%Y-%m-%d}"}
    headers = {
        "wide": _disposition(client, f"{base}/responses-wide.csv?survey={survey.id}"),
        "summary": _disposition(
            client,
            f"{base}/summary.xlsx?survey={survey.id}&wave={survey.waves[0].id}&role=teacher"
            f"&school={hill.id}&by=career_stage",
        ),
        "partners": _disposition(client, f"{base}/partner-schools.csv"),
    }
    days.add(f"{uk_now():%Y-%m-%d}")  # the day may turn while the files are made
    wave = re.sub(r"[^a-z0-9]+", "-", survey.waves[0].label.lower()).strip("-")
    expected = {
        "wide": ("besoins-en-francais-2026-27_responses-wide_{day}.csv",
                 "besoins-en-fran%C3%A7ais-2026-27_responses-wide_{day}.csv"),
        "summary": (
            f"besoins-en-francais-2026-27_needs-summary_wave-{wave}_role-teacher_"
            "school-hill-primary_by-career-stage_{day}.xlsx",
            f"besoins-en-fran%C3%A7ais-2026-27_needs-summary_wave-{wave}_role-teacher_"
            "school-hill-primary_by-career-stage_{day}.xlsx",
        ),
        "partners": ("leeds-english-hub_partner-schools_{day}.csv",) * 2,
    }  # fmt: skip
    for name, header in headers.items():
        plain, full = expected[name]
        assert header in {
            f"attachment; filename=\"{plain.format(day=d)}\"; filename*=UTF-8''{full.format(day=d)}"
            for d in days
        }, header
        assert header.isascii()


# The hub's own files: partner schools, activities, feedback, outcome figures


def _hub_file(client, hub, what, fmt="csv") -> list[list]:
    data = _download(client, hub, what, fmt)
    if fmt == "csv":
        return _read_csv(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    _no_formulas(book)
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    # Headed in words; named here as in the CSV file, column for column.
    columns = HUB_FILES[what][1]
    assert rows[0] == [c.heading for c in columns]
    rows[0] = [c.name for c in columns]
    return rows


def test_the_partner_schools_file_lists_every_school_with_its_status(client, hub, lead):
    make_school(hub, "Moor Academy", urn="100002", phase="secondary", status="active")
    make_school(hub, "hill primary", status="mou-signed")
    make_school(hub, "Dale School", status="left")
    rows = _hub_file(client, hub, "partner-schools")
    assert [row[:6] for row in rows[1:]] == [
        ["Dale School", "", "Primary", "", "", "Left"],
        ["hill primary", "", "Primary", "", "", "Memorandum of understanding signed"],
        ["Moor Academy", "100002", "Secondary", "", "", "Active"],
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[6]) for row in rows[1:])
    sheet = _hub_file(client, hub, "partner-schools", "xlsx")
    assert [row[5] for row in sheet[1:]] == [
        "Left", "Memorandum of understanding signed", "Active"
    ]  # fmt: skip
    assert all(isinstance(row[6], datetime) for row in sheet[1:])


def _activity(hub, title, areas=(), *, anonymous=True, shared=None, **fields):
    from hubsurvey.activities.services import save_activity

    names = {a.name: a for a in hub.hub_type.need_areas}
    activity = save_activity(
        hub, None, [names[n] for n in areas], [], shared_survey=shared, title=title,
        kind="training", starts_at=fields.pop("starts_at", datetime(2026, 5, 1, 16)), **fields,
    )  # fmt: skip
    activity.survey.anonymous = anonymous
    db.session.commit()
    return activity


def _rate(activity, *ratings, comment=None):
    """Feedback through the activity's link: the headline rating, and a comment."""
    headline = activity.survey.questions[0]
    text = next(q for q in activity.survey.questions if q.kind == "short_text")
    for rating in ratings:
        response = make_response(
            activity.survey, activity=activity, status="submitted",
            submitted_at=datetime(2026, 5, 1, 17),
        )  # fmt: skip
        db.session.add(
            Answer(response_id=response.id, question_id=headline.id, item=0, number=rating)
        )
        if comment is not None:
            db.session.add(
                Answer(response_id=response.id, question_id=text.id, item=0, text=comment)
            )
    db.session.commit()


FIGURES = ["responses", "mean_rating", "rated_1", "rated_2", "rated_3", "rated_4", "rated_5",
           "suppressed"]  # fmt: skip


def _figures(rows, key_column: str, *, breakdown=None) -> dict:
    heading = rows[0]
    found = {}
    for row in rows[1:]:
        record = dict(zip(heading, row, strict=True))
        if breakdown is None or record["breakdown"] == breakdown:
            found[record[key_column]] = [record[c] for c in FIGURES]
    return found


def test_activities_and_feedback_files_give_the_feedback_pages_figures(client, hub, lead):
    phonics = _activity(hub, "Phonics twilight", ["Systematic synthetic phonics"],
                        anonymous=False, place="Hill Primary", facilitator="A. Reader")  # fmt: skip
    network = _activity(hub, "Reading network", ["Systematic synthetic phonics",
                        "Reading for pleasure"], anonymous=False,
                        starts_at=datetime(2026, 6, 3, 9, 30))  # fmt: skip
    _rate(phonics, 5, 4, 4)
    _rate(network, 3, 5)
    activities = _hub_file(client, hub, "activities")
    record = dict(zip(activities[0], activities[2], strict=True))  # latest first
    assert record | {"activity_id": 0} == {
        "activity_id": 0, "title": "Phonics twilight", "kind": "Training session",
        "starts_at": "2026-05-01 16:00", "place": "Hill Primary", "online": "no",
        "facilitator": "A. Reader", "need_areas": "Systematic synthetic phonics", "schools": "",
        "feedback_survey": "Feedback: Phonics twilight", "responses": 3.0, "mean_rating": 4.33,
        "rated_1": 0.0, "rated_2": 0.0, "rated_3": 0.0, "rated_4": 2.0, "rated_5": 1.0,
        "suppressed": "no",
    }  # fmt: skip
    assert activities[1][1] == "Reading network"
    assert dict(zip(activities[0], activities[1], strict=True))["need_areas"] == (
        "Systematic synthetic phonics; Reading for pleasure"
    )
    summary = _hub_file(client, hub, "feedback-summary")
    assert _figures(summary, "name", breakdown="activity") == {
        "Reading network": [2, 4, 0, 0, 1, 0, 1, "no"],
        "Phonics twilight": [3, 4.33, 0, 0, 0, 2, 1, "no"],
    }
    # Phonics: 5, 4, 4 and 3, 5 = 21 / 5; reading for pleasure: the network's 3 and 5.
    assert _figures(summary, "name", breakdown="need area") == {
        "Systematic synthetic phonics": [5, 4.2, 0, 0, 1, 2, 2, "no"],
        "Reading for pleasure": [2, 4, 0, 0, 1, 0, 1, "no"],
    }
    waves = _figures(summary, "survey", breakdown="wave")
    assert waves == {
        "Feedback: Phonics twilight": [3, 4.33, 0, 0, 0, 2, 1, "no"],
        "Feedback: Reading network": [2, 4, 0, 0, 1, 0, 1, "no"],
    }
    # The Feedback page shows the same figures, row for row.
    assert page_figures(client.get(f"/hubs/{hub.slug}/reports/feedback").text) == (
        file_figures(summary)
    )
    # XLSX: the same figures, with the activity's start as an Excel date.
    sheet = _hub_file(client, hub, "activities", "xlsx")
    assert sheet[2][3] == datetime(2026, 5, 1, 16) and sheet[2][10:13] == [3, 4.33, 0]
    book = openpyxl.load_workbook(io.BytesIO(_download(client, hub, "feedback-summary", "xlsx")))
    assert book.worksheets[0]["D2"].is_date and book.worksheets[0]["F2"].number_format == "0.0"


def test_anonymous_feedback_hides_small_groups_and_totals_that_would_give_them_away(
    client, hub, lead
):
    """Smallest group 3. A need area or wave total is hidden when its hidden activities gave
    fewer than 3 ratings together: the total less those shown would give them away."""
    big = _activity(hub, "Big phonics day", ["Systematic synthetic phonics"])
    pair = _activity(hub, "Coaching pair", ["Systematic synthetic phonics", "Reading for pleasure"])
    small = [_activity(hub, f"Small group {n}", ["Early language"]) for n in (1, 2)]
    early = _activity(hub, "Early language day", ["Early language"])
    _rate(big, 5, 5, 4, 4, 3)
    _rate(pair, 1, 2)
    _rate(small[0], 3, 3)
    _rate(small[1], 4, 4)
    _rate(early, 5, 5, 5, 5)
    shared_first = _activity(hub, "Termly network", [])
    shared_second = _activity(hub, "Termly network catch-up", [], shared=shared_first.survey)
    _rate(shared_first, 4, 4, 4, 4)
    _rate(shared_second, 2)
    hidden = ["", "", "", "", "", "", "", "yes"]
    for fmt in ("csv", "xlsx"):
        summary = _hub_file(client, hub, "feedback-summary", fmt)
        if fmt == "xlsx":  # empty cells read back as None
            summary = [["" if c is None else c for c in row] for row in summary]
        by_activity = _figures(summary, "name", breakdown="activity")
        assert by_activity["Big phonics day"][:2] == [5, 4.2]
        assert by_activity["Early language day"][:2] == [4, 5]
        assert by_activity["Termly network"][:2] == [4, 4]
        for name in ("Coaching pair", "Small group 1", "Small group 2", "Termly network catch-up"):
            assert by_activity[name] == hidden, (fmt, name)
        # Phonics: 7 ratings, but less the big day's 5 it gives away the pair's 2.
        # Early language: the two small groups' 4 ratings together are not a small group.
        assert _figures(summary, "name", breakdown="need area") == {
            "Early language": [8, 4.25, 0, 0, 2, 2, 4, "no"],
            "Systematic synthetic phonics": hidden,
            "Reading for pleasure": hidden,
        }, fmt
        waves = _figures(summary, "survey", breakdown="wave")
        # The shared survey's wave: 5 ratings, but less the network's 4 it gives away 1.
        assert waves["Feedback: Termly network"] == hidden
        assert waves["Feedback: Big phonics day"][:2] == [5, 4.2]
        # The Feedback page hides the same figures, row for row.
        page = client.get(f"/hubs/{hub.slug}/reports/feedback").text
        assert page_figures(page) == file_figures(summary), fmt
        assert waves["Feedback: Coaching pair"] == hidden
        activities = _hub_file(client, hub, "activities", fmt)
        if fmt == "xlsx":
            activities = [["" if c is None else c for c in row] for row in activities]
        assert _figures(activities, "title")["Coaching pair"] == hidden
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "Feedback ratings from anonymous surveys are left out where fewer than 3" in page


def test_the_outcome_figures_file_has_each_schools_figure_per_wave_and_the_hubs(client, hub, lead):
    from datetime import date

    from hubsurvey.surveys.services import create_survey
    from hubsurvey.surveys.waves import open_next_wave

    survey = create_survey(hub, "outcomes")
    first, second = (open_next_wave(survey, day) for day in (date(2026, 9, 7), date(2027, 1, 5)))
    pupils, share = [q for q in survey.questions if q.kind == "number"]
    sent = [(first, "Hill Primary", 30, 70), (first, "Moor Primary", 10, 50),
            (second, "Hill Primary", 30, 80), (second, "Moor Primary", 10, 90),
            (second, "Oak Primary", 60, 60)]  # fmt: skip
    for wave, school, count, percent in sent:
        response = make_response(survey, wave=wave, status="submitted", school_name=school)
        for question, value in ((pupils, count), (share, percent)):
            db.session.add(
                Answer(response_id=response.id, question_id=question.id, item=0, number=value)
            )
    db.session.commit()
    rows = _hub_file(client, hub, "outcome-figures")
    # Hub shares weighted by pupils: (30 * 70 + 10 * 50) / 40 = 65, and
    # (30 * 80 + 10 * 90 + 60 * 60) / 100 = 69; pupils added up: 40, then 100.
    assert [row[1:3] + row[5:] for row in rows[1:]] == [
        [first.label, "Hill Primary", "pupils", 30, 40], [first.label, "Hill Primary", "%", 70, 65],
        [first.label, "Moor Primary", "pupils", 10, 40], [first.label, "Moor Primary", "%", 50, 65],
        [second.label, "Hill Primary", "pupils", 30, 100],
        [second.label, "Hill Primary", "%", 80, 69],
        [second.label, "Moor Primary", "pupils", 10, 100],
        [second.label, "Moor Primary", "%", 90, 69],
        [second.label, "Oak Primary", "pupils", 60, 100],
        [second.label, "Oak Primary", "%", 60, 69],
    ]  # fmt: skip
    assert {row[0] for row in rows[1:]} == {survey.title}
    assert [row[3] for row in rows[1:3]] == [pupils.id, share.id]
    book = openpyxl.load_workbook(io.BytesIO(_download(client, hub, "outcome-figures", "xlsx")))
    sheet = book.worksheets[0]
    assert [sheet["G3"].value, sheet["H3"].value] == [0.7, 0.65]
    assert sheet["G3"].number_format == sheet["H3"].number_format == "0.0%"
    assert [sheet["G2"].value, sheet["H2"].value] == [30, 40]
    assert sheet["G2"].number_format == "#,##0"


HOSTILE_NAMES = [t for t in HOSTILE if t.strip() and not t.startswith(("\t", "\r"))]


def test_hostile_text_in_the_hub_files_keeps_one_row_per_record_and_is_never_a_formula(
    client, hub, lead, soffice, tmp_path
):
    """School names, activity titles, places and facilitators, and the schools' names on
    outcome figures: each record one row, in CSV (read by the csv module and by LibreOffice,
    also splitting on semicolons and tabs) and in XLSX (string cells, as typed)."""
    from hubsurvey.surveys.services import create_survey

    for n, text in enumerate(HOSTILE_NAMES):
        make_school(hub, f"{text} {n}")
        activity = _activity(hub, f"{text} {n}"[:160], ["Early language"], anonymous=False,
                             place=text[:200], facilitator=text[:120])  # fmt: skip
        _rate(activity, 4, comment=text)
    outcomes = create_survey(hub, "outcomes")
    number = next(q for q in outcomes.questions if q.kind == "number")
    for n, text in enumerate(HOSTILE_NAMES):
        response = make_response(outcomes, status="submitted", school_name=f"{text} {n}")
        db.session.add(Answer(response_id=response.id, question_id=number.id, item=0, number=n))
    db.session.commit()
    records = {
        "partner-schools": len(HOSTILE_NAMES),
        "activities": len(HOSTILE_NAMES),
        "feedback-summary": len(HOSTILE_NAMES) + 1 + 1,  # each activity, the need area, a wave
        "outcome-figures": len(HOSTILE_NAMES),
    }
    records["feedback-summary"] += len(HOSTILE_NAMES) - 1  # a wave per activity's survey
    files, paths = {}, []
    for what, count in records.items():
        files[what] = _download(client, hub, what, "csv")
        rows = _read_csv(files[what])
        assert len(rows) == 1 + count, what
        assert all(
            not LIVE.search(cell) for row in rows for cell in row if cell.__class__ is str
        ), what
        paths.append(tmp_path / f"{what}.csv")
        paths[-1].write_bytes(files[what])
        sheet = _hub_file(client, hub, what, "xlsx")
        assert len(sheet) == 1 + count
        cells = {_typed(c) for row in sheet for c in row}
        for n, text in enumerate(HOSTILE_NAMES):
            if what != "feedback-summary" or n == 0:
                assert any(isinstance(c, str) and c.startswith(text) for c in cells), (what, text)
    schools = _read_csv(files["partner-schools"])
    assert sorted(row[0] for row in schools[1:]) == sorted(
        safe(f"{t} {n}") for n, t in enumerate(HOSTILE_NAMES)
    )
    for book, (what, count) in zip(soffice(paths, "44"), records.items(), strict=True):
        assert book.active.max_row == 1 + count, what
        _no_formulas(book)
    for separators in ("44/59", "44/9"):
        for book, (what, count) in zip(soffice(paths, separators), records.items(), strict=True):
            assert book.active.max_row == 1 + count, (what, separators)
            _no_formulas(book)


def test_another_hubs_staff_cannot_download_the_hub_files(app, hub):
    make_school(hub, "Hill Primary")
    other = make_hub("South Hub")
    outsider = app.test_client()
    sign_in(outsider, make_user("south@hub.example", hubs=[other]))
    for what in ("partner-schools", "activities", "feedback-summary", "outcome-figures"):
        for fmt in ("csv", "xlsx"):
            response = outsider.get(f"/hubs/{hub.slug}/reports/export/{what}.{fmt}")
            assert response.status_code in (403, 404), (what, fmt)
            assert b"Hill Primary" not in response.data
    # Through their own hub's address, they get their own hub's schools only.
    rows = _read_csv(_download(outsider, other, "partner-schools", "csv"))
    assert rows[1:] == []
    assert db.session.scalar(db.select(db.func.count()).select_from(ExportRecord)) == 1


def test_the_hub_files_are_listed_recorded_and_audited(client, hub, lead):
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    for what in ("partner-schools", "activities", "feedback-summary", "outcome-figures"):
        for fmt in ("csv", "xlsx"):
            assert f"/hubs/{hub.slug}/reports/export/{what}.{fmt}" in page
            _download(client, hub, what, fmt)
    records = db.session.scalars(db.select(ExportRecord).order_by(ExportRecord.id)).all()
    assert [(r.what, r.fmt, r.survey_id) for r in records] == [
        (what, fmt, None)
        for what in ("partner-schools", "activities", "feedback-summary", "outcome-figures")
        for fmt in ("csv", "xlsx")
    ]
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)
    ).all()
    assert entries[0].target == f"hub {hub.id}: Leeds English Hub"
    assert entries[0].detail == "partner-schools as CSV; filters: none"
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "Partner schools (CSV)" in page and "Outcome figures (XLSX)" in page
