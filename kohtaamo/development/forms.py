"""Forms of the development pages; querysets come from scoped selectors, so a posted id outside scope is invalid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Channel

from .models import ClinicCase, ClinicSeries, IncidentKind, PlanAction, RolePlayRating, ShadowingDay


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit.name})"


class DimensionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DimensionMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def profile_dimensions(organisation):
    """The five elements and ethos/pathos/logos of the frameworks this organisation uses."""
    return (
        Dimension.objects.filter(
            group__in=[Dimension.Group.ELEMENT, Dimension.Group.RHETORIC],
            framework__questionnaires__organisation=organisation,
        )
        .distinct()
        .order_by("group", "order")
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ClinicSeriesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Team"), queryset=None)
    interval = forms.ChoiceField(label=_("Recurs"), choices=ClinicSeries.Interval.choices)
    first_session_at = forms.DateTimeField(label=_("First session"), widget=DATETIME_INPUT)
    location = forms.CharField(label=_("Place or meeting link"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ClinicCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ClinicCase.Outcome.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False)
    incident_kind = forms.ChoiceField(label=_("Critical incident"), choices=IncidentKind.choices, required=False)
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}))
    went_well = forms.CharField(label=_("What went well"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    to_improve = forms.CharField(label=_("What to improve"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    dimensions = DimensionMultipleField(
        label=_("Elements and ethos/pathos/logos involved"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lessons = forms.CharField(label=_("Lessons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    response = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimensions"].queryset = profile_dimensions(organisation)


class ClinicActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = PersonChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}))
    done = forms.BooleanField(label=_("Done"), required=False)


class CaseLibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    dimension = forms.ChoiceField(label=_("Element"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All")), *ClinicCase.Outcome.choices], required=False
    )
    incident_kind = forms.ChoiceField(
        label=_("Critical incident"), choices=[("", _("All")), *IncidentKind.choices[1:]], required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", _("All"))] + [
            (d.code, d.name) for d in profile_dimensions(organisation)
        ]


class MentorPairForm(forms.Form):
    mentor = PersonChoiceField(label=_("Mentor"), queryset=None)
    mentee = PersonChoiceField(label=_("Mentee"), queryset=None)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = people
        self.fields["mentee"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mentor") and cleaned.get("mentor") == cleaned.get("mentee"):
            self.add_error("mentee", _("A mentor cannot mentor themselves."))
        return cleaned


class ShadowingDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    direction = forms.ChoiceField(label=_("Who observes"), choices=ShadowingDay.Direction.choices)
    debrief = forms.CharField(label=_("Debrief note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DebriefForm(forms.Form):
    debrief = forms.CharField(label=_("Debrief note"), widget=forms.Textarea(attrs={"rows": 3}))


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Scenario"), widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False)


class RolePlaySessionForm(forms.Form):
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=None)
    participant = PersonChoiceField(label=_("Participant"), queryset=None)
    recording_ref = forms.CharField(label=_("Recording (link or reference)"), max_length=500, required=False)

    def __init__(self, *args, scenarios, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios
        self.fields["participant"].queryset = people


class RaterRoleForm(forms.Form):
    rater_role = forms.ChoiceField(label=_("I am"), choices=RolePlayRating.RaterRole.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Feedback in your own words"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    dimension = DimensionChoiceField(label=_("Goal dimension"), queryset=None)
    description = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.FloatField(label=_("Target (0–100)"), min_value=0, max_value=100, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = profile_dimensions(organisation)


class PlanActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanAction.Kind.choices)
    description = forms.CharField(label=_("Action"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=DATE_INPUT)
    clinic_case = forms.ModelChoiceField(label=_("Lesson from a clinic case"), queryset=None, required=False)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic_case"].queryset = cases


class CheckInForm(forms.Form):
    note = forms.CharField(label=_("Check-in note"), widget=forms.Textarea(attrs={"rows": 2}))


class CheckInScheduleForm(forms.Form):
    due_date = forms.DateField(label=_("Next check-in"), widget=DATE_INPUT)


class EffectForm(forms.Form):
    subject = forms.ChoiceField(label=_("Development activity"))
    dimension = forms.ChoiceField(label=_("Measure"), required=False)

    def __init__(self, *args, subjects, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        self.fields["dimension"].choices = [("", _("Encounter Quality Index (EQI)"))] + [
            (d.code, d.name) for d in profile_dimensions(organisation)
        ]
