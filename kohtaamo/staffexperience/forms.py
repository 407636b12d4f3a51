from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Unit

from .chain import CUSTOMER_MEASURES, OUTCOME_MEASURES
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


LAG_VALUES = {"": False, "on": True, "true": True, "1": True, "false": False, "0": False}


class ChainForm(forms.Form):
    """The chain's choices. Anything not offered is an error shown to the user (the page and the API),
    never quietly replaced by a default."""

    period = forms.TypedChoiceField(
        label=_("Staff period"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the staff pulse periods listed.")},
    )
    measure = forms.ChoiceField(
        label=_("Customer figure"),
        choices=list(CUSTOMER_MEASURES.items()),
        required=False,
        error_messages={"invalid_choice": _("Choose a customer figure from the list (EQI or NPS).")},
    )
    outcome = forms.ChoiceField(
        label=_("Business outcome"),
        choices=list(OUTCOME_MEASURES.items()),
        required=False,
        error_messages={"invalid_choice": _("Choose a business outcome from the list (retained or spend).")},
    )
    level = forms.TypedChoiceField(
        label=_("Units compared"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the unit levels listed.")},
    )
    lag = forms.BooleanField(label=_("Customer figures and outcomes one period later"), required=False)

    def __init__(self, *args, periods, levels, outcomes_imported: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes_imported = outcomes_imported
        self.fields["period"].choices = [(p.pk, str(p)) for p in reversed(periods)]
        self.fields["level"].choices = [(depth, label) for depth, label in levels]
        if not outcomes_imported:
            self.fields["outcome"].widget = forms.HiddenInput()

    def clean_outcome(self) -> str:
        outcome = self.cleaned_data["outcome"]
        if outcome and not self.outcomes_imported:
            raise ValidationError(
                _("No business outcomes have been imported for this organisation, so there is none to compare."),
                code="no_outcomes",
            )
        return outcome

    def clean_lag(self) -> bool:
        # A checkbox reads any text as "on"; a mistyped value in a link or an API call is refused instead.
        raw = self.data.get(self.add_prefix("lag"), "")
        raw = raw if isinstance(raw, str) else str(raw)
        if raw.strip().lower() not in LAG_VALUES:
            raise ValidationError(_("Give lag as true or false."), code="invalid_lag")
        return LAG_VALUES[raw.strip().lower()]
