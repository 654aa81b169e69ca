"""/healthz for load balancers and uptime checks."""

import sqlite3

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hubsurvey import schema
from hubsurvey.extensions import db
from hubsurvey.worker import HEARTBEAT, last_run

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    backend = db.engine.dialect.name
    body = {"database": "ok", "database_backend": backend}
    if backend == "sqlite":
        # SQLite before 3.51.3 has a rare WAL-reset bug with several writers: see README.
        body["sqlite_version"] = sqlite3.sqlite_version
    try:
        db.session.execute(text("SELECT 1"))
        if not schema.is_current():
            body["database"] = f"needs migrating: run {schema.UPGRADE}"
            return jsonify(status="error", **body), 503
        # The worker notes each minute that it is alive; a stale time means it has stopped.
        beat = last_run(HEARTBEAT)
        body["worker_last_seen"] = beat.finished_at.isoformat() + "Z" if beat else None
    except SQLAlchemyError:
        body["database"] = "unreachable"
        return jsonify(status="error", **body), 503
    return jsonify(status="ok", **body)
