from django import forms
from django.utils.translation import gettext_lazy as _


class AssessmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    nomination_closes_on = forms.DateField(
        label=_("Nominations close on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    answering_closes_on = forms.DateField(
        label=_("Answering closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    report_on = forms.DateField(label=_("Reports released on"), widget=forms.DateInput(attrs={"type": "date"}))
    min_colleagues = forms.IntegerField(label=_("Fewest colleague raters"), min_value=1, max_value=50, initial=3)
    max_colleagues = forms.IntegerField(label=_("Most colleague raters"), min_value=1, max_value=50, initial=8)
    unit = forms.ModelChoiceField(label=_("Everyone in unit"), queryset=None, required=False)
    people = forms.ModelMultipleChoiceField(label=_("Or choose people"), queryset=None, required=False)
    people_csv = forms.FileField(label=_("Or import a CSV of external ids or e-mails"), required=False)

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["people"].queryset = people
