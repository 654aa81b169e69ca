"""The demo's series: the sessions that share a feedback survey become one series (a work
group, a lesson study or a network, as the hub's type runs them), with a session still to
come, registers of the people who came from the series' partner schools (most of them
coming back), hours of CPD, and a couple of follow-ups with schools between sessions. Made
with the app's own services, so the demo holds nothing the pages could not have made.

demo.py calls `series(network, activities, today)` once per hub, after `_activities`, with
the activities it returned."""

import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta

from hubsurvey.activities import series as series_services
from hubsurvey.activities.participation import england_clock
from hubsurvey.activities.register import Person, add_person
from hubsurvey.activities.services import save_activity
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import Activity, Hub, School, Series
from hubsurvey.vocabulary import SERIES_KINDS

FIRST_NAMES = [
    "Amira", "Ben", "Chloe", "Daniel", "Ella", "Farhan", "Grace", "Harry", "Isla", "Jamal",
    "Katie", "Liam", "Maryam", "Nathan", "Olivia", "Priya", "Rhys", "Sophie", "Tariq", "Zara",
]  # fmt: skip
SURNAMES = [
    "Ahmed", "Barker", "Clough", "Dawson", "Evans", "Fielding", "Greenwood", "Hussain",
    "Iqbal", "Jowett", "Kaur", "Lister", "Moss", "Nolan", "Oduya", "Pickles", "Riley",
    "Sutcliffe", "Thornton", "Wainwright",
]  # fmt: skip
# Who comes to a series' sessions, and how often each comes.
ROLES = {"teacher": 6, "ect": 2, "middle-leader": 3, "teaching-assistant": 1, "senco": 1}
# How each kind of hub runs a series of sessions.
KINDS = {"teaching-school-hub": "lesson-study", "careers-hub": "network"}
HOURS = {"network": 1.5, "training": 2.0}
FOLLOW_UPS = [
    "Visited to see the approach in two classrooms; agreed what to try before the next session.",
    "Call with the subject lead about planning time for the group's work in school.",
    "Coached a teacher new to the group through the first gap task.",
]


def series(network_or_hub, activities: list[Activity], today: date) -> Series | None:
    """One series from the activities that share a feedback survey (or, if none do, the
    first three), with a session planned, registers on the sessions held, their hours, and
    two follow-ups. Takes the demo's Network (its hub, schools and seeded random numbers)
    or a hub."""
    hub: Hub = getattr(network_or_hub, "hub", network_or_hub)
    rng = getattr(network_or_hub, "rng", None) or random.Random(hub.id)
    sessions = _sessions(activities)
    if not sessions:
        return None
    first = sessions[0]
    areas = list(dict.fromkeys(area for a in sessions for area in a.need_areas))
    schools = list(dict.fromkeys(school for a in sessions for school in a.schools))
    schools = schools or current_partners(hub)[:4]
    kind = KINDS.get(hub.hub_type.slug, "work-group")
    about = areas[0].name if areas else first.title
    made = series_services.save_series(
        hub,
        None,
        areas,
        sorted(schools, key=lambda school: school.name),
        shared_survey=first.survey,
        title=f"{about}: {SERIES_KINDS[kind].lower()}"[:160],
        kind=kind,
        description=(
            f"Teachers from {len(schools)} partner schools meet each half term to work on "
            f"{about.lower()}, trying ideas in their own classrooms between sessions."
        )[:1000],
    )
    for activity in sessions:
        activity.series = made
        activity.hours = HOURS.get(activity.kind, 1.5)
    _planned(made, first, today)
    held = [a for a in sessions if a.starts_at <= england_clock()]
    _registers(rng, held, schools)
    _follow_ups(rng, made, held, schools, today)
    return made


def _sessions(activities: list[Activity]) -> list[Activity]:
    """The activities that share the survey most of them share, in date order."""
    if not activities:
        return []
    survey_id, count = Counter(a.survey_id for a in activities).most_common(1)[0]
    chosen = [a for a in activities if a.survey_id == survey_id] if count > 1 else activities[:3]
    return sorted(chosen, key=lambda a: (a.starts_at, a.id))


def _planned(made: Series, first: Activity, today: date) -> Activity:
    """The series' next session, on a weekday about three weeks from today."""
    day = today + timedelta(days=21)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return save_activity(
        made.hub,
        None,
        list(made.need_areas),
        list(made.schools),
        shared_survey=made.survey,
        series=made,
        title=f"{made.title}: next session"[:160],
        kind=first.kind,
        starts_at=datetime.combine(day, time(16, 0)),
        hours=HOURS.get(first.kind, 1.5),
        place=first.place,
        facilitator=first.facilitator,
    )


def _domain(school: School) -> str:
    return re.sub(r"[^a-z0-9]+", "", school.name.lower()) + ".example"


def _cohort(rng: random.Random, schools: list[School]) -> list[Person]:
    """The people in the series: two to four from each school, some without an email."""
    people, used = [], set()
    for school in schools:
        for _ in range(rng.randint(2, 4)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            while (first, last) in used:
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            used.add((first, last))
            email = f"{first}.{last}@{_domain(school)}".lower() if rng.random() < 0.7 else ""
            role = rng.choices(list(ROLES), weights=list(ROLES.values()))[0]
            people.append(Person(f"{first} {last}", email, school.id, role))
    return people


def _registers(rng: random.Random, held: list[Activity], schools: list[School]) -> None:
    """Most of the cohort at each session held, and one or two newcomers at the later ones."""
    cohort = _cohort(rng, schools)
    for n, activity in enumerate(held):
        came = [person for person in cohort if rng.random() < 0.8]
        if n:
            came += _cohort(rng, [rng.choice(schools)])[:2]
        for person in came:
            add_person(activity, person, None)


def _follow_ups(
    rng: random.Random, made: Series, held: list[Activity], schools: list[School], today: date
) -> None:
    """Two follow-ups with schools, each between two sessions held (or after the only one)."""
    days = [a.starts_at.date() for a in held]
    chosen = rng.sample(schools, min(2, len(schools)))
    for n, (school, hours) in enumerate(zip(chosen, (1, 0.5)[: len(chosen)], strict=True)):
        if n + 1 < len(days):
            day = days[n] + (days[n + 1] - days[n]) // 2
        else:
            day = min((days[-1] if days else today) + timedelta(days=7 * (n + 1)), today)
        series_services.save_follow_up(made, None, school, day, hours, FOLLOW_UPS[n], None)
