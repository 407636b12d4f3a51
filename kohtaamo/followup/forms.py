from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Dimension

from .models import FollowupCase, FollowupRule

MAX_KEYWORDS = 50
THRESHOLD_RANGES = {
    FollowupRule.Kind.NPS_AT_MOST: (0, 10),
    FollowupRule.Kind.CSAT_AT_MOST: (1, 5),
}


class ContactForm(forms.Form):
    note = forms.CharField(label=_("What was agreed with the customer"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowupCase.Outcome.choices)
    root_cause = forms.ModelChoiceField(
        label=_("Root cause (framework element)"),
        queryset=Dimension.objects.none(),
        required=False,
        empty_label=_("Not determined"),
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = Dimension.objects.filter(
            group__in=[Dimension.Group.ELEMENT, Dimension.Group.WISH, Dimension.Group.QUALITY]
        ).order_by("framework__version", "group", "order")
        self.fields["root_cause"].label_from_instance = lambda d: d.name


class FollowupRuleForm(forms.ModelForm):
    """One follow-up rule: a score threshold (NPS 0–10, CSAT 1–5) or a list of comment keywords."""

    deadline_days = forms.IntegerField(
        label=_("days to close"),
        min_value=1,
        max_value=60,
        error_messages={
            "min_value": _("Days to close must be between 1 and 60."),
            "max_value": _("Days to close must be between 1 and 60."),
        },
    )

    class Meta:
        model = FollowupRule
        fields = ["kind", "threshold", "keywords", "deadline_days"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in THRESHOLD_RANGES:
            self._clean_threshold(kind, cleaned.get("threshold"))
            if cleaned.get("keywords", "").strip():
                self.add_error("keywords", _("Keywords are used only with the comment rule; leave them empty."))
            else:
                cleaned["keywords"] = ""
        elif kind == FollowupRule.Kind.COMMENT_KEYWORDS:
            self._clean_keywords(cleaned.get("keywords", ""))
            if cleaned.get("threshold") is not None:
                self.add_error("threshold", _("The comment rule has no threshold; leave it empty."))
        return cleaned

    def _clean_threshold(self, kind: str, threshold: int | None) -> None:
        low, high = THRESHOLD_RANGES[kind]
        if threshold is None:
            self.add_error("threshold", _("Enter a threshold for this rule."))
        elif not low <= threshold <= high:
            if kind == FollowupRule.Kind.NPS_AT_MOST:
                self.add_error("threshold", _("The NPS threshold must be between 0 and 10."))
            else:
                self.add_error("threshold", _("The CSAT threshold must be between 1 and 5."))

    def _clean_keywords(self, keywords: str) -> None:
        words = [w.strip() for w in keywords.splitlines() if w.strip()]
        if not words:
            self.add_error("keywords", _("Enter at least one keyword, one per line."))
        elif len(words) > MAX_KEYWORDS:
            self.add_error(
                "keywords",
                _("Enter at most %(max)d keywords (now %(count)d).") % {"max": MAX_KEYWORDS, "count": len(words)},
            )
        else:
            self.cleaned_data["keywords"] = "\n".join(words)
