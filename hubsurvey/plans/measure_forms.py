"""The measure's form: what it reads (chosen first, so only the fields that kind needs are
asked), then its baseline, target, due date and direction.

Everything a field names is checked against the hub: a survey of the right kind among its
own, a wave of that survey, a need area of its framework, a question of that survey."""

import math
import re
from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from hubsurvey.contacts.services import one_line
from hubsurvey.extensions import db
from hubsurvey.forms import choices
from hubsurvey.inputs import MAX_ROW_ID, whole_number
from hubsurvey.models import Hub, Objective, Plan, Survey
from hubsurvey.plans import outcome
from hubsurvey.plans.evidence import SURVEY_KIND
from hubsurvey.plans.measures import MeasureDetails
from hubsurvey.reports.results import find_wave
from hubsurvey.school_years import year_starts
from hubsurvey.vocabulary import MEASURE_KINDS

# The fields each kind of measure asks for, besides its title, baseline, target, due date and
# direction.
KIND_FIELDS = {
    "typed": ("unit", "current"),
    "need-score": ("survey", "wave", "need_area"),
    "confidence-change": ("survey", "wave", "need_area"),
    "feedback-rating": (),
    "outcome": ("survey", "wave", "question", "standard"),
    "schools-active": (),
    "teachers-attending": (),
}
# What each kind is for, under its name when a lead chooses one.
KIND_HINTS = {
    "typed": "Any figure you count yourself, typed in and updated by hand.",
    "need-score": "How much teachers need support with one need area (0 to 100): it should "
    "fall as the hub's support works.",
    "confidence-change": "How much more confident the same teachers feel, from their answers "
    "linked by participant codes.",
    "feedback-rating": "How useful the objective's activities were, from their feedback (1 to 5).",
    "outcome": "A figure across partner schools from an outcomes survey, such as the "
    "percentage meeting a standard.",
    "schools-active": "Partner schools reached by sessions or follow-up this school year.",
    "teachers-attending": "Teachers on the registers of the hub's sessions this school year.",
}
# What each kind's figure can be (outcomes depend on the question: see figure_range).
FIGURE_RANGES = {
    "need-score": (0, 100, "A need score runs from 0 to 100"),
    "confidence-change": (-4, 4, "A change in confidence (1 to 5) runs from -4 to 4"),
    "feedback-rating": (1, 5, "A feedback rating runs from 1 to 5"),
    "schools-active": (0, None, "A number of schools is 0 or more"),
    "teachers-attending": (0, None, "A number of teachers is 0 or more"),
}
# Lower is better for a need: it falls as teachers' confidence grows.
LOWER_IS_BETTER = {"need-score"}
_NUMBER = re.compile(r"-?[0-9]{1,9}(?:\.[0-9]{1,3})?")
LATEST = 0


def read_number(text: str | None, what: str) -> float | None:
    """A figure as typed ('62.5', '1,250', '70%'), None when empty, or a message."""
    text = (text or "").strip().removesuffix("%").strip().replace(",", "")
    if not text:
        return None
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise ValidationError(f"Enter the {what} as a number, like 60 or 62.5")
    return float(text)


def record_id(value) -> int:
    """A record's id from a select, or -1 (which names nothing) when it cannot be one."""
    if isinstance(value, int):
        return value
    number = whole_number(value) if isinstance(value, str) else None
    return number if number is not None and number <= MAX_ROW_ID else -1


class KindForm(FlaskForm):
    """The first step: what the measure reads. Sent by GET, so no token is needed."""

    class Meta:
        csrf = False

    kind = RadioField(
        "What does the measure read?",
        choices=choices(MEASURE_KINDS.items()),
        validate_choice=False,
    )


class RemoveMeasureForm(FlaskForm):
    """The confirmation: only its token."""


class DueDateField(DateField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter the due date as a date, like 2027-07-16") from error


class MeasureForm(FlaskForm):
    title = StringField(
        "Title",
        filters=[one_line],
        validators=[Length(max=300, message="Title must be 300 characters or fewer")],
    )
    survey = SelectField("Survey", coerce=record_id, validate_choice=False)
    wave = SelectField(
        "Wave",
        description="Leave it on the latest wave for the figure to follow each new wave.",
        coerce=record_id,
        validate_choice=False,
    )
    need_area = SelectField("Need area", coerce=record_id, validate_choice=False)
    question = SelectField("Question", coerce=record_id, validate_choice=False)
    standard = StringField(
        "Standard (optional for a number)",
        filters=[one_line],
        description="For a number: a figure schools should reach, such as 70, to count the "
        "percentage of schools at or above it; leave it empty for the hub's figure. For a "
        "single choice: the answer that meets the standard, word for word. For a scale or "
        "rating: the lowest answer that meets it.",
        validators=[Length(max=200, message="Standard must be 200 characters or fewer")],
    )
    unit = StringField(
        "Unit (optional)",
        filters=[one_line],
        description="What the figures count, such as % or teachers.",
        validators=[Length(max=40, message="Unit must be 40 characters or fewer")],
    )
    current = StringField("Current value (optional)")
    baseline = StringField(
        "Baseline (optional)",
        description="Where the figure stood at the start. With a due date, it sets the "
        "progress expected along the way.",
    )
    use_current = BooleanField("Use the current figure as the baseline")
    target = StringField("Target (optional)", description="Without one, it is not judged.")
    due_on = DueDateField("Due date (optional)", validators=[Optional()])
    direction = RadioField(
        "Which way is better?",
        choices=choices([("higher", "Higher is better"), ("lower", "Lower is better")]),
        validate_choice=False,
    )

    def __init__(self, *args, hub: Hub, plan: Plan, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hub, self.plan, self.kind = hub, plan, kind
        self.asks = set(KIND_FIELDS[kind])
        if kind == "typed":
            self.title.description = "What it counts, such as 'Teachers trained in phonics'."
        else:
            self.title.label.text = "Title (optional)"
            self.title.description = "Left empty, the measure is named after what it reads."
        self.surveys = _surveys(hub, SURVEY_KIND.get(kind))
        self.survey.choices = choices(
            [(0, "Choose a survey"), *((s.id, s.title) for s in self.surveys)]
        )
        # Waves and questions grouped by survey: only the chosen survey's count.
        self.wave.choices = [SelectChoice(LATEST, "The latest wave with answers")] + [
            SelectChoice(w.id, w.label, optgroup=s.title)
            for s in self.surveys
            for w in reversed(s.waves)
        ]
        self.question.choices = [SelectChoice(0, "Choose a question")] + [
            SelectChoice(q.id, q.prompt, optgroup=s.title)
            for s in self.surveys
            for q in s.questions
            if q.kind in outcome.KINDS
        ]
        areas = hub.hub_type.need_areas
        first = "Every need area of the survey" if kind == "confidence-change" else "Choose one"
        self.need_area.choices = choices([(0, first), *((a.id, a.name) for a in areas)])
        if not self.direction.data:
            self.direction.data = "lower" if kind in LOWER_IS_BETTER else "higher"
        self.due_on.description = (
            f"Between {year_starts(plan.year):%-d %B %Y} and {self.last_due:%-d %B %Y}."
        )

    @property
    def last_due(self):
        """The plan looks three school years ahead: a measure is due within them."""
        return year_starts(self.plan.year + 3) - timedelta(days=1)

    def chosen_survey(self) -> Survey | None:
        return next((s for s in self.surveys if s.id == self.survey.data), None)

    # Each check applies only to the fields the kind asks for.

    def validate_title(self, field) -> None:
        if self.kind == "typed" and not field.data:
            raise ValidationError("Enter a title: what the figure counts")

    def validate_survey(self, field) -> None:
        if "survey" not in self.asks:
            return
        if self.chosen_survey() is None:
            what = "outcomes surveys" if self.kind == "outcome" else "needs assessments"
            if not self.surveys:
                raise ValidationError(f"The hub has no {what} yet: make one first")
            if field.data not in (0, None):
                raise ValidationError(f"That survey is not one of this hub's {what}: choose one")
            raise ValidationError(f"Choose one of the hub's {what}")

    def validate_wave(self, field) -> None:
        survey = self.chosen_survey()
        if "wave" not in self.asks or survey is None or field.data in (LATEST, None):
            return
        if field.data not in {w.id for w in survey.waves}:
            raise ValidationError(
                f"That wave is not one of '{survey.title}': choose one of its waves, or the latest"
            )

    def validate_need_area(self, field) -> None:
        if "need_area" not in self.asks:
            return
        if field.data in (0, None):
            if self.kind == "need-score":
                raise ValidationError("Choose the need area whose need score it reads")
            return
        if field.data not in {a.id for a in self.hub.hub_type.need_areas}:
            raise ValidationError(
                f"That need area is not in the {self.hub.hub_type.name} framework this hub "
                "uses: choose one of its need areas"
            )

    def validate_question(self, field) -> None:
        survey = self.chosen_survey()
        if "question" not in self.asks or survey is None:
            return
        question = next((q for q in survey.questions if q.id == field.data), None)
        if question is None:
            if field.data in (0, None):
                raise ValidationError("Choose the question whose figures it reads")
            raise ValidationError(
                f"That question is not in '{survey.title}': choose one of its questions"
            )
        if question.kind not in outcome.KINDS:
            raise ValidationError("Choose a number, single choice, scale or rating question")

    def validate_standard(self, field) -> None:
        question = self.chosen_question()
        if "standard" not in self.asks or question is None:
            return
        standard, problem = outcome.read_standard(question, field.data)
        if problem:
            raise ValidationError(problem)
        if question.kind != "number" and not standard:
            raise ValidationError("Enter the standard for this question")
        field.data = standard

    def chosen_question(self):
        survey = self.chosen_survey()
        if survey is None:
            return None
        found = next((q for q in survey.questions if q.id == self.question.data), None)
        return found if found is not None and found.kind in outcome.KINDS else None

    def validate_current(self, field) -> None:
        if "current" in self.asks:
            read_number(field.data, "current value")

    def figure_range(self) -> tuple[float | None, float | None, str]:
        """What the kind's figure can be: lowest, highest, and how to say it."""
        if self.kind == "outcome":
            question = self.chosen_question()
            if question is None:
                return None, None, ""
            if (
                self.standard.data
                or question.kind != "number"
                or outcome.question_unit(question) == "%"
            ):
                return 0, 100, "The figure is a percentage, from 0 to 100"
            return 0, None, "The figure is a count, 0 or more"
        return FIGURE_RANGES.get(self.kind, (None, None, ""))

    def _in_range(self, figure: float | None, what: str) -> None:
        low, high, words = self.figure_range()
        if figure is None:
            return
        if (low is not None and figure < low) or (high is not None and figure > high):
            raise ValidationError(f"{words}: enter a {what} within it")

    def validate_baseline(self, field) -> None:
        self._in_range(read_number(field.data, "baseline"), "baseline")

    def validate_target(self, field) -> None:
        target = read_number(field.data, "target")
        self._in_range(target, "target")
        try:
            baseline = read_number(self.baseline.data, "baseline")
        except ValidationError:
            return  # said at the baseline
        # The current figure is taken as the baseline (and checked) once read; a typed
        # measure has no figure to take, so its baseline is the one typed.
        if target is None or baseline is None or (self.use_current.data and self.kind != "typed"):
            return
        check_direction(baseline, target, self.direction.data != "lower")

    def validate_due_on(self, field) -> None:
        start = year_starts(self.plan.year)
        if field.data is not None and not start <= field.data <= self.last_due:
            raise ValidationError(
                f"Enter a due date between {start:%-d %B %Y} and {self.last_due:%-d %B %Y}"
            )

    def validate_direction(self, field) -> None:
        if field.data not in ("higher", "lower"):
            raise ValidationError("Choose which way is better")

    def fill(self, measure) -> None:
        """Show a saved measure's values (on first opening its edit page)."""
        self.title.data, self.unit.data = measure.title, measure.unit
        self.survey.data, self.wave.data = measure.survey_id or 0, measure.wave_id or LATEST
        self.need_area.data = measure.need_area_id or 0
        self.question.data, self.standard.data = measure.question_id or 0, measure.standard
        self.current.data = number_text(measure.current)
        self.baseline.data = number_text(measure.baseline)
        self.target.data = number_text(measure.target)
        self.due_on.data = measure.due_on
        self.direction.data = "higher" if measure.higher_is_better else "lower"

    def details(self, objective: Objective) -> MeasureDetails:
        """The measure the form describes (once valid); fields the kind does not ask for are
        left empty."""
        asks = self.asks
        survey = self.chosen_survey() if "survey" in asks else None
        wave = find_wave(survey, self.wave.data) if survey else None
        areas = {a.id: a for a in self.hub.hub_type.need_areas}
        question = self.chosen_question() if "question" in asks else None
        area = areas.get(self.need_area.data) if "need_area" in asks else None
        return MeasureDetails(
            objective=objective,
            title=self.title.data or default_title(self.kind, area, question),
            kind=self.kind,
            higher_is_better=self.direction.data != "lower",
            baseline=read_number(self.baseline.data, "baseline"),
            target=read_number(self.target.data, "target"),
            due_on=self.due_on.data,
            unit=self.unit.data if "unit" in asks else "",
            current=read_number(self.current.data, "current value") if "current" in asks else None,
            survey=survey,
            wave=wave if "wave" in asks else None,
            need_area=area,
            question=question,
            standard=self.standard.data if question is not None else "",
        )


def number_text(value: float | None) -> str:
    """A stored figure as the form shows it: 62.5, not 62.50 or 6.25e1."""
    return "" if value is None else f"{value:.3f}".rstrip("0").rstrip(".")


def check_direction(baseline: float, target: float, higher_is_better: bool) -> None:
    """A target must be better than the baseline, in the direction chosen."""
    if higher_is_better and target <= baseline:
        raise ValidationError("With higher better, the target must be above the baseline")
    if not higher_is_better and target >= baseline:
        raise ValidationError("With lower better, the target must be below the baseline")


def default_title(kind: str, area, question) -> str:
    """A title for a bound measure left untitled."""
    if kind == "need-score":
        return f"Need score: {area.name}" if area else "Need score"
    if kind == "confidence-change":
        return f"Change in confidence: {area.name if area else 'every need area'}"
    if kind == "outcome" and question is not None:
        return f"Outcome: {question.prompt}"[:300]
    return MEASURE_KINDS[kind].removeprefix("Participation: ")


def _surveys(hub: Hub, kind: str | None) -> list[Survey]:
    if kind is None:
        return []
    return list(
        db.session.scalars(
            db.select(Survey)
            .where(Survey.hub_id == hub.id, Survey.kind == kind)
            .order_by(Survey.created_at.desc(), Survey.id.desc())
        )
    )
