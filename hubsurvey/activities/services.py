"""Activities and the feedback gathered on them, live while the session is in the room."""

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Answer, Hub, NeedArea, Question, Response, School, Survey
from hubsurvey.surveys.services import DEFAULT_KEEP_DAYS, new_code
from hubsurvey.surveys.survey_templates import FOLDER, build_sections, load


def hub_activities(hub: Hub) -> list[tuple[Activity, int]]:
    """The hub's activities, latest first, each with its number of feedback responses."""
    sent = func.count(Response.id)
    rows = db.session.execute(
        db.select(Activity, sent)
        .outerjoin(
            Response,
            (Response.activity_id == Activity.id)
            & (Response.status == "submitted")
            & Response.excluded.is_(False),
        )
        .where(Activity.hub_id == hub.id)
        .group_by(Activity.id)
        .order_by(Activity.starts_at.desc())
        .options(selectinload(Activity.series))
    )
    return [tuple(row) for row in rows]


def find_activity(hub: Hub, activity_id: int) -> Activity | None:
    return db.session.scalar(
        db.select(Activity).where(Activity.id == activity_id, Activity.hub_id == hub.id)
    )


def feedback_surveys(hub: Hub) -> list[Survey]:
    return list(
        db.session.scalars(
            db.select(Survey)
            .where(Survey.hub_id == hub.id, Survey.kind == "feedback")
            .order_by(Survey.created_at.desc())
        )
    )


def save_activity(
    hub: Hub,
    activity: Activity | None,
    need_areas: list[NeedArea],
    schools: list[School],
    shared_survey: Survey | None = None,
    **fields,
) -> Activity:
    """Record an activity. A new one gets its own feedback survey from the hub's feedback
    template, open at once, unless it shares another activity's."""
    if activity is None:
        activity = Activity(hub=hub, code=new_code())
        db.session.add(activity)
    with db.session.no_autoflush:
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.need_areas, activity.schools = need_areas, schools
        if activity.survey_id is None:
            activity.survey = shared_survey or _feedback_survey(hub, activity)
    db.session.commit()
    return activity


def _feedback_survey(hub: Hub, activity: Activity) -> Survey:
    return feedback_survey(hub, activity.title, activity.need_areas)


def feedback_survey(hub: Hub, title: str, need_areas: list[NeedArea]) -> Survey:
    """A feedback survey from the hub's feedback template, open at once, for an activity or a
    series of them called `title`, asking which of `need_areas` it helped with."""
    data = load(FOLDER / "feedback.json")
    keep_until = date.today() + timedelta(days=DEFAULT_KEEP_DAYS)
    survey = Survey(
        hub=hub,
        kind="feedback",
        title=f"Feedback: {title}"[:120],
        status="open",
        asks_profile=False,
        code=new_code(),
        keep_until=keep_until,
        privacy_notice=(
            f"{hub.name} asks for feedback on its sessions to make them better. You are not "
            f"asked your name. Answers are kept until {keep_until:%-d %B %Y}."
        ),
        sections=build_sections(data, hub.hub_type),
    )
    if need_areas:
        # Which of the areas the activity targets it helped with, for the summaries.
        last = survey.sections[-1]
        last.questions.append(
            Question(
                position=len(last.questions),
                kind="multiple",
                prompt="Which of these did it help you with?",
                required=False,
                options=[area.name for area in need_areas],
            )
        )
    return survey


def live_feedback(activity: Activity) -> dict:
    """Responses so far to this activity, and the average of each rating question."""
    sent = (
        (Response.activity_id == activity.id)
        & (Response.status == "submitted")
        & Response.excluded.is_(False)
    )
    count = db.session.scalar(db.select(func.count(Response.id)).where(sent))
    rated = [q for q in activity.survey.questions if q.kind in ("scale", "rating")]
    averages = dict(
        db.session.execute(
            db.select(Answer.question_id, func.avg(Answer.number))
            .join(Response, Response.id == Answer.response_id)
            .where(sent, Answer.question_id.in_([q.id for q in rated]))
            .group_by(Answer.question_id)
        )
        .tuples()
        .all()
    )
    return {
        "count": count,
        "averages": [(q, averages.get(q.id)) for q in rated],
        "at": datetime.now(),
    }
