"""Exports: the rows of the response files (wide and long) and of the needs summary, and the
CSV writer every file uses. The XLSX writer is xlsx.py; downloads.py puts each file together.

Rows are read in batches and written as they come, so a million answers never sit in memory.
The rows hold values as they were typed; each writer makes them safe for its format. CSV
quotes every text cell and defuses formulas (see safe); XLSX writes text as string cells,
which a spreadsheet never runs. Numbers stay numbers. Responses excluded in review are left
out, and files of anonymous surveys single no one out (see anonymity.py and
ResponseRelease). The columns are described in docs/exports.md."""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased

from hubsurvey.audit import services as audit
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
from hubsurvey.reports.anonymity import Profile, generalise
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.reports.xlsx import uk_time
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

BATCH = 2000
# A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a
# formula. Where a spreadsheet may start a cell inside a cell's text: at the start of each line (a
# program that ignores the quotes splits rows there) and after a semicolon or a tab (a program
# told to split on those, as Excel is in much of Europe, starts a new cell there).
_FORMULA = re.compile(r"(?:^|(?<=[\r\n;\t]))(?=[=+\-@\t\r])")
# Text without any of these needs no change: one quick search decides for most cells.
_WORTH_A_LOOK = re.compile(r"^[=+\-@]|[\r\n;\t\0]")
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
    """A CSV cell as it can be opened safely: an apostrophe goes before a formula character
    that starts the text, a line in it, or a part after a semicolon or a tab. A NUL, which
    no spreadsheet keeps, is dropped. Anything but text is returned as it is."""
    if not isinstance(value, str) or not _WORTH_A_LOOK.search(value):
        return value
    return _FORMULA.sub("'", value.replace("\0", ""))


def slug(text: str, length: int = 30) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:length].rstrip("_")


def record(hub: Hub, user: User, survey: Survey | None, what: str, fmt: str, filters: str) -> None:
    """Keep the export in the hub's list of exports and in the audit log, in one transaction."""
    db.session.add(
        ExportRecord(hub=hub, user=user, survey=survey, what=what, fmt=fmt, filters=filters[:500])
    )
    target = f"survey {survey.id}: {survey.title}" if survey else f"hub {hub.id}: {hub.name}"
    audit.record(
        "export",
        hub=hub,
        target=target,
        detail=f"{what} as {fmt.upper()}; filters: {filters or 'none'}",
        user=user,
    )
    db.session.commit()


def _exported(survey_id: int) -> tuple:
    """Which responses an export holds: sent ones, not excluded in review."""
    return (
        Response.survey_id == survey_id,
        Response.status == "submitted",
        Response.excluded.is_(False),
    )


def _same_snapshot() -> None:
    """Let an export's reads (who is in the file, then their answers) see the database as it
    was at one moment, so a response sent or excluded meanwhile cannot upset the counts that
    keep an anonymous file safe. SQLite does this already: a page's read transaction reads one
    snapshot. PostgreSQL needs REPEATABLE READ, which can only be chosen before the first read
    of a transaction (the view has committed the export's record by then)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    from psycopg.pq import TransactionStatus

    if connection.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _answers(survey: Survey) -> Iterator[list[tuple]]:
    """Every exported answer of the survey, in response order, with what the export needs, in
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
        .where(*_exported(survey.id))
        .order_by(Response.id, Section.position, Question.position, Answer.item)
    )
    return _plain_batches(query, "answers_export")


def _plain_batches(query, name: str) -> Iterator[list[tuple]]:
    """The rows of an export's query, in batches of plain tuples from the database driver.
    Its only values are a survey's id and constants, so they can be written into the SQL."""
    connection = db.session.connection()
    sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.dbapi_connection
    # On PostgreSQL a named cursor is a server-side one: rows come a batch at a time.
    named = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name=name) if named else driver.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def _words(stored: tuple) -> Profile:
    """A response's stored profile (school name, URN, phase, role, career stage, subject,
    activity title) as the file writes it."""
    school, urn, phase, role, stage, subject, activity = stored
    return (
        school or "", urn or "", PHASES.get(phase, ""), RESPONDENT_ROLES.get(role, ""),
        CAREER_STAGES.get(stage, ""), SUBJECTS.get(subject, ""), activity or "",
    )  # fmt: skip


@dataclass(frozen=True)
class ResponseRelease:
    """What a response export writes of each response's profile and time. Named surveys:
    everything, with times. Anonymous ones: profiles generalised so that each is shared by at
    least the hub's smallest group of the file's responses, and dates without times."""

    anonymous: bool
    smallest_group: int
    # Stored profile -> the words written, or None to leave the response out (anonymous only).
    written: dict[tuple, Profile | None]
    responses: int = 0  # responses in the file
    generalised: int = 0  # of which some profile values are blank
    withheld: int = 0  # responses left out: fewer than the smallest group were sent

    def profile(self, stored: tuple) -> Profile | None:
        if not self.anonymous:
            return _words(stored)
        # A response the counts did not see is left out rather than risked.
        return self.written.get(stored)

    def time(self, value) -> str:
        """The time a response was sent, as the CSV files write it: UTC text."""
        if value is None:
            return ""
        if isinstance(value, str):  # SQLite
            return value[: 10 if self.anonymous else 19]
        if self.anonymous:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")

    def excel_time(self, value) -> datetime | date | None:
        """The time a response was sent, as the XLSX files write it: a date and time in the
        UK (summer time included), or the date alone in anonymous surveys."""
        when = uk_time(value)
        if when is None or not self.anonymous:
            return when
        return when.date()


def release(survey_id: int) -> ResponseRelease:
    """Work out what the survey's response exports may write of each profile, from one
    grouped count of the exported responses' profiles."""
    _same_snapshot()
    survey = db.session.get(Survey, survey_id)
    k = survey.hub.smallest_group
    if not survey.anonymous:
        return ResponseRelease(anonymous=False, smallest_group=k, written={})
    school = aliased(School)
    stored = (
        Response.school_name,
        school.urn,
        Response.phase,
        Response.role,
        Response.career_stage,
        Response.subject,
        Activity.title,
    )
    query = (
        db.select(*stored, func.count())
        .outerjoin(school, school.id == Response.school_id)
        .outerjoin(Activity, Activity.id == Response.activity_id)
        .where(
            *_exported(survey_id),
            # A response with no answers has no row in the files, so it hides no one.
            db.select(Answer.response_id).where(Answer.response_id == Response.id).exists(),
        )
        .group_by(*stored)
    )
    # Generalised as stored, codes and all (each code has its own words, so a profile shared
    # by k as stored is shared by k as written), then put into words once per profile written.
    stored_as, counts = {}, {}
    for batch in _plain_batches(query, "profiles_export"):
        for *raw, count in batch:
            values = tuple(value or "" for value in raw)
            stored_as[tuple(raw)] = values
            counts[values] = counts.get(values, 0) + count
    written_as = generalise(counts, k)
    words = {values: _words(values) for values in set(written_as.values()) if values}
    return ResponseRelease(
        anonymous=True,
        smallest_group=k,
        written={raw: words.get(written_as[values]) for raw, values in stored_as.items()},
        responses=sum(n for p, n in counts.items() if written_as[p] is not None),
        generalised=sum(n for p, n in counts.items() if written_as[p] not in (p, None)),
        withheld=sum(n for p, n in counts.items() if written_as[p] is None),
    )


def _profile(row, plan: ResponseRelease, excel: bool) -> list | None:
    """The profile cells of a response (made once per response), or None to leave it out."""
    written = plan.profile(row[3:10])  # the profile and the activity's title
    if written is None:
        return None
    # A participant id links one person's responses across files, each generalised on its
    # own: anonymous files leave it out.
    participant = "" if plan.anonymous else row[10] or ""
    sent = plan.excel_time(row[2]) if excel else plan.time(row[2])
    return [row[0], row[1], sent, *written, participant]


def _long_parts(
    survey_id: int, plan: ResponseRelease | None = None, excel: bool = False
) -> Iterator[tuple]:
    """Each answer as (profile, question, item, answer, priority), as typed. The profile list
    is shared by a response's answers and the question tuple by every answer to the question,
    so that long_csv can encode each of them once. For an XLSX file (excel), times are UK
    dates and times rather than UTC text."""
    if plan is None:
        plan = release(survey_id)
    # Loaded here, not passed in: the rows are made while the response streams, after the
    # view's own database session has ended.
    survey = db.session.get(Survey, survey_id)
    # What each question contributes to every row, worked out once, not per answer.
    questions = {
        q.id: (
            q.kind,
            (q.id, q.prompt),
            q.options,
            q.kind in ("scale", "rating") or bool(q.settings.get("integer")),
        )
        for q in survey.questions
    }
    areas = {a.id: a.name for q in survey.questions for a in q.grid_areas}
    current, profile = None, None
    for batch in _answers(survey):
        for row in batch:
            if row[0] != current:
                current, profile = row[0], _profile(row, plan, excel)
            if profile is None:
                continue
            kind, question, options, whole = questions[row[11]]
            item, number, text = row[12], row[13], row[14]
            if kind == "single":
                yield profile, question, "", options[int(number)], ""
            elif kind == "multiple":
                yield profile, question, options[item - 1], 1, ""
            elif kind == "needs_grid":
                yield profile, question, areas.get(item, item), int(number), 1 if row[15] else 0
            elif kind in ("short_text", "long_text"):
                yield profile, question, "", text, ""
            else:
                answer = "" if number is None else int(number) if whole else number
                yield profile, question, "", answer, ""


def long_rows(
    survey_id: int, plan: ResponseRelease | None = None, excel: bool = False
) -> Iterator[list]:
    """One row per answer: the respondent's profile, then the question, item and answer."""
    yield LONG_HEADINGS
    for profile, question, item, answer, priority in _long_parts(survey_id, plan, excel):
        yield [*profile, *question, item, answer, priority]


def long_csv(survey_id: int) -> Iterator[str]:
    """long_rows as csv_chunks writes them, in chunks. A response's profile, each question and
    each item are encoded once, not on every answer's row, so a million answers take seconds."""
    encode = _cell_encoder()
    lines = ["\ufeff" + encode(*LONG_HEADINGS) + "\r\n"]
    last_profile, profile_text, questions, cells = None, "", {}, {}
    for profile, question, item, answer, priority in _long_parts(survey_id):
        if profile is not last_profile:
            last_profile, profile_text = profile, encode(*profile)
        if question not in questions:
            questions[question] = encode(*question)
        if item not in cells:
            cells[item] = encode(item)
        if priority not in cells:
            cells[priority] = encode(priority)
        answer = _quoted(answer) if isinstance(answer, str) else answer
        lines.append(
            f"{profile_text},{questions[question]},{cells[item]},{answer},{cells[priority]}\r\n"
        )
        if len(lines) == BATCH:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def _csv_writer(buffer, **options):
    # Every text cell in quotes, even one without a comma: a program that also splits on
    # semicolons or tabs then keeps "x;y" in one cell, and a line break never ends a row.
    return csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, **options)


def _csv_cell(cell):
    if isinstance(cell, str):
        return safe(cell)
    if isinstance(cell, bool):
        return int(cell)
    return "" if cell is None else cell


def _quoted(text: str) -> str:
    """One text cell exactly as the csv module writes it with _csv_writer, only faster."""
    return '"' + safe(text).replace('"', '""') + '"'


def _cell_encoder():
    """encode(*cells): the cells as one CSV line without its line ending, as csv_chunks
    writes them."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer, lineterminator="")

    def encode(*cells) -> str:
        writer.writerow([_csv_cell(cell) for cell in cells])
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


def wide_rows(
    survey_id: int, plan: ResponseRelease | None = None, excel: bool = False
) -> Iterator[list]:
    """One row per response: its profile, then a column per question (per option of a
    multiple-choice question, 1 or 0; per need area of a grid, confidence and priority)."""
    if plan is None:
        plan = release(survey_id)
    survey = db.session.get(Survey, survey_id)  # see _long_parts
    columns = wide_columns(survey)
    questions = {q.id: q for q in survey.questions}
    multiple = {q.id for q in questions.values() if q.kind == "multiple"}
    yield PROFILE_HEADINGS + [heading for heading, _q, _i in columns]
    current, profile, cells = None, None, {}
    for row in (row for batch in _answers(survey) for row in batch):
        if row[0] != current:
            if profile is not None:
                yield _wide_row(profile, cells, columns, multiple)
            current, profile, cells = row[0], _profile(row, plan, excel), {}
        if profile is None:
            continue
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
    if profile is not None:
        yield _wide_row(profile, cells, columns, multiple)


def _wide_row(profile: list, cells: dict, columns: list, multiple: set) -> list:
    # An option not chosen is a 0, but only if the question was answered at all.
    answered = {q for (q, _i) in cells}
    row = list(profile)
    for _heading, question_id, item in columns:
        default = 0 if question_id in multiple and question_id in answered else ""
        row.append(cells.get((question_id, item), default))
    return row


def sent_counts(hub: Hub) -> dict[int, int]:
    """How many responses each of the hub's surveys would export, by survey id."""
    return dict(
        db.session.execute(
            db.select(Response.survey_id, func.count())
            .join(Survey, Survey.id == Response.survey_id)
            .where(
                Survey.hub_id == hub.id,
                Response.status == "submitted",
                Response.excluded.is_(False),
            )
            .group_by(Response.survey_id)
        ).all()
    )


def summary_rows(hub: Hub, filters: Filters, excel: bool = False) -> Iterator[list]:
    """One row per need area, per group when broken down; suppressed figures left empty.
    In an XLSX file (excel) the need score is rounded as the summary page shows it."""
    yield SUMMARY_HEADINGS
    for r in needs_summary(hub, filters):
        if r.suppressed:
            yield [r.group or "", r.need_area.name, "", "", "", "", "", "", "yes"]
            continue
        yield [
            r.group or "", r.need_area.name, r.rank or "", r.respondents,
            round(r.mean_confidence, 2), round(r.low_share, 3), round(r.priority_share, 3),
            round(r.need_score) if excel else round(r.need_score, 1), "no",
        ]  # fmt: skip


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text in chunks, starting with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    buffer.write("\ufeff")
    rows = ([_csv_cell(cell) for cell in row] for row in rows)
    while batch := list(itertools.islice(rows, BATCH)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
