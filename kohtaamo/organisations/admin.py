"""Administration of set-up data: organisations, their unit tree, people, customers, logins and service paths."""

from django.contrib import admin

from .models import Customer, Membership, Organisation, Person, ServicePath, Stage, Touchpoint, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone", "default_language", "anonymity_threshold")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent", "organisation")
    list_filter = ("organisation", "kind")
    search_fields = ("name", "code")
    list_select_related = ("parent", "organisation")
    autocomplete_fields = ("parent",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "unit", "title", "active", "organisation")
    list_filter = ("organisation", "active")
    search_fields = ("name", "external_id", "email")
    list_select_related = ("unit", "organisation")
    autocomplete_fields = ("unit", "supervisor", "user")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("external_id", "language", "segment", "contact_consent", "retain_until", "last_invited_at")
    list_filter = ("organisation", "contact_consent", "language")
    search_fields = ("external_id",)
    readonly_fields = ("last_invited_at",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "unit", "person")
    list_filter = ("organisation", "role")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "organisation", "unit", "person")
    autocomplete_fields = ("user", "unit", "person")


class StageInline(admin.TabularInline):
    model = Stage
    extra = 1
    show_change_link = True  # a stage's own page edits its touchpoints


class TouchpointInline(admin.TabularInline):
    model = Touchpoint
    extra = 1
    fields = ("name", "code", "channel", "owner_unit", "order")
    autocomplete_fields = ("owner_unit",)


@admin.register(ServicePath)
class ServicePathAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name",)
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "service_path", "order")
    list_filter = ("service_path__organisation",)
    search_fields = ("name", "service_path__name")
    inlines = [TouchpointInline]

    def save_formset(self, request, form, formset, change):
        # A touchpoint belongs to its stage's organisation; the inline does not ask for it.
        for touchpoint in formset.save(commit=False):
            touchpoint.organisation_id = form.instance.service_path.organisation_id
            touchpoint.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "channel", "stage", "owner_unit", "organisation")
    list_filter = ("organisation", "channel")
    search_fields = ("name", "code")
    list_select_related = ("stage", "owner_unit", "organisation")
    autocomplete_fields = ("owner_unit",)
