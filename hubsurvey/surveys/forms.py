from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from hubsurvey.forms import CheckboxesField, choices
from hubsurvey.surveys.questions import DEFAULT_NUMBER_LIMIT
from hubsurvey.vocabulary import AUDIENCE_FACTS, CYCLES, QUESTION_KINDS


class LinesField(TextAreaField):
    """Text with one item a line. A record's list (a question's options) is shown one a line,
    so that it is kept as it was when the browser leaves the field out."""

    def process_data(self, value) -> None:
        super().process_data("\n".join(value) if isinstance(value, list) else value)


class AudienceFields:
    """Tick boxes for who a section or question is shown to; none ticked means everyone."""

    role = CheckboxesField(
        AUDIENCE_FACTS["role"][0], choices=choices(AUDIENCE_FACTS["role"][1].items())
    )
    phase = CheckboxesField(
        AUDIENCE_FACTS["phase"][0], choices=choices(AUDIENCE_FACTS["phase"][1].items())
    )
    career_stage = CheckboxesField(
        AUDIENCE_FACTS["career_stage"][0],
        choices=choices(AUDIENCE_FACTS["career_stage"][1].items()),
    )
    subject = CheckboxesField(
        AUDIENCE_FACTS["subject"][0], choices=choices(AUDIENCE_FACTS["subject"][1].items())
    )

    def audience(self) -> dict[str, list[str]]:
        return {
            fact: getattr(self, fact).data for fact in AUDIENCE_FACTS if getattr(self, fact).data
        }


class NewSurveyForm(FlaskForm):
    start = RadioField(
        "How do you want to start?",
        choices=choices(
            [
                ("template", "From the template"),
                ("copy", "From a copy of an earlier survey"),
                ("blank", "Blank"),
                ("outcomes", "An outcomes survey"),
            ]
        ),
        default="template",
        validators=[InputRequired("Choose how to start")],
    )
    copy_of = SelectField("Survey to copy", coerce=int, validate_choice=False)

    def validate_copy_of(self, field) -> None:
        # Only a survey offered in the list: any other number (one no survey could have, say)
        # is refused here, before it reaches the database.
        offered = {choice.value for choice in field.choices} - {0}
        if self.start.data == "copy" and field.data not in offered:
            raise ValidationError("Choose the survey to copy")


class SettingsForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter a title"),
            Length(max=120, message="Title must be 120 characters or fewer"),
        ],
    )
    intro = TextAreaField(
        "Introduction for respondents",
        validators=[
            Optional(),
            Length(max=1000, message="Introduction must be 1,000 characters or fewer"),
        ],
    )
    anonymous = RadioField(
        "Anonymous or named",
        choices=choices(
            [
                ("yes", "Anonymous: no names or email addresses are asked or stored"),
                ("no", "Named: respondents give their name, and may give an email address"),
            ]
        ),
        validators=[InputRequired("Choose anonymous or named")],
    )
    # Asked for only when a named survey that people have answered is made anonymous.
    confirm_anonymous = BooleanField("Yes, make this survey anonymous from now on")
    opens_on = DateField(
        "Opens on (optional)",
        description="Leave blank to open as soon as you open it.",
        validators=[Optional()],
    )
    closes_on = DateField(
        "Closes on (optional)",
        description="It stops taking answers after this day.",
        validators=[Optional()],
    )
    cycle = RadioField(
        "Does it recur?",
        description="Each round (wave) collects a separate, dated set of answers to the same "
        "questions, so you can compare them. Earlier waves stay as they were.",
        choices=choices(CYCLES.items()),
        default="none",
        validators=[InputRequired("Choose whether the survey recurs")],
    )
    cycle_weeks = IntegerField(
        "Weeks between waves",
        validators=[Optional(), NumberRange(1, 52, "Enter a number of weeks from 1 to 52")],
    )
    keep_until = DateField(
        "Keep answers until",
        description="After this date the answers are deleted.",
        validators=[InputRequired("Enter the date until which answers are kept")],
    )
    privacy_notice = TextAreaField(
        "Privacy notice",
        description="Shown before anyone answers: who runs the survey, why, how long answers are "
        "kept and how to get in touch. Leave a blank line between paragraphs.",
        validators=[
            DataRequired("Enter the privacy notice"),
            Length(max=4000, message="Privacy notice must be 4,000 characters or fewer"),
        ],
    )

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("The closing date must be on or after the opening date")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not in a validate_cycle_weeks: Optional() ends a field's checks when
        # it is empty, so that one never saw weeks left out.
        weeks = self.cycle_weeks
        if self.cycle.data == "weeks" and weeks.data is None and not weeks.errors:
            weeks.errors.append("Enter the number of weeks between waves")
            valid = False
        return valid

    def validate_keep_until(self, field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError("Answers must be kept until today or later")
        if field.data and self.closes_on.data and field.data < self.closes_on.data:
            raise ValidationError("Answers must be kept until the survey closes, at least")


class SectionForm(FlaskForm, AudienceFields):
    title = StringField(
        "Section title",
        validators=[
            DataRequired("Enter a title"),
            Length(max=120, message="Title must be 120 characters or fewer"),
        ],
    )
    intro = TextAreaField(
        "Introduction (optional)",
        validators=[
            Optional(),
            Length(max=500, message="Introduction must be 500 characters or fewer"),
        ],
    )


class QuestionForm(FlaskForm, AudienceFields):
    kind = SelectField("Type of question", choices=choices(QUESTION_KINDS.items()))
    prompt = TextAreaField(
        "Question",
        validators=[
            DataRequired("Enter the question"),
            Length(max=300, message="Question must be 300 characters or fewer"),
        ],
    )
    hint = StringField(
        "Hint (optional)",
        validators=[Optional(), Length(max=300, message="Hint must be 300 characters or fewer")],
    )
    required = BooleanField("An answer is needed")
    options = LinesField(
        "Answers to choose from",
        description="One per line, 2 to 12 of them.",
        validators=[Optional()],
    )
    labels = TextAreaField(
        "Words for 1 to 5",
        description="Five lines, each 60 characters or fewer: the words for 1, 2, 3, 4 and 5.",
        validators=[Optional()],
    )
    low_label = StringField("Words for 0", validators=[Optional(), Length(max=60)])
    high_label = StringField("Words for 10", validators=[Optional(), Length(max=60)])
    unit = StringField(
        "Unit (optional)",
        description="For example: pupils, hours, %.",
        validators=[Optional(), Length(max=20)],
    )
    minimum = StringField("Smallest answer allowed (optional)", validators=[Optional()])
    maximum = StringField("Largest answer allowed (optional)", validators=[Optional()])
    integer = BooleanField("Whole numbers only")
    max_length = IntegerField(
        "Longest answer, in characters",
        validators=[Optional(), NumberRange(1, 4000, "Enter a number from 1 to 4,000")],
    )
    need_area_id = SelectField("Need area this question is about (optional)", coerce=int)
    grid_areas = CheckboxesField("Need areas in the grid", coerce=int)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        kind = self.kind.data
        if kind in ("single", "multiple") and not 2 <= len(self.option_list()) <= 12:
            self.options.errors.append("Give 2 to 12 answers to choose from, one per line")
            valid = False
        if len(set(self.option_list())) != len(self.option_list()):
            self.options.errors.append("Each answer to choose from must be different")
            valid = False
        if any(len(option) > 120 for option in self.option_list()):
            self.options.errors.append("Each answer to choose from must be 120 characters or fewer")
            valid = False
        if kind == "scale" and len(self.label_list()) != 5:
            self.labels.errors.append("Give exactly five lines: the words for 1, 2, 3, 4 and 5")
            valid = False
        if kind == "scale" and any(len(label) > 60 for label in self.label_list()):
            self.labels.errors.append("Each line must be 60 characters or fewer")
            valid = False
        if kind == "number":
            for field in (self.minimum, self.maximum):
                number = _number(field.data)
                if field.data and number is None:
                    field.errors.append("Enter a number, like 0 or 100")
                    valid = False
                elif number is not None and abs(number) > DEFAULT_NUMBER_LIMIT:
                    # Beyond what a teacher's answer may be anyway.
                    field.errors.append(
                        f"Enter a number from -{DEFAULT_NUMBER_LIMIT:,} to {DEFAULT_NUMBER_LIMIT:,}"
                    )
                    valid = False
            low, high = _number(self.minimum.data), _number(self.maximum.data)
            if low is not None and high is not None and low > high:
                self.maximum.errors.append("The largest answer must be at least the smallest")
                valid = False
        if kind == "short_text" and self.max_length.data and self.max_length.data > 200:
            self.max_length.errors.append("Short answers can be at most 200 characters")
            valid = False
        if kind == "needs_grid" and not self.grid_areas.data:
            self.grid_areas.errors.append("Choose at least one need area for the grid")
            valid = False
        return valid

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def label_list(self) -> list[str]:
        return [line.strip() for line in (self.labels.data or "").splitlines() if line.strip()]

    def settings(self) -> dict:
        """The kind-specific settings, as Question.settings keeps them."""
        match self.kind.data:
            case "scale":
                return {"labels": self.label_list()}
            case "rating":
                return {
                    "low_label": self.low_label.data or "",
                    "high_label": self.high_label.data or "",
                }
            case "number":
                settings = {"unit": (self.unit.data or "").strip(), "integer": self.integer.data}
                for key, field in (("min", self.minimum), ("max", self.maximum)):
                    if (value := _number(field.data)) is not None:
                        settings[key] = value
                return settings
            case "short_text" | "long_text":
                return {"max_length": self.max_length.data} if self.max_length.data else {}
        return {}


def _number(text: str | None) -> float | int | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None  # NaN and infinity parse as floats, but are no use as limits
    return int(value) if value.is_integer() else value


class DeleteSurveyForm(FlaskForm):
    # Asked for only when the survey holds responses.
    confirm = BooleanField("Yes, delete the survey and all its responses for good")
