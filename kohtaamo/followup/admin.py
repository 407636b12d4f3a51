from django.contrib import admin

from .models import FollowupCase, FollowupRule


@admin.register(FollowupRule)
class FollowupRuleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "threshold", "deadline_days", "active")
    list_filter = ("organisation", "kind", "active")


@admin.register(FollowupCase)
class FollowupCaseAdmin(admin.ModelAdmin):
    list_display = ("pk", "organisation", "unit", "owner", "status", "opened_at", "deadline", "closed_at")
    list_filter = ("organisation", "status")
    raw_id_fields = ("response", "invitation", "customer", "resurvey_response")
