from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class TranscriptForm(forms.Form):
    file = forms.FileField(label=_("Transcript file (.txt, .vtt or .json)"), required=False)
    text = forms.CharField(
        label=_("…or paste the transcript"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste a transcript."))
        return data
