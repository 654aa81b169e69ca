"""Small factories: each test builds the few rows it needs."""

import re
import secrets

from sqlalchemy import event
from werkzeug.security import generate_password_hash

from hubsurvey.admin.services import save_hub
from hubsurvey.extensions import db
from hubsurvey.hubs.services import SchoolDetails, add_partner
from hubsurvey.models import Answer, HubType, Response, Survey, User
from hubsurvey.surveys.questions import number_bounds
from hubsurvey.surveys.services import new_code
from hubsurvey.surveys.survey_templates import build_sections
from hubsurvey.surveys.waves import current_wave

PASSWORD = "correct horse battery staple"
# Hashing is deliberately slow: hash the shared test password once.
PASSWORD_HASH = generate_password_hash(PASSWORD)


def make_user(email="lead@hub.example", role="staff", hubs=(), password=True) -> User:
    user = User(email=email, role=role, hubs=list(hubs))
    if password:
        user.password_hash = PASSWORD_HASH
    db.session.add(user)
    db.session.commit()
    return user


def make_hub(name="North Teaching School Hub", type_slug="teaching-school-hub", **fields):
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == type_slug))
    return save_hub(None, name=name, hub_type_id=hub_type.id, area="", phases=[], **fields)


def make_school(hub, name="Hillside Primary School", urn=None, phase="primary", status="invited"):
    return add_partner(hub, SchoolDetails(name=name, urn=urn, phase=phase), status).school


def make_response(survey, wave=None, **fields) -> Response:
    """A response row in the survey's current wave (or `wave`), with its token and resume code,
    flushed so that it has an id; the caller adds its answers and commits."""
    response = Response(
        survey=survey,
        wave=wave or current_wave(survey),
        token=secrets.token_hex(16),
        resume_code=secrets.token_hex(4).upper(),
        **fields,
    )
    db.session.add(response)
    db.session.flush()
    return response


def valid_answers(question) -> dict:
    """A valid answer to any question, as its form field or fields."""
    name = f"q{question.id}"
    match question.kind:
        case "single" | "scale":
            return {name: "1"}
        case "multiple":
            return {name: ["0"]}
        case "rating":
            return {name: "7"}
        case "number":
            low, _high = number_bounds(question)
            return {name: str(int(max(low, 0)))}
        case "short_text" | "long_text":
            return {name: "Time to plan"}
        case "needs_grid":
            return {f"{name}-{area.id}": "3" for area in question.grid_areas}
    raise AssertionError(f"teach valid_answers the {question.kind} question")


def sign_in(client, user, password=PASSWORD):
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.text
    return response


def without_token(page: str) -> str:
    """A page's text without its form token, which carries the second it was made in: for
    comparing two pages that should be the same."""
    page = re.sub(r'name="csrf-token" content="[^"]*"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)


# What a primary teacher at the hub's partner school Hill Primary says about themselves.
PROFILE = {
    "school": "Hill Primary (URN 100001)",
    "phase": "primary",
    "role": "teacher",
    "career_stage": "ect-1",
    "subject": "all-primary",
}


# A small needs assessment with one question of each kind, in the template format.
SMALL_SURVEY = {
    "title": "Training needs",
    "sections": [
        {
            "title": "Confidence",
            "questions": [{"kind": "needs_grid", "prompt": "How confident are you?"}],
        },
        {
            "title": "Your teaching",
            "questions": [
                {"kind": "single", "prompt": "Years in phase?", "options": ["0-2", "3-5", "6+"]},
                {
                    "kind": "multiple",
                    "prompt": "Formats?",
                    "options": ["Online", "Twilight", "In school"],
                    "required": False,
                },
                {
                    "kind": "scale",
                    "prompt": "Confidence with phonics?",
                    "labels": ["Very low", "Low", "Middling", "High", "Very high"],
                },
                {
                    "kind": "rating",
                    "prompt": "How supported do you feel?",
                    "low_label": "Not at all",
                    "high_label": "Fully",
                    "required": False,
                },
                {
                    "kind": "number",
                    "prompt": "Pupils in your class?",
                    "unit": "pupils",
                    "min": 0,
                    "max": 40,
                    "integer": True,
                },
                {
                    "kind": "short_text",
                    "prompt": "One word for your school?",
                    "max_length": 20,
                    "required": False,
                },
                {
                    "kind": "long_text",
                    "prompt": "What would help?",
                    "max_length": 50,
                    "required": False,
                },
            ],
        },
        {
            "title": "For leaders",
            "audience": {"role": ["senior-leader", "headteacher"]},
            "questions": [{"kind": "short_text", "prompt": "Your priority as a leader?"}],
        },
    ],
}


def make_survey(hub, data=None, status="open", anonymous=True) -> Survey:
    """An open survey of `hub`, built like a template (SMALL_SURVEY unless given)."""
    data = data or SMALL_SURVEY
    survey = Survey(
        hub=hub,
        title=data["title"],
        code=new_code(),
        status=status,
        anonymous=anonymous,
        privacy_notice=f"{hub.name} runs this survey.",
        sections=build_sections(data, hub.hub_type),
    )
    db.session.add(survey)
    db.session.commit()
    return survey


def refuse_writes():
    """Make every new connection refuse writes, as a read-only file or a full disk would; call
    what it returns to allow them again."""
    engine = db.engine

    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()

    event.listen(engine, "connect", on_connect)
    engine.dispose()

    # Only new connections are affected: the app must recover by itself, with no restart.
    return lambda: event.remove(engine, "connect", on_connect)


def make_needs_response(
    survey,
    wave=None,
    role="teacher",
    phase="primary",
    school=None,
    grid=(3, 3, 3),
    priorities=(),
    extra=None,
    status="submitted",
):
    """A sent response with needs-grid answers (confidence per area, in framework order)."""
    response = Response(
        survey=survey,
        wave=wave or current_wave(survey),
        token=secrets.token_hex(8),
        resume_code=secrets.token_hex(4).upper(),
        status=status,
        profile_saved=True,
        role=role,
        phase=phase,
        career_stage="ect-1",
        subject="all-primary",
        school=school,
        school_name=school.name if school else "Elsewhere School",
    )
    db.session.add(response)
    db.session.flush()
    question = survey.questions[0]
    for index, (area, level) in enumerate(zip(question.grid_areas, grid, strict=True)):
        db.session.add(
            Answer(
                response_id=response.id,
                question_id=question.id,
                item=area.id,
                number=level,
                priority=index in priorities,
            )
        )
    for question_prompt, rows in (extra or {}).items():
        q = next(q for q in survey.questions if q.prompt == question_prompt)
        for item, number, text in rows:
            db.session.add(
                Answer(
                    response_id=response.id, question_id=q.id, item=item, number=number, text=text
                )
            )
    db.session.commit()
    return response
