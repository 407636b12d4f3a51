"""Actual paths: the touchpoint sequences real customers went through, from encounter data.

A customer's path is their encounters on this service path ordered by time; repeated visits to the
same touchpoint in a row count once, and only the first `MAX_STEPS` steps are followed. The rows
are streamed from the database (customer, touchpoint only) and counted as they pass; no list of
encounters is held.
"""

from collections import Counter
from dataclasses import dataclass, field

from kohtaamo.analytics.periods import within_days
from kohtaamo.feedback.models import Encounter
from kohtaamo.organisations.models import ServicePath
from kohtaamo.organisations.selectors import Scope, restrict

from .selectors import JourneyFilter

MAX_STEPS = 6
COMMON_SHOWN = 5


@dataclass(frozen=True)
class CommonPath:
    touchpoints: tuple[int, ...]
    customers: int
    share: float  # per cent of customers


@dataclass
class PathFlows:
    customers: int
    common: list[CommonPath]
    rest_customers: int
    # (step, from touchpoint) -> (to touchpoint or None = ended here) -> customers
    transitions: dict[tuple[int, int], Counter] = field(default_factory=dict)
    starts: Counter = field(default_factory=Counter)

    @property
    def rest_share(self) -> float:
        return 100 * self.rest_customers / self.customers if self.customers else 0.0

    def ended_after(self, touchpoint_id: int) -> int:
        """Customers whose path ended at this touchpoint (within the steps followed)."""
        return sum(c[None] for (step, tp), c in self.transitions.items() if tp == touchpoint_id)


def _encounters(*, scope: Scope, service_path: ServicePath, filters: JourneyFilter):
    qs = restrict(
        Encounter.objects.filter(touchpoint__stage__service_path=service_path, customer__isnull=False),
        scope=scope,
        unit_field="unit",
        person_field="person",
    )
    qs = within_days(
        qs, field="occurred_at", start=filters.start, end=filters.end, time_zone=scope.organisation.time_zone
    )
    if filters.segments:
        qs = qs.filter(customer__segment__in=filters.segments)
    return qs


def path_flows(*, scope: Scope, service_path: ServicePath, filters: JourneyFilter) -> PathFlows:
    rows = (
        _encounters(scope=scope, service_path=service_path, filters=filters)
        .order_by("customer_id", "occurred_at", "pk")
        .values_list("customer_id", "touchpoint_id")
    )
    sequences: Counter = Counter()
    current_customer, current = None, []

    def close() -> None:
        if current:
            sequences[tuple(current)] += 1

    for customer, touchpoint in rows.iterator(chunk_size=2000):
        if customer != current_customer:
            close()
            current_customer, current = customer, []
        if len(current) < MAX_STEPS and (not current or current[-1] != touchpoint):
            current.append(touchpoint)
    close()
    total = sum(sequences.values())
    common = [
        CommonPath(touchpoints=seq, customers=n, share=100 * n / total)
        for seq, n in sequences.most_common(COMMON_SHOWN)
    ]
    flows = PathFlows(customers=total, common=common, rest_customers=total - sum(c.customers for c in common))
    for seq, n in sequences.items():
        flows.starts[seq[0]] += n
        for step, touchpoint in enumerate(seq):
            following = seq[step + 1] if step + 1 < len(seq) else None
            flows.transitions.setdefault((step, touchpoint), Counter())[following] += n
    return flows
