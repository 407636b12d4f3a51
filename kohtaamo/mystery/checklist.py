"""The checklist as a form: one field per item, named item-<id>, shared by the shopper, QA and calibration."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ChecklistItem, ReportAnswer
from .visits import answer_form_value


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItem
    value: str
    choices: list[tuple[str, str]]


def _choices(item: ChecklistItem) -> list[tuple[str, str]]:
    if item.kind == ChecklistItem.Kind.SCALE:
        return [(str(v), str(v)) for v in range(item.scale_min, item.scale_max + 1)]
    if item.kind == ChecklistItem.Kind.TEXT:
        return []
    choices = [("yes", _("Yes")), ("no", _("No"))]
    if item.kind == ChecklistItem.Kind.YES_NO_NA:
        choices.append(("na", _("Not applicable")))
    return choices


def checklist_rows(items: list[ChecklistItem], answers: dict[int, ReportAnswer]) -> list[tuple[str, list]]:
    """[(section title, [ChecklistRow, …]), …] in checklist order."""
    sections: dict[int, tuple[str, list]] = {}
    for item in items:
        rows = sections.setdefault(item.section_id, (item.section.title, []))[1]
        rows.append(ChecklistRow(item=item, value=answer_form_value(answers.get(item.pk)), choices=_choices(item)))
    return list(sections.values())


def answers_from_post(post, items: list[ChecklistItem]) -> dict[int, str]:
    return {item.pk: post[f"item-{item.pk}"] for item in items if f"item-{item.pk}" in post}
