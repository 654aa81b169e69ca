"""The audit log's filters: read from the address, so a filtered view can be shared."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError


class LogFilterForm(FlaskForm):
    # Sent as a GET: it changes nothing, and the filters stay in the address.
    class Meta:
        csrf = False

    action = SelectField("What", validators=[Optional()])
    hub = SelectField("Hub", validators=[Optional()])
    actor = StringField(
        "Who (part of an email address)",
        validators=[
            Optional(),
            Length(max=254, message="Who must be 254 characters or fewer"),
        ],
    )
    since = DateField(
        "From", validators=[Optional()], invalid_value_message="Enter a date like 2026-03-31"
    )
    until = DateField(
        "To", validators=[Optional()], invalid_value_message="Enter a date like 2026-03-31"
    )

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The 'to' date must be on or after the 'from' date")
