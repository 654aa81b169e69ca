"""Survey templates: ready-made needs assessments per hub type, kept as JSON files in
hubsurvey/reference/survey_templates/. A hub type without a file gets generic.json."""

import json
from pathlib import Path

from hubsurvey.models import GridRow, HubType, Question, Section
from hubsurvey.surveys import audience
from hubsurvey.vocabulary import QUESTION_KINDS

FOLDER = Path(__file__).parent.parent / "reference" / "survey_templates"

_QUESTION_KEYS = {"kind", "prompt", "hint", "required", "need_area", "audience"}
_SETTINGS_KEYS = {
    "single": {"options"},
    "multiple": {"options"},
    "scale": {"labels"},
    "rating": {"low_label", "high_label"},
    "number": {"unit", "min", "max", "integer"},
    "short_text": {"max_length"},
    "long_text": {"max_length"},
    "needs_grid": {"need_areas"},
}


class TemplateError(ValueError):
    """A template file that does not follow the format."""


def template_for(hub_type: HubType) -> dict:
    path = FOLDER / f"{hub_type.slug}.json"
    return load(path if path.exists() else FOLDER / "generic.json")


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def build_sections(data: dict, hub_type: HubType) -> list[Section]:
    """Sections and questions from a template, tied to the hub type's need areas."""
    areas = {area.name: area for area in hub_type.need_areas}
    sections = []
    for s_index, s_data in enumerate(data["sections"]):
        section = Section(
            position=s_index,
            title=s_data["title"],
            intro=s_data.get("intro", ""),
            audience=audience.clean(s_data.get("audience")),
        )
        for q_index, q_data in enumerate(s_data["questions"]):
            section.questions.append(_question(q_data, q_index, areas, hub_type))
        sections.append(section)
    return sections


def _question(q_data: dict, position: int, areas: dict, hub_type: HubType) -> Question:
    kind = q_data.get("kind")
    if kind not in QUESTION_KINDS:
        raise TemplateError(f"unknown question kind {kind!r}")
    unknown = set(q_data) - _QUESTION_KEYS - _SETTINGS_KEYS[kind]
    if unknown:
        raise TemplateError(f"unknown keys {sorted(unknown)} in {q_data.get('prompt')!r}")
    settings = {k: v for k, v in q_data.items() if k in _SETTINGS_KEYS[kind] and k != "options"}
    question = Question(
        position=position,
        kind=kind,
        prompt=q_data["prompt"],
        hint=q_data.get("hint", ""),
        required=q_data.get("required", True),
        options=list(q_data.get("options", [])),
        audience=audience.clean(q_data.get("audience")),
    )
    if name := q_data.get("need_area"):
        question.need_area = _area(areas, name, hub_type)
    if kind == "needs_grid":
        names = settings.pop("need_areas", None) or list(areas)
        question.grid_rows = [
            GridRow(need_area=_area(areas, n, hub_type), position=i) for i, n in enumerate(names)
        ]
    question.settings = settings
    return question


def _area(areas: dict, name: str, hub_type: HubType):
    if name not in areas:
        raise TemplateError(f"{hub_type.name} has no need area called {name!r}")
    return areas[name]
