"""The demonstration's respondents: who they are, and how they answer.

They answer by the rules a teacher's phone goes through: "about you" first, then only the
sections and questions that profile is shown, each value read back as the survey's form
reads it, then sent. So the demo never holds an answer nobody could have given. Answers to
a round still open go through the respond services themselves (give_now); the services take
none for a round that has ended, so those are stored as they stored them (given_then)."""

import random
import secrets
from datetime import datetime, timedelta

from werkzeug.datastructures import MultiDict

from hubsurvey import demo_comments as words
from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, NeedArea, Question, Response, School, Survey, Wave
from hubsurvey.respond import services
from hubsurvey.surveys import questions

# Who answers a hub's needs assessment: roles and how often each answers, by hub type.
ROLES = {
    "teaching-school-hub": {
        "teacher": 6, "ect": 4, "trainee": 2, "mentor": 3, "middle-leader": 2,
        "senior-leader": 1, "headteacher": 1, "senco": 1, "teaching-assistant": 1,
    },
    "english-hub": {
        "teacher": 6, "ect": 2, "middle-leader": 3, "senior-leader": 1, "headteacher": 1,
        "senco": 1, "teaching-assistant": 3,
    },
    "maths-hub": {
        "teacher": 7, "ect": 2, "middle-leader": 3, "senior-leader": 1, "headteacher": 1,
        "teaching-assistant": 1,
    },
    "careers-hub": {
        "teacher": 5, "middle-leader": 2, "careers-leader": 4, "senior-leader": 2,
        "headteacher": 1, "senco": 1, "teaching-assistant": 1,
    },
}  # fmt: skip
# How long people in each role have been teaching (an early career teacher is in year 1 or 2).
STAGES = {
    "trainee": ["trainee"],
    "ect": ["ect-1", "ect-2"],
    "teacher": ["years-3-5", "years-3-5", "years-6-10", "years-11-plus"],
    "mentor": ["years-3-5", "years-6-10", "years-6-10", "years-11-plus"],
    "middle-leader": ["years-3-5", "years-6-10", "years-11-plus", "years-11-plus"],
    "senior-leader": ["years-6-10", "years-11-plus", "years-11-plus"],
    "headteacher": ["years-11-plus"],
}
OTHER_STAGES = ["years-3-5", "years-6-10", "years-11-plus"]
# Newer staff feel less confident, leaders more: a shift on the 1 to 5 scale.
CONFIDENCE = {"trainee": -0.7, "ect": -0.5, "teaching-assistant": -0.3, "mentor": 0.2,
              "middle-leader": 0.3, "senior-leader": 0.4, "headteacher": 0.5}  # fmt: skip
SECONDARY_SUBJECTS = [
    "english", "maths", "science", "history", "geography", "languages", "art", "pe",
    "computing", "design-technology", "re", "music",
]  # fmt: skip
HUB_SUBJECTS = {"maths-hub": "maths", "english-hub": "english"}
# Schools a few teachers type that are not on the hub's list.
ELSEWHERE = [
    "Windhill Green Primary School",
    "Calder Vale Academy",
    "Brookfield Junior School",
    "Westfield Infant School",
    "Northcliffe High School",
]
# The typical answer to a number question, by its unit, within the question's own range.
TYPICAL = {"%": (55, 95), "hours": (1, 12), "staff": (0, 6), "pupils": (25, 90)}
# Options that are chosen alone ("None at the moment").
ALONE = ("None", "Nothing", "Not sure")


class Person:
    """One teacher of the demonstration: what they say about themselves on "about you"."""

    def __init__(self, typed: str, phase: str, role: str, stage: str, subject: str) -> None:
        self.typed = typed  # their school, as they type it
        self.profile = {"phase": phase, "role": role, "career_stage": stage, "subject": subject}
        self.code: str | None = None  # a participant code, once they have one


class Network:
    """A hub's schools and staff: how confident they are in each need area, and how they
    tend to answer each question, all from one seeded random generator."""

    def __init__(self, hub: Hub, schools: list[School], rng: random.Random) -> None:
        self.hub, self.schools, self.rng = hub, schools, rng
        self.phases = hub.phases or ["primary", "secondary"]
        areas = hub.hub_type.need_areas
        self.means = {area.id: round(rng.uniform(2.3, 3.9), 2) for area in areas}
        self._leanings: dict[int, list[float]] = {}
        self._decks: dict[object, list[str]] = {}

    def neediest(self, areas: list[NeedArea]) -> list[NeedArea]:
        """The areas, least confident first: what the hub's activities should address."""
        return sorted(areas, key=lambda area: self.means[area.id])

    def person(self) -> Person:
        rng = self.rng
        if rng.random() < 0.04:
            typed, phase = rng.choice(ELSEWHERE), rng.choice(self.phases)
        else:
            school = rng.choice(self.schools)
            typed, phase = self._typed(school), school.phase
        roles = ROLES.get(self.hub.hub_type.slug, ROLES["teaching-school-hub"])
        role = rng.choices(list(roles), weights=list(roles.values()))[0]
        stage = rng.choice(STAGES.get(role, OTHER_STAGES))
        return Person(typed, phase, role, stage, self._subject(phase, role))

    def _typed(self, school: School) -> str:
        """What a teacher types for their school: mostly the list's own text, sometimes the
        name in their own case, or with the curly apostrophe a phone puts in."""
        roll = self.rng.random()
        if roll < 0.55:
            return services.school_choice(school)
        if roll < 0.75:
            return school.name
        if roll < 0.85:
            return school.name.lower()
        if roll < 0.95:
            return school.name.replace("'", "\u2019")
        return school.name.upper()

    def _subject(self, phase: str, role: str) -> str:
        rng = self.rng
        if phase == "primary" or (phase == "all-through" and rng.random() < 0.5):
            return "all-primary"
        leads = ("headteacher", "senior-leader", "careers-leader", "senco")
        if role in leads and rng.random() < 0.4:
            return "none"
        own = HUB_SUBJECTS.get(self.hub.hub_type.slug)
        return own if own and rng.random() < 0.85 else rng.choice(SECONDARY_SUBJECTS)

    def deal(self, key, comments: list[str]) -> str:
        """The next comment from a shuffled deck of them: none is written twice until every
        one has been, so the comments vary as real ones do, yet every run is the same."""
        deck = self._decks.get(key)
        if not deck:
            deck = self._decks[key] = self.rng.sample(comments, len(comments))
        return deck.pop()

    def leaning(self, question: Question) -> list[float]:
        """How much this network favours each option of a question (the same for everyone,
        so that the answers have a shape, as real ones do)."""
        if question.id not in self._leanings:
            self._leanings[question.id] = [self.rng.uniform(0.08, 0.55) for _ in question.options]
        return self._leanings[question.id]


class Answers:
    """How one person answers each question they are shown. `lift` raises confidence per
    need area (after support), `mood` how a session went, `fixed` gives set values."""

    def __init__(
        self,
        network: Network,
        person: Person | None,
        *,
        lift: dict[int, float] | None = None,
        mood: float = 0.0,
        activity: Activity | None = None,
        fixed: dict[int, object] | None = None,
    ) -> None:
        self.network, self.rng = network, network.rng
        self.profile = person.profile if person else {}
        self.lift, self.mood, self.activity = lift or {}, mood, activity
        self.fixed = fixed or {}
        # The need areas this person would write about: their lowest first, once known.
        self.focus: list[NeedArea] = list(activity.need_areas) if activity else []

    def __call__(self, question: Question):
        if question.id in self.fixed:
            return self.fixed[question.id]
        optional = not question.required
        if question.kind in ("short_text", "long_text"):
            text = self._text(question)
            if text is None and question.required:
                text = self.network.deal("help", words.HELP_IN_GENERAL)
            return text
        if optional and self.rng.random() < 0.1:
            return None  # skipped
        return getattr(self, f"_{question.kind}")(question)

    def _confidence(self, area_id: int) -> int:
        mean = self.network.means.get(area_id, 3.2) + self.lift.get(area_id, 0.0)
        mean += CONFIDENCE.get(self.profile.get("role"), 0.0)
        return max(1, min(5, round(self.rng.gauss(mean, 0.85))))

    def _needs_grid(self, question: Question) -> dict[int, tuple[int, bool]]:
        levels = {area.id: self._confidence(area.id) for area in question.grid_areas}
        chance = {1: 0.7, 2: 0.6, 3: 0.2}
        # At most three priorities, the least confident first.
        least_first = sorted(levels, key=levels.get)
        wanted = [a for a in least_first if self.rng.random() < chance.get(levels[a], 0.03)][:3]
        by_id = {area.id: area for area in question.grid_areas}
        self.focus = [by_id[a] for a in wanted] or [by_id[min(levels, key=levels.get)]]
        return {area_id: (level, area_id in wanted) for area_id, level in levels.items()}

    def _single(self, question: Question) -> int:
        leaning = self.network.leaning(question)
        return self.rng.choices(range(len(question.options)), weights=leaning)[0]

    def _multiple(self, question: Question) -> list[int] | None:
        options, leaning = question.options, self.network.leaning(question)
        if self.activity:  # which of the session's need areas it helped with
            leaning = [0.75] * len(options)
        alone = [i for i, option in enumerate(options) if option.startswith(ALONE)]
        chosen = [i for i, p in enumerate(leaning) if i not in alone and self.rng.random() < p]
        if not chosen and alone and self.rng.random() < 0.6:
            chosen = [alone[0]]
        if not chosen and question.required:
            chosen = [self.rng.choice([i for i in range(len(options)) if i not in alone])]
        return sorted(chosen) or None

    def _scale(self, question: Question) -> int:
        if question.need_area_id:  # as confident as in that area of the grid
            return self._confidence(question.need_area_id)
        mean = 4.0 + self.mood if self.activity else 3.5
        return max(1, min(5, round(self.rng.gauss(mean, 0.75))))

    def _rating(self, question: Question) -> int:
        lift = sum(self.lift.values()) / len(self.lift) if self.lift else 0.0
        return max(0, min(10, round(self.rng.gauss(6.2 + 2 * lift, 1.7))))

    def _number(self, question: Question):
        low, high = questions.number_bounds(question)
        unit = question.settings.get("unit", "")
        first, last = TYPICAL.get(unit, (low, low + 60))
        value = self.rng.uniform(max(low, first), min(high, last))
        return round(value) if question.settings.get("integer") else round(value, 1)

    def _text(self, question: Question) -> str | None:
        """A comment from one of the demo's decks (see Network.deal), or none: most people
        leave a free-text box empty."""
        rng, deal, kind = self.rng, self.network.deal, question.section.survey.kind
        area = rng.choice(self.focus).name if self.focus else ""
        if kind == "feedback" and question.kind == "short_text":
            return deal(("try", area), words.said(words.TRY, area)) if rng.random() < 0.45 else None
        if kind == "feedback":
            if rng.random() < 0.1:
                return deal(("better", area), words.said(words.BETTER_ON_TOPIC, area))
            return deal("better", words.BETTER) if rng.random() < 0.2 else None
        if kind == "outcomes":
            return deal("notes", words.OUTCOME_NOTES) if rng.random() < 0.3 else None
        if by_phase := words.BY_PROMPT.get(question.prompt):
            phase = "primary" if self.profile.get("phase") == "primary" else "secondary"
            return deal((question.prompt, phase), by_phase[phase]) if rng.random() < 0.5 else None
        if rng.random() >= 0.35:
            return None
        if rng.random() < 0.15 or not area:
            return deal("help", words.HELP_IN_GENERAL)
        return deal(("help", area), words.said(words.HELP, area))


def posted(question: Question, value):
    """The value as the survey's form reads it back from what a phone would send: the demo's
    answers pass the same checks as a teacher's."""
    form = MultiDict()
    for key, sent in questions.form_values(question, value).items():
        form.setlist(key, sent if isinstance(sent, list) else [sent])
    reading = questions.read(question, form)
    if reading.error or reading.field_errors:
        problem = reading.error or reading.field_errors
        raise ValueError(f"demo answer {value!r} to {question.prompt!r} refused: {problem}")
    return reading.value


def give_now(
    response: Response, answers: Answers, person: Person | None, started: datetime, minutes: float
) -> None:
    """Answer through the respond services, as a teacher's phone does: "about you" (the
    school matched from what was typed), each section shown, in order, then send. Dated
    when it was given: the services stamp it now."""
    if person is not None:
        school, name = services.match_school(response.survey.hub, person.typed)
        services.save_profile(response, school=school, school_name=name, **person.profile)
    for number, (_section, shown) in enumerate(services.steps(response), start=1):
        services.save_section(response, number, {q.id: posted(q, answers(q)) for q in shown})
    services.submit(response)
    _date(response, started, minutes)


def given_then(
    survey: Survey,
    wave: Wave,
    answers: Answers,
    person: Person | None,
    started: datetime,
    minutes: float,
    *,
    school: School | None = None,
    activity: Activity | None = None,
) -> Response:
    """A response to a round that has ended, which the services rightly no longer take:
    stored as they stored it then. The same profile and school matching, only the sections
    and questions that profile is shown, each answer read as the form reads it and kept as
    save_section keeps it, and every required question answered."""
    response = Response(
        survey=survey,
        wave=wave,
        activity=activity,
        token=secrets.token_urlsafe(32),
        resume_code=secrets.token_hex(5).upper(),
        status="submitted",
        profile_saved=True,
        school=school,
        school_name=school.name if school else "",
    )
    if person is not None:
        # Those made before wait to be written together, at the wave's commit.
        with db.session.no_autoflush:
            response.school, response.school_name = services.match_school(survey.hub, person.typed)
        for fact, value in person.profile.items():
            setattr(response, fact, value)
    db.session.add(response)
    steps = services.steps(response)
    for _section, shown in steps:
        for question in shown:
            value = posted(question, answers(question))
            if value is None and question.required:
                raise ValueError(f"demo left required {question.prompt!r} unanswered")
            response.answers += questions.to_answers(question, value)
    response.step = len(steps)
    _date(response, started, minutes)
    return response


def _date(response: Response, started: datetime, minutes: float) -> None:
    response.started_at = started
    response.saved_at = response.submitted_at = started + timedelta(minutes=minutes)
