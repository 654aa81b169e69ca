"""`flask --app app demo`: fill an empty database with a believable year of a few hubs'
work, so a newcomer sees meaningful summaries at once. Seeded, so every run looks the same."""

import random
import secrets
from datetime import date, datetime, timedelta

import click
from flask import current_app, url_for

from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import load_reference_data, save_hub
from hubsurvey.auth.services import create_user
from hubsurvey.extensions import db
from hubsurvey.hubs.services import SchoolDetails, add_partner
from hubsurvey.models import Answer, HubType, Participant, Response, Survey
from hubsurvey.surveys.services import create_survey, make_school_links, set_status
from hubsurvey.surveys.waves import open_next_wave
from hubsurvey.vocabulary import CAREER_STAGES

HUBS = [
    ("Aire Valley Teaching School Hub", "teaching-school-hub", "Leeds and Bradford"),
    ("Pennine English Hub", "english-hub", "Calderdale and Kirklees"),
    ("White Rose Maths Hub", "maths-hub", "West Yorkshire"),
    ("Dales Careers Hub", "careers-hub", "North Yorkshire"),
]
SCHOOL_WORDS = [
    "Hillside",
    "Moorland",
    "St Mary's",
    "Riverside",
    "Oakfield",
    "Beckfoot",
    "Ashgrove",
    "Thornhill",
    "Kirkstall",
    "Harewood",
    "Low Moor",
    "Greenside",
]
ROLES = (
    ["teacher"] * 6
    + ["ect"] * 3
    + [
        "mentor",
        "middle-leader",
        "middle-leader",
        "senior-leader",
        "headteacher",
        "senco",
        "teaching-assistant",
    ]
)


@click.command("demo")
@click.option("--base-url", default="http://127.0.0.1:5000", help="Where the app is served.")
def demo(base_url: str) -> None:
    """Fill an empty database with demonstration hubs, surveys and responses."""
    if db.session.scalar(db.select(Survey.id)):
        raise click.ClickException(
            "This database already has surveys: demo data needs an empty one."
        )
    rng = random.Random(2026)
    load_reference_data()
    password = secrets.token_urlsafe(12)
    hubs = [_hub(rng, *spec) for spec in HUBS]
    lead = create_user("lead@demo.hubsurvey.example", "staff", password, hubs)
    links = []
    for hub, schools in hubs_with_schools(hubs):
        links += _needs_assessment(rng, hub, schools)
        links += _activities(rng, hub, schools)
        _outcomes(rng, hub, schools)
    with current_app.test_request_context(base_url=base_url):
        click.echo(f"\nDemo data is ready. Open {url_for('auth.sign_in', _external=True)}")
        click.echo(f"email: {lead.email}")
        click.echo(f"password: {password}")
        for code in links:
            click.echo(f"survey: {url_for('respond.start', code=code, _external=True)}")


def hubs_with_schools(hubs):
    for hub in hubs:
        yield hub, [p.school for p in hub.partnerships]


def _hub(rng: random.Random, name: str, type_slug: str, area: str):
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == type_slug))
    hub = save_hub(
        None,
        name=name,
        hub_type_id=hub_type.id,
        area=area,
        phases=[],
        subject=None,
        contact_email=f"hello@{type_slug}.demo.example",
        smallest_group=5,
    )
    phases = hub.phases or ["primary", "secondary"]
    for i, word in enumerate(rng.sample(SCHOOL_WORDS, 8)):
        phase = phases[i % len(phases)]
        kind = "Primary School" if phase == "primary" else "Academy"
        add_partner(
            hub,
            SchoolDetails(
                name=f"{word} {kind}",
                urn=str(100000 + hub.id * 1000 + i),
                phase=phase,
                local_authority=area.split(" and ")[0],
            ),
            rng.choice(["invited", "mou-signed", "active", "active", "active"]),
        )
    return hub


def _response(survey, wave, school, rng, role=None, participant=None, activity=None, when=None):
    phase = school.phase if school else rng.choice(["primary", "secondary"])
    response = Response(
        survey=survey,
        wave=wave,
        activity=activity,
        participant=participant,
        token=secrets.token_urlsafe(24),
        resume_code=secrets.token_hex(4).upper(),
        status="submitted",
        profile_saved=True,
        school=school,
        school_name=school.name if school else "",
        phase=phase,
        role=role or rng.choice(ROLES),
        career_stage=rng.choice(list(CAREER_STAGES)),
        subject="all-primary"
        if phase == "primary"
        else rng.choice(["english", "maths", "science"]),
        submitted_at=when or datetime.combine(wave.opened_on, datetime.min.time()),
    )
    if not survey.asks_profile:
        response.phase = response.role = response.career_stage = response.subject = None
    db.session.add(response)
    db.session.flush()
    return response


def _answer_all(response, survey, rng, lift=0.0):
    """Plausible answers to every question the respondent is shown."""
    for question in survey.questions:
        rows = []
        match question.kind:
            case "needs_grid":
                for n, area in enumerate(question.grid_areas):
                    base = 2 + (n * 7 % 5) / 2 + lift
                    level = max(1, min(5, round(rng.gauss(base, 1))))
                    rows.append(
                        Answer(
                            item=area.id, number=level, priority=level <= 2 and rng.random() < 0.6
                        )
                    )
            case "single":
                rows.append(Answer(number=rng.randrange(len(question.options))))
            case "multiple":
                chosen = rng.sample(
                    range(len(question.options)), rng.randint(1, min(3, len(question.options)))
                )
                rows += [Answer(item=i + 1, number=1) for i in chosen]
            case "scale":
                rows.append(Answer(number=max(1, min(5, round(rng.gauss(3.8 + lift / 2, 0.9))))))
            case "rating":
                rows.append(Answer(number=max(0, min(10, round(rng.gauss(7, 1.8))))))
            case "number":
                low, high = question.settings.get("min", 0), question.settings.get("max", 100)
                rows.append(Answer(number=round(rng.uniform(low, min(high, low + 60)), 1)))
            case "long_text" | "short_text":
                if rng.random() < 0.3:
                    rows.append(
                        Answer(
                            text=rng.choice(
                                [
                                    "More time to plan with colleagues",
                                    "Seeing it modelled in a classroom",
                                    "Short sessions after school",
                                    "Resources I can use straight away",
                                    "Coaching in my own school",
                                ]
                            )
                        )
                    )
        for row in rows:
            row.response_id, row.question_id = response.id, question.id
            db.session.add(row)


def _needs_assessment(rng, hub, schools) -> list[str]:
    survey = create_survey(hub, "template")
    survey.cycle = "termly"
    set_status(survey, "open")
    first = survey.waves[0]
    first.opened_on, first.label = date.today() - timedelta(days=120), "Summer 2026"
    people = [Participant(hub_id=hub.id, code_hash=secrets.token_hex(32)) for _ in range(40)]
    db.session.add_all(people)
    for i in range(90):
        person = people[i] if i < len(people) else None
        response = _response(survey, first, rng.choice(schools), rng, participant=person)
        _answer_all(response, survey, rng)
    second = open_next_wave(survey)
    for person in people[:30]:  # the same people, a term of support later
        response = _response(survey, second, rng.choice(schools), rng, participant=person)
        _answer_all(response, survey, rng, lift=0.8)
    db.session.commit()
    return [survey.code]


def _activities(rng, hub, schools) -> list[str]:
    """Three sessions sharing one feedback survey, a wave each, so waves can be compared."""
    areas = hub.hub_type.need_areas
    survey, codes = None, []
    titles = ["Launch network meeting", "Twilight training", "Follow-up workshop"]
    for n, title in enumerate(titles):
        day = date.today() - timedelta(days=90 - 40 * n)
        activity = save_activity(
            hub,
            None,
            rng.sample(areas, min(2, len(areas))),
            rng.sample(schools, 3),
            shared_survey=survey,
            title=f"{title}: {areas[n % len(areas)].name}",
            kind="training" if n else "network",
            starts_at=datetime.combine(day, datetime.min.time()).replace(hour=16),
            place=schools[n].name,
            facilitator="Hub lead",
        )
        survey = activity.survey
        codes.append(activity.code)
        wave = open_next_wave(survey, day)
        wave.label = f"{title} ({day:%-d %b})"
        for _ in range(rng.randint(12, 25)):
            response = _response(survey, wave, None, rng, activity=activity)
            _answer_all(response, survey, rng, lift=0.4 * n)
    db.session.commit()
    return codes


def _outcomes(rng, hub, schools) -> None:
    survey = create_survey(hub, "outcomes")
    set_status(survey, "open")
    make_school_links(survey)
    waves = [survey.waves[0], open_next_wave(survey), open_next_wave(survey)]
    for n, wave in enumerate(waves):
        wave.label = ["Autumn 2025", "Spring 2026", "Summer 2026"][n]
        for school in schools[:6]:
            response = _response(survey, wave, school, rng)
            response.phase = response.role = response.career_stage = response.subject = None
            pupils, share = survey.questions[0], survey.questions[1]
            db.session.add(
                Answer(response_id=response.id, question_id=pupils.id, number=rng.randint(25, 60))
            )
            db.session.add(
                Answer(
                    response_id=response.id,
                    question_id=share.id,
                    number=round(min(100, rng.gauss(62 + 6 * n, 8)), 1),
                )
            )
    db.session.commit()
