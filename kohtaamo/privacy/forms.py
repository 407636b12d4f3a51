from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, PrivacySettings


class RetentionForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = ["contact_retention_days"]

    def clean_contact_retention_days(self):
        days = self.cleaned_data["contact_retention_days"]
        if not 1 <= days <= 3650:
            raise forms.ValidationError(_("Give a retention period between 1 and 3650 days."))
        return days


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or id"), max_length=200, required=False)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditEntry.Action.choices]
    )
    actor = forms.CharField(label=_("By (login)"), max_length=150, required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, object_types: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All types")), *((t, t) for t in object_types)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."),
        help_text=_("Answers and scores stay, linked to no one; everything else about this person goes."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
