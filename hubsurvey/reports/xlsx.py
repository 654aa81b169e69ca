"""XLSX workbooks as a hub lead opens them in Excel: the data on the first sheet, with a frozen
header row, an autofilter and columns wide enough to read; then a sheet that says what each
column holds, when there is one; then "About this file".

Cells are typed: text as string cells, written exactly as typed and never run as a formula;
numbers as numbers, with a number format where one helps (shares as percentages); dates and
times as Excel dates. Rows are written as they come, so a large file never sits in memory."""

import itertools
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

UK = ZoneInfo("Europe/London")
PERCENT = "0%"
PERCENT_1DP = "0.0%"
ONE_DECIMAL = "0.0"
WHOLE = "0"
THOUSANDS = "#,##0"
DATE = "d mmm yyyy"
DATE_TIME = "d mmm yyyy hh:mm"
DATE_TIME_LONG = "d mmmm yyyy hh:mm"
# Rows read before the first is written, to size the columns to what they hold.
SAMPLE = 200
NARROWEST, WIDEST = 8, 60


@dataclass(frozen=True)
class Column:
    """A column of an export: its name in the CSV file, its heading in the XLSX file, and the
    number format of its numbers there (None: as they are)."""

    name: str
    heading: str
    number_format: str | None = None


@dataclass(frozen=True)
class Formatted:
    """A number with a format of its own, in a column whose rows differ (an outcome figure
    is a share in one row and a count in the next)."""

    value: float
    number_format: str


@dataclass
class Table:
    """A sheet of the workbook: its name, columns and rows (the heading row is made from the
    columns)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def uk_time(value) -> datetime | None:
    """A time stored in UTC (a datetime, or text as SQLite returns it) as a wall-clock time
    in the UK, summer time included, for a spreadsheet cell (which holds no time zone)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC).astimezone(UK).replace(tzinfo=None)


def uk_now() -> datetime:
    return uk_time(datetime.now(UTC).replace(tzinfo=None))


def workbook(data: Table, key: Table | None, about: Sequence[tuple[str, object]]) -> str:
    """Write the workbook to a temporary file and return its path (the caller streams, then
    deletes it): the data sheet, the key to its columns if any, and "About this file"."""
    return sheets([data] if key is None else [data, key], about)


def sheets(tables: Sequence[Table], about: Sequence[tuple[str, object]] | None = None) -> str:
    """A workbook of several tables, each on its own sheet written as the data sheet is, then
    "About this file" when `about` is given; its path, as for workbook()."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            # Text is text: never turned into a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = _Formats(book)
    for table in tables:
        _table(book, formats, table)
    if about is not None:
        _about(book, formats, about)
    book.close()
    return path


class _Formats:
    """Each cell format once per workbook, as xlsxwriter wants."""

    def __init__(self, book):
        self.book, self.made = book, {}
        self.heading = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True, "valign": "top"})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})

    def number(self, number_format: str | None):
        if number_format is None:
            return None
        if number_format not in self.made:
            self.made[number_format] = self.book.add_format({"num_format": number_format})
        return self.made[number_format]


def _table(book, formats: _Formats, table: Table) -> None:
    sheet = book.add_worksheet(table.name[:31])
    columns = list(table.columns)
    rows = iter(table.rows)
    first = list(itertools.islice(rows, SAMPLE))
    widths = [_width(c.heading, [row[i] for row in first]) for i, c in enumerate(columns)]
    lines = max(
        (math.ceil(len(c.heading) / max(w - 2, 1)) for c, w in zip(columns, widths, strict=True)),
        default=1,
    )
    # In constant-memory mode a row's height must be set before its cells are written.
    sheet.set_row(0, 15 * min(lines, 6))
    for i, column in enumerate(columns):
        sheet.write_string(0, i, column.heading, formats.heading)
        sheet.set_column(i, i, widths[i])
    number_formats = [formats.number(c.number_format) for c in columns]
    last = 0
    for last, row in enumerate(itertools.chain(first, rows), start=1):
        for i, cell in enumerate(row):
            _cell(sheet, formats, last, i, cell, number_formats[i])
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, last, len(columns) - 1)


def _cell(sheet, formats: _Formats, r: int, c: int, cell, number_format) -> None:
    if cell is None or cell == "":
        return
    if isinstance(cell, Formatted):
        sheet.write_number(r, c, cell.value, formats.number(cell.number_format))
    elif isinstance(cell, bool):
        sheet.write_number(r, c, int(cell), number_format)
    elif isinstance(cell, int | float):
        sheet.write_number(r, c, cell, number_format)
    elif isinstance(cell, datetime):
        sheet.write_datetime(r, c, cell, formats.number(DATE_TIME))
    elif isinstance(cell, date):
        sheet.write_datetime(r, c, datetime(cell.year, cell.month, cell.day), formats.number(DATE))
    else:
        # No spreadsheet keeps a NUL; everything else is written as typed.
        sheet.write_string(r, c, str(cell).replace("\0", ""))


def _width(heading: str, cells: list) -> int:
    """A column wide enough for most of what it holds (long text wraps in Excel's own way),
    and for a short heading on one line."""
    widest = min(len(heading), 24)
    for cell in cells:
        if isinstance(cell, datetime):
            size = 17
        elif isinstance(cell, date):
            size = 11
        elif isinstance(cell, Formatted | int | float):
            size = 8
        elif cell:
            size = max(len(line) for line in str(cell).splitlines() or [""])
        else:
            size = 0
        widest = max(widest, size)
    return max(NARROWEST, min(widest + 2, WIDEST))


def _about(book, formats: _Formats, about: Sequence[tuple[str, object]]) -> None:
    sheet = book.add_worksheet("About this file")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    for r, (label, value) in enumerate(about):
        sheet.write_string(r, 0, label, formats.label)
        if isinstance(value, datetime):
            sheet.write_datetime(r, 1, value, formats.number(DATE_TIME_LONG))
        elif isinstance(value, int | float):
            sheet.write_number(r, 1, value)
        else:
            sheet.write_string(r, 1, str(value).replace("\0", ""), formats.wrapped)


def column_letter(index: int) -> str:
    return xl_col_to_name(index)
