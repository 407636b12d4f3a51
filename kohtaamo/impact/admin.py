from django.contrib import admin

from .models import Outcome


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("customer", "period_start", "period_end", "spend", "services", "retained", "recommended")
    list_filter = ("organisation", "period_start")
    raw_id_fields = ("customer",)
