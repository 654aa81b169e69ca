"""Retention: what the privacy notice promises ("kept until <date> and then deleted") happens,
every day through the worker, or on demand through a command."""

from datetime import date, timedelta

import pytest
from factories import make_hub, make_response, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, AuditEntry, JobRun, Participant, Response, utcnow
from hubsurvey.retention.services import purge_expired, still_expired


@pytest.fixture
def hub(app):
    return make_hub("North Hub")


def _response(survey, status="submitted", saved_days_ago=0, participant=None) -> Response:
    """A response with one answer, as a teacher's phone would have left it."""
    saved = utcnow() - timedelta(days=saved_days_ago)
    response = make_response(
        survey,
        status=status,
        saved_at=saved,
        started_at=saved,
        participant=participant,
    )
    db.session.add(Answer(response_id=response.id, question_id=survey.questions[1].id, number=1))
    db.session.commit()
    return response


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_answers_past_their_keep_until_date_are_deleted_and_the_rest_kept(hub):
    expired, current = make_survey(hub), make_survey(hub)
    expired.keep_until = date.today() - timedelta(days=1)
    current.keep_until = date.today()  # kept until the end of today
    db.session.commit()
    person = Participant(hub_id=hub.id, code_hash="a" * 64)
    kept_person = Participant(hub_id=hub.id, code_hash="b" * 64)
    for _ in range(3):
        _response(expired, participant=person)
    _response(expired, status="draft")
    kept = _response(current, participant=kept_person)

    purged = purge_expired()

    assert (purged.surveys, purged.responses, purged.participants) == (1, 4, 1)
    db.session.expire_all()
    assert db.session.scalars(db.select(Response.id)).all() == [kept.id]
    assert db.session.scalars(db.select(Answer.response_id)).all() == [kept.id]
    assert db.session.scalars(db.select(Participant.id)).all() == [kept_person.id]
    # A survey past its date takes no more answers that would be deleted at once.
    assert db.session.get(type(expired), expired.id).status == "closed"
    assert db.session.get(type(current), current.id).status == "open"


def test_unsent_drafts_go_after_the_set_time(app, hub):
    survey = make_survey(hub)
    old = _response(survey, status="draft", saved_days_ago=31)
    recent = _response(survey, status="draft", saved_days_ago=29)
    sent_long_ago = _response(survey, status="submitted", saved_days_ago=400)
    assert purge_expired().drafts == 1
    remaining = set(db.session.scalars(db.select(Response.id)))
    assert remaining == {recent.id, sent_long_ago.id}
    assert old.id not in remaining

    app.config["DRAFT_KEEP_DAYS"] = 7
    assert purge_expired().drafts == 1
    assert set(db.session.scalars(db.select(Response.id))) == {sent_long_ago.id}


def test_the_purge_is_recorded_without_any_answer(hub):
    survey = make_survey(hub, SECRET_SURVEY)
    survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    response = _response(survey)
    db.session.add(Answer(response_id=response.id, question_id=survey.questions[0].id, text="X"))
    db.session.commit()
    purge_expired()
    run = db.session.get(JobRun, "purge")
    assert run is not None and "1 responses from 1 surveys" in run.detail
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "purge")).all()
    assert entries and entries[0].hub_id == hub.id and entries[0].user_id is None
    assert all("X" not in e.detail + e.target.replace(survey.title, "") for e in entries)


SECRET_SURVEY = {
    "title": "Wellbeing",
    "sections": [
        {
            "title": "Now",
            "questions": [
                {"kind": "short_text", "prompt": "Anything else?", "required": False},
                {"kind": "single", "prompt": "Pick", "options": ["A", "B"]},
            ],
        }
    ],
}


def test_the_purge_runs_twice_safely_and_the_command_says_what_it_removed(runner, hub):
    survey = make_survey(hub)
    survey.keep_until = date.today() - timedelta(days=10)
    db.session.commit()
    _response(survey)
    _response(survey)
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Removed 2 responses from 1 surveys past their keep-until date" in result.output
    again = runner.invoke(args=["purge-expired"])
    assert "Removed 0 responses from 0 surveys" in again.output
    assert _count(Response) == 0


def test_the_worker_runs_the_purge_every_day(app, hub):
    huey = app.extensions["huey"]
    midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    due = {}
    for minute in range(24 * 60):
        for task in huey.read_periodic(midnight + timedelta(minutes=minute)):
            due.setdefault(task.name, []).append(minute)
    # Once a day, at the configured time (03:15 UTC by default); the heartbeat every minute.
    assert due["purge"] == [3 * 60 + 15]
    assert len(due["heartbeat"]) == 24 * 60
    (purge,) = [
        t for t in huey.read_periodic(midnight.replace(hour=3, minute=15)) if t.name == "purge"
    ]
    survey = make_survey(hub)
    survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    _response(survey)
    huey.execute(purge)  # as the worker runs it: in its own app context
    db.session.expire_all()
    assert _count(Response) == 0


def test_administrators_see_when_the_purge_ran_and_a_warning_if_data_is_overdue(client, hub):
    sign_in(client, make_user("admin@hub.example", role="admin"))
    page = client.get("/admin/").text
    assert "Daily purge last ran" in page and "Not yet. It runs each day at 03:15 UTC" in page
    survey = make_survey(hub)
    survey.keep_until = date.today() - timedelta(days=3)
    db.session.commit()
    _response(survey)
    assert still_expired() == {
        "responses": 1,
        "drafts": 0,
        "register_entries": 0,
        "messages": 0,
        "follow_ups": 0,
    }
    page = client.get("/admin/").text
    assert "Data past its time is still stored: 1 response" in page
    purge_expired()
    page = client.get("/admin/").text
    assert "Data past its time" not in page
    assert "removed 1 responses from 1 surveys" in page


def test_hub_staff_see_each_surveys_keep_until_date_and_what_happens_then(client, hub):
    sign_in(client, make_user(hubs=[hub]))
    survey = make_survey(hub)
    survey.keep_until = date(2031, 7, 31)
    db.session.commit()
    page = client.get(f"/hubs/{hub.slug}/surveys/{survey.id}/").text
    assert "Answers are kept until <strong>31 July 2031</strong>" in page
    assert "every answer to this survey, in every wave, is deleted for good" in page


def test_staff_sessions_nobody_came_back_to_are_removed(app, hub):
    from hubsurvey.models import UserSession

    user = make_user(hubs=[hub])
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    for token, seen in (("old", utcnow() - idle), ("live", utcnow())):
        db.session.add(UserSession(user=user, token_hash=token * 8, last_seen_at=seen))
    db.session.commit()
    assert purge_expired().sessions == 1
    assert db.session.scalars(db.select(UserSession.token_hash)).all() == ["live" * 8]


def test_the_worker_catches_up_on_the_purge_when_it_starts(app, hub):
    huey = app.extensions["huey"]
    survey = make_survey(hub)
    survey.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    _response(survey)
    huey._startup["purge"]()  # what the consumer runs as it starts
    db.session.expire_all()
    assert _count(Response) == 0
