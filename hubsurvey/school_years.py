"""School years in England: 1 September to 31 August, named by their first calendar year
(2026 is 2026 to 2027). The MoU is signed for one, and the hub's plan covers one."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hubsurvey.models.base import in_uk, utcnow

UK = ZoneInfo("Europe/London")


def school_year(day: date) -> int:
    """The school year a day falls in, by its first calendar year."""
    return day.year if day.month >= 9 else day.year - 1


def this_year(now: datetime | None = None) -> int:
    """The school year it is now in England (`now` in UTC, as stored)."""
    return school_year(in_uk(now or utcnow()).date())


def today_in_england(now: datetime | None = None) -> date:
    """Today's date on England's clock (`now` in UTC, as stored)."""
    return in_uk(now or utcnow()).date()


def year_words(year: int) -> str:
    return f"{year} to {year + 1}"


def year_starts(year: int) -> date:
    return date(year, 9, 1)


def year_ends(year: int) -> datetime:
    """The last moment of the school year: 31 August, 23:59:59 in England, as stored (UTC)."""
    end = datetime(year + 1, 8, 31, 23, 59, 59, tzinfo=UK)
    return end.astimezone(UTC).replace(tzinfo=None)


# From this day of August, the memorandum is signed for the coming school year: one sent in
# late August would otherwise be for a year that ends within days.
SIGNING_AHEAD_FROM = (8, 1)


def signing_year(now: datetime | None = None) -> int:
    """The school year a memorandum of understanding is signed for now: this one, or from
    1 August the next."""
    today = in_uk(now or utcnow()).date()
    ahead = (today.month, today.day) >= SIGNING_AHEAD_FROM and today.month < 9
    return school_year(today) + (1 if ahead else 0)
