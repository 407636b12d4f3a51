"""A small naive Bayes sentiment classifier per language, trained at first use on the project's own
labelled training comments (`data/train_comments.jsonl`, written separately from the evaluation set).

Features: word stems (first five letters; marked when negated) and the lexicon's verdict (weighted),
so the classifier learns how feedback phrases complaints that carry no polar word."""

import json
import math
from collections import Counter
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CLASSES = ("negative", "neutral", "positive")
STEM = 5
LEXICON_WEIGHT = 3


def features(words: list[str], negators: set[str], lexicon_label: str) -> list[str]:
    found = [f"lex:{lexicon_label}"] * LEXICON_WEIGHT
    negated = 0
    for word in words:
        if not word[0].isalpha():
            negated = 0
            continue
        if word in negators or word.endswith("n't"):
            negated = 3
            found.append("neg")
            continue
        stem = word[:STEM]
        found.append(f"¬{stem}" if negated else stem)
        negated = max(0, negated - 1)
    return found


class NaiveBayes:
    def __init__(self, examples: list[tuple[list[str], str]]):
        self.priors = Counter(label for _f, label in examples)
        self.counts = {c: Counter() for c in CLASSES}
        for found, label in examples:
            self.counts[label].update(found)
        vocabulary = set().union(*(set(c) for c in self.counts.values()))
        self.size = len(vocabulary) + 1
        self.totals = {c: sum(self.counts[c].values()) for c in CLASSES}
        total = sum(self.priors.values())
        self.log_prior = {c: math.log((self.priors[c] + 1) / (total + len(CLASSES))) for c in CLASSES}

    def probabilities(self, found: list[str]) -> dict[str, float]:
        logs = {}
        for c in CLASSES:
            denominator = self.totals[c] + self.size
            counts = self.counts[c]
            logs[c] = self.log_prior[c] + sum(math.log((counts.get(f, 0) + 1) / denominator) for f in found)
        top = max(logs.values())
        exps = {c: math.exp(v - top) for c, v in logs.items()}
        norm = sum(exps.values())
        return {c: v / norm for c, v in exps.items()}


@cache
def model(language: str) -> NaiveBayes | None:
    from .analysis import NEGATORS, lexicon_label, tokenize

    path = DATA / "train_comments.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["language"] == language]
    if not rows:
        return None
    examples = []
    for r in rows:
        words = tokenize(r["text"])
        examples.append((features(words, NEGATORS[language], lexicon_label(words, language)), r["sentiment"]))
    return NaiveBayes(examples)
