from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kohtaamo.feedback.models import RespondentRole
from kohtaamo.organisations.models import Language

from .services import Invitee


class SurveyCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)


ROLE_CHOICES = [
    (RespondentRole.MANAGEMENT, _("Management")),
    (RespondentRole.STAFF, _("Staff")),
    (RespondentRole.CUSTOMER, _("Customers")),
]


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Who answers"), choices=ROLE_CHOICES)
    unit = forms.ModelChoiceField(label=_("Their unit"), queryset=None, required=False)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=Language.choices)
    emails = forms.CharField(
        label=_("E-mail addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=100_000,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Give at least one e-mail address."))
        return lines

    def invitees(self) -> list[Invitee]:
        data = self.cleaned_data
        return [Invitee(email=email, unit=data["unit"], language=data["language"]) for email in data["emails"]]
