"""XLSX files ready for Excel, read back cell by cell with openpyxl: readable headings, a frozen
header row, an autofilter and column widths; the Questions sheet; the About sheet; dates and
times as Excel dates in UK time across the clock changes; shares as percentages and need scores
rounded as the page shows them."""

import io
from datetime import UTC, datetime

import openpyxl
import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.reports.xlsx import UK


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    return hub


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))


def _book(client, hub, what, fmt="xlsx", **args) -> openpyxl.Workbook:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    with client.get(f"/hubs/{hub.slug}/reports/export/{what}.{fmt}?{query}") as response:
        assert response.status_code == 200
        return openpyxl.load_workbook(io.BytesIO(response.data))


def _values(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _csv_heading(client, hub, what, **args) -> list[str]:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    with client.get(f"/hubs/{hub.slug}/reports/export/{what}.csv?{query}") as response:
        first = response.data.decode("utf-8")[1:].split("\r\n")[0]
    return [cell.strip('"') for cell in first.split(",")]


def _about(book) -> dict:
    return {row[0].value: row[1].value for row in book["About this file"].iter_rows()}


def _sent(survey, when: datetime, **fields):
    response = make_needs_response(survey, **fields)
    response.submitted_at = when
    db.session.commit()
    return response


# The response files


def test_the_wide_file_has_readable_headings_and_a_key_to_every_column(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    hill = make_school(hub, "Hill Primary", urn="100001")
    _sent(
        survey,
        datetime(2026, 1, 12, 9, 30),
        school=hill,
        extra={"Formats?": [(1, 1, None)], "Years in phase?": [(0, 2, None)]},
    )
    book = _book(client, hub, "responses-wide", survey=survey.id)
    assert book.sheetnames == ["Responses", "Questions", "About this file"]
    sheet = book["Responses"]
    heading = [c.value for c in sheet[1]]
    assert heading[:11] == [
        "Response", "Wave", "Sent (UK time)", "School", "School URN", "Phase", "Role",
        "Career stage", "Subject", "Activity", "Participant",
    ]  # fmt: skip
    # Questions by their place in the survey, as the CSV columns' q<n>, and their words.
    assert heading[11:14] == [
        "Q1 Early language: confidence",
        "Q1 Early language: a priority",
        "Q1 Systematic synthetic phonics: confidence",
    ]
    assert "Q2 Years in phase?" in heading
    assert heading.index("Q3 Formats?: Online") + 2 == heading.index("Q3 Formats?: In school")
    assert "Q4 Confidence with phonics?" in heading

    # A frozen heading row, an autofilter over every row and column, readable widths.
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(heading))
    assert sheet.auto_filter.ref == f"A1:{last}2"
    widths = {
        letter: sheet.column_dimensions[letter].width
        for letter in (openpyxl.utils.get_column_letter(i + 1) for i in range(len(heading)))
    }
    assert all(8 <= width <= 61 for width in widths.values()), widths
    assert widths["D"] >= len("Hill Primary") and widths["I"] >= len("All subjects (primary)")
    assert [c.font.b for c in sheet[1]] == [True] * len(heading)

    # The Questions sheet: one row per column, in order, with the CSV column's name and the
    # question in full.
    key = _values(book["Questions"])
    assert key[0] == [
        "Column", "Heading", "CSV column", "Question", "Section", "Question in full", "Type",
        "Option or need area", "What the cell holds",
    ]  # fmt: skip
    assert [row[1] for row in key[1:]] == heading
    assert [row[2] for row in key[1:]] == _csv_heading(
        client, hub, "responses-wide", survey=survey.id
    )
    assert [row[0] for row in key[1:4]] == ["A", "B", "C"]
    online = key[1 + heading.index("Q3 Formats?: Online")]
    assert online[3:] == [
        "Q3", "Section 2: Your teaching", "Formats?", "Multiple choice", "Online",
        "1 if chosen, 0 if not; empty if the question was not answered",
    ]  # fmt: skip
    years = key[1 + heading.index("Q2 Years in phase?")]
    assert years[6:] == ["Single choice", "0-2 · 3-5 · 6+", "The chosen answer's words"]
    scale = key[1 + heading.index("Q4 Confidence with phonics?")]
    assert scale[-1] == "1 to 5: 1 = Very low, 5 = Very high"
    assert sheet.cell(2, heading.index("Q3 Formats?: Online") + 1).value == 1


def test_a_long_question_is_shortened_in_its_heading_and_whole_in_the_key(client, hub, lead):
    long_words = "Thinking about the last half term, how often have you used retrieval practice?"
    survey = make_survey(
        hub,
        {
            "title": "Practice",
            "sections": [
                {"title": "Grid", "questions": [{"kind": "needs_grid", "prompt": "Confidence?"}]},
                {"title": "Habits", "questions": [{"kind": "short_text", "prompt": long_words}]},
            ],
        },
        anonymous=False,
    )
    _sent(survey, datetime(2026, 1, 12, 9, 30), extra={long_words: [(0, None, "Weekly")]})
    book = _book(client, hub, "responses-wide", survey=survey.id)
    heading = [c.value for c in book.worksheets[0][1]]
    assert heading[-1] == "Q2 Thinking about the last half term, how…"
    assert _values(book["Questions"])[-1][5] == long_words
    long_book = _book(client, hub, "responses-long", survey=survey.id)
    assert long_book.sheetnames == ["Answers", "Questions", "About this file"]
    key = _values(long_book["Questions"])
    assert key[0][:4] == ["Question ID", "Question", "Section", "Question in full"]
    assert key[2][:4] == [survey.questions[1].id, "Q2", "Section 2: Habits", long_words]
    assert long_book["Answers"].freeze_panes == "A2"


def test_times_are_uk_times_either_side_of_the_clock_changes(client, hub, lead):
    """Stored in UTC; Excel gets UK wall-clock times: GMT in winter, BST (UTC+1) in summer.
    The clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October."""
    survey = make_survey(hub, anonymous=False)
    sent = {
        datetime(2026, 3, 29, 0, 30): datetime(2026, 3, 29, 0, 30),  # GMT
        datetime(2026, 3, 29, 1, 30): datetime(2026, 3, 29, 2, 30),  # BST has begun
        datetime(2026, 10, 25, 0, 30): datetime(2026, 10, 25, 1, 30),  # still BST
        datetime(2026, 10, 25, 1, 30): datetime(2026, 10, 25, 1, 30),  # GMT again
        datetime(2026, 7, 1, 23, 15): datetime(2026, 7, 2, 0, 15),  # the next day in the UK
    }
    ids = {_sent(survey, utc).id: uk for utc, uk in sent.items()}
    for what in ("responses-wide", "responses-long"):
        sheet = _book(client, hub, what, survey=survey.id).worksheets[0]
        heading = [c.value for c in sheet[1]]
        column = heading.index("Sent (UK time)") + 1
        seen = {}
        for r in range(2, sheet.max_row + 1):
            cell = sheet.cell(r, column)
            assert cell.is_date and cell.number_format == "d mmm yyyy hh:mm", what
            seen[sheet.cell(r, 1).value] = cell.value
        assert seen == ids, what
    # The CSV keeps the stored UTC time, as docs/exports.md says.
    with client.get(f"/hubs/{hub.slug}/reports/export/responses-wide.csv?survey={survey.id}") as r:
        text = r.data.decode("utf-8")
    assert '"2026-03-29 01:30:00"' in text and '"2026-07-01 23:15:00"' in text


def test_anonymous_files_give_the_uk_date_only(client, hub, lead):
    survey = make_survey(hub)
    for _ in range(2):
        _sent(survey, datetime(2026, 7, 1, 23, 15))  # 00:15 on 2 July in the UK
    sheet = _book(client, hub, "responses-wide", survey=survey.id).worksheets[0]
    assert sheet["C1"].value == "Sent on (UK date)"
    assert [sheet.cell(r, 3).value for r in (2, 3)] == [datetime(2026, 7, 2)] * 2
    assert sheet["C2"].number_format == "d mmm yyyy"


def test_the_about_sheet_says_what_the_file_holds_and_which_rule_it_follows(client, hub, lead):
    hub.smallest_group = 3
    survey = make_survey(hub)
    for role in ("teacher", "teacher", "teacher", "senco"):
        _sent(survey, datetime(2026, 1, 12, 9, 30), role=role)
    before = datetime.now(UTC).astimezone(UK).replace(tzinfo=None, microsecond=0)
    book = _book(client, hub, "responses-long", survey=survey.id)
    after = datetime.now(UTC).astimezone(UK).replace(tzinfo=None)
    sheet = book["About this file"]
    assert [row[0].value for row in sheet.iter_rows()][:8] == [
        "File", "Hub", "Survey", "Waves", "Filters", "Breakdown", "Made (UK time)",
        "Small groups",
    ]  # fmt: skip
    about = _about(book)
    assert about["Hub"] == "Leeds English Hub"
    assert about["Survey"] == "Training needs (needs assessment, anonymous)"
    assert about["Waves"].startswith(f"Every wave: {survey.waves[0].label} (opened ")
    assert about["Filters"].startswith("None") and about["Breakdown"] == "None"
    made = sheet["B7"]
    assert made.is_date and before <= made.value <= after
    assert "fewer than 3 responses in this file" in about["Small groups"]
    assert "Sent on gives the date only" in about["Small groups"]
    assert sheet["A1"].font.b


# The needs summary


def test_the_summary_has_percentages_rounded_scores_and_says_its_filters(client, hub, lead):
    hub.smallest_group = 2
    survey = make_survey(hub)
    hill = make_school(hub, "Hill Primary")
    make_needs_response(survey, school=hill, grid=(1, 2, 3), priorities=(0,))
    make_needs_response(survey, school=hill, grid=(1, 4, 3))
    make_needs_response(survey, school=hill, grid=(2, 4, 3), priorities=(0, 1))
    make_needs_response(survey, role="headteacher", grid=(5, 5, 5))
    make_needs_response(survey, role="headteacher", grid=(5, 5, 5))
    book = _book(client, hub, "summary", survey=survey.id, role="teacher", by="school")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "School", "Need area", "Rank", "Respondents", "Mean confidence (1 to 5)",
        "Low confidence (1 or 2)", "A priority", "Need score (0 to 100)",
        "Not shown (small group)",
    ]  # fmt: skip
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    early = rows["Early language"]
    # Three teachers at Hill: confidence 1, 1, 2 (all low), two name it a priority.
    assert [c.value for c in early] == ["Hill Primary", "Early language", 1, 3, 1.33, 1, 0.667,
                                        83, "no"]  # fmt: skip
    assert early[5].number_format == "0%" and early[6].number_format == "0%"
    assert early[7].number_format == "0" and early[4].number_format == "0.0"
    # 50 * 1/3 + 50 * 1/3 = 33.3: shown as 33 on the page, and in the file.
    phonics = rows["Systematic synthetic phonics"]
    assert phonics[7].value == 33 == round(
        next(r for r in needs_summary(hub, Filters(survey=survey, values={"role": "teacher"}))
             if r.need_area.name == "Systematic synthetic phonics").need_score
    )  # fmt: skip
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I4"
    about = _about(book)
    assert about["Survey"] == "Training needs (needs assessment, anonymous)"
    assert about["Filters"] == "Role: Teacher"
    assert about["Breakdown"] == "By school"
    assert "fewer than 2 respondents" in about["Small groups"]
    assert about["Waves"]  # as the summary page says it
    assert book.sheetnames == ["Needs summary", "About this file"]


# The hub's own files


def test_hub_files_have_typed_cells_and_an_about_sheet(client, hub, lead):
    make_school(hub, "Hill Primary", urn="100001", status="active")
    book = _book(client, hub, "partner-schools")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "School", "URN", "Phase", "Local authority", "Trust", "Status",
        "Status updated (UK time)",
        "Headteacher", "Headteacher: role", "Headteacher: email", "Headteacher: phone",
        "Headteacher: stopped the hub's email",
        "Main contact", "Main contact: role", "Main contact: email", "Main contact: phone",
        "Main contact: stopped the hub's email",
    ]  # fmt: skip
    assert sheet["G2"].is_date and sheet["G2"].number_format == "d mmm yyyy hh:mm"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q2"
    about = _about(book)
    assert about["Hub"] == "Leeds English Hub"
    assert about["Small groups"] == "No figures from answers are in this file."
