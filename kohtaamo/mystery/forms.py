from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Channel, Person, Unit

from .models import ChecklistItem, Scenario, Shopper, Wave


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = [
            "name",
            "description",
            "critical_fails_visit",
            "require_visit_times",
            "require_waiting_time",
            "require_staff_description",
            "require_media",
        ]


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)


class ItemForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistItem.Kind.choices)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=5, decimal_places=2, initial=1)
    dimension = forms.ModelChoiceField(label=_("Framework dimension"), queryset=Dimension.objects.all(), required=False)
    critical = forms.BooleanField(label=_("Critical"), required=False)
    integrity = forms.BooleanField(label=_("Integrity check (right answer: not applicable)"), required=False)
    scale_min = forms.IntegerField(label=_("Scale minimum"), initial=1)
    scale_max = forms.IntegerField(label=_("Scale maximum"), initial=5)

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = scenario.sections.all()


class NoticeForm(forms.Form):
    announced_on = forms.DateField(label=_("Announced on"), widget=DateInput)
    text = forms.CharField(label=_("Notice text"), widget=forms.Textarea(attrs={"rows": 3}))
    staff_identification_announced = forms.BooleanField(
        label=_("Employees were told that staff may be identified in evidence"), required=False
    )


class WaveForm(forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["scenario", "name", "starts_on", "ends_on", "fee", "evidence_retain_days"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios


class PlanForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Units / locations"), queryset=Unit.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    window_start = forms.DateField(label=_("Visit from"), widget=DateInput)
    window_end = forms.DateField(label=_("Visit by"), widget=DateInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class OfferForm(forms.Form):
    shopper = forms.ModelChoiceField(label=_("Shopper"), queryset=Shopper.objects.none())

    def __init__(self, *args, shoppers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shopper"].queryset = shoppers


class ShopperForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Initial password"), min_length=10, widget=forms.PasswordInput)
    regions = forms.ModelMultipleChoiceField(label=_("Regions"), queryset=Unit.objects.none(), required=False)
    capacity = forms.IntegerField(label=_("Open assignments at most"), min_value=1, max_value=100, initial=5)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = units


class VisitForm(forms.Form):
    visit_started_at = forms.DateTimeField(label=_("Visit started"), required=False, widget=DateTimeInput)
    visit_ended_at = forms.DateTimeField(label=_("Visit ended"), required=False, widget=DateTimeInput)
    waiting_minutes = forms.IntegerField(label=_("Waiting time (minutes)"), required=False, min_value=0, max_value=600)
    staff_description = forms.CharField(
        label=_("Description of the staff member"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or audio file"))


class ActionPlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.none())
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    follow_up_wave = forms.ModelChoiceField(label=_("Follow up in wave"), queryset=Wave.objects.none(), required=False)

    def __init__(self, *args, units, waves, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["wave"].queryset = waves
        self.fields["follow_up_wave"].queryset = waves
        self.fields["owner"].queryset = people


class CalibrationForm(forms.Form):
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=Scenario.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    recording = forms.CharField(label=_("The recorded visit (description or transcript)"), widget=forms.Textarea)

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios
