from django import template

from ..labels import METRIC_LABELS, topic_label

register = template.Library()


@register.filter
def topic(code: str) -> str:
    return topic_label(code)


@register.filter
def metric_label(code: str) -> str:
    return str(METRIC_LABELS.get(code, code))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def sentiment_label(code: str) -> str:
    from ..models import Sentiment

    return str(Sentiment(code).label) if code in Sentiment.values else code


@register.simple_tag
def comment_char_limit() -> int:
    """How much of a comment is analysed (longer ones are cut there, and the page says so)."""
    from ..analysis import MAX_CHARS

    return MAX_CHARS
