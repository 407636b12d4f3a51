"""Admin-only privacy pages: retention setting, per-person export and erasure, the audit log."""

import csv
from functools import partial, wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kohtaamo.organisations.decorators import organisation_view

from .audit import audit_record, audited
from .consent import privacy_settings_for
from .erasure import customer_erase, person_erase
from .export import customer_export, export_bytes, person_export
from .forms import AuditFilterForm, EraseForm, RetentionForm, SearchForm
from .models import AuditEntry
from .selectors import (
    AuditFilter,
    audit_entries,
    audit_object_types,
    consent_records_of,
    customer_for_privacy,
    customers_search,
    people_search,
    person_for_privacy,
    require_privacy_admin,
)

PAGE_SIZE = 50


def privacy_admin_view(view):
    """Managers' view, narrowed further to the organisation admin."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_privacy_admin(request.scope)
        return view(request, *args, **kwargs)

    return organisation_view(managers_only=True)(wrapper)


@require_http_methods(["GET", "POST"])
@privacy_admin_view
def index(request):
    settings = privacy_settings_for(organisation=request.scope.organisation)
    retention_form = RetentionForm(request.POST or None, instance=settings)
    if request.method == "POST" and retention_form.is_valid():
        retention_form.save()
        messages.success(request, _("Retention period saved."))
        return redirect("privacy:index", org=request.scope.organisation.slug)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    people = list(people_search(scope=request.scope, query=query))
    customers = list(customers_search(scope=request.scope, query=query))
    return render(
        request,
        "privacy/index.html",
        {"retention_form": retention_form, "search": search, "query": query, "people": people, "customers": customers},
    )


def _download(document: dict, *, name: str) -> HttpResponse:
    response = HttpResponse(export_bytes(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _erased(request, erase, done_message: str) -> bool:
    """Run `erase(actor, request)` once the form confirms it; messages say what happened."""
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("confirm", [])))
        return False
    try:
        erase(actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done_message)
    return True


@privacy_admin_view
@audited(AuditEntry.Action.VIEW, "organisations.person", "person_id")
def person_detail(request, person_id: int):
    person = person_for_privacy(scope=request.scope, person_id=person_id)
    return render(request, "privacy/person.html", {"person": person, "erase_form": EraseForm()})


@privacy_admin_view
def person_export_download(request, person_id: int):
    person = person_for_privacy(scope=request.scope, person_id=person_id)
    document = person_export(person=person, actor=request.user, request=request)
    return _download(document, name=f"person-{person.pk}.json")


@require_POST
@privacy_admin_view
def person_erase_view(request, person_id: int):
    person = person_for_privacy(scope=request.scope, person_id=person_id)
    erase = partial(person_erase, person=person)
    if not _erased(request, erase, _("The person's data was erased.")):
        return redirect("privacy:person", org=request.scope.organisation.slug, person_id=person_id)
    return redirect("privacy:index", org=request.scope.organisation.slug)


@privacy_admin_view
@audited(AuditEntry.Action.VIEW, "organisations.customer", "customer_id")
def customer_detail(request, customer_id: int):
    customer = customer_for_privacy(scope=request.scope, customer_id=customer_id)
    consents = list(consent_records_of(scope=request.scope, customer=customer)[:PAGE_SIZE])
    return render(
        request, "privacy/customer.html", {"customer": customer, "consents": consents, "erase_form": EraseForm()}
    )


@privacy_admin_view
def customer_export_download(request, customer_id: int):
    customer = customer_for_privacy(scope=request.scope, customer_id=customer_id)
    document = customer_export(customer=customer, actor=request.user, request=request)
    return _download(document, name=f"customer-{customer.pk}.json")


@require_POST
@privacy_admin_view
def customer_erase_view(request, customer_id: int):
    customer = customer_for_privacy(scope=request.scope, customer_id=customer_id)
    erase = partial(customer_erase, customer=customer)
    if not _erased(request, erase, _("The customer's data was erased.")):
        return redirect("privacy:customer", org=request.scope.organisation.slug, customer_id=customer_id)
    return redirect("privacy:index", org=request.scope.organisation.slug)


def _audit_filter(request) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types(scope=request.scope))
    if form.is_bound and form.is_valid():
        return form, AuditFilter(**form.cleaned_data)
    return form, AuditFilter()


@privacy_admin_view
def audit_log(request):
    form, filters = _audit_filter(request)
    page = Paginator(audit_entries(scope=request.scope, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/audit.html", {"form": form, "page": page, "query": query.urlencode()})


def _cell(value) -> str:
    """Spreadsheet programs run cells that start with these; a quote keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@privacy_admin_view
def audit_csv(request):
    _form, filters = _audit_filter(request)
    entries = audit_entries(scope=request.scope, filters=filters)
    audit_record(
        organisation=request.scope.organisation,
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="privacy.auditentry",
        request=request,
    )
    writer = csv.writer(_Echo())
    header = [_("When"), _("By"), _("Action"), _("Object type"), _("Object id"), _("Client address")]
    labels = dict(AuditEntry.Action.choices)

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.at).isoformat(),
                    _cell(entry.actor_label),
                    labels.get(entry.action, entry.action),
                    entry.object_type,
                    entry.object_id,
                    entry.client_address or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
