"""Honest quality figures: the analyser against the labelled evaluation set the project ships.

The evaluation files (`data/eval_comments.jsonl`, `data/eval_transcripts.jsonl`) are written for
evaluation only: nothing in the lexicons or stem lists is derived from them, and no threshold is fitted
to them. Each figure is set beside a trivial baseline.
"""

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .analysis import LANGUAGES, comment_analyse, detect_language, tokenize, topic_codes
from .classifier import model

DATA = Path(__file__).resolve().parent / "data"
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class TaskScore:
    language: str
    task: str  # sentiment / elements
    n: int
    accuracy: float
    macro_f1: float
    baseline_name: str
    baseline_accuracy: float
    baseline_macro_f1: float
    class_f1: tuple[tuple[str, float], ...] = ()  # sentiment: F1 of each class


def eval_comments(path: Path | None = None) -> list[dict]:
    lines = (path or DATA / "eval_comments.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def eval_transcripts(path: Path | None = None) -> list[dict]:
    lines = (path or DATA / "eval_transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def class_f1(gold: list[str], predicted: list[str], labels) -> list[float]:
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        scores.append(f1(tp, fp, fn))
    return scores


def macro_f1(gold: list[str], predicted: list[str], labels) -> float:
    scores = class_f1(gold, predicted, labels)
    return sum(scores) / len(scores)


def multilabel_scores(gold: list[set], predicted: list[set], labels) -> tuple[float, float]:
    """(exact-set accuracy, macro-F1 over labels, each label a yes/no decision per comment)."""
    scores = []
    for label in labels:
        tp = sum(label in g and label in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(label not in g and label in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(label in g and label not in p for g, p in zip(gold, predicted, strict=True))
        scores.append(f1(tp, fp, fn))
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return accuracy, sum(scores) / len(scores)


def wrong_fallback(language: str) -> str:
    """A fallback language that is never the comment's own: the figures then owe nothing to it."""
    return LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)]


def evaluate_comments(rows: list[dict], *, fallback=wrong_fallback) -> list[TaskScore]:
    """Sentiment and elements per language. By default each comment's fallback language (used only when
    its language cannot be told) is a wrong one; in production it is the language of the survey page."""
    elements = topic_codes("elements")
    results = []
    for language in LANGUAGES:
        subset = [r for r in rows if r["language"] == language]
        if not subset:
            continue
        analysed = [comment_analyse(r["text"], fallback_language=fallback(language)) for r in subset]
        gold = [r["sentiment"] for r in subset]
        predicted = [a.sentiment for a in analysed]
        majority = Counter(gold).most_common(1)[0][0]
        baseline = [majority] * len(gold)
        results.append(
            TaskScore(
                language,
                "sentiment",
                len(gold),
                sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold),
                macro_f1(gold, predicted, SENTIMENTS),
                f"majority class ({majority})",
                sum(g == b for g, b in zip(gold, baseline, strict=True)) / len(gold),
                macro_f1(gold, baseline, SENTIMENTS),
                tuple(zip(SENTIMENTS, class_f1(gold, predicted, SENTIMENTS), strict=True)),
            )
        )
        gold_sets = [set(r["elements"]) for r in subset]
        predicted_sets = [set(a.elements) for a in analysed]
        common = Counter(e for g in gold_sets for e in g).most_common(1)[0][0]
        baseline_sets = [{common}] * len(gold_sets)
        accuracy, model_f1 = multilabel_scores(gold_sets, predicted_sets, elements)
        base_accuracy, base_f1 = multilabel_scores(gold_sets, baseline_sets, elements)
        results.append(
            TaskScore(
                language,
                "elements",
                len(gold),
                accuracy,
                model_f1,
                f"most frequent element ({common})",
                base_accuracy,
                base_f1,
            )
        )
    return results


def evaluate_language(rows: list[dict]) -> dict[str, tuple[int, float, float]]:
    """Per language: (n, share identified correctly, share where nothing could be told). A comment whose
    language cannot be told counts as wrong."""
    scores = {}
    for language in LANGUAGES:
        subset = [r for r in rows if r["language"] == language]
        if subset:
            told = [detect_language(tokenize(r["text"]), r["text"])[0] for r in subset]
            scores[language] = (
                len(subset),
                sum(t == language for t in told) / len(subset),
                sum(t is None for t in told) / len(subset),
            )
    return scores


def throughput(texts: list[str], *, repeat_to: int = 5000) -> float:
    """Comments per CPU second for sentiment + themes + elements + emotions, one process (CPU time, so the
    figure does not depend on what else the machine runs)."""
    batch = (texts * (repeat_to // max(len(texts), 1) + 1))[:repeat_to]
    for language in LANGUAGES:  # load the word lists and train the classifiers outside the timing
        comment_analyse("", fallback_language=language)
        model(language)
    started = time.process_time()
    for text in batch:
        comment_analyse(text)
    return len(batch) / (time.process_time() - started)


TRANSCRIPT_LABELS = ("summary", "next_step", "questions_employee", "customer_cut_offs")


def evaluate_transcripts(rows: list[dict]) -> dict[str, tuple[float, float]]:
    """Per label: (accuracy of the metrics, accuracy of always answering the majority value)."""
    from .transcripts import transcript_metrics, transcript_parse

    predicted = []
    for row in rows:
        _fmt, turns = transcript_parse(row["text"])
        m = transcript_metrics(turns)
        predicted.append(
            {
                "summary": m["summaries"] > 0,
                "next_step": m["next_steps"] > 0,
                "questions_employee": m["questions_employee"],
                "customer_cut_offs": m["customer_cut_offs"],
            }
        )
    scores = {}
    for label in TRANSCRIPT_LABELS:
        gold = [r["labels"][label] for r in rows]
        majority = Counter(gold).most_common(1)[0][0]
        scores[label] = (
            sum(p[label] == g for p, g in zip(predicted, gold, strict=True)) / len(gold),
            sum(g == majority for g in gold) / len(gold),
        )
    return scores


def _normalised(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _trigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def overlap(evaluation: list[dict], training: list[dict], *, threshold: float = 0.6) -> list[tuple[str, str, float]]:
    """Pairs (evaluation text, training text, similarity) of one language that are the same or nearly the
    same sentence: character-trigram Jaccard similarity of the normalised texts ≥ threshold."""
    found = []
    prepared = [(r["text"], _trigrams(_normalised(r["text"]))) for r in training]
    for row in evaluation:
        grams = _trigrams(_normalised(row["text"]))
        for text, other in prepared:
            similarity = len(grams & other) / len(grams | other)
            if similarity >= threshold:
                found.append((row["text"], text, round(similarity, 3)))
    return found
