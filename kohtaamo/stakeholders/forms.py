from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Language

from .models import Audience, PartnerOrganisation
from .services import ContactData

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class UnitChoiceField(forms.ModelChoiceField):
    """Units named with their parent: many branches have a team of the same name."""

    def label_from_instance(self, unit) -> str:
        return unit_label(unit)


def unit_label(unit) -> str:
    parent = unit.parent if unit.parent_id else None
    return f"{parent.name} › {unit.name}" if parent is not None and parent.parent_id else unit.name


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields: on the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e)
    else:
        form.add_error(None, error)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner's name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerOrganisation.Kind.choices)
    unit = UnitChoiceField(label=_("Unit that works with the partner"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    contact_consent = forms.BooleanField(label=_("The person agreed to be asked for feedback"), required=False)
    retain_until = forms.DateField(
        label=_("Keep the contact details until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def contact(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            name=data["name"],
            email=data["email"],
            language=data["language"],
            contact_consent=data["contact_consent"],
            retain_until=data["retain_until"],
        )


class ContactImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: name, email; optional language (fi/sv/en), consent (yes/no), retain_until (YYYY-MM-DD)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload.read()


class InternalServiceForm(forms.Form):
    provider = UnitChoiceField(label=_("Serving unit"), queryset=None)
    customer_unit = UnitChoiceField(label=_("Serves the people of"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = units
        self.fields["customer_unit"].queryset = units


AUDIENCE_CHOICES = [(Audience.PARTNER, _("Partners")), (Audience.INTERNAL_CUSTOMER, _("Internal customers"))]


class LaunchForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who answers"), choices=AUDIENCE_CHOICES)
    unit = UnitChoiceField(label=_("About which unit"), queryset=None)
    expires_after_days = forms.IntegerField(
        label=_("Invitations open for (days)"), min_value=1, max_value=90, initial=14
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
