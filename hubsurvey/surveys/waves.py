"""Waves: a survey on a cycle collects a separate, dated set of responses each round.

Only the latest wave takes answers; earlier ones are read-only, so rounds can be compared."""

from datetime import date, timedelta

from hubsurvey.extensions import db
from hubsurvey.models import Survey, Wave


def term(day: date) -> tuple[str, date]:
    """The school term a day falls in, and the day the next term starts (near enough: the
    exact dates differ between local authorities, and only the order matters here)."""
    if day.month >= 9:
        return f"Autumn {day.year}", date(day.year + 1, 1, 1)
    if day.month <= 3:
        return f"Spring {day.year}", date(day.year, 4, 1)
    return f"Summer {day.year}", date(day.year, 9, 1)


def _label_and_next(survey: Survey, number: int, day: date) -> tuple[str, date | None]:
    if survey.cycle == "termly":
        return term(day)
    if survey.cycle == "weeks" and survey.cycle_weeks:
        return f"Wave {number} (from {day:%-d %B %Y})", day + timedelta(weeks=survey.cycle_weeks)
    return f"Wave {number}", None


def recurs(survey: Survey) -> bool:
    """Whether the survey runs in waves, so that a lead may open the next one."""
    return survey.cycle != "none"


def open_next_wave(survey: Survey, day: date | None = None) -> Wave:
    """Start the next round now. Answers from then on belong to it."""
    day = day or date.today()
    number = len(survey.waves) + 1
    label, next_on = _label_and_next(survey, number, day)
    if any(wave.label == label for wave in survey.waves):
        label = f"{label} (wave {number})"  # opened early, within the same term
    wave = Wave(number=number, label=label, opened_on=day, next_on=next_on)
    survey.waves.append(wave)
    db.session.commit()
    return wave


def current_wave(survey: Survey, today: date | None = None) -> Wave:
    """The wave answers go to now, opening the first, and any whose date has come."""
    today = today or date.today()
    if not survey.waves:
        return open_next_wave(survey, today)
    wave = survey.waves[-1]
    while wave.next_on is not None and wave.next_on <= today:
        wave = open_next_wave(survey, wave.next_on)
    return wave


def set_cycle(survey: Survey, cycle: str, weeks: int | None) -> None:
    """Change how the survey recurs; the current wave's next date follows the new cycle."""
    survey.cycle, survey.cycle_weeks = cycle, weeks if cycle == "weeks" else None
    if survey.waves:
        wave = survey.waves[-1]
        wave.next_on = _label_and_next(survey, wave.number, wave.opened_on)[1]
    db.session.commit()
