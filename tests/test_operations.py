"""Running the service: the background worker, backups, a database that needs migrating, and
a database that cannot take writes for a while."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import make_hub, make_survey, refuse_writes
from flask_migrate import downgrade

from hubsurvey.extensions import db
from hubsurvey.models import JobRun, Response

ROOT = Path(__file__).parents[1]
sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's own file and pragmas"
)


def _flask(database_url: str, *args: str, **settings: str) -> subprocess.Popen:
    env = {**os.environ, "FLASK_DATABASE_URL": database_url, "FLASK_SECRET_KEY": "x" * 32}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env | settings,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@sqlite_only
def test_the_worker_starts_notes_it_is_alive_and_stops_on_ctrl_c(app, database_url, tmp_path):
    # Its queue lives in an SQLite file of its own: nothing to install.
    queue = tmp_path / "worker.sqlite"
    worker = _flask(database_url, "worker", FLASK_WORKER_STORAGE_URL=f"sqlite:///{queue}")
    try:
        deadline = time.monotonic() + 60
        # Read without taking the write lock the worker needs (the app's own session would).
        reader = sqlite3.connect(db.engine.url.database)
        while (
            time.monotonic() < deadline and not reader.execute("SELECT 1 FROM job_run").fetchall()
        ):
            time.sleep(0.2)
        reader.close()
        beat = db.session.get(JobRun, "worker")
        db.session.rollback()
        if beat is None:
            worker.terminate()
            pytest.fail("the worker did not record that it started:\n" + worker.communicate()[0])
        health = app.test_client().get("/healthz").get_json()
        assert health["worker_last_seen"].startswith(beat.finished_at.isoformat()[:16])
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Worker started (SqliteStorage)" in output
    assert queue.exists()


def test_health_says_when_the_worker_was_never_seen(client):
    assert client.get("/healthz").get_json()["worker_last_seen"] is None


@sqlite_only
def test_a_backup_is_a_whole_checked_copy_taken_while_the_app_writes(app, runner, tmp_path):
    hub = make_hub("North Hub")
    survey = make_survey(hub)
    target = tmp_path / "backups" / "hubsurvey-backup.sqlite"
    target.parent.mkdir()
    source = Path(db.engine.url.database)
    writer = sqlite3.connect(source)  # another process's writes go on during the copy
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE survey SET title = 'Changed while copying' WHERE id = ?", (survey.id,))
    result = runner.invoke(args=["backup", str(target)])
    writer.commit()
    writer.close()
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    assert not target.with_name(target.name + ".partial").exists()
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The copy is a consistent snapshot: the uncommitted change is not in it.
    assert copy.execute("SELECT title FROM survey").fetchone() == ("Training needs",)
    assert copy.execute("SELECT count(*) FROM hub_type").fetchone()[0] > 0
    copy.close()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_backup_on_postgresql_points_to_pg_dump(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output


def test_a_database_that_needs_migrating_is_not_served(make_app):
    app = make_app()
    with app.app_context():
        downgrade(revision="0004")
        db.session.remove()
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "flask --app app db upgrade" in response.get_json()["database"]
    page = client.get("/sign-in")
    assert page.status_code == 503
    assert "flask --app app db upgrade" in page.text
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    assert client.get("/healthz").status_code == 200


def test_a_read_only_database_gives_a_clear_503_keeps_the_answers_and_recovers(app, client):
    hub = make_hub("North Hub")
    survey = make_survey(hub)
    code = survey.code
    assert client.post(f"/s/{code}").status_code == 303
    profile = {
        "school": "Hill Primary",
        "phase": "primary",
        "role": "teacher",
        "career_stage": "ect-1",
        "subject": "all-primary",
    }
    allow_writes = refuse_writes()
    page = client.post(f"/s/{code}/about-you", data=profile)
    assert page.status_code == 503
    assert page.headers["Retry-After"]
    assert "could not be saved just now" in page.text
    # What was typed comes back in the page, ready to send again.
    assert 'name="school" value="Hill Primary"' in page.text
    assert 'name="career_stage" value="ect-1"' in page.text

    allow_writes()  # the condition clears: the same app recovers by itself, no restart
    again = client.post(f"/s/{code}/about-you", data=profile)
    assert again.status_code == 303, again.text
    db.session.expire_all()
    assert db.session.scalar(db.select(Response.school_name)) == "Hill Primary"


def test_a_staff_form_that_cannot_be_saved_never_shows_its_password_again(app, client):
    from factories import PASSWORD, make_user

    make_user()
    allow_writes = refuse_writes()
    try:
        page = client.post("/sign-in", data={"email": "lead@hub.example", "password": PASSWORD})
    finally:
        allow_writes()
    assert page.status_code == 503
    assert PASSWORD not in page.text
    assert page.headers["Cache-Control"] == "no-store"
