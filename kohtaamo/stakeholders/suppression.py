"""The threshold rule over the unit tree, for anonymous answers (partners, internal customers).

A unit's figure covers its whole subtree. Showing a parent and some of its children lets anyone
subtract: the parent minus its shown children is the pool of the parent's own answers and its hidden
children. So at every shown unit the partition {children…, the unit's own answers} goes through the
same rule as the maturity per-unit views (maturity.suppression.cells_shown): each shown child holds at
least `threshold` answers, and the remainder is either empty or at least `threshold` answers. A hidden
unit's subtree stays hidden, so every derivable remainder is one of these pools.

The decision is made on the whole organisation, never on what one viewer sees, so two viewers with
different scopes cannot combine their pages into more than either may see.
"""

from collections import defaultdict
from collections.abc import Iterable

from kohtaamo.analytics.anonymity import MINIMUM_THRESHOLD
from kohtaamo.maturity.suppression import cells_shown

OWN = "__own__"  # the unit's own answers: part of the partition, never shown apart from the subtree


def subtree_counts(*, units: Iterable[tuple[int, str]], own: dict[int, int]) -> dict[int, int]:
    """n of each unit's subtree from the units' own counts; `units` are (id, materialised path)."""
    totals: dict[int, int] = defaultdict(int)
    for unit_id, path in units:
        n = own.get(unit_id, 0)
        if n:
            for ancestor in path.strip("/").split("/"):
                totals[int(ancestor)] += n
    return totals


def tree_cells_shown(*, units: list[tuple[int, int | None, str]], own: dict[int, int], threshold: int) -> set[int]:
    """The units whose subtree figure may be shown. `units`: (id, parent id, path) of the whole tree."""
    threshold = max(threshold, MINIMUM_THRESHOLD)
    totals = subtree_counts(units=[(u, path) for u, _parent, path in units], own=own)
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id, _path in units:
        children[parent_id].append(unit_id)
    shown: set[int] = set()
    # The roots are treated as the children of an organisation total that is always known.
    pending: list[int | None] = [None]
    while pending:
        node = pending.pop()
        partition = {child: totals.get(child, 0) for child in children[node]}
        own_n = own.get(node, 0) if node is not None else 0
        if own_n >= threshold:
            # The remainder already holds the unit's own answers, at least the threshold.
            visible = {child for child, n in partition.items() if n >= threshold}
        else:
            visible = cells_shown({**partition, OWN: own_n}, threshold=threshold) - {OWN}
        shown |= visible
        pending.extend(visible)
    return shown
