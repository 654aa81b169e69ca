"""The report for the board: a hub's year on a few A4 pages, from the figures the other reports
show. Nothing is counted differently here, so the board reads what the hub lead reads."""

from dataclasses import dataclass, field
from datetime import datetime

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, Response, Survey, Wave
from hubsurvey.plans.figures import PlanStatus, board_status
from hubsurvey.reports.feedback import Figure, feedback_figures
from hubsurvey.reports.planning import Need, needs_and_activities
from hubsurvey.reports.summary import Filters, GridCounts, Row, needs_summary
from hubsurvey.surveys import outcomes
from hubsurvey.surveys.services import response_counts, school_progress

TOP_NEEDS = 5


@dataclass
class NeedChange:
    row: Row  # in the latest wave
    before: Row | None  # the same need area in the wave before, when there is one

    @property
    def score_change(self) -> float | None:
        if self.before is None or self.row.need_score is None or self.before.need_score is None:
            return None
        return self.row.need_score - self.before.need_score

    @property
    def score_change_words(self) -> str:
        """In whole points of need score, as the table shows them; "new" with no wave before."""
        change = self.score_change
        return "new" if change is None else outcomes.signed(round(change), str)


@dataclass
class Needs:
    survey: Survey
    wave: Wave
    before: Wave | None
    sent: int
    partners: int
    responded: int
    top: list[NeedChange] = field(default_factory=list)


@dataclass
class BoardReport:
    hub: Hub
    needs: Needs | None
    # Per activity with at least one rating, latest first; a figure may be not shown (small
    # group), as on the Feedback page.
    ratings: list[tuple[Activity, Figure]]
    rating_overall: Figure | None  # all activities together; None without any rating
    outcomes: tuple[Survey, outcomes.Outcomes] | None
    # Need area id -> the activities that target it, for the top needs.
    planning: dict[int, Need]
    # This school year's sustainability and impact plan: its objectives and their measures.
    plan: PlanStatus | None = None


def answered(hub: Hub, kind: str) -> list[Survey]:
    """The hub's surveys of this kind that anyone has answered, the most recent first."""
    return list(db.session.scalars(_answered(hub, kind)))


def _latest(hub: Hub, kind: str) -> Survey | None:
    return db.session.scalar(_answered(hub, kind).limit(1))


def _answered(hub: Hub, kind: str):
    return (
        db.select(Survey)
        .where(
            Survey.hub_id == hub.id,
            Survey.kind == kind,
            db.select(Response.id)
            .where(Response.survey_id == Survey.id, Response.status == "submitted")
            .exists(),
        )
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    )


def _needs(hub: Hub, survey: Survey | None) -> Needs | None:
    survey = survey or _latest(hub, "needs")
    if survey is None or survey.current_wave is None:
        return None
    waves = sorted(survey.waves, key=lambda w: w.number)
    wave = waves[-1]
    before = waves[-2] if len(waves) > 1 else None
    counts = GridCounts()  # both waves from one read of the answers
    now = needs_summary(hub, Filters(survey=survey, wave_id=wave.id), counts=counts)
    then = {}
    if before is not None:
        earlier = needs_summary(hub, Filters(survey=survey, wave_id=before.id), counts=counts)
        then = {row.need_area.id: row for row in earlier}
    ranked = sorted((r for r in now if r.rank), key=lambda r: r.rank)[:TOP_NEEDS]
    progress = school_progress(survey)
    return Needs(
        survey=survey,
        wave=wave,
        before=before,
        sent=response_counts(survey)["submitted"],
        partners=len(progress["responded"]) + len(progress["waiting"]),
        responded=len(progress["responded"]),
        top=[NeedChange(row, then.get(row.need_area.id)) for row in ranked],
    )


def board_report(
    hub: Hub, now: datetime | None = None, needs_survey: Survey | None = None
) -> BoardReport:
    """Participation and top needs in the latest wave with their change since the wave before
    (of `needs_survey`, or the latest answered needs assessment), feedback on activities,
    outcome figures per wave, and which top needs have activities."""
    feedback = feedback_figures(hub)
    ratings = [
        (activity, feedback.by_activity[activity.id])
        for activity in feedback.activities
        if feedback.by_activity[activity.id].responses
    ]
    outcome_survey = _latest(hub, "outcomes")
    outcome_figures = outcomes.outcomes(outcome_survey) if outcome_survey else None
    needs = _needs(hub, needs_survey)
    top_ids = {change.row.need_area.id for change in needs.top} if needs else set()
    activities = {need.row.need_area.id: need for need in needs_and_activities(hub, now)}
    return BoardReport(
        hub=hub,
        needs=needs,
        ratings=ratings,
        rating_overall=feedback.overall if feedback.overall.responses else None,
        outcomes=(outcome_survey, outcome_figures) if outcome_figures else None,
        planning={area_id: activities[area_id] for area_id in top_ids if area_id in activities},
        plan=board_status(hub),
    )
