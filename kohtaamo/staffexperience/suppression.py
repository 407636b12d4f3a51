"""The threshold rule over a unit tree (staff answers rolled up from each unit to its ancestors).

A unit's figure covers its whole subtree. A figure is shown only with at least `threshold` answers,
and hiding the small units is not enough: a shown unit's figure minus the figures of its shown
descendants would reveal what is left over. So for every shown unit, the remainder (its answers not
covered by its nearest shown descendants) must be empty or itself hold at least `threshold` answers;
while it does not, the smallest of those nearest shown descendants is hidden too.

Why this suffices: every shown figure is the sum of its own remainder and the figures of its nearest
shown descendants, so the shown figures and the remainders determine each other. Whatever can be
computed from the shown figures is a combination of remainders, each empty or at least `threshold`.
"""

from kohtaamo.analytics.anonymity import MINIMUM_THRESHOLD


def path_ids(path: str) -> list[int]:
    """The unit ids on a materialised path ("/1/4/9/"), the unit itself last."""
    return [int(part) for part in path.strip("/").split("/") if part]


def rolled_up(*, paths: dict[int, str], direct: dict[int, int]) -> dict[int, int]:
    """Each unit's count over its subtree."""
    totals = dict.fromkeys(paths, 0)
    for unit_id, n in direct.items():
        for ancestor in path_ids(paths[unit_id]):
            if ancestor in totals:
                totals[ancestor] += n
    return totals


def _children(paths: dict[int, str]) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for unit_id, path in paths.items():
        chain = path_ids(path)
        parent = chain[-2] if len(chain) > 1 and chain[-2] in paths else None
        children.setdefault(parent, []).append(unit_id)
    return children


def _nearest_shown_below(unit_id: int, *, shown: set[int], children: dict) -> list[int]:
    found, stack = [], list(children.get(unit_id, ()))
    while stack:
        node = stack.pop()
        if node in shown:
            found.append(node)
        else:
            stack.extend(children.get(node, ()))
    return found


def units_shown(*, paths: dict[int, str], direct: dict[int, int], threshold: int) -> set[int]:
    """The units whose rolled-up figure may be shown. `paths`: every unit of the tree, id -> path."""
    threshold = max(threshold, MINIMUM_THRESHOLD)
    totals = rolled_up(paths=paths, direct=direct)
    children = _children(paths)
    shown = {u for u, n in totals.items() if n >= threshold}
    for unit_id in sorted(shown, key=lambda u: (-paths[u].count("/"), paths[u])):
        if unit_id not in shown:
            continue
        while True:
            below = _nearest_shown_below(unit_id, shown=shown, children=children)
            remainder = totals[unit_id] - sum(totals[u] for u in below)
            if not 0 < remainder < threshold or not below:
                break
            shown.discard(min(below, key=lambda u: (totals[u], paths[u])))
    return shown


def pool_of(unit_id: int, *, shown: set[int], paths: dict[int, str]) -> int | None:
    """The nearest shown unit at or above `unit_id`: the group its answers are reported with."""
    for ancestor in reversed(path_ids(paths[unit_id])):
        if ancestor in shown:
            return ancestor
    return None
