"""Transcript metrics as evidence on the five elements (0–100), against healthy ranges per channel.

Customer-service encounters are not sales calls: the customer should do much of the talking, and a
good encounter ends with an explicit next step. The default ranges below say so; where an organisation
has enough of its own best-scored encounters with transcripts in a channel, the ranges are calibrated
from those instead (middle 60 % of each metric) — `Ranges.calibrated` says which was used.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Channel

CALIBRATION_MINIMUM = 5  # best-scored encounters with transcripts needed per channel
# A calibrated range is at least this share of the default's width: when the best encounters are too
# alike (scripted calls, one template), a range of a single value would fail every other encounter.
MINIMUM_WIDTH_SHARE = 0.5
SHARES = ("employee_talk_share", "concrete_share", "silence_share")  # 0…1
RANGED_METRICS = ("employee_talk_share", "longest_monologue_words", "questions_employee", "concrete_share")
DEFAULT_RANGES = {
    "employee_talk_share": (0.35, 0.60),
    "longest_monologue_words": (0, 120),
    "questions_employee": (2, 12),
    "concrete_share": (0.15, 1.0),
    "silence_share": (0.0, 0.2),
}
CHANNEL_DEFAULTS = {
    Channel.PHONE: {"employee_talk_share": (0.40, 0.65), "longest_monologue_words": (0, 90)},
    Channel.CHAT: {"employee_talk_share": (0.40, 0.70), "longest_monologue_words": (0, 80)},
    Channel.VIDEO: {"employee_talk_share": (0.35, 0.60), "longest_monologue_words": (0, 110)},
}


@dataclass(frozen=True)
class Ranges:
    channel: str
    bounds: dict = field(default_factory=dict)
    calibrated: bool = False
    basis_n: int = 0  # encounters the calibration rests on
    widened: tuple[str, ...] = ()  # calibrated metrics widened to MINIMUM_WIDTH_SHARE of the default


def default_ranges(channel: str) -> Ranges:
    return Ranges(channel, DEFAULT_RANGES | CHANNEL_DEFAULTS.get(channel, {}))


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def calibrated_ranges(channel: str, best_metrics: list[dict]) -> Ranges:
    """Ranges from the metrics of an organisation's best-scored encounters in one channel."""
    base = default_ranges(channel)
    if len(best_metrics) < CALIBRATION_MINIMUM:
        return Ranges(channel, base.bounds, False, len(best_metrics))
    bounds = dict(base.bounds)
    widened = []
    for name in RANGED_METRICS:
        values = [m[name] for m in best_metrics if isinstance(m.get(name), int | float)]
        if len(values) >= CALIBRATION_MINIMUM:
            low, high = _quantile(values, 0.2), _quantile(values, 0.8)
            default_low, default_high = base.bounds[name]
            least = MINIMUM_WIDTH_SHARE * (default_high - default_low)
            if high - low < least:
                low, high = _widened(low, high, least, ceiling=1.0 if name in SHARES else None)
                widened.append(name)
            bounds[name] = (low, high)
    return Ranges(channel, bounds, True, len(best_metrics), tuple(widened))


def _widened(low: float, high: float, width: float, *, ceiling: float | None) -> tuple[float, float]:
    """The range of `width` centred on low…high, moved to stay within 0…ceiling."""
    middle = (low + high) / 2
    low, high = middle - width / 2, middle + width / 2
    if low < 0:
        low, high = 0.0, width
    if ceiling is not None and high > ceiling:
        low, high = max(0.0, ceiling - width), ceiling
    return low, high


def in_range_score(value: float, low: float, high: float) -> float:
    """100 inside the range, falling linearly to 0 one range-width outside it."""
    if low <= value <= high:
        return 100.0
    width = max(high - low, 1e-9)
    distance = low - value if value < low else value - high
    return max(0.0, 100.0 * (1 - distance / width))


def element_evidence(metrics: dict, ranges: Ranges) -> dict[str, float]:
    """Machine-derived 0–100 evidence per element from one transcript's metrics."""
    b = ranges.bounds
    talk = in_range_score(metrics["employee_talk_share"], *b["employee_talk_share"])
    monologue = in_range_score(metrics["longest_monologue_words"], *b["longest_monologue_words"])
    questions = in_range_score(metrics["questions_employee"], *b["questions_employee"])
    concrete = in_range_score(metrics["concrete_share"], *b["concrete_share"])
    no_cut_offs = max(0.0, 100.0 - 50.0 * metrics["customer_cut_offs"])
    summarised = 100.0 if metrics["summaries"] else 0.0
    next_step = 100.0 if metrics["next_steps"] else 0.0
    committed = 100.0 if metrics["next_steps"] and metrics["concrete_share"] > 0 else next_step / 2
    listening = [talk, no_cut_offs, summarised, monologue]
    if metrics.get("timed"):
        listening.append(in_range_score(metrics["silence_share"], *b["silence_share"]))
    scores = {
        "listening": sum(listening) / len(listening),
        "expertise": (concrete + monologue) / 2,
        "value": (next_step + concrete) / 2,
        "trust": (committed + no_cut_offs) / 2,
        "solution": (questions + next_step + summarised) / 3,
    }
    return {code: round(value, 1) for code, value in scores.items()}


# The sources shown side by side on the five elements: only "transcript" is machine-derived.
SOURCES = ("transcript", "customers", "assessment_360", "mystery")
MACHINE_DERIVED = frozenset({"transcript"})
PULSE_WINDOW_DAYS = 180  # the customers' source: the person's pulse responses of this many days

SOURCE_NOTES = {
    "no_transcripts": _("No transcripts of this person."),
    "no_responses": _("No customer scores in the period."),
    "no_released_360": _("No released 360 report."),
    "below_threshold": _("Below the anonymity threshold."),
    "not_permitted": _("Not shown to your role."),
    "no_approved_visits": _("No approved mystery visits."),
    "no_element_items": _("No checklist item on this element."),
}


class SourceCell(NamedTuple):
    """One source's figure on one element: a 0–100 value with its n, or no value and why (a SOURCE_NOTES code)."""

    value: float | None
    n: int
    note: str = ""

    @property
    def note_label(self) -> str:
        return str(SOURCE_NOTES.get(self.note, ""))
