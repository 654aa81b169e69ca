"""Deleting a survey for good: its questions, waves, links and every answer, in one transaction."""

from sqlalchemy import delete, exists, func, select

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import Activity, Participant, Response, Survey
from hubsurvey.surveys.services import survey_words


def blocking_activities(survey: Survey) -> list[Activity]:
    """Activities that collect their feedback through the survey: it cannot go while they do."""
    return list(
        db.session.scalars(
            select(Activity).where(Activity.survey_id == survey.id).order_by(Activity.title)
        )
    )


def delete_survey(survey: Survey) -> int:
    """Delete the survey and everything answered to it; say how many responses went. The audit
    entry names the survey and the count, never an answer."""
    if survey.status == "open":
        raise ValueError("Close the survey before deleting it")
    if blocking_activities(survey):
        raise ValueError("Activities still collect their feedback through this survey")
    removed = db.session.scalar(
        select(func.count(Response.id)).where(Response.survey_id == survey.id)
    )
    # A participant code that would link nothing afterwards says only that someone once took
    # part: it goes too. Codes that also link answers to other surveys stay.
    elsewhere = exists().where(
        Response.participant_id == Participant.id, Response.survey_id != survey.id
    )
    here = select(Response.participant_id).where(Response.survey_id == survey.id)
    db.session.execute(delete(Participant).where(Participant.id.in_(here), ~elsewhere))
    db.session.execute(delete(Response).where(Response.survey_id == survey.id))
    record(
        "survey-deleted",
        hub=survey.hub,
        target=survey_words(survey),
        detail=f"{removed} {'response' if removed == 1 else 'responses'} deleted",
    )
    db.session.delete(survey)
    db.session.commit()
    return removed
