"""Writes of text analytics: analysing comments and importing transcripts.

Only customers' comments are analysed (respondent role "customer"): comments of 360 raters, staff or
management stay out of text analytics altogether, so no theme view can ever surface them.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kohtaamo.feedback.models import Answer, Encounter, RespondentRole, Response
from kohtaamo.instruments.models import Question

from .analysis import ANALYSER_VERSION, comment_analyse
from .models import CommentAnalysis, CommentTopic, TranscriptAnalysis
from .transcripts import TranscriptError, transcript_metrics, transcript_parse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchResult:
    analysed: int
    failed: int


def comment_answers(*, organisation_id: int) -> QuerySet[Answer]:
    """Customers' non-empty open comments of submitted responses."""
    return (
        Answer.objects.filter(
            response__organisation_id=organisation_id,
            response__status=Response.Status.SUBMITTED,
            response__respondent_role=RespondentRole.CUSTOMER,
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
        emotions=list(result.emotions),
        truncated=result.truncated,
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
