"""The threshold rule for a partition of anonymous answers (staff per unit).

A cell is shown only with at least `threshold` answers. Hiding the small cells alone is not enough:
the whole's figure minus the shown cells would reveal a single hidden cell. So while the hidden cells
together hold fewer than `threshold` answers, the smallest shown cell is hidden too; what is hidden
is then either nothing or a pool at least as large as the threshold.
"""

from collections.abc import Hashable

from kohtaamo.analytics.anonymity import MINIMUM_THRESHOLD


def cells_shown(counts: dict[Hashable, int], *, threshold: int) -> set:
    """The keys of a partition's cells that may be shown."""
    threshold = max(threshold, MINIMUM_THRESHOLD)
    shown = {key for key, n in counts.items() if n >= threshold}
    hidden = sum(n for key, n in counts.items() if key not in shown and n > 0)
    while 0 < hidden < threshold and shown:
        smallest = min(shown, key=lambda key: (counts[key], str(key)))
        shown.discard(smallest)
        hidden += counts[smallest]
    return shown
