"""Money in the plan: typed in pounds as people write them ("£1,250.50", "1250"), stored in
whole pence, so that sums are exact."""

import re

from hubsurvey.surveys.outcomes import MINUS

# A hub's whole budget is a few hundred thousand pounds; ten million leaves room for a trust's,
# and stops a slip of the finger (or a pasted phone number) being saved as a budget.
MOST_PENCE = 10_000_000 * 100
# Plain digits 0-9 only (never '²' or another script's digits), in thousands with commas or
# without, and pence after a point.
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?|\.[0-9]{1,2}")


class MoneyError(ValueError):
    """An amount that cannot be read: the message says what to type."""


def read_pounds(text: str) -> int:
    """Pence from pounds as typed: "£1,250.50", "1250", "£ 80", "1250.5" (£1,250.50)."""
    typed = (text or "").strip().removeprefix("£").strip()
    if not typed:
        raise MoneyError("Enter the amount in pounds, like 1250 or £1,250.50")
    if typed.startswith("-"):
        raise MoneyError("Enter an amount of £0.01 or more, without a minus sign")
    if not _AMOUNT.fullmatch(typed):
        raise MoneyError("Enter the amount in pounds, like 1250 or £1,250.50")
    pounds, _, pence = typed.replace(",", "").partition(".")
    # The pounds' digits are bounded before int() is asked to read them.
    if len(pounds) > 12:
        raise MoneyError("Enter an amount of £10,000,000 or less")
    total = int(pounds or "0") * 100 + int(pence.ljust(2, "0") or "0")
    if total <= 0:
        raise MoneyError("Enter an amount of £0.01 or more")
    if total > MOST_PENCE:
        raise MoneyError("Enter an amount of £10,000,000 or less")
    return total


def pounds(pence: int | None) -> str:
    """Pence as pounds to read: £1,250, £1,250.50, and a minus sign before a negative amount
    (pages say "shortfall" instead, with the amount)."""
    if pence is None:
        return ""
    sign = MINUS if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}" + (f".{part:02d}" if part else "")


def typed(pence: int | None) -> str:
    """Pence as a form shows them again for editing: 1250 or 1250.50."""
    if pence is None:
        return ""
    whole, part = divmod(pence, 100)
    return f"{whole}" + (f".{part:02d}" if part else "")
