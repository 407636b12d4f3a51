"""Writes of text analytics: analysing comments and importing transcripts.

Only customers' comments are analysed (respondent role "customer"): comments of 360 raters, staff or
management stay out of text analytics altogether, so no theme view can ever surface them.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.feedback.models import Answer, Encounter, Response
from kohtaamo.instruments.models import Question

from .analysis import ANALYSER_VERSION, comment_analyse
from .models import CommentAnalysis, CommentTopic, TextAnalysisRun, TranscriptAnalysis
from .transcripts import TranscriptError, transcript_metrics, transcript_parse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchResult:
    analysed: int
    failed: int


def comment_answers(*, organisation_id: int) -> QuerySet[Answer]:
    """Customers' non-empty open comments of submitted customer feedback."""
    return (
        Answer.objects.filter(
            response__in=Response.objects.customer_feedback().filter(organisation_id=organisation_id),
            question__kind=Question.Kind.OPEN,
        )
        .exclude(text="")
        .select_related("response")
    )


def _analysis_row(answer: Answer, result) -> CommentAnalysis:
    return CommentAnalysis(
        organisation_id=answer.response.organisation_id,
        answer=answer,
        response_id=answer.response_id,
        status=result.status,
        language=result.language,
        language_detected=result.language_detected,
        sentiment=result.sentiment,
        sentiment_score=result.score,
        sentiment_confidence=result.confidence,
        emotions=list(result.emotions),
        truncated=result.truncated,
        mixed_languages=",".join(result.mixed_languages),
        note=result.note,
        analyser_version=ANALYSER_VERSION,
    )


def _topic_rows(analysis: CommentAnalysis, result) -> list[CommentTopic]:
    return [
        CommentTopic(
            organisation_id=analysis.organisation_id,
            analysis=analysis,
            kind=kind,
            code=code,
            sentiment_score=result.score,
        )
        for kind, codes in ((CommentTopic.Kind.ELEMENT, result.elements), (CommentTopic.Kind.THEME, result.themes))
        for code in codes
    ]


@transaction.atomic
def _store_chunk(answers: list[Answer]) -> list[CommentAnalysis]:
    """Replace the analyses of a chunk of comments: a few queries for the whole chunk."""
    results = [comment_analyse(a.text, fallback_language=a.response.language) for a in answers]
    CommentAnalysis.objects.filter(answer__in=answers).delete()
    analyses = CommentAnalysis.objects.bulk_create([_analysis_row(a, r) for a, r in zip(answers, results, strict=True)])
    CommentTopic.objects.bulk_create(
        [topic for analysis, result in zip(analyses, results, strict=True) for topic in _topic_rows(analysis, result)]
    )
    return analyses


def comment_analysis_store(*, answer: Answer) -> CommentAnalysis | None:
    """Analyse and store one comment. A failure is recorded on the comment and never raised."""
    try:
        return _store_chunk([answer])[0]
    except Exception as error:  # noqa: BLE001 - one bad comment must never stop a batch or a submit
        logger.exception("comment analysis failed for answer %s", answer.pk)
        analysis, _created = CommentAnalysis.objects.update_or_create(
            answer=answer,
            defaults={
                "organisation_id": answer.response.organisation_id,
                "response_id": answer.response_id,
                "status": CommentAnalysis.Status.FAILED,
                "note": str(error)[:200],
            },
        )
        return analysis


def comments_analyse_for_response(*, response_id: int) -> BatchResult:
    response = Response.objects.filter(pk=response_id).only("organisation_id").first()
    if response is None:
        return BatchResult(0, 0)
    answers = comment_answers(organisation_id=response.organisation_id).filter(response_id=response_id)
    return _analyse_all(answers)


def comments_to_analyse(*, organisation_id: int, everything: bool = False) -> QuerySet[Answer]:
    answers = comment_answers(organisation_id=organisation_id)
    if not everything:
        answers = answers.filter(
            Q(text_analysis__isnull=True) | Q(text_analysis__analyser_version__lt=ANALYSER_VERSION)
        )
    return answers.order_by("pk")


CHUNK = 500


def _analyse_all(answers: Iterable[Answer], progress: Callable[[int], None] | None = None) -> BatchResult:
    """Analyse in chunks; a chunk that fails is redone comment by comment so one bad item stops nothing."""
    analysed = failed = 0
    chunk: list[Answer] = []

    def flush() -> None:
        nonlocal analysed, failed
        try:
            analysed += len(_store_chunk(chunk))
        except Exception:  # noqa: BLE001
            for answer in chunk:
                analysis = comment_analysis_store(answer=answer)
                if analysis is None or analysis.status == CommentAnalysis.Status.FAILED:
                    failed += 1
                else:
                    analysed += 1
        if progress:
            progress(len(chunk))
        chunk.clear()

    for answer in answers:
        chunk.append(answer)
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return BatchResult(analysed, failed)


def comments_analyse(
    *, organisation_id: int, everything: bool = False, progress: Callable[[int], None] | None = None
) -> BatchResult:
    """(Re-)analyse an organisation's comments: new and outdated ones, or with `everything` all of them."""
    answers = comments_to_analyse(organisation_id=organisation_id, everything=everything)
    return _analyse_all(answers.iterator(chunk_size=CHUNK), progress)


# A queued or running run not heard of for this long lost its worker; a new request replaces it.
RUN_STALE_AFTER = timedelta(minutes=15)
RUN_BATCH = CHUNK  # comments per batch of a run: its progress is recorded after each batch


def comment_run_request(
    *, organisation_id: int, user=None, everything: bool = True
) -> tuple[TextAnalysisRun | None, bool]:
    """Start a background (re-)analysis, or return the one under way (created: False).

    `everything`: every comment (the theme view's button); otherwise only comments not analysed yet, as
    after a bulk import, which asks a run already under way for one more pass instead of a second run
    (and starts none when there is nothing to analyse).
    """
    with transaction.atomic():
        active = (
            TextAnalysisRun.objects.select_for_update()
            .filter(organisation_id=organisation_id, status__in=TextAnalysisRun.ACTIVE)
            .first()
        )
        if active is not None and active.updated_at < timezone.now() - RUN_STALE_AFTER:
            active.status, active.note, active.finished_at = TextAnalysisRun.Status.FAILED, "stalled", timezone.now()
            active.save(update_fields=["status", "note", "finished_at", "updated_at"])
            active = None
        if active is not None:
            if not everything and not active.more_requested:
                active.more_requested = True
                active.save(update_fields=["more_requested", "updated_at"])
            return active, False
        total = comments_to_analyse(organisation_id=organisation_id, everything=everything).count()
        if not everything and not total:
            return None, False
        run = TextAnalysisRun.objects.create(
            organisation_id=organisation_id,
            everything=everything,
            total=total,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: _run_enqueue(run.pk))
    return run, True


def _run_enqueue(run_id: int) -> None:
    from .tasks import reanalyse_comments

    try:
        reanalyse_comments.enqueue(run_id)
    except Exception:  # noqa: BLE001 - the run stays queued and is replaced once stale
        logger.exception("could not enqueue text analysis run %s", run_id)


def comment_run_execute(*, run_id: int, batch_size: int | None = None) -> TextAnalysisRun | None:
    """The background run: batches of comments, progress recorded after each batch."""
    claimed = TextAnalysisRun.objects.filter(pk=run_id, status=TextAnalysisRun.Status.QUEUED).update(
        status=TextAnalysisRun.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:  # already run, or replaced as stale
        return TextAnalysisRun.objects.filter(pk=run_id).first()
    run = TextAnalysisRun.objects.get(pk=run_id)
    everything, batch_size = run.everything, batch_size or RUN_BATCH
    try:
        while True:
            _run_pass(run, everything=everything, batch_size=batch_size)
            with transaction.atomic():
                run = TextAnalysisRun.objects.select_for_update().get(pk=run_id)
                if not run.more_requested:
                    run.status, run.finished_at = TextAnalysisRun.Status.DONE, timezone.now()
                    run.total = max(run.total, run.processed)
                    run.save(update_fields=["status", "finished_at", "total", "updated_at"])
                    return run
                run.more_requested = False
                run.save(update_fields=["more_requested", "updated_at"])
            everything = False  # the extra pass: comments that arrived meanwhile
    except Exception as error:
        logger.exception("text analysis run %s failed", run_id)
        TextAnalysisRun.objects.filter(pk=run_id).update(
            status=TextAnalysisRun.Status.FAILED, note=str(error)[:200], finished_at=timezone.now()
        )
        raise


def _run_pass(run: TextAnalysisRun, *, everything: bool, batch_size: int) -> None:
    answers = comments_to_analyse(organisation_id=run.organisation_id, everything=everything)
    # Comments that arrive during the pass wait for the next one, so the bar's total holds.
    last_pk = answers.aggregate(last=Max("pk"))["last"]
    if last_pk is None:
        return
    answers = answers.filter(pk__lte=last_pk)
    TextAnalysisRun.objects.filter(pk=run.pk).update(total=F("processed") + answers.count(), updated_at=timezone.now())
    after = 0
    while batch := list(answers.filter(pk__gt=after)[:batch_size]):
        after = batch[-1].pk
        result = _analyse_all(batch)
        TextAnalysisRun.objects.filter(pk=run.pk).update(
            processed=F("processed") + len(batch), failed=F("failed") + result.failed, updated_at=timezone.now()
        )


@transaction.atomic
def transcript_import(*, encounter: Encounter, text: str, user=None) -> TranscriptAnalysis:
    """Attach a transcript to an encounter and compute its metrics; ValidationError says what is wrong."""
    names = tuple(n for n in [getattr(encounter.person, "name", "")] if n)
    try:
        fmt, turns = transcript_parse(text, employee_names=names)
    except TranscriptError as error:
        message = _("Line %(line)s: %(error)s") % {"line": error.line, "error": error.args[0]} if error.line else None
        raise ValidationError(message or _("The transcript cannot be read: %(error)s") % {"error": error}) from None
    Encounter.objects.filter(pk=encounter.pk).update(transcript=text)
    analysis, _created = TranscriptAnalysis.objects.update_or_create(
        encounter=encounter,
        defaults={
            "organisation_id": encounter.organisation_id,
            "format": fmt,
            "turns": [t.as_dict() for t in turns],
            "metrics": transcript_metrics(turns),
            "imported_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return analysis
