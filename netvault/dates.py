"""Dates: today's date (overridable), the days people type, and keep-in-touch intervals."""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, datetime, time, timedelta

from .errors import UsageProblem

_INTERVAL = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
_AGO = re.compile(
    r"^(\d+|an?|one)\s*(d|days?|w|weeks?|m|months?|y|years?)\s+ago$", re.IGNORECASE
)
_NAMED_DAYS = {"today": 0, "yesterday": 1}
DAY_FORMS = "YYYY-MM-DD, today, yesterday or 'N days ago' (or weeks, months, years)"


class BadDate(UsageProblem, ValueError):
    """A date netvault cannot read (a usage error wherever the user typed it)."""


def today() -> date:
    """Today's date, or NETVAULT_TODAY (ISO) so output and tests are reproducible."""
    fixed = os.environ.get("NETVAULT_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed.strip())
        except ValueError:
            raise BadDate(f"NETVAULT_TODAY={fixed!r} is not an ISO date (YYYY-MM-DD)") from None
    return date.today()


def parse_interval(text: str) -> int:
    """`30d`, `6w`, `3m`, `1y` -> days. Raises ValueError on anything else."""
    match = _INTERVAL.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not an interval like 30d, 6w, 3m or 1y")
    return int(match.group(1)) * _DAYS_PER_UNIT[match.group(2).lower()]


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, or that month's last day (31 Mar -> 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_day(text: str, today: date, *, what: str = "the date", past: bool = True) -> date:
    """The day a person typed: `2026-11-20`, `today`, `yesterday`, `3 days ago`, `2w ago`,
    `6 months ago`, `a year ago`. With `past`, a day after `today` is refused: it is when
    something happened. BadDate (a usage error) names `what` and the forms it accepts.

    The grammar is this small on purpose: a general natural-language date parser would read
    "next friday" or "03/04" too, and guess.
    """
    words = " ".join(text.strip().lower().split())
    day: date | None = None
    if words in _NAMED_DAYS:
        day = today - timedelta(days=_NAMED_DAYS[words])
    elif match := _AGO.match(words):
        count_text, unit = match.group(1), match.group(2)[0]
        count = int(count_text) if count_text.isdigit() else 1
        try:
            if unit in "dw":
                day = today - timedelta(days=count * (7 if unit == "w" else 1))
            else:
                day = months_before(today, count * (12 if unit == "y" else 1))
        except (OverflowError, ValueError):
            raise BadDate(f"{what}: {text!r} is too long ago") from None
    else:
        try:
            day = date.fromisoformat(words)
        except ValueError:
            raise BadDate(f"{what}: {text!r} is not a date; use {DAY_FORMS}") from None
    if past and day > today:
        raise BadDate(
            f"{what}: {day.isoformat()} is in the future; it says when something happened "
            "(plan what is to come with a task)"
        )
    return day


def now() -> datetime:
    """The current local time, aware; with NETVAULT_TODAY the last moment of that day (so
    that everything on the fixed day has happened, whatever the clock says)."""
    day = today()
    if os.environ.get("NETVAULT_TODAY"):
        return datetime.combine(day, time.max).astimezone()
    return datetime.now().astimezone()


def parse_since(text: str, day: date) -> date:
    """A `--since` value: any form `parse_day` reads (`2026-11-01`, `3 months ago`), or an
    interval back from `day` as cadences are written (`90d`, `6m`, `1y`). Raises BadDate."""
    try:
        return parse_day(text, day, what="--since")
    except BadDate as exc:
        try:
            return add_days(day, -parse_interval(text))
        except ValueError:
            raise exc from None


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, held at the first or last day Python can hold instead of
    overflowing: one note saying `last_met: 9999-12-31` or `cadence: 9999999y` must not stop
    `today` for the whole vault."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# Average lengths, so that a gap reads the same whatever months it spans.
_DAYS_PER_MONTH = 365.25 / 12
_DAYS_PER_YEAR = 365.25


def duration(days: int) -> str:
    """A gap in days as people say it: `1 day`, `12 days`, `3 weeks`, `5 months`, `5.9 years`.

    Exact days below two weeks, whole weeks below two months (60 days), whole months below a
    year, then years to one decimal (`1 year`, `2 years`, `5.9 years`). Rounded half up; the
    sign is the caller's to word ("overdue", "in ..."), so a negative gap reads as its size."""
    days = abs(days)
    if days < 14:
        return f"{days} day{'s' * (days != 1)}"
    if days < 60:
        weeks = int(days / 7 + 0.5)
        return f"{weeks} weeks"
    if days < 365:
        months = int(days / _DAYS_PER_MONTH + 0.5)
        return f"{months} months"
    years = f"{int(days / _DAYS_PER_YEAR * 10 + 0.5) / 10:g}"
    return f"{years} year{'s' * (years != '1')}"
