"""Helpers shared by the model modules."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now in UTC, without a timezone: how every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def one_of(column: str, values) -> str:
    """A CHECK constraint's text: the column holds one of these values."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def in_uk(moment: datetime) -> datetime:
    """A stored UTC time as the clock in England shows it."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
