"""Error pages that tell people what happened and what to do, with the right status code."""

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InternalError, OperationalError, SQLAlchemyError
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
        "What you sent is larger than this page takes. Split a large file into smaller ones.",
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


# SQLite's words for the same conditions. A connection opened on a read-only file stays
# read-only, so these start afresh with new connections; a busy database ("database is
# locked") does not need that, and new connections would only add to the load.
STUCK_CONNECTION = ("readonly", "read-only", "disk is full", "disk i/o", "unable to open")


def storage_unavailable(error: OperationalError | InternalError):
    """The database cannot be read or written just now (read-only, disk full, unreachable).
    Tell the person plainly, let a teacher send what they typed again, and recover by itself
    when the condition clears."""
    state = getattr(error.orig, "sqlstate", None)
    if isinstance(error, InternalError) and state not in UNAVAILABLE_STATES:
        raise error
    current_app.logger.error("Database unavailable: %s", error.orig)
    db.session.rollback()
    db.session.remove()
    if state in UNAVAILABLE_STATES or any(w in str(error.orig).lower() for w in STUCK_CONNECTION):
        db.engine.dispose()
    resend = []
    # Only a teacher's answers are offered back: never a staff form, which may hold a password,
    # and the page is not kept in any cache.
    if request.method == "POST" and request.blueprint == "respond":
        resend = [(name, value) for name, values in request.form.lists() for value in values]
    headers = {"Retry-After": "30", "Cache-Control": "no-store"}
    try:
        page = render_template(
            "error.html",
            title="Your answers could not be saved just now"
            if resend
            else "Sorry, we cannot do that just now",
            message=(
                "Nothing is lost: what you typed is still here. Wait a minute, then press "
                "Try again."
                if resend
                else "The service cannot store anything at the moment. Try again in a few minutes."
            ),
            resend=resend,
        )
    except SQLAlchemyError:
        # The page frame asks who is signed in, which needs the database: say it plainly.
        page = "Sorry, the service cannot store anything at the moment. Try again in a few minutes."
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return page, 503, headers
