"""The anonymity threshold rule (DESIGN.md section 3), in one place for every report, export and API.

Rater groups other than the exempt ones (self, supervisor) are shown only with at least `threshold`
responses. Smaller groups merge into "others"; if "others" is still under the threshold it is not
shown at all. No figure is ever shown that, combined with another shown figure, reveals a hidden group:
so no "all raters" total is offered when any group is hidden.
"""

from dataclasses import dataclass, field

MINIMUM_THRESHOLD = 3
OTHERS = "others"


def threshold_for(organisation) -> int:
    """The organisation's threshold; never below the product's minimum."""
    return max(MINIMUM_THRESHOLD, getattr(organisation, "anonymity_threshold", MINIMUM_THRESHOLD) or 0)


@dataclass(frozen=True)
class GroupPlan:
    """Which groups a report may show: shown display group -> the source groups it pools."""

    shown: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()

    @property
    def total_allowed(self) -> bool:
        """An overall figure over every rater is safe only when nothing is hidden."""
        return not self.hidden


def plan_groups(
    counts: dict[str, int], *, threshold: int, exempt: tuple[str, ...] = ("self", "supervisor")
) -> GroupPlan:
    """Apply the threshold rule to response counts per rater group."""
    threshold = max(threshold, MINIMUM_THRESHOLD)
    shown: dict[str, tuple[str, ...]] = {}
    small: list[str] = []
    for group, n in counts.items():
        if n <= 0:
            continue
        if group in exempt or n >= threshold:
            shown[group] = (group,)
        else:
            small.append(group)
    hidden: tuple[str, ...] = ()
    if small:
        if sum(counts[g] for g in small) >= threshold:
            shown[OTHERS] = tuple(small)
        else:
            hidden = tuple(small)
    return GroupPlan(shown=shown, hidden=hidden)


def cell_allowed(n: int, *, threshold: int) -> bool:
    """A single aggregate of anonymous answers (a heat-map cell, a unit's staff score) may be shown."""
    return n >= max(threshold, MINIMUM_THRESHOLD)
