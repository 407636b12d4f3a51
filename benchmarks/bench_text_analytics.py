"""Text analytics against the shipped evaluation set, beside trivial baselines, and its throughput.

The sentiment classifier is trained on the training comments only (`data/train_<language>.jsonl`); the
evaluation set is held out. `--cv` also prints the cross-validation on the training comments by which the
classifier's configuration was chosen.

Run: .venv/bin/python benchmarks/bench_text_analytics.py [--full] [--cv] [--size N] [--processes P]
"""

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamo.settings")

import django  # noqa: E402

django.setup()

from kohtaamo.textanalytics.analysis import (  # noqa: E402
    LANGUAGES,
    comment_analyse,
    detect_language,
    lexicon_label,
    tokenize,
)
from kohtaamo.textanalytics.classifier import CANDIDATES, DEFAULT, class_counts, cross_validate, model  # noqa: E402
from kohtaamo.textanalytics.evaluation import (  # noqa: E402
    eval_comments,
    eval_transcripts,
    evaluate_comments,
    evaluate_language,
    evaluate_transcripts,
)


def _warm_up() -> None:
    """Load the word lists and train the classifiers in each worker, outside the timed run."""
    for language in LANGUAGES:
        model(language)
    _analyse_chunk(["Kiitos, hyvää palvelua.", "Tack för bra service.", "Thanks, good service."])


def _analyse_chunk(texts: list[str]) -> tuple[int, float]:
    """(comments analysed, CPU seconds this worker spent on them)."""
    started = time.process_time()
    for text in texts:
        comment_analyse(text)
    return len(texts), time.process_time() - started


def _lexicon_chunk(texts: list[str]) -> tuple[int, float]:
    """The same comments through the lexicon alone (the sentiment method before the classifier)."""
    started = time.process_time()
    for text in texts:
        words = tokenize(text)
        lexicon_label(words, detect_language(words, text)[0] or "fi")
    return len(texts), time.process_time() - started


def throughput(texts: list[str], size: int, processes: int, work=_analyse_chunk) -> tuple[float, float]:
    """(comments per wall-clock second on `processes` workers, comments per CPU second of one worker).

    The CPU figure does not depend on what else the machine is running."""
    batch = (texts * (size // len(texts) + 1))[:size]
    chunks = [batch[i::processes] for i in range(processes)]
    with ProcessPoolExecutor(processes, initializer=_warm_up) as pool:
        list(pool.map(work, [c[:10] for c in chunks]))
        started = time.perf_counter()
        results = list(pool.map(work, chunks))
    done = sum(n for n, _cpu in results)
    return done / (time.perf_counter() - started), done / sum(cpu for _n, cpu in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="100,000 comments for throughput, and --cv")
    parser.add_argument("--cv", action="store_true", help="cross-validation of the candidate configurations")
    parser.add_argument("--size", type=int, help="comments for the throughput run (default 5,000; --full 100,000)")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    size = args.size or (100_000 if args.full else 5_000)
    for language in LANGUAGES:
        counts = class_counts(language)
        print(f"Training comments {language}: {sum(counts.values())} ({dict(sorted(counts.items()))})")
    if args.cv or args.full:
        print("\nSentiment macro-F1, 5-fold cross-validation ×2 on the training comments (* = the configuration used)")
        for config in CANDIDATES:
            scores = "  ".join(f"{lang} {cross_validate(lang, config):.3f}" for lang in LANGUAGES)
            print(f"{'*' if config == DEFAULT else ' '} {scores}   {config}")
    rows = eval_comments()
    print()
    print(
        f"Evaluation set: {len(rows)} labelled comments, {len(eval_transcripts())} labelled transcripts "
        "(each comment's fallback language is a wrong one)\n"
    )
    print(f"{'lang':4} {'task':9} {'n':>4} {'acc':>6} {'macroF1':>8}   baseline: {'acc':>6} {'macroF1':>8}")
    scores = evaluate_comments(rows)
    for s in scores:
        print(
            f"{s.language:4} {s.task:9} {s.n:4d} {s.accuracy:6.3f} {s.macro_f1:8.3f}   "
            f"{s.baseline_accuracy:6.3f} {s.baseline_macro_f1:8.3f}  ({s.baseline_name})"
        )
        if s.class_f1:
            print(" " * 10 + "F1 per class: " + ", ".join(f"{label} {f:.3f}" for label, f in s.class_f1))
    print("\nLanguage identification (a comment whose language cannot be told counts as wrong)")
    for language, (n, correct, untold) in evaluate_language(rows).items():
        print(f"  {language}: {correct:6.3f} of {n} correct, {untold:5.3f} not told (baseline, one language: 0.333)")
    print("\nSentiment macro-F1 when the survey page's language is the fallback (as in production)")
    native = evaluate_comments(rows, fallback=lambda language: language)
    print("  " + "  ".join(f"{s.language} {s.macro_f1:.3f}" for s in native if s.task == "sentiment"))
    print("\nTranscripts (accuracy; baseline = always the majority value)")
    for label, (accuracy, baseline) in evaluate_transcripts(eval_transcripts()).items():
        print(f"  {label:20} {accuracy:6.3f}   baseline {baseline:6.3f}")
    texts = [r["text"] for r in rows]
    rate, per_cpu = throughput(texts, size, args.processes)
    base_rate, base_per_cpu = throughput(texts, size, args.processes, _lexicon_chunk)
    print(
        f"\nThroughput over {size:,} comments, {args.processes} processes ({os.cpu_count()} CPUs; load average "
        f"{os.getloadavg()[0]:.1f}):\n"
        f"  analyser (sentiment + elements + themes + emotions): {rate:,.0f} comments/s, "
        f"{per_cpu:,.0f} per CPU second\n"
        f"  baseline, lexicon sentiment alone:                    {base_rate:,.0f} comments/s, "
        f"{base_per_cpu:,.0f} per CPU second"
    )
    beaten = [s for s in scores if s.macro_f1 <= s.baseline_macro_f1]
    if beaten:
        sys.exit(f"The baseline is as good as the analyser in: {', '.join(f'{s.language} {s.task}' for s in beaten)}")


if __name__ == "__main__":
    main()
