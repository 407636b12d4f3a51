from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Channel, ServicePath
from kohtaamo.organisations.selectors import Scope, units_visible

from .selectors import METRICS, JourneyFilter, segments_available


class ServicePathForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PersonaForm(forms.Form):
    name = forms.CharField(label=_("Persona"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    segments = forms.CharField(
        label=_("Customer segments"), required=False, help_text=_("Comma-separated, as in the customer data.")
    )

    def segment_list(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["segments"].split(",") if s.strip()]


class StageForm(forms.Form):
    name = forms.CharField(label=_("Stage"), max_length=200)


class TouchpointForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=None, label=_("Stage"), empty_label=None)
    name = forms.CharField(label=_("Touchpoint"), max_length=200)
    code = forms.CharField(
        label=_("Code"), max_length=64, required=False, help_text=_("Used to match imported encounters.")
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    owner_unit = forms.ModelChoiceField(queryset=None, label=_("Owner unit"), required=False)
    customer_value = forms.CharField(
        label=_("How does the customer value this stage?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, scope: Scope, service_path: ServicePath, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = service_path.stages.order_by("order", "pk")
        self.fields["owner_unit"].queryset = units_visible(scope=scope).order_by("path")


class JourneyFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    persona = forms.ModelChoiceField(queryset=None, label=_("Persona"), required=False, empty_label=_("All customers"))
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    metric = forms.ChoiceField(label=_("Colour by"), required=False, choices=list(METRICS.items()))

    def __init__(self, *args, scope: Scope, service_path: ServicePath, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = service_path.personas.all()
        self.fields["segment"].choices = [("", _("All segments"))] + [(s, s) for s in segments_available(scope=scope)]

    def journey_filter(self) -> JourneyFilter:
        data = self.cleaned_data
        return JourneyFilter(
            start=data.get("start"),
            end=data.get("end"),
            persona=data.get("persona"),
            segment=data.get("segment") or "",
            metric=data.get("metric") or "csat",
        )
