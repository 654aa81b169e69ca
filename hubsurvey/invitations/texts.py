"""The messages a lead sends schools about a survey: the templates they start from, and the
placeholders filled in for each school. Only the placeholders named here are filled: the
lead's own text is never evaluated, so braces in it are just braces."""

import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "school": "the school's name",
    "name": "the name of the person it is sent to",
    "head": "the headteacher's name",
    "survey": "the survey's title",
    "closing_date": "the closing date, or 'soon' when there is none",
    "link": "the school's own link",
    "qr_code": "a link to the school's QR code, to print or forward",
    "hub": "your hub's name",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass
class Template:
    subject: str
    body: str


def paragraphs(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


INVITATION = Template(
    subject="{survey}: a few minutes from your staff, please",
    body=paragraphs(
        "Dear {name},",
        "{hub} is asking teachers at {school} to answer a short survey: {survey}. It helps "
        "us plan training that meets your staff's needs.",
        "Please forward this link to your staff. It is your school's own link, so their "
        "answers are counted for {school}, and they do not have to type the school's name:",
        "{link}",
        "A QR code of the link, to show on a slide or print for the staffroom: {qr_code}",
        "It takes about ten minutes on a phone, and the survey closes on {closing_date}.",
        "Thank you,\n{hub}",
    ),
)

OUTCOMES = Template(
    subject="{survey}: your school's figures, please",
    body=paragraphs(
        "Dear {name},",
        "{hub} is collecting a few figures from each partner school for {survey}. Please "
        "enter {school}'s figures through your school's own link:",
        "{link}",
        "You can come back through the same link to correct them until {closing_date}.",
        "Thank you,\n{hub}",
    ),
)

REMINDER = Template(
    subject="Reminder: {survey} closes on {closing_date}",
    body=paragraphs(
        "Dear {name},",
        "A reminder that {survey} closes on {closing_date}. Few answers have come from "
        "{school} so far, and every answer helps us plan training for your staff.",
        "Please forward your school's own link to your staff once more:",
        "{link}",
        "The QR code, to show or print: {qr_code}",
        "Thank you,\n{hub}",
    ),
)


def template_for(survey_kind: str, reminder: bool = False) -> Template:
    if reminder:
        return REMINDER
    return OUTCOMES if survey_kind == "outcomes" else INVITATION


def unknown_placeholders(text: str) -> list[str]:
    """The {words} in the lead's text that are not placeholders we fill, in order."""
    return list(dict.fromkeys(m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS))


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced; anything else is left as it is."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
