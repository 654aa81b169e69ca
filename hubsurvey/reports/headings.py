"""What the XLSX files of a survey's responses call their columns, and their "Questions" sheet,
which maps each column to the question's full words and options.

A question is named as in the CSV files, by its place in the survey: Q3 is the third question,
counting through the sections in the editor's order (the CSV column starts q3_). The heading
adds the question's first words, so the lead can tell the columns apart without the key."""

from hubsurvey.models import Question, Survey
from hubsurvey.reports.exports import LONG_HEADINGS, PROFILE_HEADINGS, wide_columns
from hubsurvey.reports.xlsx import Column, Table, column_letter
from hubsurvey.vocabulary import QUESTION_KINDS

SHORT = 40  # characters of a question's words in a heading

# The profile columns: heading, and what the cell holds.
PROFILE = {
    "response_id": ("Response", "The response's number, the same in every file of this survey"),
    "wave": ("Wave", "The wave (round) of the survey the response belongs to"),
    "submitted_at": ("Sent", "When the response was sent"),
    "school": ("School", "The school, as chosen from the hub's list or written in"),
    "school_urn": ("School URN", "The school's URN, for a partner school with one"),
    "phase": ("Phase", "The respondent's phase"),
    "role": ("Role", "The respondent's role"),
    "career_stage": ("Career stage", "The respondent's career stage"),
    "subject": ("Subject", "The respondent's subject"),
    "activity": ("Activity", "For feedback given through an activity's link, its title"),
    "participant": ("Participant", "A number shared by responses linked by one participant code"),
}
LONG = {
    "question_id": "Question ID",
    "question": "Question",
    "item": "Option or need area",
    "answer": "Answer",
    "priority": "A priority (1 = yes)",
}
KEY_HEADINGS = [
    ("column", "Column"), ("heading", "Heading"), ("csv_column", "CSV column"),
    ("question", "Question"), ("section", "Section"), ("words", "Question in full"),
    ("kind", "Type"), ("item", "Option or need area"), ("holds", "What the cell holds"),
]  # fmt: skip
LONG_KEY_HEADINGS = [
    ("question_id", "Question ID"), ("question", "Question"), ("section", "Section"),
    ("words", "Question in full"), ("kind", "Type"), ("items", "Options or need areas"),
    ("holds", "What the answer column holds"),
]  # fmt: skip


def label(number: int) -> str:
    return f"Q{number}"


def short(prompt: str, length: int = SHORT) -> str:
    """A question's first words, on one line, cut at a word with an ellipsis if long."""
    words = " ".join(prompt.split())
    if len(words) <= length:
        return words
    cut = words[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _sent_heading(anonymous: bool) -> str:
    return "Sent on (UK date)" if anonymous else "Sent (UK time)"


def _profile_columns(anonymous: bool) -> list[Column]:
    return [
        Column(name, _sent_heading(anonymous) if name == "submitted_at" else PROFILE[name][0])
        for name in PROFILE_HEADINGS
    ]


def wide_table_columns(survey: Survey) -> list[Column]:
    """The wide file's columns: the profile, then one or more per question."""
    numbers = {q.id: n for n, q in enumerate(survey.questions, start=1)}
    questions = {q.id: q for q in survey.questions}
    columns = _profile_columns(survey.anonymous)
    for name, question_id, item in wide_columns(survey):
        question = questions[question_id]
        heading = f"{label(numbers[question_id])} {_item_heading(question, item)}"
        columns.append(Column(name, heading))
    return columns


def _item_heading(question: Question, item: int | None) -> str:
    if item is None:
        return short(question.prompt)
    if question.kind == "multiple":
        return f"{short(question.prompt, 24)}: {short(question.options[item - 1], 30)}"
    area = next(a for a in question.grid_areas if a.id == abs(item))
    return f"{short(area.name)}: {'confidence' if item > 0 else 'a priority'}"


def long_table_columns(survey: Survey) -> list[Column]:
    return [
        *_profile_columns(survey.anonymous),
        *(Column(name, LONG[name]) for name in LONG_HEADINGS[len(PROFILE_HEADINGS) :]),
    ]


def _section_name(question: Question, survey: Survey) -> str:
    place = survey.sections.index(question.section) + 1
    return f"Section {place}: {question.section.title}"


def _holds(question: Question, item: int | None = None) -> str:
    """What a cell of the question's answers holds, in words."""
    settings = question.settings
    match question.kind:
        case "single":
            return "The chosen answer's words"
        case "multiple":
            if item is None:
                return "1, with the chosen option in the item column"
            return "1 if chosen, 0 if not; empty if the question was not answered"
        case "scale":
            labels = settings.get("labels") or []
            ends = f": 1 = {labels[0]}, 5 = {labels[-1]}" if len(labels) == 5 else ""
            return f"1 to 5{ends}"
        case "rating":
            low, high = settings.get("low_label", ""), settings.get("high_label", "")
            ends = f": 0 = {low}, 10 = {high}" if low and high else ""
            return f"0 to 10{ends}"
        case "number":
            unit = f" ({settings['unit']})" if settings.get("unit") else ""
            limits = [settings.get("min"), settings.get("max")]
            span = f", from {limits[0]} to {limits[1]}" if None not in limits else ""
            return f"A {'whole ' if settings.get('integer') else ''}number{unit}{span}"
        case "short_text" | "long_text":
            return "The text as typed"
        case "needs_grid":
            if item is None:
                return "Confidence, 1 (low) to 5 (high), for the need area in the item column"
            if item > 0:
                return "Confidence, 1 (low) to 5 (high)"
            return "1 if named a priority, 0 if not"
    return ""


def _options(question: Question) -> list[str]:
    if question.kind == "needs_grid":
        return [area.name for area in question.grid_areas]
    return list(question.options)


def wide_key(survey: Survey, columns: list[Column]) -> Table:
    """One row per column of the wide file, saying which question it holds the answers to."""
    rows = []
    profile = len(PROFILE_HEADINGS)
    for i, column in enumerate(columns[:profile]):
        rows.append([column_letter(i), column.heading, column.name, "", "", "", "", "",
                     PROFILE[column.name][1]])  # fmt: skip
    numbers = {q.id: n for n, q in enumerate(survey.questions, start=1)}
    questions = {q.id: q for q in survey.questions}
    for i, (column, (_name, question_id, item)) in enumerate(
        zip(columns[profile:], wide_columns(survey), strict=True), start=profile
    ):
        question = questions[question_id]
        if item is None:
            option = " · ".join(question.options) if question.kind == "single" else ""
        elif question.kind == "multiple":
            option = question.options[item - 1]
        else:
            option = next(a.name for a in question.grid_areas if a.id == abs(item))
        rows.append([
            column_letter(i), column.heading, column.name, label(numbers[question_id]),
            _section_name(question, survey), question.prompt, QUESTION_KINDS[question.kind],
            option, _holds(question, item),
        ])  # fmt: skip
    return Table("Questions", [Column(n, h) for n, h in KEY_HEADINGS], rows)


def long_key(survey: Survey) -> Table:
    """One row per question of the long file, by the question_id in its rows."""
    rows = []
    for number, question in enumerate(survey.questions, start=1):
        rows.append([
            question.id, label(number), _section_name(question, survey), question.prompt,
            QUESTION_KINDS[question.kind], " · ".join(_options(question)), _holds(question),
        ])  # fmt: skip
    return Table("Questions", [Column(n, h) for n, h in LONG_KEY_HEADINGS], rows)
