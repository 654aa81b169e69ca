from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from hubsurvey.contacts.services import NAME_LIMIT, ROLE_LIMIT, one_line
from hubsurvey.inputs import whole_number


def _name_field() -> StringField:
    return StringField(
        "Your full name",
        filters=[one_line],
        validators=[
            DataRequired("Enter your full name"),
            Length(max=NAME_LIMIT, message=f"Name must be {NAME_LIMIT} characters or fewer"),
        ],
    )


class SignForm(FlaskForm):
    """A head's signature: who they are, and that they agree on the school's behalf. The
    agreement's label names the school and year (set by the view)."""

    signed_name = _name_field()
    signed_role = StringField(
        "Your role",
        description="For example: Headteacher, Executive headteacher, Head of school.",
        filters=[one_line],
        validators=[
            DataRequired("Enter your role"),
            Length(max=ROLE_LIMIT, message=f"Role must be {ROLE_LIMIT} characters or fewer"),
        ],
    )
    agree = BooleanField(
        "I agree to this memorandum", validators=[DataRequired("Tick the box to agree")]
    )
    # The version the head read: if the hub changes it meanwhile, they read the new one first.
    version = HiddenField()

    def validate_version(self, field) -> None:
        if whole_number(field.data or "") is None:
            raise ValidationError("Reload the page, read the memorandum and sign again")


class WithdrawForm(FlaskForm):
    """The head confirms, by name, that the school is leaving the hub's programme."""

    name = _name_field()
    confirm = BooleanField(
        "We are leaving the hub's programme",
        validators=[DataRequired("Tick the box to confirm that your school is leaving")],
    )
