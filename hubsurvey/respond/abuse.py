"""Keeping a survey's answers honest without getting in a teacher's way.

A school's whole staff may answer in one meeting behind one address, so nothing here refuses
someone for sharing an address with colleagues:
- per address and survey, generous ceilings on starting and on sending responses;
- a honeypot field, hidden from people, that form-filling bots fill in: such a post stores
  nothing;
- a random id for the browser, and when the first question was shown, kept in the
  respondent's session cookie (no database write): from them, sending flags a response as
  too fast or as sent again from the same browser, for hub staff to review (services.submit);
- survey codes that do not exist, looked up from one address, are counted, so guessing codes
  is slow. Every page under /s/<code> counts, since each would tell a known code from an
  unknown one.
"""

import math
import secrets
import time
from datetime import UTC, datetime

from flask import Blueprint, current_app, g, request, session
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from hubsurvey.extensions import limiter
from hubsurvey.htmx import render
from hubsurvey.respond.services import Pace
from hubsurvey.surveys.services import normalise_code

# A name a form-filling bot is glad to fill in. People never see the field (_honeypot.html).
HONEYPOT = "website"
# What a 429 says, by the limit's error_message.
REFUSALS = {
    "busy": (
        "Too many answers from your network just now",
        "More answers to this survey have come from your network in the last hour than we "
        "expect from one school. Wait {minutes}, then try again. Answers you have already "
        "saved are kept.",
    ),
    "unknown-code": (
        "Too many survey codes tried",
        "Several survey codes that do not exist have been tried from your network. Check the "
        "link or code you were given, wait {minutes}, then try again.",
    ),
    "wrong-code": (
        "Too many codes tried",
        "Several codes that did not match have been entered from your network. Check the code "
        "you wrote down, wait {minutes}, then try again.",
    ),
}


def _code() -> str:
    return normalise_code((request.view_args or {}).get("code", ""))


def _address_and_survey() -> str:
    return f"{get_remote_address()} {_code()}"


def _address_limit() -> str:
    return current_app.config["RESPOND_ADDRESS_LIMIT"]


def _code_limit() -> str:
    return current_app.config["SURVEY_CODE_LIMIT"]


def answering() -> bool:
    """This browser already holds a response to the survey the URL names."""
    return bool(session.get("responses", {}).get(_code()))


# Responses started (the start page's button, or quick feedback's first answer): only a start
# that happened counts, and a browser already answering is never held up by its neighbours.
starts = limiter.shared_limit(
    _address_limit,
    scope="respond-start",
    key_func=_address_and_survey,
    methods=["POST"],
    deduct_when=lambda _response: g.get("response_started", False),
    exempt_when=lambda: answering() and request.endpoint != "respond.begin",
    error_message="busy",
    override_defaults=False,
)
sends = limiter.limit(
    _address_limit,
    key_func=_address_and_survey,
    methods=["POST"],
    error_message="busy",
    override_defaults=False,
)


def _address_and_browser() -> str:
    return f"{get_remote_address()} {browser()}"


def wrong_codes(limit: str, ceiling: str):
    """Limits on wrong resume or participant codes; only refused codes count. One browser may
    get `limit` wrong, so colleagues mistyping codes in one staff meeting never lock each other
    out; the whole address `ceiling`, so clearing cookies does not make guessing cheap."""

    def decorate(view):
        for value, key in ((limit, _address_and_browser), (ceiling, get_remote_address)):
            view = limiter.limit(
                value,
                key_func=key,
                methods=["POST"],
                deduct_when=lambda response: response.status_code not in (200, 204, 303),
                error_message="wrong-code",
                override_defaults=False,
            )(view)
        return view

    return decorate


def init_blueprint(bp: Blueprint) -> None:
    """Count unknown survey codes on every page of `bp`, and say what a 429 means there.
    (A route's own limits are declared with override_defaults=False, so this one still
    applies to it.)"""
    limiter.shared_limit(
        _code_limit,
        scope="survey-code",
        deduct_when=lambda _response: g.get("unknown_survey", False),
        # Someone part way through a survey is never held up by a neighbour's typing.
        exempt_when=answering,
        error_message="unknown-code",
    )(bp)
    bp.register_error_handler(RateLimitExceeded, _too_many)
    bp.before_request(_forget_last_request)


def _forget_last_request() -> None:
    # What a request marks for the limits above is its own, even where one `g` serves several
    # requests (a test holding the app context open).
    g.pop("unknown_survey", None)
    g.pop("response_started", None)


def _too_many(error: RateLimitExceeded):
    title, message = REFUSALS.get(error.description, REFUSALS["busy"])
    reset = limiter.current_limit.reset_at if limiter.current_limit else time.time() + 60
    seconds = max(60, math.ceil(reset - time.time()))
    minutes = math.ceil(seconds / 60)
    wait = "a minute" if minutes == 1 else f"{minutes} minutes"
    response = render(
        "respond/too_many.html",
        "respond/_too_many.html",
        429,
        title=title,
        message=message.format(minutes=wait),
    )
    response.headers["Retry-After"] = str(seconds)
    return response


def honeypot_filled() -> bool:
    """Whether the field people cannot see was filled in: only bots do that."""
    return bool(request.form.get(HONEYPOT, "").strip())


def browser() -> str:
    """A random id for this browser, kept in its session cookie."""
    if "browser" not in session:
        session["browser"] = secrets.token_urlsafe(16)
    return session["browser"]


def note_opened(code: str) -> None:
    """Remember when this browser was first shown the survey's first question (quick
    feedback: the response is only stored with the first answer)."""
    opened = dict(session.get("opened", {}))
    # A day-old note is from an earlier visit: this visit starts now.
    if time.time() - opened.get(code, 0) > 24 * 3600:
        opened[code] = int(time.time())
        session["opened"] = opened


def take_opened(code: str) -> datetime | None:
    """When the first question was shown (see note_opened), forgetting it: the next response
    from this browser is timed from its own first question."""
    opened = dict(session.get("opened", {}))
    when = opened.pop(code, None)
    if when is None:
        return None
    session["opened"] = opened
    return datetime.fromtimestamp(when, UTC).replace(tzinfo=None)


def pace() -> Pace:
    """The least time a person plausibly takes to answer, from the settings."""
    config = current_app.config
    return Pace(
        per_question=float(config["RESPOND_SECONDS_PER_QUESTION"]),
        floor=float(config["RESPOND_MIN_SECONDS"]),
    )
