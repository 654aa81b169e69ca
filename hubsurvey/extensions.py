"""Flask extensions, created here without an app and bound in create_app."""

from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep what they hold after a commit: a session lives for one request, and reloading
# every object after each commit was most of the time a teacher's feedback took to save.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
# Teachers on slow phone networks: pages, styles and scripts travel compressed.
compress = Compress()
# Email through SMTP; only the worker sends (see outbox/sending.py).
mail = Mail()


def init_app(app: Flask) -> None:
    db.init_app(app)
    # Batch mode lets Alembic alter tables on SQLite, which cannot ALTER most things in place.
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    limiter.init_app(app)
    compress.init_app(app)
    mail.init_app(app)
    # Registered after Compress, so it runs before it (Flask runs these last-in, first-out).
    app.after_request(_read_static_files_whole)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine)


def _read_static_files_whole(response):
    """Static files are sent as streams, which Flask-Compress compresses without closing the
    file. Ours are small: read them whole, so they are compressed in one go and closed."""
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
    return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reading_first() -> None:
    """Call first in a post that reads and checks a good deal before it writes: on SQLite its
    reading then takes no lock, so other writers are not held up by it. It must call
    start_writing() before its first write."""
    g.reading_first = True


def start_writing() -> None:
    """Turn the read transaction begun after reading_first() into one holding SQLite's write
    lock (waiting for it if need be). What was read before may have changed since: refresh
    what the writes depend on."""
    if not g.pop("reading_first", False):
        return
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # Behind SQLAlchemy's back, so the objects already loaded stay loaded.
        connection.exec_driver_sql("COMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _tune_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and write transactions that take the lock up front."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy issue BEGIN itself (below) instead of the driver's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA threads=2")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A request that may write, and every command, takes the write lock when its
        # transaction starts: upgrading a read transaction later can fail at once with
        # "database is locked" instead of waiting. Page views read a WAL snapshot and never
        # wait; so do the busiest posts until they write (see reading_first).
        if has_request_context() and (request.method in SAFE_METHODS or g.get("reading_first")):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
