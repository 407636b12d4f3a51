"""The shipped evaluation set: the analyser must beat the trivial baselines in every language, the
sentiment classifier must hold its measured quality, and the evaluation set stays apart from the
training comments."""

import numpy as np
import pytest

from kohtaamo.textanalytics.analysis import LANGUAGES
from kohtaamo.textanalytics.classifier import DEFAULT, _lbfgs, class_counts, cross_validate, training_comments
from kohtaamo.textanalytics.evaluation import (
    _normalised,
    eval_comments,
    eval_transcripts,
    evaluate_comments,
    evaluate_transcripts,
    overlap,
    throughput,
)

# Held-out sentiment macro-F1 (161 comments a language, a wrong fallback language) measured with the
# shipped training comments: fi 0.872, sv 0.805, en 0.828. The floors sit three to four comments below,
# so a real regression fails and rounding noise does not.
SENTIMENT_MACRO_F1_FLOOR = {"fi": 0.85, "sv": 0.78, "en": 0.80}


def test_evaluation_set_is_large_enough_and_balanced():
    rows = eval_comments()
    assert len(rows) >= 300
    assert {r["language"] for r in rows} == {"fi", "sv", "en"}
    assert all(sum(r["language"] == lang for r in rows) >= 100 for lang in ("fi", "sv", "en"))
    assert len(eval_transcripts()) >= 20


def test_analyser_beats_the_baseline_in_every_language_and_task():
    scores = evaluate_comments(eval_comments())
    assert len(scores) == 6
    for s in scores:
        assert s.macro_f1 > s.baseline_macro_f1 + 0.2, s
        assert s.accuracy > s.baseline_accuracy, s


def test_transcript_metrics_beat_the_majority_baseline():
    for label, (accuracy, baseline) in evaluate_transcripts(eval_transcripts()).items():
        assert accuracy >= baseline, label
        assert accuracy >= 0.75, label


def test_throughput_is_well_above_a_thousand_per_second():
    assert throughput([r["text"] for r in eval_comments()], repeat_to=2000) > 1000


def test_sentiment_macro_f1_holds_its_measured_level_in_every_language():
    scores = {s.language: s for s in evaluate_comments(eval_comments()) if s.task == "sentiment"}
    for language, floor in SENTIMENT_MACRO_F1_FLOOR.items():
        assert scores[language].macro_f1 >= floor, scores[language]
        assert scores[language].macro_f1 >= 0.75, scores[language]


def test_each_language_has_its_own_larger_training_file_with_every_class():
    for language in LANGUAGES:
        counts = class_counts(language)
        assert sum(counts.values()) >= 600, (language, counts)
        assert min(counts[c] for c in ("negative", "neutral", "positive")) >= 150, (language, counts)


def test_evaluation_comments_are_neither_duplicated_nor_nearly_duplicated_in_the_training_comments():
    evaluation = eval_comments()
    training_texts = {_normalised(r["text"]) for language in LANGUAGES for r in training_comments(language)}
    assert not [r["text"] for r in evaluation if _normalised(r["text"]) in training_texts]
    for language in LANGUAGES:
        held_out = [r for r in evaluation if r["language"] == language]
        assert overlap(held_out, training_comments(language), threshold=0.5) == [], language


def test_overlap_finds_near_duplicates():
    pairs = overlap([{"text": "The advisor was friendly and quick!"}], [{"text": "the advisor was friendly and quick"}])
    assert pairs and pairs[0][2] == 1.0
    near = overlap(
        [{"text": "The advisor was friendly and quick."}], [{"text": "The advisor was very friendly and quick."}]
    )
    assert near and 0.6 <= near[0][2] < 1.0
    assert overlap([{"text": "The advisor was friendly and quick."}], [{"text": "I paid the invoice by card."}]) == []


def test_cross_validation_on_the_training_comments_beats_the_majority_class():
    # Majority-class macro-F1 is about 0.2; the configuration was chosen at ≈ 0.76 by this cross-validation.
    assert cross_validate("en", DEFAULT, folds=5, repeats=1) > 0.7


def test_lbfgs_finds_the_minimum_of_a_quadratic():
    target = np.array([1.0, -2.0, 3.0])
    scale = np.array([1.0, 10.0, 100.0])

    def loss(x):
        return float(np.sum(scale * (x - target) ** 2)), 2 * scale * (x - target)

    assert _lbfgs(loss, np.zeros(3), tolerance=1e-12) == pytest.approx(target, abs=1e-4)
