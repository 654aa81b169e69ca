"""Each kind of question: reading a posted answer, checking it, storing and showing it.

The server decides validity; the browser's own checks are only a convenience. Messages are
written for the teacher answering, next to the question they are about."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from werkzeug.datastructures import MultiDict

from hubsurvey.inputs import whole_number
from hubsurvey.models import Answer, Question

CONFIDENCE_LABELS = {1: "Not confident", 5: "Very confident"}
DEFAULT_SHORT_LIMIT = 200
DEFAULT_LONG_LIMIT = 1000
# A number question the hub lead gave no range still has one: nothing a teacher counts or
# measures for a hub comes near it, and it keeps absurd values (1e308) out of the summaries.
DEFAULT_NUMBER_LIMIT = 1_000_000_000
# Numbers as teachers write them: 12, -3, 12.5, .5 (and a typographic minus from Word); an
# exponent (1e3) is read too, and then held to the bounds like any other number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A comma is read only as a UK thousands separator in whole groups of three (1,234 or
# 12,345.5): written that way it means nothing else to a teacher in England. Any other comma
# (12,34 or 1,5) may be a decimal comma, so the teacher is asked to write the number plainly
# rather than have it guessed.
_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"([+-]?[0-9]{0,20}),([0-9]{1,20})")


@dataclass
class Reading:
    """What a posted form said for one question: the value to keep, or what is wrong."""

    value: Any = None
    error: str | None = None
    # Field-level errors inside a needs grid: field name -> message.
    field_errors: dict[str, str] | None = None


def field_name(question: Question) -> str:
    return f"q{question.id}"


def grid_field(question: Question, area_id: int) -> str:
    return f"q{question.id}-{area_id}"


def text_limit(question: Question) -> int:
    default = DEFAULT_SHORT_LIMIT if question.kind == "short_text" else DEFAULT_LONG_LIMIT
    return int(question.settings.get("max_length") or default)


def read(question: Question, form: MultiDict) -> Reading:
    """Read and check one question's answer from a posted form."""
    name = field_name(question)
    reader = _READERS[question.kind]
    reading = reader(question, form, name)
    if reading.error is None and reading.field_errors is None and _empty(reading.value):
        if question.required:
            reading.error = _missing_message(question)
        reading.value = None
    return reading


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _missing_message(question: Question) -> str:
    if question.kind in ("single", "scale", "rating"):
        return "Choose an answer"
    if question.kind == "multiple":
        return "Choose at least one answer"
    return "Enter an answer"


def _option(question: Question, raw: str) -> int | None:
    """The option number a choice was sent as, if it is one of the question's."""
    index = whole_number(raw.strip())
    return index if index is not None and index < len(question.options) else None


def _read_single(question, form, name) -> Reading:
    raw = form.get(name, "").strip()
    if not raw:
        return Reading()
    index = _option(question, raw)
    if index is None:
        return Reading(error="Choose one of the answers listed")
    return Reading(index)


def _read_multiple(question, form, name) -> Reading:
    chosen = []
    for raw in form.getlist(name):
        index = _option(question, raw)
        if index is None:
            return Reading(error="Choose from the answers listed")
        chosen.append(index)
    return Reading(sorted(set(chosen)))


def _read_whole(question, form, name, low: int, high: int) -> Reading:
    raw = form.get(name, "").strip()
    if not raw:
        return Reading()
    value = whole_number(raw)
    if value is None or not low <= value <= high:
        return Reading(error=f"Choose a number from {low} to {high}")
    return Reading(value)


def _read_scale(question, form, name) -> Reading:
    return _read_whole(question, form, name, 1, 5)


def _read_rating(question, form, name) -> Reading:
    return _read_whole(question, form, name, 0, 10)


def number_bounds(question: Question) -> tuple[float, float]:
    """The smallest and largest answers a number question takes: the hub lead's, or else
    plus or minus DEFAULT_NUMBER_LIMIT (widened to meet a bound the lead set beyond it)."""
    low, high = question.settings.get("min"), question.settings.get("max")
    if low is None:
        low = -DEFAULT_NUMBER_LIMIT if high is None else min(-DEFAULT_NUMBER_LIMIT, high)
    if high is None:
        high = max(DEFAULT_NUMBER_LIMIT, low)
    return low, high


def _read_number(question, form, name) -> Reading:
    raw = form.get(name, "").strip().replace("\u2212", "-")
    if not raw:
        return Reading()
    settings = question.settings
    unit = settings.get("unit", "")
    whole = settings.get("integer", False)
    if "," in raw and not _GROUPED_NUMBER.fullmatch(raw):
        return Reading(error=_comma_message(raw, whole))
    if not _PLAIN_NUMBER.fullmatch(raw.replace(",", "")):
        return Reading(error="Enter a number, like 12" if whole else "Enter a number, like 12.5")
    # Too large a number reads as infinity, which the bounds then refuse; + 0.0 keeps -0 as 0.
    value = float(raw.replace(",", "")) + 0.0
    low, high = number_bounds(question)
    if not low <= value <= high:
        suffix = f" {unit}" if unit and unit != "%" else unit
        return Reading(error=f"Enter a number from {_words(low)} to {_words(high)}{suffix}")
    if whole and not value.is_integer():
        return Reading(error="Enter a whole number, like 12")
    return Reading(int(value) if whole else value)


def _comma_message(raw: str, whole: bool) -> str:
    """Ask for a number with a comma that is not a thousands separator to be written plainly,
    using the teacher's own digits when they are short enough to repeat."""
    typed = _DECIMAL_COMMA.fullmatch(raw)
    if typed:
        before, after = typed.group(1), typed.group(2)
        if whole:
            return f"Write {before}{after} without a comma"
        if not before.lstrip("+-"):
            return f"Write {before}0.{after} with a full stop"
        return f"Write {before}.{after} with a full stop, or {before}{after} without a comma"
    return "Write the number without commas, like 1234" + ("" if whole else " or 12.5")


def _read_text(question, form, name) -> Reading:
    # Browsers send line breaks as CR LF; a lone CR is a line break too.
    value = form.get(name, "").strip().replace("\r\n", "\n").replace("\r", "\n")
    limit = text_limit(question)
    if len(value) > limit:
        over = len(value) - limit
        return Reading(
            value=value,
            error=f"Answer must be {limit:,} characters or fewer (it is {over:,} too long)",
        )
    return Reading(value)


def _read_grid(question, form, name) -> Reading:
    value, errors = {}, {}
    for area in question.grid_areas:
        field = grid_field(question, area.id)
        raw = form.get(field, "").strip()
        priority = form.get(f"{field}-priority") == "1"
        if not raw:
            # A priority needs a confidence too, or the summary could not count it fairly.
            if question.required or priority:
                errors[field] = f"Choose how confident you feel about {area.name.lower()}"
            continue
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[field] = f"Choose a number from 1 to 5 for {area.name.lower()}"
            continue
        value[area.id] = (int(raw), priority)
    if errors:
        return Reading(value=value, field_errors=errors)
    return Reading(value)


_READERS = {
    "single": _read_single,
    "multiple": _read_multiple,
    "scale": _read_scale,
    "rating": _read_rating,
    "number": _read_number,
    "short_text": _read_text,
    "long_text": _read_text,
    "needs_grid": _read_grid,
}


def to_answers(question: Question, value) -> list[Answer]:
    """The rows that store a checked value."""
    if value is None:
        return []
    q = question.id
    match question.kind:
        case "multiple":
            return [Answer(question_id=q, item=i + 1, number=1) for i in value]
        case "needs_grid":
            return [
                Answer(question_id=q, item=area_id, number=confidence, priority=priority)
                for area_id, (confidence, priority) in value.items()
            ]
        case "short_text" | "long_text":
            return [Answer(question_id=q, text=value)]
        case _:
            return [Answer(question_id=q, number=value)]


def from_answers(question: Question, answers: list[Answer]):
    """The value stored rows stand for, as `read` would give it."""
    if not answers:
        return None
    match question.kind:
        case "multiple":
            return sorted(a.item - 1 for a in answers)
        case "needs_grid":
            return {a.item: (int(a.number), bool(a.priority)) for a in answers}
        case "short_text" | "long_text":
            return answers[0].text
        case "number":
            number = answers[0].number
            return int(number) if question.settings.get("integer") else number
        case _:
            return int(answers[0].number)


def form_values(question: Question, value) -> dict[str, Any]:
    """A stored or posted value as the form fields show it again (to re-fill a form)."""
    name = field_name(question)
    if value is None:
        return {}
    match question.kind:
        case "multiple":
            return {name: [str(i) for i in value]}
        case "needs_grid":
            fields = {}
            for area_id, (confidence, priority) in value.items():
                fields[grid_field(question, area_id)] = str(confidence)
                if priority:
                    fields[grid_field(question, area_id) + "-priority"] = "1"
            return fields
        case "number":
            return {name: _show(value)}
        case _:
            return {name: str(value)}


def describe(question: Question, value) -> list[str]:
    """An answer in words, one line per part, for 'check your answers'."""
    if value is None:
        return ["Not answered"]
    match question.kind:
        case "single":
            return [question.options[value]]
        case "multiple":
            return [question.options[i] for i in value]
        case "scale":
            labels = question.settings.get("labels") or []
            label = labels[value - 1] if len(labels) == 5 else ""
            return [f"{value}: {label}" if label else str(value)]
        case "rating":
            return [f"{value} out of 10"]
        case "number":
            unit = question.settings.get("unit", "")
            return [f"{_show(value)}{unit}" if unit == "%" else f"{_show(value)} {unit}".strip()]
        case "needs_grid":
            lines = []
            for area in question.grid_areas:
                if area.id in value:
                    confidence, priority = value[area.id]
                    extra = ", a priority" if priority else ""
                    lines.append(f"{area.name}: confidence {confidence} of 5{extra}")
            return lines
        case _:
            return value.splitlines() or [value]


def _show(number) -> str:
    """A number as typed: in full, without an exponent, so the form reads it back the same."""
    if number is None:
        return ""
    if float(number).is_integer():
        return str(int(number))
    return format(Decimal(repr(float(number))), "f")


def _words(number) -> str:
    """A number in a message, with thousands separated: 1,000,000,000."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return format(Decimal(repr(float(number))), ",f")
