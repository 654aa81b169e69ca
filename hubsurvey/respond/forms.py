from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubsurvey.forms import choices, email_address
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

SCHOOL_NAME_LIMIT = 200  # Response.school_name
NAME_LIMIT = 120  # Response.respondent_name


def _one_line(value: str | None) -> str | None:
    """Spaces and line breaks run together, as a name is kept: limits count what is stored."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _email(value: str | None) -> str | None:
    # Lower case before the length check: a few letters grow when lower-cased.
    return value.strip().lower() if isinstance(value, str) else value


class ProfileForm(FlaskForm):
    school = StringField(
        "Your school",
        description="Start typing its name or URN and choose it from the list. "
        f"If it is not there, type its full name (up to {SCHOOL_NAME_LIMIT} characters).",
        filters=[_one_line],
        validators=[
            DataRequired("Enter the name of your school"),
            Length(
                max=SCHOOL_NAME_LIMIT,
                message=f"School name must be {SCHOOL_NAME_LIMIT} characters or fewer",
            ),
        ],
    )
    phase = RadioField(
        "Your school's phase",
        choices=choices(PHASES.items()),
        validators=[InputRequired("Choose your school's phase")],
    )
    role = RadioField(
        "Your role",
        description="If you have more than one, choose the one you spend most time on.",
        choices=choices(RESPONDENT_ROLES.items()),
        validators=[InputRequired("Choose your role")],
    )
    career_stage = RadioField(
        "How long have you been teaching?",
        choices=choices(CAREER_STAGES.items()),
        validators=[InputRequired("Choose how long you have been teaching")],
    )
    subject = SelectField(
        "The subject you teach most",
        choices=choices([("", "Choose a subject"), *SUBJECTS.items()]),
        validators=[InputRequired("Choose the subject you teach most")],
    )


class NamedProfileForm(ProfileForm):
    """For surveys that are not anonymous: who is answering."""

    respondent_name = StringField(
        "Your name",
        description=f"Up to {NAME_LIMIT} characters.",
        filters=[_one_line],
        validators=[
            DataRequired("Enter your name"),
            Length(max=NAME_LIMIT, message=f"Name must be {NAME_LIMIT} characters or fewer"),
        ],
    )
    # No length hint: no working address is longer than the 254 characters allowed.
    respondent_email = EmailField(
        "Your email address (optional)",
        description="Only if you would like the hub to be able to reply to you.",
        filters=[_email],
        validators=[Optional(), email_address],
    )


class ResumeForm(FlaskForm):
    code = StringField(
        "Your resume code",
        description="8 letters and numbers, like K7PQ-4XWM. It was shown as you answered.",
        validators=[InputRequired("Enter your resume code")],
    )
