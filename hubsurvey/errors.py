"""Error pages that tell people what happened and what to do, with the right status code."""

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.exceptions import HTTPException

from hubsurvey.extensions import db

MESSAGES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    404: (
        "Page not found",
        "If you typed the address, check it is correct. "
        "If you followed a link, it may have expired.",
    ),
    405: ("That did not work", "Go back, reload the page and try again."),
    413: (
        "That was too big to send",
        "Files you upload must be 1 MB or smaller. Split a large file into smaller ones.",
    ),
    429: (
        "Too many attempts",
        "There have been too many failed attempts from your network. "
        "Wait 5 minutes, then try again.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "Nothing you did caused this. Try again in a few minutes.",
    ),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(OperationalError, storage_unavailable)
    app.register_error_handler(InternalError, storage_unavailable)


def csrf_error(error: CSRFError):
    return render_template(
        "error.html",
        title="This form could not be sent",
        message=(
            "The page was open too long or was opened in another window. "
            "Go back, reload the page and try again."
        ),
    ), 400


def http_error(error: HTTPException):
    title, message = MESSAGES.get(error.code, (error.name, error.description))
    return render_template("error.html", title=title, message=message), error.code


# PostgreSQL's words for a database that cannot take writes just now (SQLite's come as
# OperationalError: "attempt to write a readonly database", "database or disk is full").
UNAVAILABLE_STATES = {"25006", "53100", "53200", "57P01", "57P03"}


def storage_unavailable(error: OperationalError | InternalError):
    """The database cannot be read or written just now (read-only, disk full, unreachable).
    Tell the person plainly, keep what they sent so they can send it again, and start afresh
    with new connections so the app recovers by itself when the condition clears."""
    if isinstance(error, InternalError) and (
        getattr(error.orig, "sqlstate", None) not in UNAVAILABLE_STATES
    ):
        raise error
    current_app.logger.error("Database unavailable: %s", error.orig)
    db.session.rollback()
    db.session.remove()
    # A connection opened on a read-only file stays read-only: make new ones.
    db.engine.dispose()
    resend = []
    if request.method == "POST":
        resend = [(name, value) for name, values in request.form.lists() for value in values]
    page = render_template(
        "error.html",
        title="Your answers could not be saved just now"
        if resend
        else "Sorry, we cannot do that just now",
        message=(
            "Nothing is lost: what you typed is still here. Wait a minute, then press Try again."
            if resend
            else "The service cannot store anything at the moment. Try again in a few minutes."
        ),
        resend=resend,
    )
    return page, 503, {"Retry-After": "30"}
