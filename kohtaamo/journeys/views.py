import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.models import Stage, Touchpoint
from kohtaamo.reports.pdf import pdf_render, pdf_response
from kohtaamo.reports.svg_journeys import journey_map_png, journey_map_svg

from . import charts, services
from .flows import path_flows
from .forms import JourneyFilterForm, PersonaForm, ServicePathForm, StageForm, TouchpointForm
from .models import JourneyVersion
from .selectors import (
    JourneyFilter,
    journey_map,
    service_path_for,
    service_paths_visible,
    stages_with_touchpoints,
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@organisation_view
def index(request):
    scope = request.scope
    form = ServicePathForm(request.POST or None)
    if request.method == "POST":
        if not scope.can_manage:
            raise Http404
        if form.is_valid():
            path = services.service_path_create(
                organisation=scope.organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                user=request.user,
            )
            return redirect("journeys:editor", org=scope.organisation.slug, path_id=path.pk)
    paths = service_paths_visible(scope=scope)
    return render(request, "journeys/index.html", {"paths": paths, "form": form})


def _filters(request, path) -> tuple[JourneyFilterForm, JourneyFilter]:
    form = JourneyFilterForm(request.GET or None, scope=request.scope, service_path=path)
    filters = form.journey_filter() if form.is_valid() else JourneyFilter()
    return form, filters


@organisation_view
def map_view(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters)
    cards = {c.touchpoint.pk: c for c in journey.cards}
    drivers = [(d, cards[d.key]) for d in (journey.drivers.drivers if journey.drivers else [])]
    return render(
        request,
        "journeys/map.html",
        {
            "path": path,
            "form": form,
            "journey": journey,
            "drivers": drivers,
            "emotion_chart": charts.emotion_chart(journey=journey),
            "query": request.GET.urlencode(),
        },
    )


@organisation_view
def flows_view(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters, with_drivers=False)
    flows = path_flows(scope=request.scope, service_path=path, filters=filters)
    names = {c.touchpoint.pk: c.touchpoint.name for c in journey.cards}
    tones = {c.touchpoint.pk: c.tone for c in journey.cards}
    common = [
        {"names": [names.get(t, "?") for t in p.touchpoints], "customers": p.customers, "share": p.share}
        for p in flows.common
    ]
    ends = [
        {"card": c, "ended": flows.ended_after(c.touchpoint.pk), "started": flows.starts.get(c.touchpoint.pk, 0)}
        for c in journey.cards
    ]
    return render(
        request,
        "journeys/flows.html",
        {
            "path": path,
            "form": form,
            "flows": flows,
            "common": common,
            "ends": ends,
            "chart": charts.flow_chart(flows=flows, names=names, tones=tones) if flows.customers else "",
            "query": request.GET.urlencode(),
        },
    )


@organisation_view
def quality_view(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters, with_drivers=False)
    return render(
        request,
        "journeys/quality.html",
        {"path": path, "form": form, "journey": journey, "query": request.GET.urlencode()},
    )


def _export_name(path, extension: str) -> str:
    return f"{slugify(path.name) or 'service-path'}.{extension}"


@organisation_view
def export_pdf(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    _form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters)
    pdf = pdf_render(
        template="journeys/map_pdf.html",
        context={"path": path, "journey": journey, "map_svg": journey_map_svg(journey=journey)},
        request=request,
    )
    return pdf_response(pdf=pdf, filename=_export_name(path, "pdf"))


@organisation_view
def export_png(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    _form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters)
    response = HttpResponse(journey_map_png(journey=journey), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(path, "png")}"'
    return response


@organisation_view
def export_csv(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    _form, filters = _filters(request, path)
    journey = journey_map(scope=request.scope, service_path=path, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(path, "csv")}"'
    writer = csv.writer(response)
    header = ["stage", "touchpoint_id", "touchpoint", "channel", "archived", "responses"]
    for key in ("csat", "eqi", "nps"):
        header += [key, f"{key}_n", f"{key}_ci_low", f"{key}_ci_high"]
    header += ["lowest", "moment_of_truth", "driver_weight", "driver_ci_low", "driver_ci_high"]
    writer.writerow(header)
    weights = {d.key: d for d in (journey.drivers.drivers if journey.drivers else [])}

    def number(value):
        return "" if value is None else f"{value:.2f}"

    for column in journey.columns:
        for card in column.cards:
            row = [column.stage.name, card.touchpoint.pk, card.touchpoint.name, card.touchpoint.channel]
            row += [int(card.archived), card.responses]
            for key in ("csat", "eqi", "nps"):
                estimate = card.figures.get(key)
                row += (
                    [number(estimate.value), estimate.n, number(estimate.ci_low), number(estimate.ci_high)]
                    if estimate
                    else ["", 0, "", ""]
                )
            driver = weights.get(card.touchpoint.pk)
            row += [int(card.lowest), int(card.moment_of_truth)]
            row += [number(driver.weight), number(driver.ci_low), number(driver.ci_high)] if driver else ["", "", ""]
            writer.writerow(row)
    return response


# --- the editor -----------------------------------------------------------------------------------


def _editor_context(request, path, *, error: str = "") -> dict:
    scope = request.scope
    return {
        "path": path,
        "stages": stages_with_touchpoints(service_path=path),
        "personas": path.personas.all(),
        "versions": JourneyVersion.objects.filter(service_path=path).select_related("created_by")[:20],
        "persona_form": PersonaForm(prefix="persona"),
        "stage_form": StageForm(prefix="stage"),
        "touchpoint_form": TouchpointForm(scope=scope, service_path=path, prefix="touchpoint"),
        "error": error,
    }


@organisation_view(managers_only=True)
def editor(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    return render(request, "journeys/editor.html", _editor_context(request, path))


def _stage_of(path, pk) -> Stage:
    stage = path.stages.filter(pk=pk).first()
    if stage is None:
        raise Http404
    return stage


def _touchpoint_of(path, pk) -> Touchpoint:
    touchpoint = (
        Touchpoint.objects.filter(pk=pk, stage__service_path=path).select_related("stage__service_path").first()
    )
    if touchpoint is None:
        raise Http404
    return touchpoint


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
    )


def _do(request, path, action: str) -> str:
    """Run one editor action; returns a message to show."""
    post, user = request.POST, request.user
    if action == "persona-add":
        form = PersonaForm(post, prefix="persona")
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.persona_create(
            service_path=path,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            segments=form.segment_list(),
            user=user,
        )
        return _("Persona added.")
    if action == "persona-delete":
        persona = path.personas.filter(pk=post.get("id")).first()
        if persona is None:
            raise Http404
        services.persona_delete(persona=persona, user=user)
        return _("Persona removed.")
    if action == "stage-add":
        form = StageForm(post, prefix="stage")
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.stage_create(service_path=path, name=form.cleaned_data["name"], user=user)
        return _("Stage added.")
    if action == "stage-delete":
        outcome = services.stage_delete(stage=_stage_of(path, post.get("id")), user=user)
        return (
            _("The stage has responses, so it was archived, not deleted.")
            if outcome == "archived"
            else _("Stage deleted.")
        )
    if action == "stage-restore":
        services.stage_restore(stage=_stage_of(path, post.get("id")), user=user)
        return _("Stage restored.")
    if action in ("stage-up", "stage-down"):
        services.stage_move(
            stage=_stage_of(path, post.get("id")), direction=-1 if action == "stage-up" else 1, user=user
        )
        return _("Stage moved.")
    if action == "stages-reorder":
        services.stages_reorder(
            service_path=path, stage_ids=[x for x in post.get("ids", "").split(",") if x], user=user
        )
        return _("Stages reordered.")
    if action == "touchpoints-reorder":
        services.touchpoints_reorder(
            stage=_stage_of(path, post.get("stage")),
            touchpoint_ids=[x for x in post.get("ids", "").split(",") if x],
            user=user,
        )
        return _("Touchpoints reordered.")
    if action == "touchpoint-add":
        form = TouchpointForm(post, scope=request.scope, service_path=path, prefix="touchpoint")
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        data = form.cleaned_data
        services.touchpoint_create(
            service_path=path,
            stage=data["stage"],
            name=data["name"],
            code=data["code"],
            channel=data["channel"],
            owner_unit=data["owner_unit"],
            customer_value=data["customer_value"],
            user=user,
        )
        return _("Touchpoint added.")
    touchpoint = _touchpoint_of(path, post.get("id"))
    if action == "touchpoint-edit":
        form = TouchpointForm(post, scope=request.scope, service_path=path)
        form.fields["stage"].required = False
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        data = form.cleaned_data
        services.touchpoint_update(
            touchpoint=touchpoint,
            name=data["name"],
            channel=data["channel"],
            owner_unit=data["owner_unit"],
            customer_value=data["customer_value"],
            user=user,
        )
        return _("Touchpoint saved.")
    if action == "touchpoint-delete":
        outcome = services.touchpoint_delete(touchpoint=touchpoint, user=user)
        if outcome == "archived":
            return _("The touchpoint has responses or encounters, so it was archived, not deleted.")
        return _("Touchpoint deleted.")
    if action == "touchpoint-restore":
        services.touchpoint_restore(touchpoint=touchpoint, user=user)
        return _("Touchpoint restored.")
    if action in ("touchpoint-up", "touchpoint-down"):
        services.touchpoint_move(touchpoint=touchpoint, direction=-1 if action == "touchpoint-up" else 1, user=user)
        return _("Touchpoint moved.")
    raise Http404


EDITOR_ACTIONS = [
    "persona-add",
    "persona-delete",
    "stage-add",
    "stage-delete",
    "stage-restore",
    "stage-up",
    "stage-down",
    "stages-reorder",
    "touchpoints-reorder",
    "touchpoint-add",
    "touchpoint-edit",
    "touchpoint-delete",
    "touchpoint-restore",
    "touchpoint-up",
    "touchpoint-down",
]


@require_POST
@organisation_view(managers_only=True)
def editor_action(request, path_id: int, action: str):
    if action not in EDITOR_ACTIONS:
        raise Http404
    path = service_path_for(scope=request.scope, path_id=path_id)
    try:
        done = _do(request, path, action)
    except ValidationError as error:
        if request.htmx:
            return render(request, "journeys/editor.html", _editor_context(request, path, error=_error_text(error)))
        messages.error(request, _error_text(error))
    else:
        if request.htmx:
            return render(request, "journeys/editor.html", _editor_context(request, path))
        messages.success(request, done)
    return redirect(reverse("journeys:editor", kwargs={"org": request.scope.organisation.slug, "path_id": path.pk}))


@organisation_view(managers_only=True)
def versions(request, path_id: int):
    path = service_path_for(scope=request.scope, path_id=path_id)
    return render(
        request,
        "journeys/versions.html",
        {"path": path, "versions": JourneyVersion.objects.filter(service_path=path).select_related("created_by")},
    )
