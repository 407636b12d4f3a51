"""Django admin: export and erasure actions on people and customers, consent changes recorded, audit log read-only."""

import io
import zipfile

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kohtaamo.organisations.admin import CustomerAdmin, PersonAdmin
from kohtaamo.organisations.models import Customer, Person

from .consent import consent_record_admin
from .erasure import customer_erase, person_erase
from .export import customer_export, export_bytes, person_export
from .models import AuditEntry, ConsentRecord, PrivacySettings


def _export_response(documents: list[tuple[str, dict]]) -> HttpResponse:
    """One JSON file for one subject, a ZIP of JSON files for several."""
    if len(documents) == 1:
        name, document = documents[0]
        response = HttpResponse(export_bytes(document), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in documents:
            archive.writestr(name, export_bytes(document))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="personal-data.zip"'
    return response


def _erase_action(modeladmin, request, queryset, *, erase, label: str):
    """Ask once, then erase each selected record in its own transaction."""
    if request.POST.get("confirmed") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "objects": list(queryset),
            "action": request.POST.get("action"),
            "label": label,
            "opts": modeladmin.model._meta,
        }
        return TemplateResponse(request, "privacy/admin_erase_confirm.html", context)
    erased = 0
    for obj in queryset:
        try:
            erase(obj, actor=request.user, request=request)
            erased += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj.pk}: {' '.join(exc.messages)}", messages.ERROR)
    modeladmin.message_user(request, _("Erased %(count)d record(s).") % {"count": erased}, messages.SUCCESS)
    return None


@admin.action(description=gettext_lazy("Export personal data (JSON)"))
def export_people(modeladmin, request, queryset):
    people = queryset.select_related("user", "organisation")
    return _export_response(
        [(f"person-{p.pk}.json", person_export(person=p, actor=request.user, request=request)) for p in people]
    )


@admin.action(description=gettext_lazy("Erase personal data"))
def erase_people(modeladmin, request, queryset):
    return _erase_action(
        modeladmin,
        request,
        queryset.select_related("user", "organisation"),
        erase=lambda p, **kw: person_erase(person=p, **kw),
        label=_("people"),
    )


@admin.action(description=gettext_lazy("Export personal data (JSON)"))
def export_customers(modeladmin, request, queryset):
    customers = queryset.select_related("organisation")
    return _export_response(
        [(f"customer-{c.pk}.json", customer_export(customer=c, actor=request.user, request=request)) for c in customers]
    )


@admin.action(description=gettext_lazy("Erase personal data"))
def erase_customers(modeladmin, request, queryset):
    return _erase_action(
        modeladmin,
        request,
        queryset.select_related("organisation"),
        erase=lambda c, **kw: customer_erase(customer=c, **kw),
        label=_("customers"),
    )


class PrivacyPersonAdmin(PersonAdmin):
    actions = [export_people, erase_people]


class PrivacyCustomerAdmin(CustomerAdmin):
    actions = [export_customers, erase_customers]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "contact_consent" in form.changed_data or (not change and obj.contact_consent):
            consent_record_admin(customer=obj, given=obj.contact_consent)


admin.site.unregister(Person)
admin.site.register(Person, PrivacyPersonAdmin)
admin.site.unregister(Customer)
admin.site.register(Customer, PrivacyCustomerAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "organisation", "actor_label", "action", "object_type", "object_id", "client_address")
    list_filter = ("organisation", "action", "object_type")
    search_fields = ("actor_label", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "organisation", "customer", "purpose", "state", "source", "wording_version", "closed_at")
    list_filter = ("organisation", "purpose", "state", "source")
    readonly_fields = [f.name for f in ConsentRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "contact_retention_days")
