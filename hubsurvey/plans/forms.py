from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from hubsurvey.contacts.services import one_line
from hubsurvey.forms import CheckboxesField, choices
from hubsurvey.inputs import whole_number
from hubsurvey.plans.money import MoneyError, read_pounds
from hubsurvey.vocabulary import COST_KINDS, TERMS

HUB_AS_A_WHOLE = 0
# Funding ends on a real date in a plan's lifetime: not a typing slip decades away.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _strip(text: str | None) -> str:
    return (text or "").strip()


def _too_long(label: str, limit: int, what: str = "") -> Length:
    what = what or label.removesuffix(" (optional)")
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


def _line(
    label: str, limit: int, required: str = "", description: str = "", what: str = ""
) -> StringField:
    """A one-line text field: runs of spaces as one, within the column's limit."""
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(_too_long(label, limit, what))
    return StringField(label, description=description, filters=[one_line], validators=validators)


def _text(label: str, limit: int, description: str = "") -> TextAreaField:
    return TextAreaField(
        label, description=description, filters=[_strip], validators=[_too_long(label, limit)]
    )


class MoneyField(StringField):
    """Pounds as people type them; `pence` holds the amount once validated."""

    pence: int | None = None

    def pre_validate(self, form) -> None:
        try:
            self.pence = read_pounds(self.data or "")
        except MoneyError as error:
            raise ValidationError(str(error)) from error


class EndDateField(DateField):
    """A date, with a message a lead understands when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter the date as a day, month and year, like 31/03/2027") from error

    def pre_validate(self, form) -> None:
        if self.data is not None and not EARLIEST <= self.data <= LATEST:
            raise ValidationError("Enter a date between the years 2000 and 2100")


class StartForm(FlaskForm):
    """Start a year's plan: from the starting point for this kind of hub, or from last year's."""

    year = HiddenField()
    start = SelectField(
        "Start from",
        choices=choices([("template", "The starting point"), ("copy", "Last year's plan")]),
        validate_choice=False,
    )

    def __init__(self, *args, years=(), copyable=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.years, self.copyable = list(years), set(copyable)

    def validate_year(self, field) -> None:
        if whole_number(field.data or "") not in self.years:
            raise ValidationError("Choose a school year that has no plan yet")

    def validate_start(self, field) -> None:
        if field.data not in ("template", "copy"):
            raise ValidationError("Choose where the plan starts from")
        if field.data == "copy" and whole_number(self.year.data or "") not in self.copyable:
            raise ValidationError("There is no plan from the year before to copy")

    @property
    def chosen_year(self) -> int:
        return whole_number(self.year.data)


class NeedForm(FlaskForm):
    """ "Make an objective from this need": the need area, from the needs summary."""

    need_area_id = HiddenField()

    def __init__(self, *args, areas=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {area.id: area for area in areas}

    def validate_need_area_id(self, field) -> None:
        if whole_number(field.data or "") not in self.areas:
            raise ValidationError("Choose a need area from the summary")

    @property
    def area(self):
        return self.areas[whole_number(self.need_area_id.data)]


class NewObjectiveForm(FlaskForm):
    title = _line("Add an objective", 300, required="Enter the objective", what="The objective")


class ObjectiveForm(FlaskForm):
    title = _line("Objective", 300, required="Enter the objective")
    owner = _line(
        "Owner (optional)", 120, description="Who makes sure it happens: a name or a role."
    )
    terms = CheckboxesField("Terms it runs in", choices=choices(TERMS.items()))
    need_areas = CheckboxesField("Need areas it meets", coerce=int)
    activities = CheckboxesField(
        "Activities that deliver it",
        description="The hub's activities this school year, held and planned.",
        coerce=int,
    )


class SwotForm(FlaskForm):
    """An item for one of the SWOT's lists (the list is named in the URL)."""

    text = _line("Item", 500, required="Enter what to add", what="An item")


class PersonForm(FlaskForm):
    role = _line("Role", 120, required="Enter the role, like Hub lead")
    name = _line(
        "Name (optional)", 120, description="Leave it empty until someone takes on the role."
    )
    backup = _line(
        "Backup (optional)",
        120,
        description="Who steps in when they are away or leave. A role with no backup is "
        "flagged: the hub relies on one person.",
    )
    notes = _text("Notes (optional)", 500)


class FundingForm(FlaskForm):
    source = _line("Source of funding", 200, required="Enter where the money comes from")
    amount = MoneyField(
        "Amount in pounds", description="For this school year, like 1250 or £1,250.50."
    )
    ends_on = EndDateField(
        "Ends on (optional)",
        description="When the money stops. Funding ending within the plan's year is flagged.",
        validators=[Optional()],
    )
    notes = _text("Notes (optional)", 500)


class CostForm(FlaskForm):
    objective = SelectField("For", coerce=int, validate_choice=False)
    kind = SelectField("Kind of cost", choices=choices(COST_KINDS.items()), validate_choice=False)
    description = _line("Description (optional)", 300)
    amount = MoneyField("Amount in pounds", description="Like 1250 or £1,250.50.")

    def __init__(self, *args, objectives=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = {objective.id: objective for objective in objectives}
        self.objective.choices = choices(
            [
                (HUB_AS_A_WHOLE, "The hub as a whole"),
                *((o.id, f"Objective {o.position + 1}: {o.title}") for o in objectives),
            ]
        )

    def validate_objective(self, field) -> None:
        if field.data != HUB_AS_A_WHOLE and field.data not in self.objectives:
            raise ValidationError("Choose the hub as a whole or one of the plan's objectives")

    def validate_kind(self, field) -> None:
        if field.data not in COST_KINDS:
            raise ValidationError("Choose the kind of cost")

    @property
    def chosen_objective(self):
        return self.objectives.get(self.objective.data)


class AimsForm(FlaskForm):
    aims = _text(
        "Aims",
        4000,
        description="What the hub is for, and what will be different for "
        "teachers and pupils when it succeeds.",
    )


class ContinuityForm(FlaskForm):
    continuity = _text(
        "How the hub keeps going when a participant teacher leaves a school",
        4000,
        description="For example: each school names a second teacher; the head agrees in "
        "the memorandum of understanding to put someone new forward.",
    )


class OutlookForm(FlaskForm):
    outlook_1 = _text("Outlook", 2000)
    outlook_2 = _text("Outlook", 2000)
    outlook_3 = _text("Outlook", 2000)

    def label_years(self, years: list[tuple[str, str]]) -> None:
        """Each field labelled with the school year it covers."""
        for name, words in years:
            self[name].label.text = f"Activity planned for {words} (optional)"


WORDS_FORMS = {"aims": AimsForm, "continuity": ContinuityForm, "outlook": OutlookForm}
