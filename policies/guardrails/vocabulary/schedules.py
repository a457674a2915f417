"""AWS schedule expressions (`rate(...)`, `cron(...)`) as time: how often something runs, and the
longest wait between two runs. Secrets Manager rotation and Synthetics canaries share the syntax."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise

RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
CRON = re.compile(r"^cron\((.+)\)$")
MINUTES_PER = {"minute": 1, "hour": 60, "day": 1440}
MINUTES_PER_MONTH = 730 * 60
"""AWS prices a month as 730 hours."""

MONTHS = {
    m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)
}
WEEKDAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
_WINDOW = [date(2025, 1, 1) + timedelta(days=n) for n in range(731)]
"""Two years, leap day included: the longest gap of a day-level cron schedule shows within it."""


def rate(expression: str) -> tuple[int, str] | None:
    """`rate(5 minutes)` → (5, "minute"); None when the expression is not a rate."""
    match = RATE.match(expression.strip())
    return (int(match.group(1)), match.group(2).removesuffix("s")) if match else None


def field_values(field: str, low: int, high: int, names: Mapping[str, int] | None = None) -> frozenset[int] | None:
    """The values a cron field (`*`, `?`, `5`, `1,15`, `MON-FRI`, `*/5`, `1-31/7`) admits between
    `low` and `high`; None for syntax AWS has that this reader does not follow (`L`, `W`, `#`)."""
    names = names or {}
    if field in ("*", "?"):
        return frozenset(range(low, high + 1))

    def value(token: str) -> int | None:
        return names.get(token.upper(), int(token) if token.isdigit() else None)

    admitted: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        if step_text and not step_text.isdigit():
            return None
        first, dash, last = base.partition("-")
        start = low if base == "*" else value(first)
        end = high if base == "*" or (step_text and not dash) else value(last) if dash else start
        step = int(step_text) if step_text else 1
        if start is None or end is None or step == 0 or not low <= start <= end <= high:
            return None
        admitted.update(range(start, end + 1, step))
    return frozenset(admitted)


def cron_days(expression: str) -> list[date] | None:
    """The days within a two-year window on which `minutes hours day month weekday year` runs."""
    fields = expression.split()
    if len(fields) != 6:
        return None
    _, _, day_of_month, month, day_of_week, year = fields
    admitted = (
        field_values(day_of_month, 1, 31),
        field_values(month, 1, 12, MONTHS),
        field_values(day_of_week, 1, 7, WEEKDAYS),
        field_values(year, 1970, 2199),
    )
    days, months, weekdays, years = admitted
    if days is None or months is None or weekdays is None or years is None:
        return None
    return [
        d
        for d in _WINDOW
        if d.day in days and d.month in months and d.isoweekday() % 7 + 1 in weekdays and d.year in years
    ]


def cron_gap_days(expression: str) -> float | None:
    """The longest time between two runs of an AWS cron schedule, in days; None when unreadable."""
    runs = cron_days(expression)
    if not runs or len(runs) < 2:
        return None
    return float(max((b - a).days for a, b in pairwise(runs)))


def runs_per_month(expression: str) -> float | None:
    """How many times a `rate(...)` or `cron(...)` schedule runs in a 730-hour month; None when
    unreadable. `rate(0 minutes)` runs once, at start."""
    every = rate(expression)
    if every is not None:
        amount, unit = every
        return 0.0 if amount == 0 else MINUTES_PER_MONTH / (amount * MINUTES_PER[unit])
    cron = CRON.match(expression.strip())
    if cron is None:
        return None
    fields = cron.group(1).split()
    days = cron_days(cron.group(1))
    if days is None:
        return None
    minutes, hours = field_values(fields[0], 0, 59), field_values(fields[1], 0, 23)
    if minutes is None or hours is None:
        return None
    return len(minutes) * len(hours) * len(days) / len(_WINDOW) * (MINUTES_PER_MONTH / 1440)
