"""A headteacher's view of their school: its part in the hub's surveys against the network's,
its staff's top needs, the activities they attended with how the network rated them, and the
outcome figures it sent. Only this school's figures, or the whole network's, are shown: never
another school's, and never a small group's (the needs summary's and the feedback figures'
own rules apply), nor one school's anonymous feedback on its own."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import selectinload

from hubsurvey.activities.hours import SchoolHours, school_year_figures
from hubsurvey.extensions import db
from hubsurvey.hubs.services import current_partners
from hubsurvey.models import (
    Activity,
    Answer,
    Hub,
    Question,
    Response,
    School,
    Survey,
    Wave,
    utcnow,
)
from hubsurvey.models.activities import activity_school
from hubsurvey.models.base import in_uk
from hubsurvey.reports.feedback import Figure, _headline_questions, feedback_figures
from hubsurvey.reports.summary import Filters, Row, needs_summary
from hubsurvey.school_years import this_year

# Need areas shown per needs assessment: the top few, as on the hub's own page.
TOP_NEEDS = 5


def _sent():
    """Sent responses, not left out by hub staff after review."""
    return and_(Response.status == "submitted", Response.excluded.is_(False))


# Participation


@dataclass
class Participation:
    """One wave of a survey: this school's sent responses, and the whole network's."""

    survey: Survey
    wave: Wave
    school: int
    network: int
    schools: int  # schools with at least one sent response
    partners: int  # the hub's current partner schools


def participation(hub: Hub, school: School) -> list[Participation]:
    """Per survey and wave (newest first), one grouped count. Surveys whose answers say no
    school (quick feedback asks none) are left out: the school's part cannot be told."""
    rows = db.session.execute(
        db.select(
            Response.survey_id,
            Response.wave_id,
            func.count(),
            func.sum(case((Response.school_id == school.id, 1), else_=0)),
            func.count(func.distinct(Response.school_id)),
        )
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.hub_id == hub.id, Survey.status != "draft", _sent())
        .group_by(Response.survey_id, Response.wave_id)
    ).all()
    with_schools = {survey_id for survey_id, _w, _n, _mine, schools in rows if schools}
    rows = [row for row in rows if row[0] in with_schools]
    waves = {
        wave.id: wave
        for wave in db.session.scalars(
            db.select(Wave)
            .where(Wave.id.in_([row[1] for row in rows]))
            .options(selectinload(Wave.survey))
        )
    }
    partners = len(current_partners(hub))
    found = [
        Participation(waves[wave_id].survey, waves[wave_id], int(mine), n, schools, partners)
        for _survey_id, wave_id, n, mine, schools in rows
    ]
    return sorted(
        found, key=lambda p: (-p.survey.created_at.timestamp(), p.survey.id, -p.wave.number)
    )


# Needs


@dataclass
class SchoolNeeds:
    """A needs assessment's latest wave with answers from the school: its staff's top need
    areas, and the areas held back by the small-group rules."""

    survey: Survey
    wave: Wave
    top: list[Row]
    hidden: list[Row]
    smallest: int

    @property
    def fewer_than_smallest(self) -> bool:
        """Every area is held back because too few of the school's staff answered."""
        return bool(self.hidden) and all(r.respondents < self.smallest for r in self.hidden)


def needs(hub: Hub, school: School) -> list[SchoolNeeds]:
    """For each needs assessment the school's staff answered, newest first: the summary of
    its latest wave filtered to the school, as the hub lead's would be."""
    latest = db.session.execute(
        db.select(Response.survey_id, func.max(Wave.number))
        .join(Wave, Wave.id == Response.wave_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.hub_id == hub.id,
            Survey.kind == "needs",
            Survey.status != "draft",
            Response.school_id == school.id,
            _sent(),
        )
        .group_by(Response.survey_id)
    ).all()
    found = []
    for survey_id, number in latest:
        survey = db.session.get(Survey, survey_id)
        wave = next(w for w in survey.waves if w.number == number)
        filters = Filters(survey=survey, wave_id=wave.id, values={"school": str(school.id)})
        # Small groups hidden on named surveys too: a head never sees one teacher's answers.
        rows = needs_summary(hub, filters, protect=True)
        ranked = sorted((r for r in rows if r.rank), key=lambda r: (r.rank, r.need_area.position))
        found.append(
            SchoolNeeds(
                survey=survey,
                wave=wave,
                top=ranked[:TOP_NEEDS],
                hidden=[r for r in rows if r.suppressed],
                smallest=hub.smallest_group,
            )
        )
    return sorted(found, key=lambda n: (-n.survey.created_at.timestamp(), n.survey.id))


# Activities


@dataclass
class Attended:
    """An activity the school's staff took part in, with its rating across the network."""

    activity: Activity
    figure: Figure
    # Every rating came from this school's staff: one school's anonymous feedback on its own,
    # which is not shown.
    own_only: bool


def activities(hub: Hub, school: School, now: datetime | None = None) -> list[Attended]:
    """The activities, held by now, that list the school or that its staff gave feedback on
    through its link, latest first."""
    listed = db.select(activity_school.c.activity_id).where(
        activity_school.c.school_id == school.id
    )
    answered = db.select(Response.activity_id).where(
        Response.school_id == school.id, Response.activity_id.is_not(None), _sent()
    )
    # Activities' times are kept as the clock in England shows them.
    held_by = in_uk(now or utcnow()).replace(tzinfo=None)
    found = list(
        db.session.scalars(
            db.select(Activity)
            .where(
                Activity.hub_id == hub.id,
                Activity.starts_at <= held_by,
                or_(Activity.id.in_(listed), Activity.id.in_(answered)),
            )
            .order_by(Activity.starts_at.desc(), Activity.id.desc())
        )
    )
    if not found:
        return []
    figures = feedback_figures(hub).by_activity
    own = dict(
        db.session.execute(
            db.select(Response.activity_id, func.count())
            .join(Answer, Answer.response_id == Response.id)
            .where(
                Response.activity_id.in_([a.id for a in found]),
                Response.school_id == school.id,
                Answer.question_id.in_(_headline_questions()),
                _sent(),
            )
            .group_by(Response.activity_id)
        )
        .tuples()
        .all()
    )
    return [
        Attended(
            activity=activity,
            figure=figures[activity.id],
            own_only=0 < figures[activity.id].responses <= own.get(activity.id, 0),
        )
        for activity in found
    ]


# Outcomes


@dataclass
class OutcomeTrend:
    """An outcomes survey's figures from this school, per wave (oldest first)."""

    survey: Survey
    waves: list[Wave]
    rows: list[tuple[Question, list[float | None]]] = field(default_factory=list)


def outcome_trends(hub: Hub, school: School) -> list[OutcomeTrend]:
    """For each outcomes survey the school sent figures to: each number question's value in
    each wave, from the school's own response."""
    sent = db.session.execute(
        db.select(Response.survey_id, Response.wave_id, Answer.question_id, Answer.number)
        .join(Answer, Answer.response_id == Response.id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.hub_id == hub.id,
            Survey.kind == "outcomes",
            Response.school_id == school.id,
            Answer.number.is_not(None),
            _sent(),
        )
    ).all()
    values = {(wave_id, question_id): number for _s, wave_id, question_id, number in sent}
    trends = []
    for survey_id in sorted({row[0] for row in sent}):
        survey = db.session.get(Survey, survey_id)
        trend = OutcomeTrend(survey=survey, waves=list(survey.waves))
        for question in survey.questions:
            if question.kind == "number":
                row = [values.get((wave.id, question.id)) for wave in trend.waves]
                trend.rows.append((question, row))
        trends.append(trend)
    return trends


@dataclass
class SchoolView:
    participation: list[Participation]
    needs: list[SchoolNeeds]
    activities: list[Attended]
    outcomes: list[OutcomeTrend]
    # This school year's sessions attended, teachers and CPD hours: counts, never names.
    year: int
    cpd: SchoolHours


def school_view(hub: Hub, school: School, now: datetime | None = None) -> SchoolView:
    year = this_year(now)
    return SchoolView(
        participation=participation(hub, school),
        needs=needs(hub, school),
        activities=activities(hub, school, now),
        outcomes=outcome_trends(hub, school),
        year=year,
        cpd=school_year_figures(hub, school, year, now),
    )
