from django import template

register = template.Library()


@register.filter
def gap_of(theme, sides: str):
    """`theme|gap_of:"management,customer"`: the first side's mean minus the second's, or None."""
    side, other = sides.split(",")
    return theme.gap(side, other)
