"""Scoring of a mystery-shopping checklist (definitions in the README's mystery-shopping section).

Pure functions over one report's answers: an item earns 0..1 points, a report, section or dimension
score is the weighted mean of its applicable items' points on 0..100.
"""

from dataclasses import dataclass, field

from .models import ChecklistItem

Kind = ChecklistItem.Kind


@dataclass(frozen=True)
class ItemAnswer:
    item_id: int
    section_id: int
    dimension_id: int | None
    kind: str
    weight: float
    value: int | None = None
    not_applicable: bool = False
    scale_min: int = 1
    scale_max: int = 5
    critical: bool = False
    integrity: bool = False


@dataclass(frozen=True)
class ScoreCard:
    score: float | None  # after the critical-item rule
    raw_score: float | None
    critical_failed: bool
    integrity_failed: bool
    sections: dict[int, float] = field(default_factory=dict)
    dimensions: dict[int, float] = field(default_factory=dict)
    points: dict[int, float | None] = field(default_factory=dict)


def item_points(answer: ItemAnswer) -> float | None:
    """0..1 points; None where the item does not count (text, integrity check, N/A or unanswered)."""
    if answer.kind == Kind.TEXT or answer.integrity or answer.not_applicable or answer.value is None:
        return None
    if answer.kind == Kind.SCALE:
        return (answer.value - answer.scale_min) / (answer.scale_max - answer.scale_min)
    return 1.0 if answer.value else 0.0


def weighted_percentage(pairs: list[tuple[float, float]]) -> float | None:
    """100 · Σ weight·points / Σ weight over (weight, points) pairs; None when no weight counts."""
    total_weight = sum(w for w, _ in pairs)
    if total_weight <= 0:
        return None
    # Rounding of many float weights can step a hair past 100.
    return min(100.0, max(0.0, 100 * sum(w * p for w, p in pairs) / total_weight))


def scorecard(*, answers: list[ItemAnswer], critical_fails_visit: bool) -> ScoreCard:
    points = {a.item_id: item_points(a) for a in answers}
    counted = [(a, points[a.item_id]) for a in answers if points[a.item_id] is not None]
    raw = weighted_percentage([(a.weight, p) for a, p in counted])
    critical_failed = any(a.critical and p == 0 for a, p in counted)
    integrity_failed = any(a.integrity and (a.value is not None and not a.not_applicable) for a in answers)

    def grouped(key) -> dict[int, float]:
        groups: dict[int, list[tuple[float, float]]] = {}
        for a, p in counted:
            if key(a) is not None:
                groups.setdefault(key(a), []).append((a.weight, p))
        return {k: s for k, pairs in groups.items() if (s := weighted_percentage(pairs)) is not None}

    score = 0.0 if (critical_failed and critical_fails_visit and raw is not None) else raw
    return ScoreCard(
        score=score,
        raw_score=raw,
        critical_failed=critical_failed,
        integrity_failed=integrity_failed,
        sections=grouped(lambda a: a.section_id),
        dimensions=grouped(lambda a: a.dimension_id),
        points=points,
    )
