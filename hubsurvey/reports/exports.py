"""Exports: responses wide and long, and the needs summary, as CSV or XLSX.

Rows are read in batches and written as they come, so a million answers never sit in memory.
Every cell that is text and starts like a formula is defused; numbers stay numbers.
The columns are described in docs/exports.md."""

import csv
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter
from sqlalchemy.orm import aliased

from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Answer,
    ExportRecord,
    Hub,
    Question,
    Response,
    School,
    Section,
    Survey,
    User,
    Wave,
)
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

BATCH = 2000
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PROFILE_HEADINGS = [
    "response_id", "wave", "submitted_at", "school", "school_urn", "phase", "role",
    "career_stage", "subject", "activity", "participant",
]  # fmt: skip
LONG_HEADINGS = [*PROFILE_HEADINGS, "question_id", "question", "item", "answer", "priority"]
SUMMARY_HEADINGS = [
    "group", "need_area", "rank", "respondents", "mean_confidence", "low_confidence_share",
    "priority_share", "need_score", "suppressed",
]  # fmt: skip


def safe(value):
    """A cell as it can be opened safely: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def slug(text: str, length: int = 30) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:length].rstrip("_")


def record(hub: Hub, user: User, survey: Survey | None, what: str, fmt: str, filters: str):
    db.session.add(
        ExportRecord(hub=hub, user=user, survey=survey, what=what, fmt=fmt, filters=filters[:500])
    )
    db.session.commit()


def _answers(survey: Survey) -> Iterator[list[tuple]]:
    """Every sent answer of the survey, in response order, with what the export needs, in
    batches of plain tuples straight from the database driver: a million answers made into
    SQLAlchemy rows would cost more than the query itself."""
    school = aliased(School)
    query = (
        db.select(
            Response.id,
            Wave.label,
            Response.submitted_at,  # text from SQLite, a datetime from PostgreSQL
            Response.school_name,
            school.urn,
            Response.phase,
            Response.role,
            Response.career_stage,
            Response.subject,
            Activity.title,
            Response.participant_id,
            Answer.question_id,
            Answer.item,
            Answer.number,
            Answer.text,
            Answer.priority,  # 0 or 1 from SQLite, a bool from PostgreSQL
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .outerjoin(school, school.id == Response.school_id)
        .outerjoin(Activity, Activity.id == Response.activity_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Section, Section.id == Question.section_id)
        .where(Response.survey_id == survey.id, Response.status == "submitted")
        .order_by(Response.id, Section.position, Question.position, Answer.item)
    )
    connection = db.session.connection()
    # The only values are the survey's id and a constant, so they can be written into the SQL.
    sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.dbapi_connection
    # On PostgreSQL a named cursor is a server-side one: rows come a batch at a time.
    named = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name="answers_export") if named else driver.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def _timestamp(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:19]
    return value.isoformat(sep=" ", timespec="seconds")


def _profile(row) -> list:
    """The profile cells of a response, already safe to open (made once per response)."""
    return [
        row[0], safe(row[1]), _timestamp(row[2]),
        safe(row[3]), row[4] or "", PHASES.get(row[5], ""), RESPONDENT_ROLES.get(row[6], ""),
        CAREER_STAGES.get(row[7], ""), SUBJECTS.get(row[8], ""), safe(row[9] or ""), row[10] or "",
    ]  # fmt: skip


def _long_parts(survey_id: int) -> Iterator[tuple]:
    """Each answer as (profile, question, item, answer, priority), every cell safe to open.
    The profile list is shared by a response's answers and the question tuple by every answer
    to the question, so that long_csv can encode each of them once."""
    # Loaded here, not passed in: the rows are made while the response streams, after the
    # view's own database session has ended.
    survey = db.session.get(Survey, survey_id)
    # What each question contributes to every row, worked out once, not per answer.
    questions = {
        q.id: (
            q.kind,
            (q.id, safe(q.prompt)),
            [safe(o) for o in q.options],
            q.kind in ("scale", "rating") or bool(q.settings.get("integer")),
        )
        for q in survey.questions
    }
    areas = {a.id: safe(a.name) for q in survey.questions for a in q.grid_areas}
    current, profile = None, None
    for batch in _answers(survey):
        for row in batch:
            if row[0] != current:
                current, profile = row[0], _profile(row)
            kind, question, options, whole = questions[row[11]]
            item, number, text = row[12], row[13], row[14]
            if kind == "single":
                yield profile, question, "", options[int(number)], ""
            elif kind == "multiple":
                yield profile, question, options[item - 1], 1, ""
            elif kind == "needs_grid":
                yield profile, question, areas.get(item, item), int(number), 1 if row[15] else 0
            elif kind in ("short_text", "long_text"):
                yield profile, question, "", safe(text), ""
            else:
                answer = "" if number is None else int(number) if whole else number
                yield profile, question, "", answer, ""


def long_rows(survey_id: int) -> Iterator[list]:
    """One row per answer: the respondent's profile, then the question, item and answer."""
    yield LONG_HEADINGS
    for profile, question, item, answer, priority in _long_parts(survey_id):
        yield [*profile, *question, item, answer, priority]


def long_csv(survey_id: int) -> Iterator[str]:
    """long_rows as CSV text, in chunks. The csv module encodes a response's profile once and
    each question and item once, not on every answer's row, so a million answers take seconds."""
    encode = _cell_encoder()
    lines = ["\ufeff" + encode(*LONG_HEADINGS) + "\r\n"]
    last_profile, profile_text, questions, items = None, "", {}, {}
    for profile, question, item, answer, priority in _long_parts(survey_id):
        if profile is not last_profile:
            last_profile, profile_text = profile, encode(*profile)
        if question not in questions:
            questions[question] = encode(*question)
        if item not in items:
            items[item] = encode(item)
        answer = encode(answer) if isinstance(answer, str) else answer
        lines.append(f"{profile_text},{questions[question]},{items[item]},{answer},{priority}\r\n")
        if len(lines) == BATCH:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def _cell_encoder():
    """encode(*cells): the cells as one CSV line without its line ending, as csv_chunks
    writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")

    def encode(*cells) -> str:
        if cells == ("",):
            return ""  # the csv module writes a lone empty cell as ""
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    return encode


def _number(question: Question, value):
    if value is None:
        return ""
    whole = question.kind in ("scale", "rating") or question.settings.get("integer")
    return int(value) if whole else value


def wide_columns(survey: Survey) -> list[tuple[str, int, int | None]]:
    """(heading, question id, item or None) for each answer column, in question order."""
    columns = []
    for number, question in enumerate(survey.questions, start=1):
        base = f"q{number}_{slug(question.prompt)}"
        if question.kind == "multiple":
            columns += [
                (f"{base}__{slug(o, 30)}", question.id, i + 1)
                for i, o in enumerate(question.options)
            ]
        elif question.kind == "needs_grid":
            for area in question.grid_areas:
                columns.append((f"{base}__{slug(area.name, 40)}__confidence", question.id, area.id))
                columns.append((f"{base}__{slug(area.name, 40)}__priority", question.id, -area.id))
        else:
            columns.append((base, question.id, None))
    return columns


def wide_rows(survey_id: int) -> Iterator[list]:
    """One row per response: its profile, then a column per question (per option of a
    multiple-choice question, 1 or 0; per need area of a grid, confidence and priority)."""
    survey = db.session.get(Survey, survey_id)  # see long_rows
    columns = wide_columns(survey)
    questions = {q.id: q for q in survey.questions}
    multiple = {q.id for q in questions.values() if q.kind == "multiple"}
    yield PROFILE_HEADINGS + [heading for heading, _q, _i in columns]
    current, profile, cells = None, None, {}
    for row in (row for batch in _answers(survey) for row in batch):
        if row[0] != current:
            if current is not None:
                yield _wide_row(profile, cells, columns, multiple)
            current, profile, cells = row[0], _profile(row), {}
        question = questions[row[11]]
        item, number, text, priority = row[12], row[13], row[14], row[15]
        if question.kind == "multiple":
            cells[(question.id, item)] = 1
        elif question.kind == "needs_grid":
            cells[(question.id, item)] = int(number)
            cells[(question.id, -item)] = 1 if priority else 0
        elif question.kind == "single":
            cells[(question.id, None)] = question.options[int(number)]
        elif question.kind in ("short_text", "long_text"):
            cells[(question.id, None)] = text
        else:
            cells[(question.id, None)] = _number(question, number)
    if current is not None:
        yield _wide_row(profile, cells, columns, multiple)


def _wide_row(profile: list, cells: dict, columns: list, multiple: set) -> list:
    # An option not chosen is a 0, but only if the question was answered at all.
    answered = {q for (q, _i) in cells}
    row = list(profile)
    for _heading, question_id, item in columns:
        default = 0 if question_id in multiple and question_id in answered else ""
        row.append(cells.get((question_id, item), default))
    return row


def summary_rows(hub: Hub, filters: Filters) -> Iterator[list]:
    """One row per need area, per group when broken down; suppressed figures left empty."""
    yield SUMMARY_HEADINGS
    for r in needs_summary(hub, filters):
        if r.suppressed:
            yield [r.group or "", r.need_area.name, "", "", "", "", "", "", "yes"]
            continue
        yield [
            r.group or "", r.need_area.name, r.rank or "", r.respondents,
            round(r.mean_confidence, 2), round(r.low_share, 3), round(r.priority_share, 3),
            round(r.need_score, 1), "no",
        ]  # fmt: skip


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text in chunks, starting with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    rows = ([safe(cell) for cell in row] for row in rows)
    while batch := list(itertools.islice(rows, BATCH)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def xlsx_file(rows: Iterable[list], sheet: str) -> str:
    """An XLSX file on disk (the caller streams then deletes it), written row by row."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r == 0:
                worksheet.write_string(r, c, cell, bold)
            elif isinstance(cell, bool):
                worksheet.write_number(r, c, int(cell))
            elif isinstance(cell, int | float):
                worksheet.write_number(r, c, cell)
            elif cell is None or cell == "":
                continue
            else:
                worksheet.write_string(r, c, safe(str(cell)))
    workbook.close()
    return path
