from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, ValidationError

from hubsurvey.inputs import MAX_ROW_ID  # ids beyond it are nobody's: refused before any query

TERM_CHECKS = [
    # Not only spaces: an empty search would find everyone.
    DataRequired("Enter the person's name or email address"),
    Length(max=254, message="Name or email address must be 254 characters or fewer"),
]


# Control characters never arrive here: hubsurvey.inputs takes them out of every request.
class SearchForm(FlaskForm):
    # Posted, not sent in the address: a name or an email in a URL would stay in the server's
    # logs and the browser's history.
    term = StringField(
        "Name or email address",
        description="Part of a name finds everyone whose name contains it. An email address "
        "finds only that exact address.",
        validators=TERM_CHECKS,
    )


class ChosenForm(FlaskForm):
    """The responses, register entries and follow-up notes chosen from a search, with the
    search, to show it again."""

    term = HiddenField(validators=TERM_CHECKS)
    responses = SelectMultipleField(
        "Responses",
        coerce=int,
        # Whether each may be chosen is checked against the hub's own responses, in services.
        validate_choice=False,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )

    # Entries on activities' registers that name the person.
    attendance = SelectMultipleField(
        "Register entries",
        coerce=int,
        validate_choice=False,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )

    # Follow-ups whose notes name the person: erasing one clears its notes.
    follow_ups = SelectMultipleField(
        "Follow-up notes",
        coerce=int,
        validate_choice=False,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )

    def validate_responses(self, field) -> None:
        if not field.data and not self.attendance.data and not self.follow_ups.data:
            raise ValidationError("Choose at least one response, register entry or follow-up note")
        if any(not 1 <= value <= MAX_ROW_ID for value in field.data or []):
            raise ValidationError("Choose from the responses listed")

    def validate_attendance(self, field) -> None:
        if any(not 1 <= value <= MAX_ROW_ID for value in field.data or []):
            raise ValidationError("Choose from the register entries listed")

    def validate_follow_ups(self, field) -> None:
        if any(not 1 <= value <= MAX_ROW_ID for value in field.data or []):
            raise ValidationError("Choose from the follow-up notes listed")
