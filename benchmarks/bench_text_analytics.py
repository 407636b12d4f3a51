"""Text analytics against the shipped evaluation set, beside trivial baselines, and its throughput.

Run: .venv/bin/python benchmarks/bench_text_analytics.py [--size N] [--processes P]
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

from kohtaamo.textanalytics.analysis import comment_analyse  # noqa: E402
from kohtaamo.textanalytics.evaluation import (  # noqa: E402
    eval_comments,
    eval_transcripts,
    evaluate_comments,
    evaluate_transcripts,
)


def _analyse_chunk(texts: list[str]) -> int:
    for text in texts:
        comment_analyse(text)
    return len(texts)


def throughput(texts: list[str], size: int, processes: int) -> float:
    batch = (texts * (size // len(texts) + 1))[:size]
    chunks = [batch[i::processes] for i in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_analyse_chunk, [c[:10] for c in chunks]))  # warm the word lists in every worker
        started = time.perf_counter()
        done = sum(pool.map(_analyse_chunk, chunks))
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000, help="comments for the throughput run")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    rows = eval_comments()
    print(f"Evaluation set: {len(rows)} labelled comments, {len(eval_transcripts())} labelled transcripts\n")
    print(f"{'lang':4} {'task':9} {'n':>4} {'acc':>6} {'macroF1':>8}   baseline: {'acc':>6} {'macroF1':>8}")
    for s in evaluate_comments(rows):
        print(
            f"{s.language:4} {s.task:9} {s.n:4d} {s.accuracy:6.3f} {s.macro_f1:8.3f}   "
            f"{s.baseline_accuracy:6.3f} {s.baseline_macro_f1:8.3f}  ({s.baseline_name})"
        )
    print("\nTranscripts (accuracy; baseline = always the majority value)")
    for label, (accuracy, baseline) in evaluate_transcripts(eval_transcripts()).items():
        print(f"  {label:20} {accuracy:6.3f}   baseline {baseline:6.3f}")
    rate = throughput([r["text"] for r in rows], args.size, args.processes)
    print(
        f"\nThroughput: {rate:,.0f} comments/s (sentiment + elements + themes + emotions, {args.processes} processes)"
    )


if __name__ == "__main__":
    main()
