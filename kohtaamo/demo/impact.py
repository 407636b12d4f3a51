"""Demo business outcomes: two quarters per customer with feedback, where customers who felt met
(promoters) used somewhat more services in the next quarter, so the impact report has something to find."""

import random
from datetime import date, datetime

from django.db.models import Avg
from django.db.models.functions import Coalesce

from kohtaamo.feedback.models import Response
from kohtaamo.impact.importing import outcomes_import_rows
from kohtaamo.organisations.models import Organisation


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def demo_quarters(now: datetime) -> tuple[tuple[int, int], tuple[int, int], date, date]:
    """The last two complete quarters, and the first one's start and the second one's start."""
    last = _previous(*_quarter(now.date()))
    first = _previous(*last)
    return first, last, date(first[0], 3 * (first[1] - 1) + 1, 1), date(last[0], 3 * (last[1] - 1) + 1, 1)


def seed_impact(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    """Outcomes for the last two complete quarters; experience is read from the earlier one's responses."""
    first, last, start, end = demo_quarters(now)
    experience = (
        Response.objects.filter(
            organisation=organisation,
            status=Response.Status.SUBMITTED,
            submitted_at__date__gte=start,
            submitted_at__date__lt=end,
            nps__isnull=False,
        )
        .annotate(customer_key=Coalesce("encounter__customer__external_id", "invitation__customer__external_id"))
        .exclude(customer_key=None)
        .values("customer_key")
        .annotate(nps_mean=Avg("nps"))
        .order_by()
    )
    rows = []
    line = 0
    for row in experience:
        base = rng.lognormvariate(1.0, 0.4)
        lift = 1.25 if row["nps_mean"] >= 9 else (0.9 if row["nps_mean"] <= 6 else 1.0)
        services_now = max(0, round(base + rng.gauss(0, 0.5)))
        services_next = max(0, round(base * lift + 0.3 * services_now + rng.gauss(0, 0.6)))
        spend_now = round(services_now * rng.uniform(80, 160), 2)
        spend_next = round(services_next * rng.uniform(80, 160), 2)
        for period, services, spend, retained in (
            (f"{first[0]}-Q{first[1]}", services_now, spend_now, True),
            (f"{last[0]}-Q{last[1]}", services_next, spend_next, rng.random() < (0.97 if lift > 1 else 0.88)),
        ):
            line += 1
            rows.append(
                (
                    line,
                    {
                        "customer_id": row["customer_key"],
                        "period": period,
                        "spend": str(spend),
                        "services": str(services),
                        "retained": "1" if retained else "0",
                        "recommended": "1" if lift > 1 and rng.random() < 0.4 else "0",
                    },
                )
            )
    if not rows:
        return 0
    result = outcomes_import_rows(organisation=organisation, rows=rows)
    return result.created + result.updated
