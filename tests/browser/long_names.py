"""A careers hub whose names are as long as real ones get: Gatsby benchmarks, school and trust
names, activity and survey titles, option texts, and comments holding URLs and unbroken words.
Built through the services the app itself uses, with the answers a respondent could give."""

import io
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from factories import make_user

from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.series import save_follow_up, save_series
from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import add_need_area, save_hub
from hubsurvey.audit.services import record
from hubsurvey.auth.services import issue_link
from hubsurvey.contacts.services import ContactDetails, choose_email, save_contact
from hubsurvey.demo_resources import pdf
from hubsurvey.extensions import db
from hubsurvey.heads.services import sign
from hubsurvey.hubs.services import SchoolDetails, add_partner
from hubsurvey.models import Answer, HubType, Question, Response, Section, Survey, utcnow
from hubsurvey.mou.services import new_head_link, save_mou
from hubsurvey.outbox.services import queue
from hubsurvey.plans import sections
from hubsurvey.plans import services as plans
from hubsurvey.plans.measures import MeasureDetails, add_measure
from hubsurvey.plans.services import add_objective, start_plan
from hubsurvey.reports import exports
from hubsurvey.resources import files
from hubsurvey.resources.services import Details, add_resource
from hubsurvey.school_years import this_year
from hubsurvey.surveys import audience
from hubsurvey.surveys.services import create_survey, make_school_links, set_status
from hubsurvey.surveys.waves import open_next_wave
from hubsurvey.vocabulary import PHASES

HUB_NAME = "Greater Lancashire, Cumbria and South Lakeland Careers Hub Partnership"
LONG_NEED_AREA = (
    "Supporting young people with special educational needs and disabilities into "
    "employment, training and further education"
)
LEAD_EMAIL = "alexandra.featherstonehaugh-montgomery@greater-lancashire-careers-hub.example.org.uk"
URL = (
    "https://www.gov.uk/government/publications/careers-guidance-provision-for-young-people-"
    "in-schools/careers-guidance-and-access-for-education-and-training-providers#annex-b"
)
RESPONDENT_EMAIL = "anneliese.featherstonehaugh-montgomery@queen-elizabeths-grammar.example.sch.uk"
UNBROKEN = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
TRUST = "Northern Lights Multi-Academy Trust for Excellence, Inclusion and Community Partnership"
SCHOOLS = [
    (
        "The Blessed Cardinal John Henry Newman Roman Catholic Voluntary Aided High School "
        "and Sixth Form College, Morecambe",
        "secondary",
        "active",
    ),
    (
        "Queen Elizabeth's Grammar School (a Church of England Academy within the Northern "
        "Lights Multi-Academy Trust)",
        "secondary",
        "mou-signed",
    ),
    (f"{UNBROKEN} Community Academy", "secondary", "active"),
    ("Kirkby Lonsdale Queen Elizabeth School", "secondary", "invited"),
    ("Barrow-in-Furness Alternative Provision Academy", "alternative-provision", "left"),
]
ACTIVITIES = [
    "Twilight network meeting for careers leaders: learning from career and labour market "
    "information in rural and coastal communities",
    "Encounters with employers and employees: planning a whole-school programme with local "
    "businesses, colleges and universities",
]
COMMENTS = [
    f"The session pointed us to {URL} which we had never found on our own.",
    f"Our school is {UNBROKEN}{UNBROKEN}: please spell it in full on the certificates.",
    "More time to plan with colleagues from the other schools, and a copy of the slides "
    "sent afterwards so the rest of the department can see them.",
]
DRAFT_TITLE = (
    "Careers education, information, advice and guidance: what every partner school needs "
    "from the hub in 2026"
)
LONG_OPTIONS = [
    "Yes, and it is published on our website, reviewed each year by governors and shared with "
    "parents, pupils, teachers and employers",
    f"Not yet: we are waiting for {UNBROKEN} to agree it",
    "No",
]


@dataclass
class Network:
    """The ids a test needs to reach every page. There is no administrator yet, so that the
    first administrator's setup page can be seen too."""

    hub_slug: str
    hub_id: int
    hub_type_id: int
    need_area_id: int
    need_area_names: list[str]
    school_id: int
    lead_id: int
    needs_id: int
    needs_wave_ids: list[int]
    feedback_id: int
    outcomes_id: int
    draft_id: int
    draft_section_id: int
    draft_question_id: int
    activity_ids: list[int]
    # Per activity, someone on its register with a long name, school and email address.
    attendance_ids: list[int]
    # Per survey (needs, feedback, outcomes, draft): its id, its last section's, and its first
    # free-text question's, so that every page about a survey is seen for each kind.
    surveys: list[dict[str, int]]
    setup_token: str
    password_token: str
    # A message waiting in the outbox, with a long subject, address and body.
    message_id: int
    # The first school's head's signature of the hub's memorandum, as long as it gets.
    signature_id: int
    # A file in the resource library with a long title and name (and a link, see _library).
    resource_id: int
    # A series holding the activities, with follow-up logged with a long-named school.
    series_id: int
    follow_up_id: int
    # This school year's plan's measures, one of each kind, with long titles (see _measures).
    measure_ids: list[int] = field(default_factory=list)
    # That plan's parts, as long as they get: its year, the long objective, a key person
    # without a backup, a source of funding and a cost (see _plan_parts).
    plan_ids: dict[str, int] = field(default_factory=dict)


def build_network() -> Network:
    rng = random.Random(10)
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == "careers-hub"))
    long_area = add_need_area(hub_type, LONG_NEED_AREA, "Benchmark 3, for pupils with SEND.")
    db.session.commit()
    hub = save_hub(
        None,
        name=HUB_NAME,
        hub_type_id=hub_type.id,
        area="Blackburn with Darwen, Lancashire, Cumbria and the Westmorland and Furness area",
        phases=[],
        subject=None,
        contact_email="careers-hub-enquiries@greater-lancashire-careers-hub.example.org.uk",
        smallest_group=5,
    )
    schools = []
    for n, (name, phase, status) in enumerate(SCHOOLS):
        details = SchoolDetails(
            name=name,
            urn=str(110001 + n),
            phase=phase,
            local_authority="Westmorland and Furness",
            trust=TRUST,
        )
        schools.append(add_partner(hub, details, status).school)
    db.session.commit()
    _contacts(schools[0])
    lead = make_user(email=LEAD_EMAIL, hubs=[hub])
    make_user(email="j.smith-ramanathan-oconnell@queen-elizabeths-grammar.example.sch.uk")

    needs = _needs_assessment(rng, hub, schools)
    activities, feedback = _feedback(rng, hub, schools, [long_area, *hub_type.need_areas[:2]])
    outcomes = _outcomes(rng, hub, schools)
    draft = _draft(hub)
    _named(rng, hub, schools[1])
    exports.record(hub, lead, needs, "responses-wide", "xlsx", f"survey={needs.id}&role=teacher")
    record(
        "privacy-changed",
        hub=hub,
        target=f"survey {needs.id}: {needs.title}",
        detail=f"smallest group 5 → 6; reason: {URL}",
        user=lead,
    )
    message_id = _outbox(hub, schools[0], lead)
    db.session.commit()
    return Network(
        hub_slug=hub.slug,
        hub_id=hub.id,
        hub_type_id=hub_type.id,
        need_area_id=long_area.id,
        need_area_names=[area.name for area in hub_type.need_areas],
        school_id=schools[0].id,
        lead_id=lead.id,
        needs_id=needs.id,
        needs_wave_ids=[wave.id for wave in needs.waves],
        feedback_id=feedback.id,
        outcomes_id=outcomes.id,
        draft_id=draft.id,
        draft_section_id=draft.sections[-1].id,
        draft_question_id=draft.sections[-1].questions[0].id,
        activity_ids=[activity.id for activity in activities],
        attendance_ids=[_register(activity, schools, lead) for activity in activities],
        surveys=[_ids(survey) for survey in (needs, feedback, outcomes, draft)],
        setup_token=issue_link("setup", timedelta(hours=1)),
        password_token=issue_link("password", timedelta(days=1), lead),
        message_id=message_id,
        signature_id=_memorandum(hub, schools[0], lead),
        resource_id=_library(hub, long_area, activities[0], lead),
        **_series(hub, schools, activities, lead),
        measure_ids=_measures(hub, lead, needs, activities, outcomes, long_area),
        plan_ids=_plan_parts(hub, lead),
    )


def _outbox(hub, school, lead) -> int:
    """Messages in each state, with subjects, addresses, bodies and reasons as long as they get;
    returns the id of one waiting to be sent by hand."""
    made = []
    for i, (state, error) in enumerate(
        [
            ("waiting", ""),
            ("failed", f"The mail server refused the address {RESPONDENT_EMAIL} (550 {URL})."),
            ("queued", "The mail server did not answer in time (smtp.example.org:587)."),
            ("sent", ""),
        ]
    ):
        message = queue(
            hub,
            kind="invitation",
            key=f"long:{i}",
            to_email=RESPONDENT_EMAIL,
            to_name="Dr Anneliese Featherstonehaugh-Montgomery-Ramanathan-O'Connell",
            subject=f"{DRAFT_TITLE}: {UNBROKEN} Community Academy"[:200],
            body=f"Dear Dr Featherstonehaugh-Montgomery,\n\n{COMMENTS[2]}\n\n{URL}\n{UNBROKEN * 2}",
            school=school,
            by=lead,
        )
        message.state, message.last_error = state, error
        message.sent_at = utcnow() if state == "sent" else None
        made.append(message)
    db.session.commit()
    return made[0].id


def _register(activity, schools, lead) -> int:
    """The activity's register: a long-named attendee from the school with the longest name,
    and others; it ends an hour and a half after it starts, for 1.5 hours of CPD. Returns the
    long-named attendee's id."""
    activity.ends_at = activity.starts_at + timedelta(hours=1, minutes=30)
    activity.hours = 1.5
    db.session.commit()
    long_named = add_person(
        activity,
        Person(
            "Dr Anneliese Featherstonehaugh-Montgomery-Ramanathan-O'Connell",
            RESPONDENT_EMAIL,
            schools[0].id,
            "careers-leader",
        ),
        lead,
    )
    add_person(activity, Person(UNBROKEN, "", schools[2].id, "teaching-assistant"), lead)
    add_person(activity, Person("Sam Lee", "sam.lee@example.org.uk"), lead)
    return long_named.id


def _series(hub, schools, activities, lead) -> dict[str, int]:
    """The activities as a series with a long title and description, and a follow-up with
    the school with the longest name, with long notes."""
    series = save_series(
        hub,
        None,
        list(activities[0].need_areas),
        schools[:3],
        shared_survey=activities[0].survey,
        title=f"{ACTIVITIES[0]}: a network of {UNBROKEN}"[:160],
        kind="network",
        description=f"{COMMENTS[2]}\n\nSee {URL}",
    )
    for activity in activities:
        activity.series = series
    follow_up = save_follow_up(
        series, None, schools[0], date.today(), 1.5, f"{COMMENTS[1]}\n{URL}", lead
    )
    return {"series_id": series.id, "follow_up_id": follow_up.id}


def _measures(hub, lead, needs, activities, outcomes, long_area) -> list[int]:
    """An objective of this school year's plan, with a long title, delivered by the long-named
    activities, and a measure of each kind, each titled as long as a measure may be."""
    plan, _made = start_plan(hub, this_year(), lead)
    objective = add_objective(plan, f"{LONG_NEED_AREA}: {ACTIVITIES[1]}"[:300], lead, [long_area])
    objective.activities = list(activities)
    share = next(q for q in outcomes.questions if q.settings.get("unit") == "%")
    bindings = {
        "typed": {"unit": "careers leaders trained", "current": 12},
        "need-score": {"survey": needs, "need_area": long_area},
        "confidence-change": {"survey": needs, "need_area": long_area},
        "feedback-rating": {},
        "outcome": {"survey": outcomes, "question": share, "standard": "70"},
        "schools-active": {},
        "teachers-attending": {},
    }
    ids = []
    for kind, binding in bindings.items():
        details = MeasureDetails(
            objective=objective,
            title=f"{kind}: {LONG_NEED_AREA} across {SCHOOLS[0][0]}"[:300],
            kind=kind,
            higher_is_better=kind != "need-score",
            baseline=60 if kind == "need-score" else 1,
            target=10 if kind == "need-score" else 1_250_000,
            due_on=date(this_year() + 1, 7, 16),
            **binding,
        )
        ids.append(add_measure(details, lead).id)
    return ids


def _plan_parts(hub, lead) -> dict[str, int]:
    """This school year's plan (see _measures) with words holding a URL and an unbroken
    word, an item in each SWOT list, long-named key people (the first with no backup),
    funding ending this school year, and costs for the long objective and the whole hub."""
    plan = plans.find_plan(hub, this_year())
    objective = plan.objectives[-1]
    words = f"{COMMENTS[2]}\n{URL}\n{UNBROKEN}{UNBROKEN}"
    sections.save_words(
        plan,
        {"aims": words, "continuity": words, "outlook_1": words, "outlook_2": COMMENTS[0]},
        lead,
    )
    for quadrant in ("strength", "weakness", "opportunity", "threat"):
        sections.add_swot_item(plan, quadrant, f"{COMMENTS[0]} {UNBROKEN}{UNBROKEN}", lead)
    person = sections.save_person(
        plan,
        None,
        lead,
        role="Enterprise coordinator for the Greater Lancashire and South Lakeland schools",
        name="Dr Anneliese Featherstonehaugh-Montgomery-Ramanathan-O'Connell",
        backup="",
        notes=URL,
    )
    sections.save_person(plan, None, lead, role=UNBROKEN, name=UNBROKEN, backup=UNBROKEN, notes="")
    source = sections.save_funding(
        plan,
        None,
        lead,
        name=f"Careers and Enterprise Company funding for {HUB_NAME}",
        amount_pence=987_654_321,
        ends_on=date(this_year() + 1, 3, 31),
        notes=URL,
    )
    cost = sections.save_cost(
        plan,
        None,
        lead,
        objective=objective,
        kind="supply-cover",
        description=f"Release for the careers leader of {UNBROKEN}{UNBROKEN}",
        amount_pence=987_654_321,
    )
    sections.save_cost(
        plan, None, lead, objective=None, kind="venue", description=URL, amount_pence=25_000
    )
    return {
        "year": plan.year,
        "objective_id": objective.id,
        "person_id": person.id,
        "funding_id": source.id,
        "cost_id": cost.id,
    }


def _library(hub, long_area, activity, lead) -> int:
    """The resource library: the slides of the first activity as a PDF with a long title and
    an unbroken file name, for every phase there is; and a link as long as they get. Returns
    the file's id."""
    slides = pdf(ACTIVITIES[0], [UNBROKEN, URL])
    upload = files.check(f"{UNBROKEN}-{UNBROKEN}.pdf", io.BytesIO(slides), len(slides))
    details = Details(
        title=f"Slides: {ACTIVITIES[0]}",
        description=f"{COMMENTS[2]} {URL}",
        need_areas=[long_area, *hub.hub_type.need_areas[:3]],
        phases=list(PHASES),
        activity=activity,
    )
    made = add_resource(hub, details, upload, by=lead)
    add_resource(
        hub,
        Details(f"{DRAFT_TITLE}: guidance", url=URL, need_areas=[long_area]),
        by=lead,
    )
    return made.id


def _memorandum(hub, school, lead) -> int:
    """The hub's memorandum, with a long address and an unbroken word in it, signed by the
    school's head with a long name and role; returns the signature's id."""
    save_mou(
        hub,
        f"{HUB_NAME} offers:\n\n- {ACTIVITIES[0]}\n- {ACTIVITIES[1]}\n\nSee {URL}",
        f"- The careers leader of {UNBROKEN} attends every network meeting\n- {COMMENTS[2]}",
        lead,
        None,
    )
    link, _token = new_head_link(school, lead, utcnow())
    signature = sign(
        link,
        1,
        "Dr Anneliese Featherstonehaugh-Montgomery-Ramanathan-O'Connell",
        "Executive Headteacher and Chief Executive Officer of the Northern Lights Trust",
        "2001:db8:85a3:8d3:1319:8a2e:370:7348",
    )
    return signature.id


def _contacts(school) -> None:
    """The school's head and main contact, with names, roles and addresses as long as the form
    takes; the main contact has stopped the hub's email."""
    save_contact(
        school,
        "head",
        ContactDetails(
            name="Dr Anneliese Featherstonehaugh-Montgomery-Ramanathan-O'Connell",
            role="Executive Headteacher and Chief Executive Officer of the Northern Lights Trust",
            email=RESPONDENT_EMAIL,
            phone="+44 (0)1524 000 000 (12345)",
        ),
    )
    main = save_contact(
        school,
        "main",
        ContactDetails(
            name=UNBROKEN,
            role="Careers Leader, Careers Adviser and Enterprise Coordinator",
            email=f"{UNBROKEN.lower()}@{UNBROKEN.lower()}.example.sch.uk",
        ),
    )
    choose_email(main, stop=True)


def _ids(survey: Survey) -> dict[str, int]:
    texts = [q for q in survey.questions if q.kind in ("short_text", "long_text")]
    return {
        "survey_id": survey.id,
        "section_id": survey.sections[-1].id,
        "question_id": texts[0].id,
    }


def _respond(survey, wave, school, rng, role="careers-leader", activity=None, flags=""):
    phase = school.phase if school else None
    response = Response(
        survey=survey,
        wave=wave,
        activity=activity,
        token=secrets.token_hex(16),
        resume_code=secrets.token_hex(4).upper(),
        status="submitted",
        profile_saved=True,
        school=school,
        school_name=school.name if school else "",
        phase=phase if survey.asks_profile else None,
        role=role if survey.asks_profile else None,
        career_stage="years-6-10" if survey.asks_profile else None,
        subject="pshe" if survey.asks_profile else None,
        submitted_at=datetime.combine(wave.opened_on, datetime.min.time()),
        flags=flags,
    )
    db.session.add(response)
    db.session.flush()
    for question in survey.questions:
        if question.section.audience and not audience.applies(
            question.section.audience, response.profile
        ):
            continue
        for answer in _answers(question, rng):
            answer.response_id, answer.question_id = response.id, question.id
            db.session.add(answer)
    return response


def _answers(question: Question, rng: random.Random) -> list[Answer]:
    match question.kind:
        case "needs_grid":
            return [
                Answer(item=area.id, number=rng.randint(1, 5), priority=rng.random() < 0.4)
                for area in question.grid_areas
            ]
        case "single":
            return [Answer(number=rng.randrange(len(question.options)))]
        case "multiple":
            chosen = rng.sample(range(len(question.options)), min(2, len(question.options)))
            return [Answer(item=i + 1, number=1) for i in chosen]
        case "scale":
            return [Answer(number=rng.randint(1, 5))]
        case "rating":
            return [Answer(number=rng.randint(0, 10))]
        case "number":
            low, high = question.settings.get("min", 0), question.settings.get("max", 100)
            return [Answer(number=rng.randint(low, min(high, low + 40)))]
        case "short_text" | "long_text":
            return [Answer(text=rng.choice(COMMENTS))]
    return []


def _needs_assessment(rng, hub, schools) -> Survey:
    """A termly needs assessment with two waves: enough respondents at two schools for the
    figures to show, and a few at others, which are not shown."""
    survey = create_survey(hub, "template")
    survey.title = (
        "Careers leaders' and teachers' needs across the Greater Lancashire, Cumbria and "
        "South Lakeland partner schools"
    )
    survey.cycle = "termly"
    set_status(survey, "open")
    first = survey.waves[0]
    first.opened_on = date.today() - timedelta(days=120)
    first.label = "First wave, before the careers leaders' network began"
    for n in range(14):
        role = "careers-leader" if n % 2 else "teacher"
        _respond(survey, first, schools[n % 2], rng, role=role, flags="too-fast" if n == 3 else "")
    _respond(survey, first, schools[2], rng)
    second = open_next_wave(survey)
    for n in range(10):
        _respond(survey, second, schools[n % 2], rng, role="careers-leader")
    db.session.commit()
    return survey


def _feedback(rng, hub, schools, areas):
    activities, survey = [], None
    for n, title in enumerate(ACTIVITIES):
        day = date.today() - timedelta(days=60 - 30 * n)
        activity = save_activity(
            hub,
            None,
            areas,
            schools[:3],
            shared_survey=survey,
            title=title,
            kind="network",
            starts_at=datetime.combine(day, datetime.min.time()).replace(hour=16),
            place=schools[n].name,
            facilitator="Dr Anneliese Featherstonehaugh-Montgomery, Enterprise Coordinator",
        )
        survey = activity.survey
        wave = open_next_wave(survey, day)
        wave.label = f"{activity.kind.capitalize()} {n + 1} ({day:%-d %B %Y})"
        for _ in range(7):
            _respond(survey, wave, None, rng, activity=activity)
        activities.append(activity)
    db.session.commit()
    return activities, survey


def _outcomes(rng, hub, schools) -> Survey:
    survey = create_survey(hub, "outcomes")
    set_status(survey, "open")
    make_school_links(survey)
    waves = [survey.waves[0], open_next_wave(survey)]
    for wave in waves:
        for school in schools[:3]:
            _respond(survey, wave, school, rng)
    db.session.commit()
    return survey


def _named(rng, hub, school) -> None:
    """A named survey, so that a person's answers can be found by their email."""
    survey = create_survey(hub, "template")
    survey.title, survey.anonymous = "Careers leaders' network: who wants to join, by name", False
    set_status(survey, "open")
    response = _respond(survey, survey.waves[0], school, rng)
    response.respondent_name = "Dr Anneliese Featherstonehaugh-Montgomery"
    response.respondent_email = RESPONDENT_EMAIL
    db.session.commit()


def _draft(hub) -> Survey:
    """A named draft, still editable, with a section and a question as long as they come."""
    survey = create_survey(hub, "template")
    survey.title, survey.anonymous = DRAFT_TITLE, False
    survey.sections.append(
        Section(
            position=len(survey.sections),
            title="Your school's published careers programme and how governors review it",
            intro=f"See {URL} for what the statutory guidance expects.",
            audience={"role": ["careers-leader", "senior-leader", "headteacher"]},
            questions=[
                Question(
                    position=0,
                    kind="single",
                    prompt="Is your careers programme published, and has it been reviewed by "
                    "governors since the statutory guidance changed in January 2023?",
                    hint=f"The guidance is at {URL}",
                    options=LONG_OPTIONS,
                )
            ],
        )
    )
    db.session.commit()
    return survey
