"""The dashboard's filters, shared by the pages (GET parameters) and the API (query parameters)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.selectors import Scope, people_visible, touchpoints_visible, units_visible

from .selectors import BREAKDOWNS, GRANULARITIES, DashboardFilter, MetricSpec

PRESET_DAYS = {"30": 30, "90": 90, "180": 180, "365": 365}
PERIODS = [
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("180", _("Last 180 days")),
    ("365", _("Last 365 days")),
    ("all", _("All time")),
    ("custom", _("Custom dates")),
]
# Dates outside this range cannot be turned into instants in every time zone.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return "\u2003" * max(obj.depth, 0) + obj.name


class DashboardFilterForm(forms.Form):
    unit = UnitChoiceField(queryset=None, required=False, label=_("Unit"), empty_label=_("All units"))
    person = forms.ModelChoiceField(queryset=None, required=False, label=_("Person"), empty_label=_("Everyone"))
    channel = forms.ChoiceField(required=False, label=_("Channel"))
    touchpoint = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Touchpoint"), empty_label=_("All touchpoints")
    )
    period = forms.ChoiceField(choices=PERIODS, required=False, label=_("Period"))
    start = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(required=False, label=_("Trend by"))
    by = forms.ChoiceField(required=False, label=_("Break down by"))
    metric = forms.ChoiceField(required=False, label=_("Chart"))

    def __init__(
        self,
        data=None,
        *,
        scope: Scope,
        catalogue: list[MetricSpec] | None = None,
        default_period: str = "365",
        **kwargs,
    ) -> None:
        """`default_period` applies when the data names no period ("custom": the given dates or none)."""
        data = data.copy() if data is not None else {}
        for name, default in (("period", default_period), ("granularity", "month"), ("by", "unit"), ("metric", "nps")):
            data.setdefault(name, default)
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["unit"].queryset = units_visible(scope=scope).order_by("path")
        self.fields["person"].queryset = people_visible(scope=scope).order_by("name")
        self.fields["touchpoint"].queryset = touchpoints_visible(scope=scope).order_by("name")
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["granularity"].choices = list(GRANULARITIES.items())
        self.fields["by"].choices = list(BREAKDOWNS.items())
        if catalogue is None:
            del self.fields["metric"]
        else:
            self.fields["metric"].choices = [(spec.key, spec.label) for spec in catalogue]

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Enter a date between 1970 and 9998."))
        period = cleaned.get("period")
        if period in PRESET_DAYS or period == "all":
            # The date fields only count for custom dates; stale ones must not block a preset.
            for name in ("start", "end"):
                self._errors.pop(name, None)
        if period in PRESET_DAYS:
            today = timezone.localdate(timezone=ZoneInfo(self.scope.organisation.time_zone))
            cleaned["start"] = today - timedelta(days=PRESET_DAYS[period] - 1)
            cleaned["end"] = today
        elif period == "all":
            cleaned["start"] = cleaned["end"] = None
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start and "end" not in self.errors:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    def dashboard_filter(self) -> DashboardFilter:
        data = self.cleaned_data
        return DashboardFilter(
            unit=data.get("unit"),
            person=data.get("person"),
            channel=data.get("channel") or "",
            touchpoint=data.get("touchpoint"),
            start=data.get("start"),
            end=data.get("end"),
            granularity=data.get("granularity") or "month",
        )

    @property
    def breakdown_by(self) -> str:
        return self.cleaned_data.get("by") or "unit"

    @property
    def chart_metric(self) -> str:
        return self.cleaned_data.get("metric") or "nps"
