"""The pulse programme page: settings, encounter import, open links and QR codes."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.models import Touchpoint
from kohtaamo.organisations.selectors import touchpoints_visible

from .forms import CSV_COLUMN_HELP, EncounterUploadForm, ProgrammeSettingsForm
from .intake import MAX_ROWS, ImportResult, encounters_import_csv
from .invitations import open_link_ensure, open_link_url, open_links_create_missing, pulse_programme_update
from .models import Invitation, Round
from .qr import qr_png, qr_svg
from .selectors import invitation_counts_by_status, open_links_for, pulse_programme_for
from .services import pulse_programme_ensure

SETTINGS_FIELDS = ("active", "invite_after_encounters", "reminder_after_days", "expires_after_days", "throttle_days")


def _programme(request) -> Round:
    organisation = request.scope.organisation
    programme = pulse_programme_for(organisation=organisation) or pulse_programme_ensure(organisation=organisation)
    programme.organisation = organisation  # the scope's instance: no second fetch
    return programme


def _render_programme(
    request,
    programme: Round,
    *,
    settings_form: ProgrammeSettingsForm | None = None,
    upload_form: EncounterUploadForm | None = None,
    result: ImportResult | None = None,
    status: int = 200,
):
    open_links_create_missing(programme=programme)
    counts = invitation_counts_by_status(scope=request.scope, programme=programme)
    links = [(link, open_link_url(link)) for link in open_links_for(scope=request.scope, programme=programme)]
    context = {
        "programme": programme,
        "settings_form": settings_form
        or ProgrammeSettingsForm(initial={name: getattr(programme, name) for name in SETTINGS_FIELDS}),
        "upload_form": upload_form or EncounterUploadForm(),
        "result": result,
        "csv_columns": CSV_COLUMN_HELP,
        "max_rows": MAX_ROWS,
        "invitation_counts": [(label, counts[value]) for value, label in Invitation.Status.choices],
        "invitation_total": sum(counts.values()),
        "open_links": links,
    }
    return render(request, "feedback/programme.html", context, status=status)


@organisation_view(managers_only=True)
def programme(request):
    current = _programme(request)
    if request.method != "POST":
        return _render_programme(request, current)
    form = ProgrammeSettingsForm(request.POST)
    if not form.is_valid():
        return _render_programme(request, current, settings_form=form, status=400)
    pulse_programme_update(programme=current, **form.cleaned_data)
    messages.success(request, _("The programme settings were saved."))
    return redirect("feedback:programme", org=request.scope.organisation.slug)


@require_POST
@organisation_view(managers_only=True)
def encounters_import(request):
    current = _programme(request)
    form = EncounterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_programme(request, current, upload_form=form, status=400)
    result = encounters_import_csv(organisation=request.scope.organisation, file=form.cleaned_data["file"])
    return _render_programme(request, current, result=result, status=200 if result.ok else 400)


def _touchpoint_link_url(request, touchpoint_id: int) -> tuple[Touchpoint, str]:
    touchpoint = touchpoints_visible(scope=request.scope).filter(pk=touchpoint_id).first()
    if touchpoint is None:
        raise Http404
    link = open_link_ensure(programme=_programme(request), touchpoint=touchpoint)
    return touchpoint, open_link_url(link)


def _download(content: bytes, content_type: str, touchpoint: Touchpoint, extension: str) -> HttpResponse:
    name = slugify(touchpoint.code or touchpoint.name) or str(touchpoint.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{name}.{extension}"'
    return response


@organisation_view(managers_only=True)
def qr_png_download(request, touchpoint_id: int):
    touchpoint, url = _touchpoint_link_url(request, touchpoint_id)
    return _download(qr_png(url), "image/png", touchpoint, "png")


@organisation_view(managers_only=True)
def qr_svg_download(request, touchpoint_id: int):
    touchpoint, url = _touchpoint_link_url(request, touchpoint_id)
    return _download(qr_svg(url, title=touchpoint.name), "image/svg+xml", touchpoint, "svg")
