from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Unit

from .chain import MEASURES
from .models import StaffPulseSchedule


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(label=_("How often"), choices=StaffPulseSchedule.Cadence.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Staff of these units and the units below them are invited; none chosen: everyone."),
    )
    reminder_after_days = forms.IntegerField(
        label=_("Reminder after (days)"),
        min_value=0,
        max_value=60,
        help_text=_("0 sends no reminder."),
        error_messages={"min_value": _("Enter 0 or more days."), "max_value": _("Enter at most 60 days.")},
    )
    active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class ChainForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Staff period"), coerce=int, required=False, choices=())
    measure = forms.ChoiceField(label=_("Customer figure"), choices=list(MEASURES.items()), required=False)
    level = forms.TypedChoiceField(label=_("Units compared"), coerce=int, required=False, choices=())
    lag = forms.BooleanField(label=_("Customer figures one period later"), required=False)

    def __init__(self, *args, periods, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.pk, str(p)) for p in reversed(periods)]
        self.fields["level"].choices = [(depth, label) for depth, label in levels]
