"""The shipped evaluation set: the analyser must beat the trivial baselines in every language."""

from kohtaamo.textanalytics.evaluation import (
    eval_comments,
    eval_transcripts,
    evaluate_comments,
    evaluate_transcripts,
    throughput,
)


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
