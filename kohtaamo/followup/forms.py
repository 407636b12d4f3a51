from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Dimension

from .models import FollowupCase


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
