import re
from datetime import date, timedelta
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from hubsurvey.contacts.services import one_line
from hubsurvey.forms import CheckboxesField, choices, email_address
from hubsurvey.vocabulary import ACTIVITY_KINDS, RESPONDENT_ROLES, SERIES_KINDS

# Hours of CPD a session counts for, per attendee: quarter hours, up to a week's worth.
FEWEST_HOURS = Decimal("0.25")
MOST_HOURS = Decimal(40)
# Plain digits 0-9 with a decimal point: never '²' or another script's digits, and never so
# many digits that reading them costs anything.
_HOURS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{0,4})?|\.[0-9]{1,4}")
NAME_LIMIT = 120
ANOTHER_SCHOOL = "0"
# Follow-up is logged once it has happened, and not years later.
FOLLOW_UP_DAYS_BACK = 5 * 366


def read_hours(text: str) -> float:
    """Hours of CPD as typed ("1.5", "2", ".75"), or a ValidationError saying what to type."""
    text = text.strip().removesuffix("hours").removesuffix("hour").strip()
    if not _HOURS.fullmatch(text):
        raise ValidationError("Enter the hours as a number, like 1.5")
    hours = Decimal(text)
    if not FEWEST_HOURS <= hours <= MOST_HOURS:
        raise ValidationError("Hours of CPD must be between 0.25 and 40")
    if hours % FEWEST_HOURS:
        raise ValidationError("Enter the hours in quarter hours, like 1.25, 1.5 or 1.75")
    return float(hours)


def as_typed(value):
    """A form's hours as text: the stored number, when a form filled from the record is
    posted without its hours field, written as people write it."""
    return hours_text(value) if isinstance(value, int | float) else value


def hours_text(hours: float | None) -> str:
    """Hours as people write them: 1.5, 2, 0.25, 1,250."""
    if hours is None:
        return ""
    return f"{hours:,.2f}".rstrip("0").rstrip(".")


class EndTimeField(TimeField):
    """A time, with a message a lead understands when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter the end time as hours and minutes, like 17:30") from error


class ActivityForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter a title"),
            Length(max=160, message="Title must be 160 characters or fewer"),
        ],
    )
    kind = SelectField("Kind of activity", choices=choices(ACTIVITY_KINDS.items()))
    starts_on = DateField("Date", validators=[InputRequired("Enter the date")])
    starts_at = TimeField("Start time", validators=[InputRequired("Enter the start time")])
    ends_at = EndTimeField(
        "End time (optional)",
        description="The same day. When the session ends, everyone on its register with an "
        "email address is sent the feedback link.",
        validators=[Optional()],
    )
    hours = StringField(
        "Hours of CPD (optional)",
        description="What the session counts for, for each person who attends: for example "
        "1.5 for an hour and a half.",
        filters=[as_typed],
        validators=[Optional()],
    )
    place = StringField(
        "Place (optional)",
        validators=[Optional(), Length(max=200, message="Place must be 200 characters or fewer")],
    )
    online = BooleanField("Online")
    facilitator = StringField(
        "Facilitator (optional)",
        validators=[
            Optional(),
            Length(max=120, message="Facilitator must be 120 characters or fewer"),
        ],
    )
    need_areas = CheckboxesField("Need areas it targets", coerce=int)
    schools = CheckboxesField("Partner schools taking part", coerce=int)
    feedback = SelectField(
        "Feedback survey",
        description="A new one from the hub's feedback template, or one shared with other "
        "activities so their answers can be read together. A session in a series uses the "
        "series' survey.",
        coerce=int,
        # Asked only of a new activity: not sent (editing one) reads as 0, and is not used.
        filters=[lambda value: value or 0],
    )
    # Named as the activity's column, so an activity being edited fills it with an id; not
    # sent (or no series) reads as 0, "Not part of a series".
    series_id = SelectField(
        "Part of a series (optional)",
        description="A work group, lesson study or cohort that this is one session of.",
        coerce=int,
        filters=[lambda value: value or 0],
    )

    def validate_ends_at(self, field) -> None:
        start = self.starts_at.data
        if field.data is not None and start is not None and field.data <= start:
            raise ValidationError("The end time must be after the start time")

    def validate_hours(self, field) -> None:
        read_hours(field.data)

    def cpd_hours(self) -> float | None:
        """The hours typed, read; None when left empty."""
        return read_hours(self.hours.data) if (self.hours.data or "").strip() else None


class AttendanceForm(FlaskForm):
    """One person on an activity's register, as taken at the door."""

    name = StringField(
        "Name",
        filters=[one_line],
        validators=[
            DataRequired("Enter the person's name"),
            Length(max=NAME_LIMIT, message=f"Name must be {NAME_LIMIT} characters or fewer"),
        ],
    )
    email = StringField(
        "Email address (optional)",
        description="The session's feedback link is emailed here when it ends.",
        filters=[one_line],
        validators=[email_address],
    )
    school = SelectField(
        "School",
        # Checked against the hub's partner schools below, with a message of our own.
        validate_choice=False,
    )
    role = SelectField(
        "Role (optional)",
        choices=choices([("", "Not given"), *RESPONDENT_ROLES.items()]),
        validate_choice=False,
    )

    def __init__(self, *args, schools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school.choices = choices(
            [
                ("", "Choose their school"),
                *((str(school.id), school.name) for school in schools),
                (ANOTHER_SCHOOL, "Another school, or none"),
            ]
        )

    def validate_school(self, field) -> None:
        allowed = {choice.value for choice in field.choices if choice.value}
        if field.data not in allowed:
            raise ValidationError("Choose their school from the list, or Another school")

    def validate_role(self, field) -> None:
        if field.data and field.data not in RESPONDENT_ROLES:
            raise ValidationError("Choose a role from the list")

    def school_id(self) -> int | None:
        return None if self.school.data == ANOTHER_SCHOOL else int(self.school.data)


class SeriesForm(FlaskForm):
    """A series of sessions: what it is, and what its sessions share."""

    title = StringField(
        "Title",
        filters=[one_line],
        validators=[
            DataRequired("Enter a title"),
            Length(max=160, message="Title must be 160 characters or fewer"),
        ],
    )
    kind = SelectField("Kind of series", choices=choices(SERIES_KINDS.items()))
    description = TextAreaField(
        "Description (optional)",
        description="What the series is for and who it is for.",
        validators=[
            Optional(),
            Length(max=1000, message="Description must be 1000 characters or fewer"),
        ],
    )
    need_areas = CheckboxesField("Need areas it targets", coerce=int)
    schools = CheckboxesField("Partner schools taking part", coerce=int)
    feedback = SelectField(
        "Feedback survey",
        description="Every session of the series uses it, so the answers can be read together.",
        coerce=int,
        # Not asked once the series has its survey: not sent reads as 0.
        filters=[lambda value: value or 0],
    )


class FollowUpForm(FlaskForm):
    """Mentoring or follow-up with one of a series' schools between sessions."""

    school = SelectField(
        "School",
        # Checked against the series' schools below, with a message of our own.
        validate_choice=False,
    )
    held_on = DateField(
        "Date",
        description="The day it happened.",
        validators=[InputRequired("Enter the date of the follow-up")],
    )
    hours = StringField(
        "Hours (optional)",
        description="Hours of CPD it counts for, for the school: for example 1.5.",
        filters=[as_typed],
        validators=[Optional()],
    )
    notes = TextAreaField(
        "Notes (optional)",
        description="What was done and agreed. Only the hub's staff can read these.",
        validators=[
            Optional(),
            Length(max=2000, message="Notes must be 2000 characters or fewer"),
        ],
    )

    def __init__(self, *args, schools=(), today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or date.today()
        self.school.choices = choices(
            [("", "Choose the school"), *((str(school.id), school.name) for school in schools)]
        )

    def validate_school(self, field) -> None:
        allowed = {choice.value for choice in field.choices if choice.value}
        if field.data not in allowed:
            raise ValidationError("Choose a school taking part in the series")

    def validate_held_on(self, field) -> None:
        if field.data is None:  # not a date: the field says so already
            return
        if field.data > self.today:
            raise ValidationError("The date must be today or in the past")
        if field.data < self.today - timedelta(days=FOLLOW_UP_DAYS_BACK):
            raise ValidationError("The date must be within the last five years")

    def validate_hours(self, field) -> None:
        read_hours(field.data)

    def cpd_hours(self) -> float | None:
        return read_hours(self.hours.data) if (self.hours.data or "").strip() else None

    def school_id(self) -> int:
        return int(self.school.data)
