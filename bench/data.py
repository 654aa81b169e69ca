"""Synthetic data for the benchmarks: one teaching school hub whose needs survey has many
submitted responses, about 30 answers each.

The hub, survey and wave are made with the app's own code; responses and answers are then
bulk inserted with SQLAlchemy Core in large batches, so millions of rows take seconds."""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert

from hubsurvey import create_app
from hubsurvey.admin.services import load_reference_data, save_hub
from hubsurvey.extensions import db
from hubsurvey.models import Answer, HubType, Partnership, Question, Response, School, Survey
from hubsurvey.surveys.services import new_code
from hubsurvey.surveys.survey_templates import build_sections
from hubsurvey.surveys.waves import current_wave
from hubsurvey.vocabulary import CAREER_STAGES, PHASES, RESPONDENT_ROLES, SUBJECTS

HUB_TYPE = "teaching-school-hub"  # 18 need areas
BATCH = 5_000  # responses per insert batch (about 150,000 answer rows)
SCHOOLS = 60  # partner schools
FIRST_DAY = datetime(2025, 9, 1, 8, 0)
PHASE_VALUES = list(PHASES)
ROLE_VALUES = list(RESPONDENT_ROLES)
STAGE_VALUES = list(CAREER_STAGES)
SUBJECT_VALUES = list(SUBJECTS)

SCALE = ["Not at all", "A little", "Somewhat", "Well", "Very well"]

# A needs grid over all the hub type's need areas, then twelve other answers: 18 + 12 = 30.
NEEDS_SURVEY = {
    "title": "Professional development needs",
    "sections": [
        {
            "title": "Your confidence and priorities",
            "questions": [{"kind": "needs_grid", "prompt": "How confident do you feel?"}],
        },
        {
            "title": "How you would like to learn",
            "questions": [
                {
                    "kind": "single",
                    "prompt": "Years in your phase?",
                    "options": ["0-2", "3-5", "6-10", "11+"],
                },
                {
                    "kind": "single",
                    "prompt": "Best time for training?",
                    "options": ["Before school", "Twilight", "In school hours", "Weekend"],
                },
                {
                    "kind": "single",
                    "prompt": "How far would you travel?",
                    "options": ["Online only", "Under 20 minutes", "Under 45 minutes", "Any"],
                },
                {
                    "kind": "multiple",
                    "prompt": "Which formats suit you?",
                    "options": ["Online", "Twilight", "In school", "Conference", "Coaching"],
                },
                {"kind": "scale", "prompt": "How well does your CPD fit?", "labels": SCALE},
                {"kind": "scale", "prompt": "How much time do you get for it?", "labels": SCALE},
                {"kind": "rating", "prompt": "How supported do you feel?"},
                {"kind": "rating", "prompt": "Would you recommend the hub?"},
                {"kind": "number", "prompt": "Pupils in your class?", "min": 0, "max": 40},
                {"kind": "number", "prompt": "Hours of CPD last term?", "min": 0, "max": 100},
                {"kind": "long_text", "prompt": "What would help most?", "max_length": 500},
            ],
        },
    ],
}
# Free text as teachers write it: commas, quotes, and a formula-like start for safe().
HELP_TEXTS = [
    "More time to plan with colleagues",
    'Seeing it modelled in a real classroom, "live"',
    "Short sessions after school, online if possible",
    "=Resources I can use straight away",
    "Coaching from someone in my phase",
    "Nothing for now, thanks",
]


@dataclass
class Dataset:
    """A generated database and what it holds."""

    path: Path
    hub_id: int
    survey_id: int
    responses: int
    answers: int


def make_app(path: Path) -> Flask:
    return create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{path}"})


def build_database(path: Path, responses: int, seed: int = 1) -> Dataset:
    """A migrated database at `path` with one hub, one open anonymous needs survey and
    `responses` submitted responses to it."""
    app = make_app(path)
    with app.app_context():
        migrate_quietly()
        load_reference_data()
        survey = create_survey(NEEDS_SURVEY, HUB_TYPE, anonymous=True)
        answers = _insert_responses(survey, responses, random.Random(seed))
        dataset = Dataset(path, survey.hub_id, survey.id, responses, answers)
        db.session.remove()
        db.engine.dispose()
    return dataset


def migrate_quietly() -> None:
    """Create the tables, without Alembic's progress lines among the results."""
    logging.disable(logging.INFO)
    try:
        upgrade()
    finally:
        logging.disable(logging.NOTSET)


def create_survey(spec: dict, hub_type_slug: str, **fields) -> Survey:
    """An open survey made from `spec` (the template format) in a new hub of that type,
    with its first wave open."""
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == hub_type_slug))
    hub = save_hub(None, name=f"Bench {hub_type.name}", hub_type_id=hub_type.id, area="", phases=[])
    survey = Survey(
        hub=hub,
        title=spec["title"],
        code=new_code(),
        status="open",
        privacy_notice=f"{hub.name} runs this survey.",
        sections=build_sections(spec, hub.hub_type),
        **fields,
    )
    db.session.add(survey)
    db.session.commit()
    current_wave(survey)
    return survey


def _insert_schools(survey: Survey) -> dict[int, str]:
    """The hub's partner schools, as an import of its list makes them: id -> name."""
    schools = [
        School(
            hub_id=survey.hub_id,
            name=f"School {n}",
            urn=f"{100000 + n}",
            phase=PHASE_VALUES[n % len(PHASE_VALUES)],
        )
        for n in range(SCHOOLS)
    ]
    db.session.add_all(schools)
    db.session.flush()
    db.session.add_all(
        Partnership(hub_id=survey.hub_id, school_id=school.id, status="active")
        for school in schools
    )
    db.session.commit()
    return {school.id: school.name for school in schools}


def _insert_responses(survey: Survey, count: int, rng: random.Random) -> int:
    """Insert `count` submitted responses with their answers; return the number of answers."""
    questions = survey.questions
    areas = {q.id: [a.id for a in q.grid_areas] for q in questions if q.kind == "needs_grid"}
    wave_id = survey.waves[-1].id
    schools = _insert_schools(survey)
    answers = 0
    for start in range(1, count + 1, BATCH):
        ids = range(start, min(start + BATCH, count + 1))
        response_rows = [_response_row(i, survey.id, wave_id, schools, rng) for i in ids]
        answer_rows = [
            row
            for i in ids
            for question in questions
            for row in _answer_rows(i, question, areas.get(question.id), rng)
        ]
        db.session.execute(insert(Response.__table__), response_rows)
        db.session.execute(insert(Answer.__table__), answer_rows)
        db.session.commit()
        answers += len(answer_rows)
    return answers


def _response_row(
    i: int, survey_id: int, wave_id: int, schools: dict[int, str], rng: random.Random
) -> dict:
    started = FIRST_DAY + timedelta(seconds=rng.randrange(90 * 24 * 3600))
    submitted = started + timedelta(seconds=rng.randrange(120, 1800))
    phase = rng.choice(PHASE_VALUES)
    # Most respondents pick their school from the list; some write in one that is not on it.
    school = rng.choice(list(schools)) if rng.random() < 0.9 else None
    return {
        "id": i,
        "survey_id": survey_id,
        "wave_id": wave_id,
        "activity_id": None,
        "participant_id": None,
        "token": f"t{i}",
        "resume_code": f"r{i}",
        "status": "submitted",
        "step": 2,
        "started_at": started,
        "saved_at": submitted,
        "submitted_at": submitted,
        "profile_saved": True,
        "school_id": school,
        "school_name": schools[school] if school else "Another school",
        "phase": phase,
        "role": rng.choice(ROLE_VALUES),
        "career_stage": rng.choice(STAGE_VALUES),
        "subject": "all-primary" if phase == "primary" else rng.choice(SUBJECT_VALUES),
        "respondent_name": "",
        "respondent_email": "",
    }


def _answer_rows(response_id: int, question: Question, areas, rng: random.Random) -> list[dict]:
    """The answer rows one respondent gives to one question, as stored by the app."""

    def row(item=0, number=None, text=None, priority=None) -> dict:
        return {
            "response_id": response_id,
            "question_id": question.id,
            "item": item,
            "number": number,
            "text": text,
            "priority": priority,
        }

    match question.kind:
        case "needs_grid":
            return [
                _grid_row(row, position, area_id, rng) for position, area_id in enumerate(areas)
            ]
        case "single":
            return [row(number=rng.randrange(len(question.options)))]
        case "multiple":
            chosen = sorted(rng.sample(range(len(question.options)), 2))
            return [row(item=i + 1, number=1) for i in chosen]
        case "scale":
            return [row(number=rng.randint(1, 5))]
        case "rating":
            return [row(number=rng.randint(0, 10))]
        case "number":
            return [row(number=rng.randint(question.settings["min"], question.settings["max"]))]
        case _:
            return [row(text=rng.choice(HELP_TEXTS))]


def _grid_row(row, position: int, area_id: int, rng: random.Random) -> dict:
    # Some areas are felt as needs more than others, so the ranking means something.
    level = max(1, min(5, round(rng.gauss(2.2 + (position * 7 % 5) / 2, 1))))
    return row(item=area_id, number=level, priority=level <= 2 and rng.random() < 0.5)
