from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubsurvey.forms import CheckboxesField, choices, email_address
from hubsurvey.vocabulary import ACCOUNT_ROLES, PHASES


class HubForm(FlaskForm):
    name = StringField(
        "Hub name",
        validators=[
            DataRequired("Enter the hub's name"),
            Length(max=120, message="Hub name must be 120 characters or fewer"),
        ],
    )
    hub_type_id = SelectField("Type of hub", coerce=int)
    area = StringField(
        "Area served",
        description="For example, the local authorities or region the hub covers.",
        validators=[Optional(), Length(max=120, message="Area must be 120 characters or fewer")],
    )
    phases = CheckboxesField(
        "Phases served",
        description="Leave all unticked for every phase its type serves.",
        choices=choices(PHASES.items()),
    )
    contact_email = EmailField(
        "Contact email for teachers",
        description="Shown in every survey's privacy notice, for questions about answers.",
        validators=[Optional(), email_address],
    )
    smallest_group = IntegerField(
        "Smallest group shown in summaries",
        description="In anonymous surveys, figures resting on fewer respondents are hidden, "
        "so nobody can be picked out. 5 unless you have a reason.",
        default=5,
        validators=[Optional(), NumberRange(2, 50, "Enter a number from 2 to 50")],
    )
    subject = StringField(
        "Subject",
        description="Subject hubs only. Left blank, the hub type's subject is used.",
        validators=[Optional(), Length(max=60, message="Subject must be 60 characters or fewer")],
    )


class NewUserForm(FlaskForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter the email address"), email_address]
    )
    role = RadioField(
        "Role",
        choices=choices(ACCOUNT_ROLES.items()),
        default="staff",
        validators=[InputRequired("Choose a role")],
    )
    hubs = CheckboxesField("Hubs they work for", coerce=int)


class EditUserForm(FlaskForm):
    role = RadioField(
        "Role", choices=choices(ACCOUNT_ROLES.items()), validators=[InputRequired("Choose a role")]
    )
    active = BooleanField("Account is active (untick to stop this person signing in)")
    hubs = CheckboxesField("Hubs they work for", coerce=int)


class HubTypeForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter a name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description",
        validators=[
            Optional(),
            Length(max=1000, message="Description must be 1,000 characters or fewer"),
        ],
    )
    subject = StringField(
        "Subject (subject hubs only)",
        validators=[Optional(), Length(max=60, message="Subject must be 60 characters or fewer")],
    )
    phases = CheckboxesField(
        "Phases this kind of hub serves",
        description="Leave all unticked for every phase.",
        choices=choices(PHASES.items()),
    )
    active = BooleanField("Offered for new hubs")


class NeedAreaForm(FlaskForm):
    # Its own ids: the hub type's page shows this form below the hub type's own.
    name = StringField(
        "Need area",
        id="area-name",
        validators=[
            DataRequired("Enter the need area"),
            Length(max=120, message="Need area must be 120 characters or fewer"),
        ],
    )
    description = StringField(
        "Description (optional)",
        id="area-description",
        validators=[
            Optional(),
            Length(max=500, message="Description must be 500 characters or fewer"),
        ],
    )
