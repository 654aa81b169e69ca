"""Participant codes: link one person's answers over time without the hub learning who they are.

A code is random, shown once to the person, and stored only as a keyed hash (HMAC with the
app's secret key), so neither the hub nor a copy of the database can tell whose it is or
enter it for someone else. Wrong codes are refused, never taken as a new person."""

import hashlib
import hmac
import secrets

from flask import current_app

from hubsurvey.extensions import db
from hubsurvey.models import Participant, Response
from hubsurvey.respond.services import RespondError
from hubsurvey.surveys.services import CODE_ALPHABET, normalise_code

LENGTH = 9  # 31^9, about 26 trillion codes; and wrong guesses are rate limited


def show(code: str) -> str:
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def can_link(response: Response) -> bool:
    """Codes are for people answering anonymous surveys: in a named one the hub would learn who
    holds it, and outcome figures are a school's, not a person's."""
    survey = response.survey
    return survey.anonymous and survey.kind != "outcomes" and response.status == "submitted"


def issue(response: Response) -> str:
    """A new participant code for this person, linked to these answers. Shown once."""
    if not can_link(response) or response.participant_id is not None:
        raise RespondError("These answers already have a participant code.", 409)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LENGTH))
    response.participant = Participant(hub_id=response.survey.hub_id, code_hash=_hash(code))
    db.session.commit()
    return code


def link(response: Response, typed: str) -> None:
    """Link these answers to the person whose code this is, in the same hub."""
    if not can_link(response):
        raise RespondError("Participant codes can only be added to anonymous surveys.", 409)
    if len(normalise_code(typed)) != LENGTH:
        raise RespondError("A participant code has 9 letters and numbers, like ABC-DEF-GHJ.", 422)
    participant = db.session.scalar(
        db.select(Participant).where(
            Participant.code_hash == _hash(typed), Participant.hub_id == response.survey.hub_id
        )
    )
    if participant is None:
        raise RespondError(
            "We do not recognise that code. Check it against the one you wrote down, "
            "or leave it out.",
            422,
        )
    response.participant = participant
    db.session.commit()
