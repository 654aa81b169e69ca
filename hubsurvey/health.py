"""/healthz for load balancers and uptime checks."""

import sqlite3

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hubsurvey.extensions import db

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
    except SQLAlchemyError:
        body["database"] = "unreachable"
        return jsonify(status="error", **body), 503
    return jsonify(status="ok", **body)
