"""A visit's report: drafts, evidence uploads, validated submit, QA (comments, corrections, return, approve)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Assignment,
    ChecklistItem,
    Correction,
    Evidence,
    Report,
    ReportAnswer,
    ReportPartScore,
    ReviewComment,
)
from .scoring import ItemAnswer, scorecard

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)
REPORT_FIELDS = ("visit_started_at", "visit_ended_at", "waiting_minutes", "staff_description", "notes")


def report_for_assignment(*, assignment: Assignment) -> Report:
    if assignment.status not in (
        Assignment.Status.ACCEPTED,
        Assignment.Status.SUBMITTED,
        Assignment.Status.RETURNED,
        Assignment.Status.APPROVED,
    ):
        raise ValidationError(_("Accept the assignment first."))
    report, _created = Report.objects.get_or_create(
        assignment=assignment, defaults={"scenario": assignment.wave.scenario}
    )
    return report


def scenario_items(report: Report) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(section__scenario_id=report.scenario_id).select_related("section"))


def _answer_from(item: ChecklistItem, raw: str | None) -> tuple[int | None, bool, str]:
    """(value, not applicable, text) from a form value: "yes", "no", "na", a scale number or text."""
    raw = (raw or "").strip()
    if item.kind == ChecklistItem.Kind.TEXT:
        return None, False, raw
    if raw == "":
        return None, False, ""
    if raw == "na" and item.kind == ChecklistItem.Kind.YES_NO_NA:
        return None, True, ""
    if item.kind in (ChecklistItem.Kind.YES_NO, ChecklistItem.Kind.YES_NO_NA) and raw in ("yes", "no"):
        return (1 if raw == "yes" else 0), False, ""
    if item.kind == ChecklistItem.Kind.SCALE and raw.lstrip("-").isdigit():
        value = int(raw)
        if item.scale_min <= value <= item.scale_max:
            return value, False, ""
    raise ValidationError(_("“%(item)s”: not a valid answer.") % {"item": item.text})


def answer_form_value(answer: ReportAnswer | None) -> str:
    if answer is None:
        return ""
    if answer.not_applicable:
        return "na"
    if answer.item.kind == ChecklistItem.Kind.TEXT:
        return answer.text
    if answer.value is None:
        return ""
    if answer.item.kind == ChecklistItem.Kind.SCALE:
        return str(answer.value)
    return "yes" if answer.value else "no"


@transaction.atomic
def report_save_draft(*, report: Report, fields: dict, answers: dict[int, str]) -> Report:
    """Store what the shopper has entered so far; nothing is validated for completeness yet."""
    if report.status not in EDITABLE:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    for name in REPORT_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report.save()
    items = {i.pk: i for i in scenario_items(report)}
    for item_id, raw in answers.items():
        item = items.get(item_id)
        if item is None:
            continue
        value, na, text = _answer_from(item, raw)
        ReportAnswer.objects.update_or_create(
            report=report, item=item, defaults={"value": value, "not_applicable": na, "text": text}
        )
    return report


def _detect_media(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) from the file's first bytes; never trusts the name or the browser."""
    if head.startswith(b"\xff\xd8\xff"):
        return Evidence.Kind.PHOTO, "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Evidence.Kind.PHOTO, "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Evidence.Kind.PHOTO, "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Evidence.Kind.AUDIO, "audio/wav"
    if head.startswith(b"OggS"):
        return Evidence.Kind.AUDIO, "audio/ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return Evidence.Kind.AUDIO, "audio/mpeg"
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"M4B", b"mp4", b"iso"):
        return Evidence.Kind.AUDIO, "audio/mp4"
    return None


def evidence_retain_until(assignment: Assignment) -> dt.date:
    return assignment.wave.ends_on + dt.timedelta(days=assignment.wave.evidence_retain_days)


def evidence_add(*, report: Report, upload) -> Evidence:
    if report.status not in EDITABLE:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is too large: at most 10 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = _detect_media(head)
    if detected is None:
        raise ValidationError(_("Only photos (JPEG, PNG, WebP) and audio (MP3, M4A, OGG, WAV) are accepted."))
    kind, content_type = detected
    evidence = Evidence(
        report=report,
        kind=kind,
        content_type=content_type,
        original_name=upload.name[:200],
        size=upload.size,
        retain_until=evidence_retain_until(report.assignment),
    )
    extension = content_type.split("/")[1]
    evidence.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}.{extension}", upload, save=False)
    evidence.save()
    return evidence


def evidence_remove(*, evidence: Evidence) -> None:
    if evidence.report.status not in EDITABLE:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    evidence.file.delete(save=False)
    evidence.delete()


def evidence_purge_expired(*, today: dt.date) -> int:
    """Delete evidence files past their retention date. Returns how many were deleted."""
    expired = list(Evidence.objects.filter(retain_until__lt=today))
    for evidence in expired:
        evidence.file.delete(save=False)
        evidence.delete()
    return len(expired)


def report_problems(report: Report) -> list[str]:
    """What keeps a report from being submitted: window, required evidence, consistent times, answers."""
    assignment, scenario = report.assignment, report.scenario
    problems = []
    start, end = report.visit_started_at, report.visit_ended_at
    if scenario.require_visit_times and (start is None or end is None):
        problems.append(_("Give the visit's start and end time."))
    if start and end and end <= start:
        problems.append(_("The visit must end after it started."))
    if start:
        day = timezone.localtime(start).date()
        if not assignment.window_start <= day <= assignment.window_end:
            problems.append(
                _("The visit (%(day)s) is outside the assignment window %(start)s–%(end)s.")
                % {"day": day, "start": assignment.window_start, "end": assignment.window_end}
            )
        if start > timezone.now():
            problems.append(_("The visit cannot start in the future."))
    if scenario.require_waiting_time and report.waiting_minutes is None:
        problems.append(_("Give the waiting time."))
    if (
        start
        and end
        and report.waiting_minutes is not None
        and report.waiting_minutes * 60 > (end - start).total_seconds()
    ):
        problems.append(_("The waiting time is longer than the whole visit."))
    if scenario.require_staff_description and not report.staff_description.strip():
        problems.append(_("Describe the staff member who served you."))
    if scenario.require_media and not report.evidence.exists():
        problems.append(_("Attach a photo or an audio file."))
    answered = {a.item_id for a in report.answers.all() if a.not_applicable or a.value is not None or a.text.strip()}
    for item in scenario_items(report):
        if item.kind != ChecklistItem.Kind.TEXT and item.pk not in answered:
            problems.append(_("Answer “%(item)s”.") % {"item": item.text})
    return problems


@transaction.atomic
def report_score(*, report: Report) -> Report:
    """(Re)compute a report's score, its section and dimension scores and each answer's points."""
    answers = {a.item_id: a for a in report.answers.all()}
    rows = []
    for item in scenario_items(report):
        answer = answers.get(item.pk)
        rows.append(
            ItemAnswer(
                item_id=item.pk,
                section_id=item.section_id,
                dimension_id=item.dimension_id,
                kind=item.kind,
                weight=float(item.weight),
                value=answer.value if answer else None,
                not_applicable=answer.not_applicable if answer else False,
                scale_min=item.scale_min,
                scale_max=item.scale_max,
                critical=item.critical,
                integrity=item.integrity,
            )
        )
    card = scorecard(answers=rows, critical_fails_visit=report.scenario.critical_fails_visit)
    for item_id, answer in answers.items():
        answer.points = card.points.get(item_id)
    ReportAnswer.objects.bulk_update(answers.values(), ["points"])
    report.part_scores.all().delete()
    ReportPartScore.objects.bulk_create(
        [ReportPartScore(report=report, section_id=k, score=v) for k, v in card.sections.items()]
        + [ReportPartScore(report=report, dimension_id=k, score=v) for k, v in card.dimensions.items()]
    )
    report.score, report.raw_score = card.score, card.raw_score
    report.critical_failed, report.integrity_failed = card.critical_failed, card.integrity_failed
    report.save(update_fields=["score", "raw_score", "critical_failed", "integrity_failed", "updated_at"])
    return report


def _set_status(report: Report, report_status: str, assignment_status: str) -> None:
    report.status = report_status
    report.save(update_fields=["status", "submitted_at", "approved_at", "approved_by", "updated_at"])
    Assignment.objects.filter(pk=report.assignment_id).update(status=assignment_status)


@transaction.atomic
def report_submit(*, report: Report) -> Report:
    if report.status not in EDITABLE:
        return report  # a repeated submit keeps the stored result
    problems = report_problems(report)
    if problems:
        raise ValidationError(problems)
    report_score(report=report)
    report.submitted_at = timezone.now()
    _set_status(report, Report.Status.SUBMITTED, Assignment.Status.SUBMITTED)
    return report


def _require_in_qa(report: Report) -> None:
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a report waiting in QA can be reviewed."))


def report_comment(*, report: Report, author, text: str, returned: bool = False) -> ReviewComment:
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    return ReviewComment.objects.create(report=report, author=author, text=text.strip(), returned=returned)


@transaction.atomic
def report_correct(*, report: Report, reviewer, answers: dict[int, str], fields: dict, reason: str) -> list[Correction]:
    """A reviewer's corrections, each kept in the audit trail; the scores are recomputed."""
    _require_in_qa(report)
    if not reason.strip():
        raise ValidationError(_("Say why you correct the report."))
    corrections = []
    for name, new in fields.items():
        old = getattr(report, name)
        if old != new:
            corrections.append(
                Correction(
                    report=report,
                    changed_by=reviewer,
                    field=name,
                    old_value=_text(old),
                    new_value=_text(new),
                    reason=reason,
                )
            )
            setattr(report, name, new)
    report.save()
    existing = {a.item_id: a for a in report.answers.select_related("item")}
    for item in scenario_items(report):
        if item.pk not in answers:
            continue
        old_value = answer_form_value(existing.get(item.pk))
        value, na, text = _answer_from(item, answers[item.pk])
        new_answer = ReportAnswer(item=item, value=value, not_applicable=na, text=text)
        if answer_form_value(new_answer) == old_value:
            continue
        ReportAnswer.objects.update_or_create(
            report=report, item=item, defaults={"value": value, "not_applicable": na, "text": text}
        )
        corrections.append(
            Correction(
                report=report,
                changed_by=reviewer,
                field=f"item:{item.pk} {item.text}"[:200],
                old_value=old_value,
                new_value=answer_form_value(new_answer),
                reason=reason,
            )
        )
    Correction.objects.bulk_create(corrections)
    report_score(report=report)
    return corrections


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return "" if value is None else str(value)


@transaction.atomic
def report_return(*, report: Report, reviewer, comment: str) -> Report:
    _require_in_qa(report)
    report_comment(report=report, author=reviewer, text=comment, returned=True)
    _set_status(report, Report.Status.RETURNED, Assignment.Status.RETURNED)
    return report


@transaction.atomic
def report_approve(*, report: Report, reviewer) -> Report:
    _require_in_qa(report)
    report.approved_at = timezone.now()
    report.approved_by = reviewer
    _set_status(report, Report.Status.APPROVED, Assignment.Status.APPROVED)
    return report
