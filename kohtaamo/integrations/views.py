from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kohtaamo.instruments.models import Framework, Item
from kohtaamo.organisations.decorators import organisation_view

from . import exports, limesurvey
from .models import Event, Webhook, WebhookDelivery
from .services import webhook_create

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


class WebhookForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Target URL"), assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )


class LssUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("LimeSurvey structure file (.lss)"))
    key = forms.SlugField(label=gettext_lazy("Questionnaire key"), initial="limesurvey")


def _webhooks(scope):
    return Webhook.objects.filter(organisation=scope.organisation)


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def index(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook_create(organisation=request.scope.organisation, **form.cleaned_data)
        messages.success(request, _("Webhook added."))
        return redirect("integrations:index", org=request.scope.organisation.slug)
    context = {
        "form": form,
        "webhooks": _webhooks(request.scope),
        "deliveries": WebhookDelivery.objects.filter(webhook__in=_webhooks(request.scope))
        .select_related("webhook")
        .prefetch_related("attempt_log")[:50],
        "lss_form": LssUploadForm(),
        "formats": exports.FORMATS,
    }
    return render(request, "integrations/index.html", context)


@organisation_view(managers_only=True)
def export(request, fmt: str):
    if fmt not in exports.FORMATS:
        return HttpResponse(status=404)
    data = exports.export_bytes(scope=request.scope, fmt=fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="responses.{fmt}"'
    return response


@organisation_view(managers_only=True)
@require_POST
def lss_import(request):
    """Step 1 uploads the file and shows the mapping; step 2 (with `xml`) creates the questionnaire."""
    framework = Framework.objects.order_by("-version").first()
    items = list(Item.objects.filter(framework=framework).order_by("code"))
    if "xml" in request.POST:
        data = request.POST["xml"].encode()
    else:
        upload = LssUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            messages.error(request, _("Choose a .lss file."))
            return redirect("integrations:index", org=request.scope.organisation.slug)
        data = upload.cleaned_data["file"].read()
    try:
        survey = limesurvey.lss_parse(data)
    except limesurvey.LssError as exc:
        messages.error(request, str(exc))
        return redirect("integrations:index", org=request.scope.organisation.slug)
    key = request.POST.get("key") or "limesurvey"
    if "xml" in request.POST:
        by_code = {item.code: item for item in items}
        mapping = {q.code: by_code.get(request.POST.get(f"map-{q.code}", "")) for q in survey.questions}
        questionnaire, skipped = limesurvey.questionnaire_import_lss(
            organisation=request.scope.organisation, framework=framework, survey=survey, mapping=mapping, key=key
        )
        messages.success(
            request,
            _("Questionnaire “%(name)s” v%(version)s created with %(count)s questions; skipped: %(skipped)s.")
            % {
                "name": questionnaire.name,
                "version": questionnaire.version,
                "count": questionnaire.questions.count(),
                "skipped": ", ".join(skipped) or "–",
            },
        )
        return redirect("integrations:index", org=request.scope.organisation.slug)
    context = {"survey": survey, "items": items, "xml": data.decode("utf-8", "replace"), "key": key}
    return render(request, "integrations/lss_map.html", context)
