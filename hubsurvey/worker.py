"""The background worker: huey runs scheduled and queued jobs outside web requests.

`flask --app app worker` runs it; `make run` starts it beside the web server. Each area keeps
its jobs in a tasks.py with a `register(huey, app)` function, called from here. A job takes
ids, not objects, opens its own app context, and can run twice safely."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey, crontab

from hubsurvey.extensions import db
from hubsurvey.models import JobRun, utcnow
from hubsurvey.models.base import in_uk

NAME = "hubsurvey"
HEARTBEAT = "worker"


def init_app(app: Flask) -> None:
    from hubsurvey.activities import tasks as activity_tasks
    from hubsurvey.invitations import tasks as invitation_tasks
    from hubsurvey.outbox import tasks as outbox_tasks
    from hubsurvey.retention import tasks as retention_tasks

    huey = _make_huey(app)
    app.extensions["huey"] = huey
    huey.on_startup("heartbeat")(in_app_context(app, beat))
    huey.periodic_task(crontab(minute="*"), name="heartbeat")(in_app_context(app, beat))
    retention_tasks.register(huey, app)
    invitation_tasks.register(huey, app)
    outbox_tasks.register(huey, app)
    activity_tasks.register(huey, app)
    app.cli.add_command(worker)


def _make_huey(app: Flask) -> Huey:
    """SQLite under instance/ unless WORKER_STORAGE_URL names Redis or PostgreSQL."""
    url = app.config["WORKER_STORAGE_URL"]
    if app.config["WORKER_IMMEDIATE"]:
        # Tests: a queued job runs at once, in the calling process.
        return MemoryHuey(NAME, immediate=True)
    if not url:
        return SqliteHuey(NAME, filename=str(Path(app.instance_path) / "worker.sqlite"))
    if url.startswith("sqlite:///"):
        return SqliteHuey(NAME, filename=url.removeprefix("sqlite:///"))
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey(NAME, url=url)
    if url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        return PostgresHuey(NAME, dsn=url.replace("postgresql+psycopg://", "postgresql://"))
    raise RuntimeError(
        f"WORKER_STORAGE_URL must be empty (SQLite under instance/), sqlite:///PATH, "
        f"redis://... or postgresql://...; it is {url!r}."
    )


def daily_in_england(clock: str) -> Callable[[datetime], bool]:
    """A periodic task's schedule: each day at this time ("08:30") on England's clock, so it
    does not move by an hour with British Summer Time. Huey asks it with UTC minutes."""
    hour, minute = (int(part) for part in clock.split(":"))

    def due(moment: datetime) -> bool:
        local = in_uk(moment)
        return (local.hour, local.minute) == (hour, minute)

    return due


def in_app_context(app: Flask, job: Callable) -> Callable:
    """The job, run inside its own app context with a session that is closed afterwards."""

    def run(*args, **kwargs):
        with app.app_context():
            try:
                return job(*args, **kwargs)
            finally:
                db.session.remove()

    run.__name__ = job.__name__
    run.__doc__ = job.__doc__
    return run


def beat() -> None:
    """Note that the worker is alive: the health check and the admin page read it."""
    record_run(HEARTBEAT, "alive")


def record_run(name: str, detail: str) -> JobRun:
    """Write when a job last ran, and what it did."""
    run = db.session.get(JobRun, name) or JobRun(name=name)
    run.started_at = run.finished_at = utcnow()
    run.detail = detail[:500]
    db.session.add(run)
    db.session.commit()
    return run


def last_run(name: str) -> JobRun | None:
    return db.session.get(JobRun, name)


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
def worker(workers: int) -> None:
    """Run the background worker: the daily purge and other scheduled jobs."""
    huey: Huey = current_app.extensions["huey"]
    click.echo(f"Worker started ({type(huey.storage).__name__}). Stop it with Ctrl-C.")
    huey.create_consumer(workers=workers, periodic=True).run()
