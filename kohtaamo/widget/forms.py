from django import forms
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Item, Question

from .models import Widget
from .origins import origins_clean


class WidgetForm(forms.Form):
    """A widget's settings; `touchpoints` is given only when creating (a widget keeps its touchpoint)."""

    touchpoint = forms.ModelChoiceField(queryset=None, label=_("Touchpoint"), empty_label=None)
    item = forms.TypedChoiceField(coerce=int, label=_("Question"))
    ask_comment = forms.BooleanField(required=False, initial=True, label=_("Also ask for an optional comment"))
    allowed_origins = forms.CharField(
        label=_("Allowed origins"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_(
            "The sites whose pages may show the widget and send answers, one per line as scheme://host[:port], "
            "e.g. https://www.example.fi. Answers from any other site are refused."
        ),
    )
    frequency_cap_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        initial=30,
        label=_("Show again to the same browser after (days)"),
        help_text=_("Once a visitor answers or closes the prompt, their browser does not show it for this long."),
    )
    show_cap_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        initial=7,
        label=_("Show to the same browser at most once per (days)"),
        help_text=_(
            "A visitor who neither answers nor closes the prompt does not see it again for this long. "
            "The browser remembers this for each site separately, without cookies."
        ),
    )
    active = forms.BooleanField(required=False, initial=True, label=_("On: show the prompt on the pages"))

    def __init__(self, *args, questionnaire_id: int, touchpoints=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        questions = Question.objects.filter(questionnaire_id=questionnaire_id, kind=Question.Kind.ITEM)
        self.fields["item"].choices = [(q.item_id, q.text()) for q in questions.order_by("order")]
        if touchpoints is None:
            del self.fields["touchpoint"]
        else:
            self.fields["touchpoint"].queryset = touchpoints

    def clean_item(self) -> Item:
        return Item.objects.get(pk=self.cleaned_data["item"])  # one of the offered choices

    def clean_allowed_origins(self) -> list[str]:
        return origins_clean(self.cleaned_data["allowed_origins"])

    def clean(self) -> dict:
        data = super().clean()
        shown, closed = data.get("show_cap_days"), data.get("frequency_cap_days")
        if shown is not None and closed is not None and shown > closed:
            # An answer or a dismissal says more than a glance, so it must keep the prompt away at least as long.
            self.add_error(
                "show_cap_days",
                _("Enter at most %(days)d: the days after an answer or closing.") % {"days": closed},
            )
        return data

    @staticmethod
    def initial_for(widget: Widget) -> dict:
        return {
            "item": widget.item_id,
            "ask_comment": widget.ask_comment,
            "allowed_origins": "\n".join(widget.allowed_origins),
            "frequency_cap_days": widget.frequency_cap_days,
            "show_cap_days": widget.show_cap_days,
            "active": widget.active,
        }
