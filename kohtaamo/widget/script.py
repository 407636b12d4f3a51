"""The JavaScript a host page loads: the prompt's code with this widget's questions and texts built in."""

import json
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from .models import Widget
from .selectors import WidgetQuestions

SCRIPT = Path(__file__).parent / "assets" / "widget.js"
LANGUAGES = ("fi", "sv", "en")
MAX_COMMENT_CHARS = 1000
# Characters that must not appear raw inside a script (closing tags, line separators JS rejects).
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


@cache
def _code() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def _ui_texts() -> dict[str, dict[str, str]]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = {
                "region": _("Feedback"),
                "send": _("Send"),
                "sending": _("Sending…"),
                "close": _("Close"),
                "optional": _("optional"),
                "choose": _("Choose an answer first."),
                "thanks": _("Thank you for your feedback!"),
                "failed": _("Sending failed. Please try again in a moment."),
            }
    return texts


def widget_config(*, widget: Widget, questions: WidgetQuestions, endpoint: str, preview: bool) -> dict:
    scale, comment = questions.scale, questions.comment
    return {
        "key": widget.public_key,
        "endpoint": endpoint,
        "origins": widget.allowed_origins,
        "capDays": widget.frequency_cap_days,
        "showCapDays": widget.show_cap_days,
        "preview": preview,
        "question": {
            "min": scale.scale_min,
            "max": scale.scale_max,
            "texts": {language: scale.text(language) for language in LANGUAGES},
            "labels": {language: scale.labels(language) for language in LANGUAGES},
        }
        if scale is not None
        else None,
        "comment": {
            "texts": {language: comment.text(language) for language in LANGUAGES},
            "maxLength": MAX_COMMENT_CHARS,
        }
        if comment is not None
        else None,
        "texts": _ui_texts(),
    }


def widget_script_source(*, config: dict) -> str:
    return _code().replace("__KOHTAAMO_CONFIG__", json.dumps(config, ensure_ascii=False).translate(_ESCAPES), 1)


def widget_script_silent(reason: str) -> str:
    """A script that does nothing: the host page loads it without error and shows no prompt."""
    return f"/* Kohtaamo: {reason} */\n"
