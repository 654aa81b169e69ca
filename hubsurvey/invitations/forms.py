from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from hubsurvey.forms import CheckboxesField, choices
from hubsurvey.invitations import people, texts
from hubsurvey.invitations.services import RECIPIENTS

SEND_WHEN = {"now": "Now", "later": "On a date"}


class MessageFields:
    """Who gets the message at each school, and its subject and text."""

    to = RadioField(
        "Who at each school gets it",
        choices=choices(RECIPIENTS.items()),
        default="main",
        validators=[InputRequired("Choose who at each school gets the message")],
    )
    subject = StringField(
        "Subject",
        validators=[DataRequired("Enter a subject"), Length(max=200)],
    )
    body = TextAreaField(
        "Message",
        description="Words in braces, like {school}, are filled in for each school: see "
        "the list below the message.",
        validators=[
            DataRequired("Enter the message"),
            Length(max=5000, message="Keep the message to 5,000 characters or fewer"),
        ],
    )

    def validate_subject(self, field) -> None:
        _known_placeholders(field)

    def validate_body(self, field) -> None:
        _known_placeholders(field)
        if "{link}" not in (field.data or ""):
            raise ValidationError(
                "Keep {link} in the message: it is how the school's staff reach the survey"
            )

    def template(self) -> texts.Template:
        return texts.Template(subject=self.subject.data.strip(), body=self.body.data.strip())


def _known_placeholders(field) -> None:
    unknown = texts.unknown_placeholders(field.data or "")
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise ValidationError(
            f"We cannot fill in {names}: use only the words listed, such as {{school}}"
        )


class InviteForm(FlaskForm, MessageFields):
    schools = CheckboxesField(
        "Schools to invite",
        validators=[DataRequired("Choose at least one school to invite")],
    )


class ReminderForm(FlaskForm, MessageFields):
    below = IntegerField(
        "Remind schools with fewer than this many responses",
        validators=[
            InputRequired("Enter a number of responses"),
            NumberRange(1, 1000, "Enter a number from 1 to 1,000"),
        ],
    )
    when = RadioField(
        "When",
        choices=choices(SEND_WHEN.items()),
        default="now",
        validators=[InputRequired("Choose when to send the reminder")],
    )
    send_on = DateField("The date to send it", validators=[])

    def validate_send_on(self, field) -> None:
        if self.when.data != "later":
            return
        if field.data is None:
            raise ValidationError("Enter the date to send the reminder, like 27 11 2026")
        if field.data <= date.today():
            raise ValidationError("Choose a date after today, or send the reminder now")


class AutomaticRemindersForm(FlaskForm):
    remind_days = StringField(
        "Days before the closing date",
        description="For example 7, 2 for a week before and two days before. "
        "Leave it empty for no automatic reminders.",
        validators=[Length(max=40)],
    )
    remind_below = IntegerField(
        "Only to schools with fewer than this many responses",
        validators=[
            InputRequired("Enter a number of responses"),
            NumberRange(1, 1000, "Enter a number from 1 to 1,000"),
        ],
    )
    remind_gap_days = IntegerField(
        "Never remind one school twice within this many days",
        validators=[
            InputRequired("Enter a number of days"),
            NumberRange(0, 60, "Enter a number of days from 0 to 60"),
        ],
    )

    def validate_remind_days(self, field) -> None:
        self.days = parse_days(field.data or "")


def parse_days(text: str) -> list[int]:
    """'7, 2' as [7, 2]: whole numbers of days from 1 to 60, largest first."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    # Two digits at most before int(): '²' is a digit to isdigit(), and 5,000 digits are
    # more than int() reads.
    if not all(p.isascii() and p.isdigit() and len(p) <= 2 and 1 <= int(p) <= 60 for p in parts):
        raise ValidationError(
            "Enter whole numbers of days from 1 to 60, separated by commas, like 7, 2"
        )
    if len(parts) > 5:
        raise ValidationError("Set at most five automatic reminders")
    return sorted({int(p) for p in parts}, reverse=True)


class PeopleForm(FlaskForm):
    people = TextAreaField(
        "People to invite",
        description="One person a line, as Name, email address: for example "
        "Jo Bloggs, jo.bloggs@school.example. Someone already invited is not written to again, "
        "unless their link was withdrawn: they are sent a new one.",
        validators=[
            DataRequired("Enter at least one person, as Name, email"),
            Length(max=60_000, message="Paste at most 500 people at once"),
        ],
    )

    def validate_people(self, field) -> None:
        try:
            self.parsed = people.parse_people(field.data or "")
        except people.PeopleError as error:
            raise ValidationError(str(error)) from error
