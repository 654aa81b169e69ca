"""The hub's own files, beside the response files: partner schools with their statuses and
contacts, activities with their feedback, the feedback summary, and outcome figures per school
per wave.

Each is a few hundred rows at most, made whole while the request's database session is open.
Rows start with the CSV headings; `excel` rows hold dates and times as such (UK time), and
shares as fractions for a percentage format. Feedback figures are the Feedback page's own
(feedback.feedback_figures): from anonymous surveys, they follow the hub's small-group rule.
The columns are described in docs/exports.md."""

from collections.abc import Sequence

from sqlalchemy import func

from hubsurvey.contacts.services import hub_contacts
from hubsurvey.extensions import db
from hubsurvey.models import Contact, Hub, Partnership, School, Survey
from hubsurvey.reports.feedback import RATINGS, Figure, feedback_figures
from hubsurvey.reports.xlsx import (
    ONE_DECIMAL,
    PERCENT_1DP,
    THOUSANDS,
    Column,
    Formatted,
    uk_time,
)
from hubsurvey.surveys import outcomes as outcomes_module
from hubsurvey.vocabulary import ACTIVITY_KINDS, PARTNER_STATUSES

FIGURE_COLUMNS = [
    Column("responses", "Responses"),
    Column("mean_rating", "Average rating (1 to 5)", ONE_DECIMAL),
    *(Column(f"rated_{n}", f"Rated {n}") for n in RATINGS),
    Column("suppressed", "Not shown (small group)"),
]
PARTNER_COLUMNS = [
    Column("school", "School"),
    Column("school_urn", "URN"),
    Column("phase", "Phase"),
    Column("local_authority", "Local authority"),
    Column("trust", "Trust"),
    Column("status", "Status"),
    Column("status_updated_at", "Status updated (UK time)"),
    # Each of its two contacts (personal data: see docs/exports.md).
    *(
        column
        for kind, words in (("head", "Headteacher"), ("main", "Main contact"))
        for column in (
            Column(f"{kind}_name", words),
            Column(f"{kind}_role", f"{words}: role"),
            Column(f"{kind}_email", f"{words}: email"),
            Column(f"{kind}_phone", f"{words}: phone"),
            Column(f"{kind}_email_stopped", f"{words}: stopped the hub's email"),
        )
    ),
]
ACTIVITY_COLUMNS = [
    Column("activity_id", "Activity ID"),
    Column("title", "Activity"),
    Column("kind", "Kind"),
    Column("starts_at", "Starts"),
    Column("place", "Place"),
    Column("online", "Online"),
    Column("facilitator", "Facilitator"),
    Column("need_areas", "Need areas targeted"),
    Column("schools", "Schools taking part"),
    Column("feedback_survey", "Feedback survey"),
    *FIGURE_COLUMNS,
]
FEEDBACK_COLUMNS = [
    Column("breakdown", "By"),
    Column("name", "Activity, need area or wave"),
    Column("survey", "Feedback survey"),
    Column("date", "Date"),
    *FIGURE_COLUMNS,
]
OUTCOME_COLUMNS = [
    Column("survey", "Survey"),
    Column("wave", "Wave"),
    Column("school", "School"),
    Column("question_id", "Question ID"),
    Column("question", "Figure"),
    Column("unit", "Unit"),
    Column("value", "School's figure"),
    Column("hub_value", "Hub's figure"),
]


def headings(columns: Sequence[Column]) -> list[str]:
    return [column.name for column in columns]


# Partner schools


def partner_rows(hub: Hub, excel: bool = False) -> list[list]:
    """Every school the hub works with or has worked with, A to Z, with its status and its
    two contacts."""
    rows = db.session.execute(
        db.select(School, Partnership)
        .join(Partnership, Partnership.school_id == School.id)
        .where(Partnership.hub_id == hub.id)
        .order_by(func.lower(School.name), School.id)
    ).all()
    contacts = hub_contacts(hub.id)
    table = [headings(PARTNER_COLUMNS)]
    for school, partnership in rows:
        updated = partnership.updated_at
        table.append([
            school.name, school.urn or "", school.phase_label, school.local_authority,
            school.trust, PARTNER_STATUSES.get(partnership.status, partnership.status),
            uk_time(updated) if excel else updated.isoformat(sep=" ", timespec="seconds"),
            *_contact_cells(contacts.get((school.id, "head"))),
            *_contact_cells(contacts.get((school.id, "main"))),
        ])  # fmt: skip
    return table


def _contact_cells(contact: Contact | None) -> list[str]:
    """Name, role, email, phone, and whether they stopped the hub's email; blank for none."""
    if contact is None:
        return ["", "", "", "", ""]
    stopped = "yes" if contact.opted_out_at else "no"
    return [contact.name, contact.role, contact.email, contact.phone, stopped]


# Feedback figures


def _cells(figure: Figure) -> list:
    """The figure columns: left empty, and marked, when the figures are not shown."""
    if figure.suppressed:
        return ["", "", *("" for _ in RATINGS), "yes"]
    mean = figure.mean
    return [
        figure.responses,
        "" if mean is None else round(mean, 2),
        *(count for _value, count in figure.counts()),
        "no",
    ]


def activity_rows(hub: Hub, excel: bool = False) -> list[list]:
    """Each activity, latest first, with its details and its feedback figures."""
    figures = feedback_figures(hub)
    table = [headings(ACTIVITY_COLUMNS)]
    for a in figures.activities:
        table.append([
            a.id, a.title, ACTIVITY_KINDS.get(a.kind, a.kind),
            a.starts_at if excel else a.starts_at.isoformat(sep=" ", timespec="minutes"),
            a.place, "yes" if a.online else "no", a.facilitator,
            "; ".join(area.name for area in a.need_areas),
            "; ".join(school.name for school in a.schools), a.survey.title,
            *_cells(figures.by_activity[a.id]),
        ])  # fmt: skip
    return table


def feedback_rows(hub: Hub, excel: bool = False) -> list[list]:
    """The feedback summary: by activity, by need area targeted, and by wave."""
    figures = feedback_figures(hub)
    table = [headings(FEEDBACK_COLUMNS)]
    for a in figures.activities:
        day = a.starts_at.date()
        table.append([
            "activity", a.title, a.survey.title, day if excel else day.isoformat(),
            *_cells(figures.by_activity[a.id]),
        ])  # fmt: skip
    for name, figure in figures.by_area:
        table.append(["need area", name, "", "", *_cells(figure)])
    for wave, figure in figures.by_wave:
        day = wave.opened_on
        table.append([
            "wave", wave.label, wave.survey.title, day if excel else day.isoformat(),
            *_cells(figure),
        ])  # fmt: skip
    return table


# Outcome figures


def outcome_surveys(hub: Hub) -> list[Survey]:
    return list(
        db.session.scalars(
            db.select(Survey)
            .where(Survey.hub_id == hub.id, Survey.kind == "outcomes")
            .order_by(Survey.created_at, Survey.id)
        )
    )


def outcome_rows(hub: Hub, excel: bool = False) -> list[list]:
    """Each school's figure per wave, oldest wave first, with the hub's figure for the wave,
    for every outcomes survey of the hub, as the survey's page works them out."""
    table = [headings(OUTCOME_COLUMNS)]
    for survey in outcome_surveys(hub):
        result = outcomes_module.outcomes(survey)
        if result is None:
            continue
        schools = list(result.trends[0].schools) if result.trends else []
        for w, wave in enumerate(result.waves):
            for school in schools:
                for trend in result.trends:
                    value = trend.schools[school][w]
                    if value is None:
                        continue
                    question = trend.question
                    table.append([
                        survey.title, wave, school, question.id, question.prompt,
                        question.settings.get("unit", ""),
                        *_outcome_values(value, trend.hub[w], trend.share, excel),
                    ])  # fmt: skip
    return table


def _outcome_values(value: float, hub_value: float | None, share: bool, excel: bool) -> list:
    if not excel:
        return [value, "" if hub_value is None else round(hub_value, 2)]
    if share:  # entered as 0 to 100; a spreadsheet's percentage is a fraction
        hub_cell = None if hub_value is None else Formatted(round(hub_value, 1) / 100, PERCENT_1DP)
        return [Formatted(value / 100, PERCENT_1DP), hub_cell]
    hub_cell = None if hub_value is None else Formatted(round(hub_value), THOUSANDS)
    return [Formatted(value, THOUSANDS), hub_cell]
