"""Configuration defaults and the checks that run once the configuration is loaded."""

import os
import secrets
from pathlib import Path

from flask import Flask


class Defaults:
    # Set PRODUCTION (FLASK_PRODUCTION=1) when serving real users: the app then refuses to
    # start without a configured secret key and marks cookies Secure.
    PRODUCTION = False
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # Hub staff are signed out after this long without a request.
    SESSION_IDLE_MINUTES = 60
    # The CSRF token lives as long as the session, so a form left open through a lesson submits.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Failed sign-ins allowed for one email from one address, and from one address in all:
    # a school's staff share one address, so one person's mistakes must not lock out the rest.
    SIGN_IN_LIMIT = "10 per 5 minutes"
    SIGN_IN_ADDRESS_LIMIT = "50 per 5 minutes"
    # Respondents, per address and survey: responses started, and sent. Generous, because a
    # school's whole staff may answer in one meeting behind one address.
    RESPOND_ADDRESS_LIMIT = "300 per hour"
    # Lookups of survey codes that do not exist, per address: guessing codes is slowed.
    SURVEY_CODE_LIMIT = "30 per 10 minutes"
    # Read-only report links that do not work, opened from one address: guessing is slowed.
    SHARE_LINK_LIMIT = "30 per 10 minutes"
    # Contacts' own pages (why the hub holds their details, stop its email): links that do
    # not work, from one address.
    CONTACT_LINK_LIMIT = "30 per 10 minutes"
    # A headteacher's private links (to sign the MoU and see their school's view): links that
    # do not work, from one address.
    HEAD_LINK_LIMIT = "30 per 10 minutes"
    # A person's own link to a named survey: links that do not work, from one address.
    PERSONAL_LINK_LIMIT = "30 per 10 minutes"
    # The resource library: the largest file a hub may upload, and where uploaded files are
    # kept (empty: resources/ in the instance folder). Teachers' links to resources that do
    # not work, from one address.
    RESOURCE_MAX_BYTES = 20 * 1024 * 1024
    RESOURCE_DIR = ""
    RESOURCE_LINK_LIMIT = "30 per 10 minutes"
    # A response sent faster than this is kept but flagged "too-fast" for hub staff to review:
    # so many seconds per question shown (each need area of a grid counts), at least the floor.
    RESPOND_SECONDS_PER_QUESTION = 2
    RESPOND_MIN_SECONDS = 3
    RATELIMIT_STORAGE_URI = "memory://"
    # Said outright: Flask-Limiter otherwise keeps the last app's choice for the next app
    # built in the same process (one test turning limits off turned them off for the rest).
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    SETUP_LINK_HOURS = 24
    PASSWORD_LINK_DAYS = 7
    COMPRESS_ALGORITHM = ["br", "gzip"]
    # Streams (exports) go out as they are made; see extensions.py for static files.
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ]
    # The background worker's queue: empty means SQLite under instance/ (nothing to install);
    # redis://... or postgresql://... for a large deployment.
    WORKER_STORAGE_URL = ""
    # Run queued jobs at once in the calling process (tests only).
    WORKER_IMMEDIATE = False
    # When the daily purge runs (24-hour clock, UTC), and how long unsent drafts are kept.
    PURGE_AT = "03:15"
    # When the day's survey reminders go to schools (24-hour clock, as the time in England).
    REMIND_AT = "08:30"
    DRAFT_KEEP_DAYS = 30
    # How long the audit log keeps an entry (about two years by default), in days.
    AUDIT_KEEP_DAYS = 730
    # The base of links printed on the command line (the setup link), when not in a request.
    BASE_URL = "http://127.0.0.1:5000"
    # Email, through flask-mail's usual settings. Without MAIL_SERVER nothing is sent: messages
    # wait in each hub's outbox for the lead to copy or download. With it, the worker sends
    # them. MAIL_DEFAULT_SENDER is the From address ("North Hub <hub@north.example>"), and
    # required in production once MAIL_SERVER is set.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS, usually with port 587
    MAIL_USE_SSL = False  # TLS from the start, usually with port 465
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    # flask-mail sends nothing when TESTING is set unless told otherwise; the tests send to a
    # real SMTP server, so only this setting decides.
    MAIL_SUPPRESS_SEND = False
    # Seconds to wait for the mail server before counting an attempt as failed.
    MAIL_TIMEOUT = 30


GENERATE_KEY = "Generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"


def finalise(app: Flask) -> None:
    """Fill in derived settings: the database URL, the secret key, cookie flags; check mail."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    if app.config["PRODUCTION"]:
        # Production is served over HTTPS (see README): cookies never travel in the clear.
        app.config["SESSION_COOKIE_SECURE"] = True
    key = app.config.get("SECRET_KEY")
    if not key:
        if app.config["PRODUCTION"]:
            raise RuntimeError(
                "No secret key is configured. Set FLASK_SECRET_KEY or SECRET_KEY in "
                f"instance/config.py before starting in production. {GENERATE_KEY}"
            )
        app.config["SECRET_KEY"] = ensure_secret_key(Path(app.instance_path))
    elif app.config["PRODUCTION"] and len(key if isinstance(key, bytes) else key.encode()) < 32:
        # A short key can be guessed, and with it anyone can forge a signed-in session.
        raise RuntimeError(
            f"The secret key is too short: it must be at least 32 bytes. {GENERATE_KEY}"
        )
    mail = app.config["MAIL_SERVER"]
    if app.config["PRODUCTION"] and mail and not app.config["MAIL_DEFAULT_SENDER"]:
        # Every message would fail at the worker, long after anyone is looking.
        raise RuntimeError(
            "MAIL_SERVER is set but MAIL_DEFAULT_SENDER is not. Set MAIL_DEFAULT_SENDER "
            "in instance/config.py, or FLASK_MAIL_DEFAULT_SENDER, to the address messages "
            "come from, for example 'North Hub <hub@north.example>'."
        )


def database_url(app: Flask) -> str:
    """The configured database, or an SQLite file in the instance folder."""
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        return f"sqlite:///{Path(app.instance_path) / 'hubsurvey.sqlite'}"
    # Accept the plain form that hosting providers print, and use the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(instance: Path) -> str:
    """Read the generated key from instance/secret_key, creating it (mode 0600) on first run."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made on an earlier run, or by another process starting at the same time
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
