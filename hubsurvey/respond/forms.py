from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from hubsurvey.forms import choices, email_address
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS


class ProfileForm(FlaskForm):
    school = StringField(
        "Your school",
        description="Start typing its name or URN and choose it from the list. "
        "If it is not there, type its full name.",
        validators=[
            InputRequired("Enter the name of your school"),
            Length(max=200, message="School name must be 200 characters or fewer"),
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
        validators=[
            InputRequired("Enter your name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    respondent_email = EmailField(
        "Your email address (optional)",
        description="Only if you would like the hub to be able to reply to you.",
        validators=[Optional(), email_address],
    )


class ResumeForm(FlaskForm):
    code = StringField(
        "Your resume code",
        description="8 letters and numbers, like K7PQ-4XWM. It was shown as you answered.",
        validators=[InputRequired("Enter your resume code")],
    )
