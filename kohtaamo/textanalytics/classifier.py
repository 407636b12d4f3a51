"""Sentiment classifier per language: multinomial logistic regression (L2-penalised, fitted by L-BFGS
in numpy over a scipy sparse matrix) over words and word stems (marked when negated), word pairs,
character 4-grams, and the polarity lexicon's verdict and hit counts.

Trained in a fraction of a second when first used, from the project's own labelled training comments
(`data/train_<language>.jsonl`, written separately from the evaluation set), so no weights file can
drift from its data. Model choices (features, regularisation) were made by cross-validation on the
training comments only; `cross_validate` reproduces that (see `benchmarks/bench_text_analytics.py --cv`).
"""

import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

DATA = Path(__file__).resolve().parent / "data"
CLASSES = ("negative", "neutral", "positive")
# Words after a negator (same clause) carry a negation mark: "ei ollut hyvä" → ¬hyvä.
NEGATION_SCOPE = 3


@dataclass(frozen=True)
class Config:
    """What the classifier looks at, and how strongly it is regularised (chosen by cross-validation)."""

    words: bool = True
    stems: tuple[int, ...] = (4, 6)
    pairs: bool = True
    char_ngrams: int = 4  # 0 = none, else n of the character n-grams inside each word
    lexicon: bool = True
    l2: float = 0.3
    balanced: bool = False  # weigh each class by 1/frequency, so the rarer neutral class counts as much


DEFAULT = Config()
# The configurations compared by cross-validation on the training comments; DEFAULT scored within 0.005
# of the best mean macro-F1 (differences this small are noise at ~650 comments per language).
CANDIDATES = (
    DEFAULT,
    Config(char_ngrams=0),
    Config(char_ngrams=3),
    Config(char_ngrams=5),
    Config(l2=0.1),
    Config(l2=1.0),
    Config(stems=()),
    Config(pairs=False),
    Config(balanced=True),
    Config(lexicon=False),
)


def training_comments(language: str) -> list[dict]:
    path = DATA / f"train_{language}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _lexicon_features(words: list[str], language: str) -> dict[str, float]:
    from .analysis import _label, _polarity, _sentiment

    table = _polarity(language)
    score = _sentiment(words, language)
    positive = negative = 0.0
    for word in words:
        value = table.longest_match(word)
        if value:
            positive += max(value, 0)
            negative += max(-value, 0)
    return {
        "lex:score": score,
        f"lex:{_label(score)}": 1.0,
        "lex:pos": math.log1p(positive),
        "lex:neg": math.log1p(negative),
    }


def features(words: list[str], language: str, config: Config = DEFAULT) -> dict[str, float]:
    from .analysis import CLAUSE_END, CONTRASTS, NEGATORS

    negators, contrasts = NEGATORS[language], CONTRASTS[language]
    found: dict[str, float] = {"bias": 1.0}
    negated = 0
    previous = "^"
    for word in words:
        if word in CLAUSE_END:
            negated = 0
            if word in "!?":
                found[f"punct:{word}"] = 1.0
            previous = "^"
            continue
        if word in negators or word.endswith("n't"):
            negated = NEGATION_SCOPE
            found["neg"] = 1.0
        elif word in contrasts:
            found["contrast"] = 1.0
            negated = 0
        mark = "¬" if negated and word not in negators and not word.endswith("n't") else ""
        if config.words:
            found[f"w:{mark}{word}"] = 1.0
        for n in config.stems:
            if len(word) > n:
                found[f"s{n}:{mark}{word[:n]}"] = 1.0
        if config.pairs:
            found[f"b:{previous}_{word}"] = 1.0
        if config.char_ngrams:
            padded = f"<{word}>"
            for i in range(len(padded) - config.char_ngrams + 1):
                found[f"c:{padded[i : i + config.char_ngrams]}"] = 1.0
        if mark:
            negated -= 1
        previous = word
    if config.lexicon:
        found.update(_lexicon_features(words, language))
    return found


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # Element-wise, not BLAS: a multi-threaded BLAS on a busy small machine makes these tiny
    # products hundreds of times slower (seen with scipy's L-BFGS-B).
    return float(np.sum(a * b))


def _lbfgs(loss, x: np.ndarray, *, memory: int = 10, iterations: int = 300, tolerance: float = 1e-6) -> np.ndarray:
    """Minimise a smooth convex function (loss returns value and gradient) by L-BFGS with backtracking."""
    value, gradient = loss(x)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(iterations):
        direction = -gradient
        alphas = []
        for s, y, rho in reversed(steps):
            alpha = rho * _dot(s, direction)
            direction = direction - alpha * y
            alphas.append(alpha)
        if steps:
            s, y, _rho = steps[-1]
            direction = direction * (_dot(s, y) / _dot(y, y))
        for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
            direction = direction + s * (alpha - rho * _dot(y, direction))
        slope = _dot(gradient, direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            steps.clear()
            direction, slope = -gradient, -_dot(gradient, gradient)
        step = 1.0 if steps else 1.0 / max(1.0, float(np.sqrt(-slope)))
        while True:
            candidate = x + step * direction
            new_value, new_gradient = loss(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, y = candidate - x, new_gradient - gradient
        sy = _dot(s, y)
        if sy > 1e-10:
            steps.append((s, y, 1.0 / sy))
            del steps[:-memory]
        converged = abs(value - new_value) <= tolerance * max(1.0, abs(value))
        x, value, gradient = candidate, new_value, new_gradient
        if converged:
            break
    return x


class LogisticRegression:
    """Multinomial logistic regression with an L2 penalty (the bias is not penalised)."""

    def __init__(self, examples: list[tuple[dict[str, float], str]], *, l2: float, balanced: bool = False):
        names = sorted({name for found, _label in examples for name in found})
        self.index = {name: i for i, name in enumerate(names)}
        rows, cols, values = [], [], []
        for r, (found, _label) in enumerate(examples):
            for name, value in found.items():
                rows.append(r)
                cols.append(self.index[name])
                values.append(value)
        x = sparse.csr_matrix((values, (rows, cols)), shape=(len(examples), len(names)))
        y = np.zeros((len(examples), len(CLASSES)))
        for r, (_found, label) in enumerate(examples):
            y[r, CLASSES.index(label)] = 1.0
        if balanced:
            y *= len(examples) / (len(CLASSES) * np.maximum(y.sum(axis=0), 1))
        penalty = np.full((len(names), 1), l2)
        penalty[self.index["bias"]] = 0.0

        def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
            w = flat.reshape(len(names), len(CLASSES))
            z = x @ w
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            value = -np.sum(y * np.log(p + 1e-12)) + 0.5 * np.sum(penalty * w * w)
            gradient = x.T @ (p * y.sum(axis=1, keepdims=True) - y) + penalty * w
            return value, gradient.ravel()

        weights = _lbfgs(loss, np.zeros(len(names) * len(CLASSES))).reshape(len(names), len(CLASSES))
        # Plain tuples: scoring one comment sums a few dozen rows, faster in Python than via numpy.
        self.weights = {name: tuple(float(v) for v in weights[i]) for name, i in self.index.items()}

    def probabilities(self, found: dict[str, float]) -> dict[str, float]:
        z = [0.0, 0.0, 0.0]
        for name, value in found.items():
            row = self.weights.get(name)
            if row is not None:
                z[0] += row[0] * value
                z[1] += row[1] * value
                z[2] += row[2] * value
        top = max(z)
        exps = [math.exp(v - top) for v in z]
        norm = sum(exps)
        return {c: e / norm for c, e in zip(CLASSES, exps, strict=True)}


def _examples(rows: list[dict], language: str, config: Config) -> list[tuple[dict[str, float], str]]:
    from .analysis import tokenize

    return [(features(tokenize(r["text"]), language, config), r["sentiment"]) for r in rows]


def train(rows: list[dict], language: str, config: Config = DEFAULT) -> LogisticRegression:
    return LogisticRegression(_examples(rows, language, config), l2=config.l2, balanced=config.balanced)


@cache
def model(language: str) -> LogisticRegression | None:
    rows = training_comments(language)
    return train(rows, language) if rows else None


def classify(words: list[str], language: str, config: Config = DEFAULT, trained=None) -> dict[str, float] | None:
    """Class probabilities for one tokenised comment, or None when the language has no training data."""
    trained = trained or model(language)
    return None if trained is None else trained.probabilities(features(words, language, config))


def _macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in CLASSES:
        tp = sum(g == label == p for g, p in zip(gold, predicted, strict=True))
        wrong = sum((g == label) != (p == label) for g, p in zip(gold, predicted, strict=True))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + wrong))
    return sum(scores) / len(scores)


def cross_validate(language: str, config: Config = DEFAULT, *, folds: int = 5, repeats: int = 2) -> float:
    """Mean macro-F1 of stratified k-fold cross-validation on the training comments (never the evaluation set)."""
    from .analysis import tokenize

    rows = training_comments(language)
    tokenised = [tokenize(r["text"]) for r in rows]
    scores = []
    for repeat in range(repeats):
        rng = random.Random(repeat)
        by_class: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_class.setdefault(r["sentiment"], []).append(i)
        fold_of = {}
        for members in by_class.values():
            rng.shuffle(members)
            for k, i in enumerate(members):
                fold_of[i] = k % folds
        for fold in range(folds):
            train_rows = [r for i, r in enumerate(rows) if fold_of[i] != fold]
            held = [i for i in range(len(rows)) if fold_of[i] == fold]
            trained = train(train_rows, language, config)
            predicted = []
            for i in held:
                p = trained.probabilities(features(tokenised[i], language, config))
                predicted.append(max(p, key=p.get))
            scores.append(_macro_f1([rows[i]["sentiment"] for i in held], predicted))
    return sum(scores) / len(scores)


def class_counts(language: str) -> Counter:
    return Counter(r["sentiment"] for r in training_comments(language))
