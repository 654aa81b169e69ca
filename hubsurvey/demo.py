"""`flask --app app demo`: fill an empty database with a believable year of a few hubs'
work, so a newcomer sees meaningful summaries at once. Seeded, so every run looks the same.

The year is played through in order, with the app's own rules: each survey's waves open as
the app opens them (a termly survey's label is the term it opened in); each respondent
answers only what the respond services show their profile (see demo_people); and each
activity addresses one of the needs the hub's teachers rated lowest, with feedback given in
the room on the day. Then each hub's series with its registers (demo_series), its resource
library (demo_resources) and its plan with measures read from all of that (demo_plan)."""

import random
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import click
from flask import current_app, url_for
from sqlalchemy import event

from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import load_reference_data, save_hub
from hubsurvey.auth.services import create_user
from hubsurvey.demo_outreach import reach_out
from hubsurvey.demo_people import Answers, Network, give_now, given_then
from hubsurvey.demo_plan import plan
from hubsurvey.demo_resources import resources
from hubsurvey.demo_series import series
from hubsurvey.extensions import db
from hubsurvey.hubs.services import SchoolDetails, add_partner
from hubsurvey.models import Activity, Hub, HubType, NeedArea, Survey, User, Wave
from hubsurvey.models.base import utcnow
from hubsurvey.respond import participants, services
from hubsurvey.surveys.services import create_survey, make_school_links, school_links, set_status
from hubsurvey.surveys.waves import current_wave, open_next_wave, term
from hubsurvey.vocabulary import SURVEY_KINDS

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
# How a school of each phase is named.
SCHOOL_KINDS = {
    "primary": ["Primary School", "Primary Academy", "CE Primary School"],
    "secondary": ["Academy", "High School"],
    "all-through": ["All-through School"],
    "special": ["Special School"],
    "alternative-provision": ["Learning Centre"],
    "post-16": ["Sixth Form College"],
}
# A series of three sessions on one need area shares a feedback survey, a wave each, so the
# sessions can be compared; a fourth, on another area, has its own.
SERIES = [
    ("network", "network meeting", time(13, 30)),
    ("training", "twilight training", time(16, 0)),
    ("training", "follow-up workshop", time(15, 45)),
]
FACILITATORS = ["Hub lead", "Specialist leader of education", "Lead practitioner"]


@click.command("demo")
@click.option("--base-url", default="http://127.0.0.1:5000", help="Where the app is served.")
def demo(base_url: str) -> None:
    """Fill an empty database with demonstration hubs, surveys and responses."""
    if db.session.scalar(db.select(Survey.id)):
        raise click.ClickException(
            "This database already has surveys: demo data needs an empty one."
        )
    # A request to base_url: the messages the demo puts in the outbox hold full links.
    with _commits_not_waiting_for_the_disk(), current_app.test_request_context(base_url=base_url):
        lead, password, links, heads = _fill()
        click.echo(f"\nDemo data is ready. Open {url_for('auth.sign_in', _external=True)}")
        click.echo(f"email: {lead.email}")
        click.echo(f"password: {password}")
        for code, hub, kind, title in links:
            url = url_for("respond.start", code=code, _external=True)
            label = f"hub: {hub.name} | kind: {SURVEY_KINDS[kind]} | title: {title}"
            click.echo(f"survey: {url}  {label}")
        for hub, secret in heads:
            outbox = url_for("outbox.index", hub_slug=hub.slug, _external=True)
            click.echo(f"outbox: {outbox}  hub: {hub.name}")
            view = url_for("heads.school", token=secret, _external=True)
            click.echo(f"head: {view}  hub: {hub.name} | the head's view of their school")


def _fill() -> tuple[User, str, list[tuple[str, Hub, str, str]], list[tuple[Hub, str]]]:
    """The hubs and their year; the lead's account, its password, the links to show, and
    each hub's head link secret."""
    rng = random.Random(2026)
    load_reference_data()
    password = secrets.token_urlsafe(12)
    hubs = [_hub(rng, *spec) for spec in HUBS]
    lead = create_user("lead@demo.hubsurvey.example", "staff", password, hubs)
    links: list[tuple[str, Hub, str, str]] = []  # code, hub, kind, title
    heads: list[tuple[Hub, str]] = []
    today = date.today()
    for hub in hubs:
        network = Network(hub, [p.school for p in hub.partnerships], rng)
        survey = _needs_assessment(network, today)
        links.append((survey.code, hub, survey.kind, survey.title))
        heads.append((hub, reach_out(hub, survey, rng)))
        activities = _activities(network, survey, today)
        for activity in activities:
            links.append((activity.code, hub, activity.survey.kind, activity.title))
        _outcomes(network, today)
        series(network, activities, today)
        resources(hub, activities)
        plan(hub, survey, activities, today)
    return lead, password, links, heads


@contextmanager
def _commits_not_waiting_for_the_disk():
    """On PostgreSQL, the demo's commits do not each wait for the disk: thousands of small
    ones, as teachers' answers come in one section at a time. A crash could lose the last
    few, never corrupt the database; the demo is then run again on an empty one."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        yield
        return

    def no_wait(connection) -> None:
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    event.listen(engine, "begin", no_wait)
    try:
        yield
    finally:
        event.remove(engine, "begin", no_wait)


def _hub(rng: random.Random, name: str, type_slug: str, area: str) -> Hub:
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == type_slug))
    hub = save_hub(
        None,
        name=name,
        hub_type_id=hub_type.id,
        area=area,
        phases=list(hub_type.phases),
        subject=None,
        contact_email=f"hello@{type_slug}.demo.example",
        smallest_group=5,
    )
    phases = hub.phases or ["primary", "secondary"]
    for i, word in enumerate(rng.sample(SCHOOL_WORDS, 8)):
        phase = phases[i % len(phases)]
        add_partner(
            hub,
            SchoolDetails(
                name=f"{word} {rng.choice(SCHOOL_KINDS[phase])}",
                urn=str(100000 + hub.id * 1000 + i),
                phase=phase,
                local_authority=area.split(" and ")[0],
            ),
            rng.choice(["invited", "mou-signed", "active", "active", "active"]),
        )
    return hub


# The school year, as the app's waves reckon terms.


def _term_start(day: date) -> date:
    """The first day of the term `day` is in (by waves.term, which labels termly waves)."""
    label = term(day)[0]
    while term(day - timedelta(days=1))[0] == label:
        day -= timedelta(days=1)
    return day


def _terms_ago(today: date, count: int) -> date:
    start = _term_start(today)
    for _ in range(count):
        start = _term_start(start - timedelta(days=1))
    return start


def _school_days(first: date, last: date) -> list[date]:
    """Weekdays from `first` to `last` outside the summer and Christmas holidays (or, if
    there are none, any day of them)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    holidays = ((8, 1), (8, 31)), ((12, 21), (12, 31)), ((1, 1), (1, 3))
    open_days = [
        d
        for d in days
        if d.weekday() < 5 and not any(a <= (d.month, d.day) <= b for a, b in holidays)
    ]
    return open_days or days or [first]


def _some_time(rng: random.Random, days: list[date], hours: tuple[int, int] = (7, 21)) -> datetime:
    """A moment on one of these days, and never later than now (less a few minutes)."""
    moment = datetime.combine(rng.choice(days), time(rng.randint(*hours), rng.randint(0, 59)))
    latest = utcnow() - timedelta(minutes=30)
    return max(min(moment, latest), datetime.combine(days[0], time()))


def _rounds(survey: Survey, first_day: date, today: date, fill: Callable) -> None:
    """Open a termly survey's waves from `first_day` on, each on the date the app sets, and
    fill each: `fill(wave, days, now)`, with `now` true for the round taking answers today."""
    wave = open_next_wave(survey, first_day)
    while wave.next_on and wave.next_on <= today:
        fill(wave, _school_days(wave.opened_on, wave.next_on - timedelta(days=1)), now=False)
        wave = current_wave(survey, wave.next_on)
    set_status(survey, "open")
    fill(wave, _school_days(wave.opened_on, today), now=True)


def _needs_assessment(network: Network, today: date) -> Survey:
    """A termly needs assessment: last term's wave, and this term's, after a term of support
    in the areas the hub's activities address. Forty people keep a participant code, and
    thirty of them answer again with it."""
    rng = network.rng
    survey = create_survey(network.hub, "template")
    survey.cycle = "termly"
    grid_areas = [area for q in survey.questions for area in q.grid_areas]
    targets = {area.id for area in _targets(network, survey)}
    first_round = [network.person() for _ in range(70)]

    def fill(wave: Wave, days: list[date], now: bool) -> None:
        if now:
            people = first_round[:30] + [network.person() for _ in range(6)]
            lift = {a.id: 0.8 if a.id in targets else 0.15 for a in grid_areas}
        else:
            people, lift = first_round, {}
        given = []
        for person in people:
            answers = Answers(network, person, lift=lift)
            started, minutes = _some_time(rng, days), rng.uniform(4, 11)
            if now:
                response = services.start(survey)
                give_now(response, answers, person, started, minutes)
            else:
                response = given_then(survey, wave, answers, person, started, minutes)
            given.append((person, response))
        db.session.commit()
        for n, (person, response) in enumerate(given):
            if not now and n < 40:
                person.code = participants.issue(response)
            elif now and person.code:
                participants.link(response, person.code)

    _rounds(survey, _terms_ago(today, 1) + timedelta(days=14), today, fill)
    return survey


def _targets(network: Network, survey: Survey) -> list[NeedArea]:
    """The two areas of the needs grid the hub's teachers are least confident in."""
    areas = [area for q in survey.questions for area in q.grid_areas]
    return network.neediest(areas)[:2]


def _activities(network: Network, needs: Survey, today: date) -> list[Activity]:
    """Three sessions on the greatest need, sharing a feedback survey, and one on the next,
    on school days since the needs assessment began; feedback is given in the room."""
    rng, hub = network.rng, network.hub
    first, second = _targets(network, needs)
    days = _school_days(needs.waves[0].opened_on + timedelta(days=21), today - timedelta(days=2))
    shares = [share + rng.uniform(-0.05, 0.05) for share in (0.1, 0.4, 0.7, 0.9)]
    picks = sorted({days[int(len(days) * share)] for share in shares})
    while len(picks) < 4:  # a short year: sessions on the same day
        picks.append(picks[-1])
    plans = [
        (first, *SERIES[0], picks[0]),
        (first, *SERIES[1], picks[1]),
        (second, "training", "training session", time(9, 30), picks[2]),
        (first, *SERIES[2], picks[3]),
    ]
    shared, made = None, []
    for n, (area, kind, session, at, day) in enumerate(plans):
        in_series = area is first
        activity = save_activity(
            hub,
            None,
            [area],
            rng.sample(network.schools, 3),
            shared_survey=shared if in_series else None,
            title=f"{area.name}: {session}",
            kind=kind,
            starts_at=datetime.combine(day, at),
            place=rng.choice(network.schools).name,
            facilitator=rng.choice(FACILITATORS),
        )
        if in_series:
            shared = activity.survey
        wave = open_next_wave(activity.survey, day)
        # The latest session's round still takes answers; an earlier one's has ended.
        now = not in_series or session == SERIES[-1][1]
        ends = datetime.combine(day, at) + timedelta(minutes=90)
        for _ in range(rng.randint(10, 18)):
            answers = Answers(network, None, activity=activity, mood=0.1 * n)
            started, minutes = ends + timedelta(minutes=rng.uniform(-8, 6)), rng.uniform(0.5, 3)
            if now:
                give_now(services.start(activity.survey, activity), answers, None, started, minutes)
            else:
                given_then(
                    activity.survey, wave, answers, None, started, minutes, activity=activity
                )
        db.session.commit()
        made.append(activity)
    return made


def _outcomes(network: Network, today: date) -> None:
    """Six schools' figures each term for the last three terms, entered through each
    school's own link, getting better as support goes on."""
    rng = network.rng
    survey = create_survey(network.hub, "outcomes")
    make_school_links(survey)
    links = [link for school, link in school_links(survey) if school in network.schools[:6]]
    numbers = [q for q in survey.questions if q.kind == "number"]
    pupils = {link.school_id: rng.randint(25, 60) for link in links}

    def fill(wave: Wave, days: list[date], now: bool) -> None:
        for link in links:
            share = round(min(100, rng.gauss(62 + 6 * (wave.number - 1), 8)), 1)
            fixed = {
                q.id: share if q.settings.get("unit") == "%" else pupils[link.school_id]
                for q in numbers
            }
            answers = Answers(network, None, fixed=fixed)
            started, minutes = _some_time(rng, days[-15:], (8, 18)), rng.uniform(2, 6)
            if now:  # through the school's own link
                response = services.school_response(survey, link)
                give_now(response, answers, None, started, minutes)
            else:
                given_then(survey, wave, answers, None, started, minutes, school=link.school)
        db.session.commit()

    _rounds(survey, _terms_ago(today, 2) + timedelta(days=21), today, fill)
