from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.selectors import units_visible

KIND_CHOICES = [("dimension", _("Dimensions")), ("item", _("Items")), ("touchpoint", _("Touchpoints"))]
TARGET_CHOICES = [("nps", _("NPS")), ("csat", _("CSAT"))]
METRIC_CHOICES = [
    ("services", _("Number of services")),
    ("spend", _("Spend")),
    ("retained", _("Retained (share)")),
    ("recommended", _("Recommended or referred (share)")),
]


class UnitPeriodForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All my units"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_visible(scope=scope).order_by("path")


class DriverForm(UnitPeriodForm):
    target = forms.ChoiceField(label=_("Outcome"), choices=TARGET_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Drivers"), choices=KIND_CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ImpactForm(UnitPeriodForm):
    metric = forms.ChoiceField(label=_("Outcome"), choices=METRIC_CHOICES, required=False)
    period = forms.ChoiceField(label=_("Experience period"), required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (start.isoformat(), f"{start:%Y-%m-%d} – {end:%Y-%m-%d}") for start, end in periods
        ]


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(label=_("Outcome file (CSV)"))
