from django import template

from kohtaamo.instruments.models import pick_language

register = template.Library()


@register.filter
def cell_for(cells: dict, period):
    return cells.get(period.pk)


@register.filter
def item_figure(items: dict, code: str):
    return items.get(code)


@register.filter
def in_language(texts: dict) -> str:
    return pick_language(texts)
