"""Fixtures: an app on a real database (an SQLite file, or PostgreSQL from TEST_DATABASE_URL),
a client, a CLI runner, and small factories for the rows a test needs."""

import os
import shutil

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from mail_server import MailServer
from sqlalchemy import MetaData, text
from werkzeug.routing import Rule

from hubsurvey import create_app
from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "DATABASE_URL": url,
        # Forms are posted without tokens in most tests; test_csrf.py turns protection on.
        "WTF_CSRF_ENABLED": False,
        "WORKER_IMMEDIATE": True,
        **extra,
    }


@pytest.fixture(scope="session")
def app_config():
    """The settings a test app is built with, given its database URL (for a test module that
    builds its own app; `from conftest import` would find tests/browser's conftest instead)."""
    return _config


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A database migrated once per run: a file to copy for SQLite, the server for PostgreSQL."""
    if TEST_DATABASE_URL:
        app = create_app(_config(TEST_DATABASE_URL))
        with app.app_context():
            # Start from an empty database: whatever an earlier run left is dropped.
            leftovers = MetaData()
            leftovers.reflect(db.engine)
            leftovers.drop_all(db.engine)
            upgrade()
            db.engine.dispose()
        return None
    path = tmp_path_factory.mktemp("template") / "hubsurvey.sqlite"
    app = create_app(_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path, database_template):
    if TEST_DATABASE_URL:
        yield TEST_DATABASE_URL
        return
    path = tmp_path / "hubsurvey.sqlite"
    shutil.copy(database_template, path)
    yield f"sqlite:///{path}"


class FreshRequestClient(FlaskClient):
    """A test client whose requests, as on a real server, start with an empty `g`: neither the
    user flask-login keeps there nor the CSRF token carries over from an earlier request or
    another client. The test's app context, and so its database session, is still shared, so a
    test reads what a request wrote."""

    def open(self, *args, **kwargs):
        context = _cv_app.get(None)
        if context is None or context.app is not self.application:
            return super().open(*args, **kwargs)
        saved, context.g = context.g, self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            context.g = saved


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on this test's database, with extra settings. Uploaded files are kept in
    the test's own folder, never in instance/."""
    apps = []

    def make(**extra):
        app = create_app(_config(database_url, **{"RESOURCE_DIR": str(tmp_path / "files")} | extra))
        app.test_client_class = FreshRequestClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                _empty_postgresql()
            db.engine.dispose()


def _empty_postgresql() -> None:
    """Delete every row, children first, and start the ids again from 1: for the few rows a
    test writes, far quicker than TRUNCATE, which makes each table anew."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    for name in db.session.scalars(text("SELECT relname FROM pg_class WHERE relkind = 'S'")):
        db.session.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))
    db.session.commit()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        load_reference_data()
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def smtp():
    """A real SMTP server in the test process, collecting what it receives."""
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    """The app with a mail server set up: the real one above."""
    app = make_app(**smtp.settings)
    with app.app_context():
        load_reference_data()
        yield app


# Each test builds its own app, and Werkzeug compiles a URL builder for each of its ~175 routes
# every time: a tenth of a second per test, a tenth of the suite. The code it compiles depends
# only on the route and, when it has any, its defaults: built once per route here.
_compile_builder = Rule._compile_builder
_builders: dict = {}


def _reused_builder(self: Rule, append_unknown: bool = True):
    if self.defaults:  # folded into the code: built as Werkzeug builds it
        return _compile_builder(self, append_unknown)
    key = (self.rule, self.subdomain, self.host, tuple(self._trace), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(self, append_unknown)
    return _builders[key]


Rule._compile_builder = _reused_builder
