"""Reads for web feedback widgets: the managers' list (scoped) and the public look-up by key."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kohtaamo.instruments.models import Item, Question
from kohtaamo.organisations.models import Channel, Touchpoint
from kohtaamo.organisations.selectors import Scope, restrict, touchpoints_visible

from .models import Widget


@dataclass(frozen=True)
class WidgetQuestions:
    """The questions a widget asks, taken from its programme's current questionnaire version."""

    scale: Question | None  # None: the item is no longer in the questionnaire, so the widget shows nothing
    comment: Question | None


def widgets_for(*, scope: Scope) -> QuerySet[Widget]:
    qs = Widget.objects.select_related("touchpoint__stage__service_path", "item", "round")
    return restrict(qs, scope=scope, unit_field="touchpoint__owner_unit", person_field=None)


def widgets_with_counts(*, scope: Scope) -> QuerySet[Widget]:
    return widgets_for(scope=scope).annotate(answer_count=Count("answers")).order_by("touchpoint__name", "pk")


def widget_for(*, scope: Scope, widget_id: int) -> Widget | None:
    return widgets_with_counts(scope=scope).filter(pk=widget_id).first()


def widget_by_public_key(*, public_key: str) -> Widget | None:
    """The public endpoints' look-up: the key itself names the organisation."""
    return Widget.objects.select_related("round", "organisation", "touchpoint").filter(public_key=public_key).first()


def widget_touchpoints(*, scope: Scope) -> QuerySet[Touchpoint]:
    """Web self-service touchpoints (a widget's answers count for the web channel) without a widget yet."""
    return (
        touchpoints_visible(scope=scope)
        .filter(channel=Channel.WEB, widgets__isnull=True)
        .order_by("stage__service_path__name", "name")
    )


def widget_items(*, questionnaire_id: int) -> QuerySet[Item]:
    """Scale items the programme's questionnaire asks (CSAT, NPS, CES, emotion, element items)."""
    return Item.objects.filter(questions__questionnaire_id=questionnaire_id).order_by("questions__order")


def widget_questions(*, widget: Widget) -> WidgetQuestions:
    rows = list(
        Question.objects.filter(questionnaire_id=widget.round.questionnaire_id)
        .filter(Q(item_id=widget.item_id) | Q(kind=Question.Kind.OPEN))
        .order_by("order")
    )
    scale = next((q for q in rows if q.item_id == widget.item_id), None)
    comment = next((q for q in rows if q.kind == Question.Kind.OPEN), None) if widget.ask_comment else None
    return WidgetQuestions(scale=scale, comment=comment)


def widget_is_live(*, widget: Widget, questions: WidgetQuestions) -> bool:
    """Shown and answerable: switched on, its programme collecting, and its question still asked."""
    return widget.active and widget.round.active and questions.scale is not None
