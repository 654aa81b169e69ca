"""Error pages that tell people what happened and what to do, with the right status code."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
