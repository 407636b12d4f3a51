"""Scoring of the self-test: a profile on the five elements and ethos/pathos/logos, with tips."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selftest_data import (
    DIMENSION_NAMES,
    ELEMENTS,
    PROFILE_DIMENSIONS,
    RHETORIC,
    SCALE_MAX,
    SCALE_MIN,
    STATEMENTS,
    STRENGTHS,
    TIPS,
)

# Ethos, pathos and logos within this many points of each other (0–100) count as balanced.
BALANCED_SPREAD = 15.0
TIPS_SHOWN = 2


@dataclass(frozen=True)
class Tip:
    dimension: str
    name: str
    text: str
    action: str  # role_play, mentoring, clinic or plan


@dataclass(frozen=True)
class Profile:
    scores: dict[str, float | None]  # dimension code -> 0..100
    rhetoric_spread: float | None  # max − min of ethos, pathos, logos
    strength: str | None  # dimension code of the highest score
    tips: list[Tip]
    strength_text: str = ""

    @property
    def balanced(self) -> bool | None:
        return None if self.rhetoric_spread is None else self.rhetoric_spread <= BALANCED_SPREAD

    def rows(self, language: str) -> list[dict]:
        return [
            {"code": code, "name": DIMENSION_NAMES[code][language], "score": self.scores[code]}
            for code in PROFILE_DIMENSIONS
        ]


def selftest_answers_clean(raw: dict) -> dict[str, int]:
    """Answers from a form post: every statement must be answered with an integer on the scale."""
    answers, missing = {}, 0
    for code, *_rest in STATEMENTS:
        value = raw.get(code)
        if value in (None, ""):
            missing += 1
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValidationError(
                _("Answer every statement on the scale from %(low)s to %(high)s.")
                % {"low": SCALE_MIN, "high": SCALE_MAX}
            )
        answers[code] = number
    if missing:
        raise ValidationError(
            _("%(count)s statements are still unanswered; please answer them all.") % {"count": missing}
        )
    return answers


def selftest_score(*, answers: dict[str, int], language: str = "en") -> Profile:
    """Each dimension's score = mean of its oriented answers (reverse items flipped), rescaled to 0–100."""
    language = language if language in ("fi", "sv", "en") else "en"
    oriented: dict[str, list[int]] = defaultdict(list)
    for code, dimensions, reverse, _texts in STATEMENTS:
        if code not in answers:
            continue
        value = answers[code]
        value = SCALE_MIN + SCALE_MAX - value if reverse else value
        for dimension in dimensions:
            oriented[dimension].append(value)
    scores: dict[str, float | None] = {}
    for dimension in PROFILE_DIMENSIONS:
        values = oriented.get(dimension)
        scores[dimension] = (sum(values) / len(values) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100 if values else None
    rhetoric = [scores[d] for d in RHETORIC if scores[d] is not None]
    spread = max(rhetoric) - min(rhetoric) if len(rhetoric) == len(RHETORIC) else None
    scored = [d for d in PROFILE_DIMENSIONS if scores[d] is not None]
    strength = max(scored, key=lambda d: scores[d]) if scored else None
    # Weakest first; ties keep the framework order so the result is deterministic.
    weakest = sorted(scored, key=lambda d: (scores[d], PROFILE_DIMENSIONS.index(d)))[:TIPS_SHOWN]
    tips = [
        Tip(dimension=d, name=DIMENSION_NAMES[d][language], text=TIPS[d][language], action=TIPS[d]["action"])
        for d in weakest
        if strength is None or d != strength
    ]
    return Profile(
        scores=scores,
        rhetoric_spread=spread,
        strength=strength,
        tips=tips,
        strength_text=STRENGTHS[strength][language] if strength else "",
    )


def statements_for(language: str) -> list[dict]:
    language = language if language in ("fi", "sv", "en") else "en"
    return [{"code": code, "text": texts[language]} for code, _d, _r, texts in STATEMENTS]


__all__ = ["ELEMENTS", "Profile", "Tip", "selftest_answers_clean", "selftest_score", "statements_for"]
