"""Who a section or question is shown to, by the facts of the respondent's profile.

An audience is a dict of profile fact -> allowed codes, e.g. {"role": ["senior-leader"]}.
Every fact listed must match; an empty audience means everyone."""

from sqlalchemy import and_, true
from sqlalchemy.sql import ColumnElement

from hubsurvey.models import Response
from hubsurvey.vocabulary import AUDIENCE_FACTS


def clean(audience: dict | None) -> dict[str, list[str]]:
    """Only known facts and codes, in the vocabulary's order; facts with no codes dropped."""
    result = {}
    for fact, (_label, codes) in AUDIENCE_FACTS.items():
        chosen = set((audience or {}).get(fact) or [])
        if chosen:
            result[fact] = [code for code in codes if code in chosen]
    return result


def applies(audience: dict | None, profile: dict[str, str | None]) -> bool:
    return all(profile.get(fact) in codes for fact, codes in clean(audience).items())


def describe(audience: dict | None) -> str:
    """'Senior leader or Headteacher; Secondary' — for the editor and the preview."""
    parts = []
    for fact, codes in clean(audience).items():
        labels = AUDIENCE_FACTS[fact][1]
        parts.append(" or ".join(labels[code] for code in codes))
    return "; ".join(parts)


def clause(audience: dict | None) -> ColumnElement[bool]:
    """The same test in SQL, over responses: to count those a question was shown to."""
    conditions = [getattr(Response, fact).in_(codes) for fact, codes in clean(audience).items()]
    return and_(*conditions) if conditions else true()
