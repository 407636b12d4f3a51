from django import template

from kohtaamo.stakeholders.forms import unit_label as _unit_label

register = template.Library()


@register.filter
def unit_label(unit) -> str:
    """A unit with its parent's name ("Helsinki Keskusta › Asiakaspalvelu"); the parent must be loaded."""
    return _unit_label(unit)
