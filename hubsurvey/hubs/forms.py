from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubsurvey.forms import choices
from hubsurvey.vocabulary import PARTNER_STATUSES, PHASES


class SchoolForm(FlaskForm):
    name = StringField(
        "School name",
        validators=[
            DataRequired("Enter the school's name"),
            Length(max=200, message="School name must be 200 characters or fewer"),
        ],
    )
    urn = StringField(
        "URN (optional)",
        description=(
            "The school's 6-digit unique reference number, from Get Information about Schools."
        ),
    )
    phase = SelectField(
        "Phase",
        choices=choices([("", "Choose a phase"), *PHASES.items()]),
        validators=[InputRequired("Choose the school's phase")],
    )
    local_authority = StringField(
        "Local authority (optional)",
        validators=[
            Optional(),
            Length(max=120, message="Local authority must be 120 characters or fewer"),
        ],
    )
    trust = StringField(
        "Trust (optional)",
        validators=[Optional(), Length(max=200, message="Trust must be 200 characters or fewer")],
    )
    status = RadioField(
        "Where things stand with this school",
        choices=choices(PARTNER_STATUSES.items()),
        default="invited",
        validators=[InputRequired("Choose where things stand with this school")],
    )


class ImportForm(FlaskForm):
    file = FileField("CSV file")


class ConfirmImportForm(FlaskForm):
    """The checked file sent back, with what it would do, and the lead's choices: the lines
    whose changes to make, and the closed schools to add anyway."""

    text = HiddenField()
    plan = HiddenField()
    update = SelectMultipleField(coerce=int, validate_choice=False)
    closed = SelectMultipleField(coerce=int, validate_choice=False)
