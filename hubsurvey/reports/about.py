"""What each export says about itself: its file name (the survey, the filters and the date),
and the "About this file" sheet of its XLSX workbook (the hub, survey, waves, filters and
breakdown, when it was made, and the small-group rule it follows)."""

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote

from hubsurvey.extensions import db
from hubsurvey.models import Hub, School, Survey
from hubsurvey.reports.exports import ResponseRelease
from hubsurvey.reports.summary import FACETS, SCORE_RULE, Filters, _protects_small_groups
from hubsurvey.vocabulary import SURVEY_KINDS

About = list[tuple[str, object]]


# File names


def name_part(text: str, length: int = 40) -> str:
    """Words for a file name: lower case, joined by hyphens, letters and digits only (accents
    kept: the ASCII name drops them)."""
    words = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", text).lower()).strip("-")
    return words[:length].rstrip("-") or "file"


def file_name(subject: str, what: str, parts: list[str], made: datetime, fmt: str) -> str:
    """training-needs-2026_responses-wide_role-teacher_2026-11-25.csv: what the file is of,
    what it holds, its filters and the day it was made, parts joined by underscores."""
    return "_".join([name_part(subject), what, *parts, f"{made:%Y-%m-%d}"]) + f".{fmt}"


def disposition(name: str) -> str:
    """A download's Content-Disposition: an ASCII file name any browser takes, and the name
    in full (UTF-8) for those that read filename*."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "export"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def filter_parts(filters: Filters) -> list[str]:
    """The summary's filters as parts of its file name: wave-autumn-2026, role-teacher..."""
    parts = []
    if filters.wave_id and filters.survey is not None:
        wave = next((w for w in filters.survey.waves if w.id == filters.wave_id), None)
        if wave is not None:
            parts.append(f"wave-{name_part(wave.label, 30)}")
    for name, value in filters.values.items():
        parts.append(f"{name_part(name)}-{name_part(_value_words(name, value), 30)}")
    if filters.by:
        parts.append(f"by-{name_part(filters.by)}")
    return parts


def _value_words(name: str, value: str) -> str:
    if name == "school":
        school = db.session.get(School, int(value))
        return school.name if school else value
    return FACETS[name][2].get(value, value)


# The About sheet


def _survey_words(survey: Survey) -> str:
    privacy = "anonymous" if survey.anonymous else "named"
    return f"{survey.title} ({SURVEY_KINDS[survey.kind].lower()}, {privacy})"


def _waves_words(survey: Survey) -> str:
    if not survey.waves:
        return "None yet"
    return "; ".join(f"{w.label} (opened {w.opened_on:%-d %B %Y})" for w in survey.waves)


def _about(
    hub: Hub, made: datetime, file: str, survey: str, waves: str, filters: str,
    breakdown: str, rule: str,
) -> About:  # fmt: skip
    return [
        ("File", file), ("Hub", hub.name), ("Survey", survey), ("Waves", waves),
        ("Filters", filters), ("Breakdown", breakdown), ("Made (UK time)", made),
        ("Small groups", rule),
    ]  # fmt: skip


def response_about(
    hub: Hub, survey: Survey, plan: ResponseRelease, wide: bool, made: datetime
) -> About:
    shape = "one row per response" if wide else "one row per answer"
    rows = _about(
        hub,
        made,
        f"Responses to “{survey.title}”, {shape}. The Questions sheet says which question "
        "each column holds.",
        _survey_words(survey),
        f"Every wave: {_waves_words(survey)}",
        "None: every sent response, except those excluded in review",
        "None",
        _response_rule(plan),
    )
    return rows + [("Note", note) for note in _response_notes(plan)]


def _response_rule(plan: ResponseRelease) -> str:
    if not plan.anonymous:
        return (
            "This survey is named: every response is exported in full, with the time it was sent."
        )
    return (
        "This survey is anonymous, so no one can be picked out by their profile: School, "
        "School URN, Activity, Subject, Career stage, Role and Phase are left blank wherever "
        f"fewer than {plan.smallest_group} responses in this file (the hub's smallest group) "
        "would share the same values, Participant is left empty, and Sent on gives the date "
        "only."
    )


def _response_notes(plan: ResponseRelease) -> list[str]:
    notes = [
        "Only sent responses are included. Responses that hub staff excluded in review are "
        "left out.",
        "Times are UK times (summer time included); the CSV file gives them in UTC.",
    ]
    if not plan.anonymous:
        return notes
    if plan.withheld:
        notes.append(
            f"No responses are in this file yet: {plan.withheld} have been sent, and an "
            f"anonymous survey's responses are exported once {plan.smallest_group} have been."
        )
    else:
        notes.append(
            f"{plan.generalised} of the {plan.responses} responses in this file have some of "
            "those values left blank."
        )
    return notes


def _chosen(filters: Filters) -> list[str]:
    return [f"{FACETS[name][0]}: {_value_words(name, v)}" for name, v in filters.values.items()]


def summary_lines(filters: Filters) -> list[str]:
    """What a needs summary shows, in words, for the top of its printed page."""
    return [
        "Survey: "
        + (_survey_words(filters.survey) if filters.survey else "every needs assessment"),
        "Filters: " + ("; ".join(_chosen(filters)) or "none"),
        "Breakdown: " + (f"by {FACETS[filters.by][0].lower()}" if filters.by else "none"),
    ]


def summary_about(hub: Hub, filters: Filters, waves: str, made: datetime) -> About:
    """`waves`: which waves the summary reads, as its page says it."""
    chosen = _chosen(filters)
    if _protects_small_groups(hub, filters):
        rule = (
            f"Figures resting on fewer than {hub.smallest_group} respondents (the hub's "
            "smallest group), or that would give such a group away when set against another "
            "view, are left empty and marked as not shown."
        )
    else:
        rule = "Every survey summarised is named: no figure is held back."
    about = _about(
        hub,
        made,
        "Needs summary: one row per need area" + (" and group." if filters.by else "."),
        _survey_words(filters.survey) if filters.survey else "Every needs assessment",
        waves,
        "; ".join(chosen) or "None",
        f"By {FACETS[filters.by][0].lower()}" if filters.by else "None",
        rule,
    )
    return [
        *about,
        ("Note", SCORE_RULE),
        ("Note", "Only sent responses are counted, except those excluded in review."),
    ]


UTC_NOTE = "Times are UK times (summer time included); the CSV file gives them in UTC."
# Each hub file: what it holds, its small-group rule (None: the feedback rule), and a note.
HUB_FILES = {
    "partner-schools": (
        "Partner schools: every school the hub works or has worked with, its status, and its "
        "headteacher and main contact (personal data: keep the file safe).",
        "No figures from answers are in this file.",
        UTC_NOTE,
    ),
    "activities": (
        "Activities, latest first, with the feedback on each: the first question of its "
        "feedback survey, how useful the session was, from 1 to 5.",
        None,
        "Start times are as they were entered for each activity.",
    ),
    "feedback-summary": (
        "Feedback summary: the ratings of the hub's activities (how useful each session was, "
        "from 1 to 5) by activity, by need area targeted and by wave, as on the Feedback page.",
        None,
        "Only sent responses are counted, except those excluded in review.",
    ),
    "outcome-figures": (
        "Outcome figures: each school's figures per wave of the hub's outcomes surveys, with "
        "the hub's figure for the wave (a share weighted by each school's pupils, a count "
        "added up), as on each survey's page.",
        "Outcome figures are each school's own, sent through the school's link: they are "
        "given in full, as on the survey's page.",
        "Shares are percentages; the CSV file gives them from 0 to 100, as entered.",
    ),
}


def hub_about(hub: Hub, what: str, made: datetime) -> About:
    file, rule, note = HUB_FILES[what]
    if rule is None:
        rule = (
            f"Ratings from anonymous feedback surveys resting on fewer than "
            f"{hub.smallest_group} responses (the hub's smallest group) are left empty and "
            "marked as not shown; so is a need area's or a wave's total when the activities "
            "not shown within it gave fewer than that together, as it would give them away."
        )
    waves = "Not applicable" if what == "partner-schools" else "Every wave"
    return [
        *_about(hub, made, file, "Not one survey: the whole hub", waves, "None", "None", rule),
        ("Note", note),
    ]
