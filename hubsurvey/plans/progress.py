"""Whether a measure is on track: one rule, stated in words on every page that shows a status.

- No target, or no figure: not judged, and the page says why.
- The target reached (at or above it when higher is better, at or below it when lower is):
  on track.
- The due date passed without reaching the target: off track.
- Otherwise progress is expected along a straight line from the baseline on 1 September of the
  plan's year to the target on the due date. At or ahead of that line: on track. Behind it by
  no more than a quarter of the distance from baseline to target: at risk. Further behind:
  off track. Without a baseline or a due date there is no line, so it is not judged.

The figure judged is the figure shown (bound figures are rounded to one decimal place)."""

from dataclasses import dataclass
from datetime import date

from hubsurvey.models import Measure
from hubsurvey.school_years import year_starts
from hubsurvey.vocabulary import MEASURE_STATES

# Figures are compared as shown, to a few decimal places: 0.1 + 0.2 is on a line at 0.3.
PRECISION = 9


@dataclass
class Judgement:
    """The status (a key of MEASURE_STATES, or None when not judged), why, and the rule."""

    status: str | None
    why: str
    rule: str
    expected: float | None = None  # where the straight line stands today


def figure_words(value: float | None, unit: str = "") -> str:
    """A figure as the plan writes it: 42, 62.5, 1,250, with its unit ('62.5%', '12 schools')."""
    if value is None:
        return "\u2013"  # an en dash, as tables print a missing figure
    rounded = round(value, 2)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _date_words(day: date) -> str:
    return f"{day:%-d %B %Y}"


def rule_words(measure: Measure, unit: str = "", expected: float | None = None) -> str:
    """The rule in words, with this measure's figures (in `unit`) in it."""
    direction = "Higher is better." if measure.higher_is_better else "Lower is better."
    if measure.target is None:
        return f"Not judged until a target is set. {direction}"
    target = figure_words(measure.target, unit)
    reached = "at or above" if measure.higher_is_better else "at or below"
    if measure.baseline is None or measure.due_on is None:
        due = f" by {_date_words(measure.due_on)}" if measure.due_on else ""
        return (
            f"On track once the figure is {reached} the target of {target}{due}; off track if "
            "the due date passes first. Without a baseline and a due date, progress before "
            f"then is not judged. {direction}"
        )
    start = year_starts(measure.objective.plan.year)
    allowance = figure_words(abs(measure.target - measure.baseline) / 4, unit)
    today = "" if expected is None else f", which stands at {figure_words(expected, unit)} today"
    return (
        f"On track when the figure is {reached} the target, or at or ahead of a straight line "
        f"from the baseline of {figure_words(measure.baseline, unit)} on {_date_words(start)} "
        f"to the target of {target} on {_date_words(measure.due_on)}{today}. At risk when "
        f"behind that line by no more than {allowance} (a quarter of the way from baseline to "
        "target) before the due date. Off track when further behind, or when the due date has "
        f"passed without reaching the target. {direction}"
    )


def judge(
    measure: Measure, value: float | None, today: date, unit: str = "", no_value: str = ""
) -> Judgement:
    """The measure's status today for this figure (in `unit`). `no_value` says why there is
    no figure."""
    better = 1 if measure.higher_is_better else -1
    target, baseline, due = measure.target, measure.baseline, measure.due_on
    if target is None:
        return Judgement(None, "no target is set", rule_words(measure, unit))
    if value is None:
        return Judgement(None, no_value or "there is no figure yet", rule_words(measure, unit))
    if round(better * (value - target), PRECISION) >= 0:
        return Judgement("on-track", "the target is reached", rule_words(measure, unit))
    if due is not None and today > due:
        why = f"the due date, {_date_words(due)}, has passed without reaching the target"
        return Judgement("off-track", why, rule_words(measure, unit))
    if baseline is None or due is None:
        missing = "a baseline" if baseline is None else "a due date"
        why = f"the target is not reached yet, and without {missing} progress cannot be judged"
        return Judgement(None, why, rule_words(measure, unit))
    start = year_starts(measure.objective.plan.year)
    span = (due - start).days
    done = 1.0 if span <= 0 else min(max((today - start).days / span, 0.0), 1.0)
    expected = baseline + (target - baseline) * done
    rule = rule_words(measure, unit, expected)
    behind = round(better * (expected - value), PRECISION)
    allowance = round(abs(target - baseline) / 4, PRECISION)
    if behind <= 0:
        return Judgement("on-track", "at or ahead of the expected progress", rule, expected)
    gap = figure_words(behind, unit)
    if behind <= allowance:
        return Judgement("at-risk", f"{gap} behind the expected progress", rule, expected)
    return Judgement(
        "off-track", f"{gap} behind the expected progress, more than a quarter", rule, expected
    )


def status_words(status: str | None) -> str:
    return MEASURE_STATES.get(status, "Not judged") if status else "Not judged"
