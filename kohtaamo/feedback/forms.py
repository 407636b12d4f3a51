"""Forms of the pulse programme page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .intake import MAX_BYTES


class ProgrammeSettingsForm(forms.Form):
    active = forms.BooleanField(label=_("Programme is active"), required=False)
    invite_after_encounters = forms.BooleanField(label=_("Invite customers by e-mail after encounters"), required=False)
    reminder_after_days = forms.IntegerField(
        label=_("Send one reminder after (days)"),
        min_value=0,
        max_value=30,
        help_text=_("0 sends no reminder."),
    )
    expires_after_days = forms.IntegerField(label=_("Invitation valid for (days)"), min_value=1, max_value=90)
    throttle_days = forms.IntegerField(
        label=_("Invite the same customer at most once in (days)"),
        min_value=0,
        max_value=365,
        help_text=_("0 invites after every encounter."),
    )

    def clean(self):
        cleaned = super().clean()
        reminder, expiry = cleaned.get("reminder_after_days"), cleaned.get("expires_after_days")
        if reminder and expiry and reminder >= expiry:
            self.add_error("reminder_after_days", _("The reminder must go before the invitation expires."))
        return cleaned


class EncounterUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file of encounters"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code="too_large"
            )
        return file


# Shown on the upload page next to the form; intake.py's docstring holds the same description.
CSV_COLUMN_HELP = [
    ("external_id", True, _("The encounter's id in your system; unique within the organisation.")),
    (
        "occurred_at",
        True,
        _("Date and time in ISO 8601, e.g. 2025-03-14T09:30 (without an offset: the organisation's local time)."),
    ),
    ("unit", True, _("Unit code, or the unit's exact name.")),
    (
        "channel",
        True,
        _("face_to_face, phone, email, video, chat or web, or the channel's name in any language of the service."),
    ),
    ("person", False, _("The employee's external id.")),
    ("touchpoint", False, _("Touchpoint code, or the touchpoint's exact name.")),
    ("customer_id", False, _("The customer's pseudonymous id. Needed for the three columns below.")),
    ("customer_email", False, _("Stored only with consent to contact; the invitation goes here.")),
    ("customer_language", False, _("fi, sv or en: the language of the invitation.")),
    ("consent", False, _("Consent to contact: yes/no, 1/0, true/false, kyllä/ei, ja/nej.")),
    ("transcript", False, _("Free text, e.g. notes or a chat transcript.")),
]
