from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from hubsurvey.contacts.services import (
    EMAIL_LIMIT,
    NAME_LIMIT,
    PHONE_LIMIT,
    ROLE_LIMIT,
    ContactDetails,
    one_line,
    valid_phone,
)
from hubsurvey.forms import email_address


def phone_number(_form, field) -> None:
    if not field.data:
        return
    if len(field.data) > PHONE_LIMIT:
        raise ValidationError(f"Phone number must be {PHONE_LIMIT} characters or fewer")
    if not valid_phone(field.data):
        raise ValidationError(
            "Enter a phone number using digits, spaces, +, brackets and hyphens, like 0113 496 0000"
        )


class ContactForm(FlaskForm):
    """A school's headteacher or main contact for the hub. Every value is kept on one line."""

    name = StringField(
        "Full name",
        filters=[one_line],
        validators=[
            DataRequired("Enter the contact's name"),
            Length(max=NAME_LIMIT, message=f"Name must be {NAME_LIMIT} characters or fewer"),
        ],
    )
    role = StringField(
        "Role (optional)",
        description="For example: Headteacher, Deputy headteacher, CPD lead.",
        filters=[one_line],
        validators=[
            Length(max=ROLE_LIMIT, message=f"Role must be {ROLE_LIMIT} characters or fewer")
        ],
    )
    email = StringField(
        "Email address (optional)",
        description="Invitations, reminders and the memorandum of understanding go here.",
        filters=[one_line],
        validators=[
            email_address,
            Length(
                max=EMAIL_LIMIT,
                message=f"Email address must be {EMAIL_LIMIT} characters or fewer",
            ),
        ],
    )
    phone = StringField("Phone number (optional)", filters=[one_line], validators=[phone_number])

    def details(self) -> ContactDetails:
        return ContactDetails(
            name=self.name.data, role=self.role.data, email=self.email.data, phone=self.phone.data
        )
