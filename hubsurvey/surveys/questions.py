"""Each kind of question: reading a posted answer, checking it, storing and showing it.

The server decides validity; the browser's own checks are only a convenience. Messages are
written for the teacher answering, next to the question they are about."""

from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from hubsurvey.models import Answer, Question

CONFIDENCE_LABELS = {1: "Not confident", 5: "Very confident"}
DEFAULT_SHORT_LIMIT = 200
DEFAULT_LONG_LIMIT = 1000


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


def _read_single(question, form, name) -> Reading:
    raw = form.get(name, "").strip()
    if not raw:
        return Reading()
    if not raw.isdigit() or int(raw) >= len(question.options):
        return Reading(error="Choose one of the answers listed")
    return Reading(int(raw))


def _read_multiple(question, form, name) -> Reading:
    chosen = []
    for raw in form.getlist(name):
        if not raw.isdigit() or int(raw) >= len(question.options):
            return Reading(error="Choose from the answers listed")
        chosen.append(int(raw))
    return Reading(sorted(set(chosen)))


def _read_whole(question, form, name, low: int, high: int) -> Reading:
    raw = form.get(name, "").strip()
    if not raw:
        return Reading()
    try:
        value = int(raw)
    except ValueError:
        return Reading(error=f"Choose a number from {low} to {high}")
    if not low <= value <= high:
        return Reading(error=f"Choose a number from {low} to {high}")
    return Reading(value)


def _read_scale(question, form, name) -> Reading:
    return _read_whole(question, form, name, 1, 5)


def _read_rating(question, form, name) -> Reading:
    return _read_whole(question, form, name, 0, 10)


def _read_number(question, form, name) -> Reading:
    raw = form.get(name, "").strip().replace(",", "")
    if not raw:
        return Reading()
    settings = question.settings
    unit = settings.get("unit", "")
    whole = settings.get("integer", False)
    try:
        value = float(raw)
    except ValueError:
        return Reading(error="Enter a number, like 12" if whole else "Enter a number, like 12.5")
    if value != value or value in (float("inf"), float("-inf")):
        return Reading(error="Enter a number, like 12")
    if whole and value != int(value):
        return Reading(error="Enter a whole number, like 12")
    low, high = settings.get("min"), settings.get("max")
    too_low = low is not None and value < low
    too_high = high is not None and value > high
    if too_low or too_high:
        suffix = f" {unit}" if unit and unit != "%" else unit
        if low is not None and high is not None:
            bounds = f"from {_show(low)} to {_show(high)}"
        else:
            bounds = f"of {_show(low)} or more" if too_low else f"of {_show(high)} or less"
        return Reading(error=f"Enter a number {bounds}{suffix}")
    return Reading(int(value) if whole else value)


def _read_text(question, form, name) -> Reading:
    value = form.get(name, "").strip().replace("\r\n", "\n")
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
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
