"""Changing a draft survey's sections and questions. Refused once anyone has answered."""

from hubsurvey.extensions import db
from hubsurvey.models import GridRow, NeedArea, Question, Section, Survey
from hubsurvey.surveys.services import check_editable


def save_section(survey: Survey, section: Section | None, **fields) -> Section:
    check_editable(survey)
    if section is None:
        section = Section(position=len(survey.sections))
        survey.sections.append(section)
    for name, value in fields.items():
        setattr(section, name, value)
    db.session.commit()
    return section


def remove_section(section: Section) -> None:
    survey = section.survey
    check_editable(survey)
    survey.sections.remove(section)
    _renumber(survey.sections)
    db.session.commit()


def move_section(section: Section, step: int) -> None:
    check_editable(section.survey)
    _move(section.survey.sections, section, step)
    db.session.commit()


def save_question(
    section: Section,
    question: Question | None,
    grid_areas: list[NeedArea] | None = None,
    **fields,
) -> Question:
    """Add a question to a section, or change one; a needs grid asks about `grid_areas`."""
    check_editable(section.survey)
    if question is None:
        question = Question(position=len(section.questions))
        section.questions.append(question)
    with db.session.no_autoflush:
        for name, value in fields.items():
            setattr(question, name, value)
    if question.grid_rows:
        # Delete the old rows first: the new ones may reuse their keys.
        question.grid_rows = []
        db.session.flush()
    with db.session.no_autoflush:
        if question.kind == "needs_grid":
            question.grid_rows = [
                GridRow(need_area=area, position=i) for i, area in enumerate(grid_areas or [])
            ]
    db.session.commit()
    return question


def remove_question(question: Question) -> None:
    section = question.section
    check_editable(section.survey)
    section.questions.remove(question)
    _renumber(section.questions)
    db.session.commit()


def move_question(question: Question, step: int) -> None:
    """Up or down one place; past the end of a section it moves into the next one."""
    section = question.section
    survey = section.survey
    check_editable(survey)
    index = section.questions.index(question)
    target = index + step
    s_index = survey.sections.index(section)
    if 0 <= target < len(section.questions):
        _move(section.questions, question, step)
    elif 0 <= s_index + step < len(survey.sections):
        neighbour = survey.sections[s_index + step]
        others = list(neighbour.questions)
        # Re-parented, not removed: removing it from its section would delete it.
        question.section = neighbour
        _renumber(section.questions)
        _renumber([*others, question] if step < 0 else [question, *others])
    db.session.commit()


def _move(items: list, item, step: int) -> None:
    # Reorder a copy: assigning into the relationship's own list would orphan (delete) items.
    order = list(items)
    i = order.index(item)
    j = i + step
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
        _renumber(order)


def _renumber(items: list) -> None:
    for position, item in enumerate(items):
        item.position = position
