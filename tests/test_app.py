"""The app as a whole: configuration, the health check, headers, and the schema."""

import os
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hubsurvey import create_app
from hubsurvey.extensions import db
from hubsurvey.settings import ensure_secret_key


def test_first_run_generates_a_private_secret_key_and_keeps_it(tmp_path):
    key = ensure_secret_key(tmp_path)
    assert len(key) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert ensure_secret_key(tmp_path) == key


def test_outside_production_the_app_starts_with_the_generated_key(database_url):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": None})
    assert app.config["SECRET_KEY"] == ensure_secret_key(Path(app.instance_path))


def test_production_refuses_to_start_without_a_secret_key(database_url):
    with pytest.raises(RuntimeError, match="No secret key"):
        create_app({"DATABASE_URL": database_url, "PRODUCTION": True, "SECRET_KEY": None})


def test_production_marks_the_session_cookie_secure(database_url):
    key = "k" * 32  # production refuses keys shorter than 32 bytes (see test_auth.py)
    app = create_app({"DATABASE_URL": database_url, "PRODUCTION": True, "SECRET_KEY": key})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    if body["database_backend"] == "sqlite":
        assert body["sqlite_version"].count(".") == 2
    else:
        assert body["database_backend"] == "postgresql"


def test_healthz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/nope.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_style_and_nothing_from_another_host(client):
    html = client.get("/sign-in").text
    assert "<style" not in html
    assert " style=" not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0], "inline <script> would break the CSP"
    assert "http://" not in html and "https://" not in html


def test_vendored_assets_are_served(client):
    html = client.get("/sign-in").text
    for name in ("htmx-2.", "govuk-frontend-"):
        start = html.index("/static/vendor/" + name)
        path = html[start : html.index('"', start)]
        with client.get(path) as response:
            assert response.status_code == 200, path


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_sqlite_is_tuned_for_a_web_app(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, db.metadata) == []
