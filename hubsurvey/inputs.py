"""Cleaning what browsers send, in one place, before any view or form sees it.

Control characters. A teacher pasting an answer from Word, a PDF or an email can bring
characters nobody can see: Word's manual line break (Shift+Enter) arrives as a vertical tab, a
page break as a form feed, and some tools leave NULs and other control codes behind. PostgreSQL
refuses a NUL in text and SQLite would keep it, so both databases must never be given one.
Refusing the whole page for a character the teacher cannot see, and so cannot find to delete,
would be unkind. So every value is cleaned instead, the same way for both databases:
- a vertical tab or form feed becomes a line break, which is what the writer meant;
- every other control character (C0 other than tab, line feed and carriage return; DEL; C1)
  is removed.
This applies to form values and names, query arguments and the values taken from the URL path
(codes and tokens), so a view, a form or a service only ever sees cleaned text. Request headers
(the browser's name, kept with a staff session) lose their C0 control characters and DEL too;
C1 is left alone there, as a header's bytes reach us as Latin-1 and may be part of UTF-8.
No view reads a JSON body.

Numbers. `str.isdigit()` is true for '²' and for other scripts' digits, which `int()` refuses
or reads differently, and `int()` refuses more than 4,300 digits. Ids and option numbers are
read here from plain digits 0-9 only, with a ceiling, and row ids in the URL path the same way,
so an odd number is a 404 or a message, never an error.
"""

import re
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

# The largest row id: PostgreSQL's `integer` primary keys stop here.
MAX_ROW_ID = 2**31 - 1
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_HEADER_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_DIGITS = re.compile("[0-9]{1,9}")


def clean_text(text: str) -> str:
    """Text without control characters: vertical tabs and form feeds become line breaks;
    tab, line feed and carriage return stay; all others are removed."""
    return _CONTROL.sub("", text.translate(_LINE_BREAKS))


def whole_number(text: str) -> int | None:
    """The number written in plain digits 0-9 (at most nine of them), or None."""
    return int(text) if _DIGITS.fullmatch(text) else None


def row_id(text: str) -> int:
    """An id from a query argument, for `request.args.get(name, type=row_id)`: anything that
    cannot be a row's id raises ValueError, so the argument reads as missing."""
    number = whole_number(text)
    if number is None or number > MAX_ROW_ID:
        raise ValueError("not an id")
    return number


class CleanedMultiDict(ImmutableMultiDict):
    """Form fields or query arguments with control characters taken out of names and values
    (uploaded files are left as they are)."""

    def __init__(self, mapping: Any = None) -> None:
        items = MultiDict(mapping).items(multi=True)
        super().__init__([(_clean(key), _clean(value)) for key, value in items])


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


class CleanedRequest(Request):
    """A request whose `form`, `args` and `values` hold only cleaned text, and whose headers
    hold no control characters."""

    parameter_storage_class = CleanedMultiDict

    def __init__(self, environ: dict, *args, **kwargs) -> None:
        for key, value in list(environ.items()):
            # REMOTE_ADDR too: behind a proxy it is copied from a header (X-Forwarded-For).
            if (key.startswith("HTTP_") or key == "REMOTE_ADDR") and isinstance(value, str):
                environ[key] = _HEADER_CONTROL.sub("", value)
        super().__init__(environ, *args, **kwargs)


class RowIdConverter(IntegerConverter):
    """`<int:...>` in routes: digits 0-9 only, and no larger than a row id can be, so a huge
    number is 'page not found' rather than an overflow in the database driver."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ROW_ID, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def clean_path_values(_endpoint: str | None, values: dict | None) -> None:
    """Clean the text values taken from the URL path (survey codes, tokens, slugs)."""
    for name, value in (values or {}).items():
        if isinstance(value, str):
            values[name] = clean_text(value)


def init_app(app: Flask) -> None:
    """Install the cleaning. Call before the blueprints are registered: their routes are built
    with the `int` converter set here."""
    app.request_class = CleanedRequest
    app.url_map.converters["int"] = RowIdConverter
    app.url_value_preprocessor(clean_path_values)
