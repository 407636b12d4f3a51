"""Managers' pages: the organisation's widgets, and one widget's settings, snippet and preview."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kohtaamo.feedback.selectors import pulse_programme_for
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.instruments.models import Perspective, pick_language
from kohtaamo.organisations.decorators import organisation_view

from .forms import WidgetForm
from .selectors import widget_for, widget_is_live, widget_questions, widget_touchpoints, widgets_with_counts
from .services import widget_create, widget_update


def _programme(scope):
    return pulse_programme_for(organisation=scope.organisation) or pulse_programme_ensure(
        organisation=scope.organisation
    )


def script_url(widget) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse("widget_public:script", kwargs={"public_key": widget.public_key})


@organisation_view(managers_only=True)
def index(request):
    scope = request.scope
    programme = _programme(scope)
    touchpoints = widget_touchpoints(scope=scope)
    form = WidgetForm(
        request.POST if request.method == "POST" else None,
        questionnaire_id=programme.questionnaire_id,
        touchpoints=touchpoints,
        initial={"item": _default_item(programme)},
    )
    if request.method == "POST" and form.is_valid():
        widget = widget_create(organisation=scope.organisation, programme=programme, **form.cleaned_data)
        messages.success(request, _("The widget was created. Paste the snippet into your pages."))
        return redirect("widget:detail", org=scope.organisation.slug, widget_id=widget.pk)
    context = {
        "widgets": [
            (widget, pick_language(widget.item.texts.get(Perspective.CUSTOMER, {})))
            for widget in widgets_with_counts(scope=scope)
        ],
        "form": form,
        "has_touchpoints": touchpoints.exists(),
    }
    return render(request, "widget/index.html", context, status=400 if form.errors else 200)


def _default_item(programme) -> int | None:
    """CSAT is the usual one-question prompt."""
    question = programme.questionnaire.questions.filter(item__code__startswith="csat").first()
    return question.item_id if question else None


@organisation_view(managers_only=True)
def detail(request, widget_id: int):
    scope = request.scope
    widget = widget_for(scope=scope, widget_id=widget_id)
    if widget is None:
        raise Http404
    form = WidgetForm(
        request.POST if request.method == "POST" else None,
        questionnaire_id=widget.round.questionnaire_id,
        initial=WidgetForm.initial_for(widget),
    )
    if request.method == "POST" and form.is_valid():
        widget_update(widget=widget, **form.cleaned_data)
        messages.success(request, _("The widget settings were saved."))
        return redirect("widget:detail", org=scope.organisation.slug, widget_id=widget.pk)
    questions = widget_questions(widget=widget)
    url = script_url(widget)
    context = {
        "widget": widget,
        "form": form,
        "snippet": f'<script src="{url}" async></script>',
        "preview_url": reverse("widget_public:script", kwargs={"public_key": widget.public_key}) + "?preview=1",
        "live": widget_is_live(widget=widget, questions=questions),
        "question_missing": questions.scale is None,
    }
    return render(request, "widget/detail.html", context, status=400 if form.errors else 200)
