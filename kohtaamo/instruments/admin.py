"""Administration of the measurement model. Frameworks come from data files and are read-only here;
questionnaire versions with responses are frozen (DESIGN.md section 6)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Dimension, Framework, Item, Question, Questionnaire
from .selectors import questionnaire_is_frozen
from .services import questionnaire_new_version


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DimensionInline(admin.TabularInline):
    model = Dimension
    fields = ("code", "group", "order", "names")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "code", "version")
    inlines = [DimensionInline]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "code", "group", "order", "framework")
    list_filter = ("framework", "group")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "scale_code", "scale_min", "scale_max", "reverse_coded", "weight", "in_pulse")
    list_filter = ("framework", "scale_code", "in_pulse", "reverse_coded")
    search_fields = ("code",)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("order", "kind", "item", "texts", "required")
    extra = 0
    raw_id_fields = ("item",)

    def _frozen(self, obj) -> bool:
        return obj is not None and questionnaire_is_frozen(questionnaire=obj)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("__str__", "key", "version", "kind", "perspective", "organisation", "created_at")
    list_filter = ("organisation", "kind")
    search_fields = ("key",)
    inlines = [QuestionInline]
    actions = ["make_new_version"]

    @admin.action(description=_("Make an editable new version (active rounds switch to it)"))
    def make_new_version(self, request, queryset):
        from kohtaamo.feedback.services import rounds_switch_questionnaire

        for questionnaire in queryset:
            new = questionnaire_new_version(questionnaire=questionnaire)
            if new.pk != questionnaire.pk:
                rounds_switch_questionnaire(old=questionnaire, new=new)
                self.message_user(
                    request, _("%(name)s: version %(version)s created.") % {"name": new, "version": new.version}
                )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and questionnaire_is_frozen(questionnaire=obj):
            return [f.name for f in self.model._meta.fields]
        return ("organisation", "framework", "key", "version")
