"""Periods are cut in the organisation's time zone (DESIGN.md section 6): a day runs from local midnight."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet


def day_start(day: date, time_zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(time_zone))


def within_days(qs: QuerySet, *, field: str, start: date | None, end: date | None, time_zone: str) -> QuerySet:
    """Rows whose `field` falls on the local days start..end, both included; an open end is unbounded."""
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": day_start(start, time_zone)})
    if end is not None:
        qs = qs.filter(**{f"{field}__lt": day_start(end + timedelta(days=1), time_zone)})
    return qs
