"""Refuse to serve a database whose schema is not the one this code expects: every page then
says, with a 503, which command brings it up to date. Checked until it passes, then not again."""

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, render_template, request

from hubsurvey.extensions import db

UPGRADE = "flask --app app db upgrade"


def init_app(app: Flask) -> None:
    app.extensions["schema_ok"] = False
    app.before_request(refuse_outdated_schema)


def expected_heads() -> set[str]:
    directory = Path(current_app.root_path).parent / "migrations"
    return set(ScriptDirectory(str(directory)).get_heads())


def database_heads() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def is_current() -> bool:
    """Whether the database is migrated to this code's schema (remembered once it is)."""
    app = current_app._get_current_object()
    if not app.extensions["schema_ok"]:
        app.extensions["schema_ok"] = database_heads() == expected_heads()
    return app.extensions["schema_ok"]


def refuse_outdated_schema():
    # The health check reports the schema itself, in its own words.
    if request.endpoint in ("static", "health.healthz") or is_current():
        return None
    current_app.logger.error("The database needs migrating: run `%s`.", UPGRADE)
    page = render_template(
        "error.html",
        title="This service is being updated",
        message="Try again in a few minutes.",
        admin_hint=f"The database needs migrating: run `{UPGRADE}`, then reload.",
    )
    return page, 503, {"Retry-After": "60"}
