"""Administration of feedback collection: programmes and rounds, encounters, invitations, open links.
Responses are evidence and stay read-only."""

from django.contrib import admin

from .models import Answer, Encounter, Invitation, OpenLink, Response, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "active", "invite_after_encounters", "throttle_days")
    list_filter = ("organisation", "kind", "active")
    search_fields = ("name",)


@admin.register(Encounter)
class EncounterAdmin(admin.ModelAdmin):
    list_display = ("external_id", "occurred_at", "unit", "person", "channel", "organisation")
    list_filter = ("organisation", "channel")
    search_fields = ("external_id",)
    date_hierarchy = "occurred_at"
    list_select_related = ("unit", "person", "organisation")
    raw_id_fields = ("customer", "person", "unit", "touchpoint")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("pk", "round", "status", "language", "created_at", "sent_at", "reminded_at", "expires_at")
    list_filter = ("organisation", "status", "language")
    search_fields = ("email", "customer__external_id")
    list_select_related = ("round",)
    raw_id_fields = ("encounter", "customer")
    readonly_fields = ("token", "created_at", "sent_at", "reminded_at", "opened_at", "responded_at", "last_error")


@admin.register(OpenLink)
class OpenLinkAdmin(admin.ModelAdmin):
    list_display = ("touchpoint", "round", "active", "organisation", "created_at")
    list_filter = ("organisation", "active")
    readonly_fields = ("token",)
    raw_id_fields = ("touchpoint",)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ("question", "value", "text")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("pk", "round", "respondent_role", "status", "language", "submitted_at", "nps", "csat", "eqi")
    list_filter = ("organisation", "status", "respondent_role")
    list_select_related = ("round",)
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
