"""Every download of the Exports page, put together: its file name, and its CSV text or XLSX
workbook. The rows come from exports.py (responses, needs summary) and hub_exports.py (the
hub's own files); xlsx.py writes the workbooks; about.py says what each file holds."""

from collections.abc import Iterator
from datetime import datetime

from hubsurvey.models import Hub, Survey
from hubsurvey.reports import about, exports, headings, hub_exports
from hubsurvey.reports.summary import FACETS, Filters
from hubsurvey.reports.xlsx import ONE_DECIMAL, PERCENT, WHOLE, Column, Table, workbook

RESPONSE_FILES = ("responses-wide", "responses-long")
# The hub's own files: what builds their rows, their columns, and the data sheet's name.
HUB_FILES = {
    "partner-schools": (hub_exports.partner_rows, hub_exports.PARTNER_COLUMNS, "Partner schools"),
    "activities": (hub_exports.activity_rows, hub_exports.ACTIVITY_COLUMNS, "Activities"),
    "feedback-summary": (hub_exports.feedback_rows, hub_exports.FEEDBACK_COLUMNS, "Feedback"),
    "outcome-figures": (hub_exports.outcome_rows, hub_exports.OUTCOME_COLUMNS, "Outcome figures"),
}
FILES = (*RESPONSE_FILES, "summary", *HUB_FILES)
SUMMARY_COLUMNS = [
    Column("group", "Group"),
    Column("need_area", "Need area"),
    Column("rank", "Rank"),
    Column("respondents", "Respondents"),
    Column("mean_confidence", "Mean confidence (1 to 5)", ONE_DECIMAL),
    Column("low_confidence_share", "Low confidence (1 or 2)", PERCENT),
    Column("priority_share", "A priority", PERCENT),
    Column("need_score", "Need score (0 to 100)", WHOLE),
    Column("suppressed", "Not shown (small group)"),
]


def file_name(
    hub: Hub, what: str, fmt: str, survey: Survey | None, filters: Filters | None, made: datetime
) -> str:
    """What the file is of (the survey, or the hub), what it holds, its filters, the day."""
    if what == "summary":
        subject = survey.title if survey else hub.name
        return about.file_name(subject, "needs-summary", about.filter_parts(filters), made, fmt)
    return about.file_name(survey.title if survey else hub.name, what, [], made, fmt)


def csv_chunks(
    hub: Hub, what: str, survey_id: int | None, filters: Filters | None
) -> Iterator[str]:
    """The CSV file. Response files are read as they are written, in batches; the others,
    a few hundred rows at most, are made at once, while the request's session is open."""
    if what == "responses-long":
        return exports.long_csv(survey_id)  # long_rows, encoded faster
    if what == "responses-wide":
        return exports.csv_chunks(exports.wide_rows(survey_id))
    if what == "summary":
        rows = list(exports.summary_rows(hub, filters))
    else:
        rows = HUB_FILES[what][0](hub)
    return exports.csv_chunks(rows)


def xlsx_path(
    hub: Hub,
    what: str,
    survey: Survey | None,
    filters: Filters | None,
    made: datetime,
    waves_note: str = "",
) -> str:
    """The XLSX workbook, written to a temporary file whose path is returned (the caller
    streams, then deletes it). `waves_note`: which waves a needs summary reads."""
    if what in RESPONSE_FILES:
        wide = what == "responses-wide"
        plan = exports.release(survey.id)
        if wide:
            columns = headings.wide_table_columns(survey)
            key = headings.wide_key(survey, columns)
            rows = exports.wide_rows(survey.id, plan, excel=True)
        else:
            columns, key = headings.long_table_columns(survey), headings.long_key(survey)
            rows = exports.long_rows(survey.id, plan, excel=True)
        next(rows)  # the CSV headings: the columns name them
        name = "Responses" if wide else "Answers"
        data = Table(name, columns, rows)
        return workbook(data, key, about.response_about(hub, survey, plan, wide, made))
    if what == "summary":
        columns = SUMMARY_COLUMNS
        if filters.by:  # the group column is named by the breakdown
            columns = [Column("group", FACETS[filters.by][0]), *SUMMARY_COLUMNS[1:]]
        rows = list(exports.summary_rows(hub, filters, excel=True))[1:]
        data = Table("Needs summary", columns, rows)
        return workbook(data, None, about.summary_about(hub, filters, waves_note, made))
    build, columns, name = HUB_FILES[what]
    data = Table(name, columns, build(hub, excel=True)[1:])
    return workbook(data, None, about.hub_about(hub, what, made))
