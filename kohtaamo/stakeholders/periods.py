"""Reporting periods: calendar quarters in the organisation's time zone.

Only one granularity, and quarters never overlap: figures of two periods share no answer, so no
choice of periods lets anyone subtract one shown figure from another to isolate a small group.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PERIOD_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
CHOICES_SHOWN = 8


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int
    start: datetime
    end: datetime  # exclusive

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return f"Q{self.quarter}/{self.year}"


def quarter(*, year: int, quarter: int, time_zone: str) -> Period:
    tz = ZoneInfo(time_zone)
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=tz)
    end = datetime(year + quarter // 4, 3 * quarter + 1 if quarter < 4 else 1, 1, tzinfo=tz)
    return Period(year=year, quarter=quarter, start=start, end=end)


def period_containing(*, moment: datetime, time_zone: str) -> Period:
    local: date = timezone.localtime(moment, ZoneInfo(time_zone)).date()
    return quarter(year=local.year, quarter=(local.month - 1) // 3 + 1, time_zone=time_zone)


def period_parse(code: str, *, time_zone: str) -> Period | None:
    """The period a code like "2026-Q3" names; None when it names none."""
    match = PERIOD_PATTERN.match(code or "")
    if not match or not 2000 <= int(match[1]) <= 2100:
        return None
    return quarter(year=int(match[1]), quarter=int(match[2]), time_zone=time_zone)


def recent_periods(*, now: datetime, time_zone: str, count: int = CHOICES_SHOWN) -> list[Period]:
    """The current quarter and the ones before it, newest first."""
    current = period_containing(moment=now, time_zone=time_zone)
    index = current.year * 4 + current.quarter - 1
    return [quarter(year=i // 4, quarter=i % 4 + 1, time_zone=time_zone) for i in range(index, index - count, -1)]
