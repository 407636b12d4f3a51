"""Framework items on observation and role-play forms, and the raters' public address."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from kohtaamo.instruments.models import Dimension, Item

from .models import RolePlaySession

RATING_MIN, RATING_MAX = 1, 5


def observation_items_for(*, organisation) -> list[Item]:
    """The five elements' items of the framework the organisation's questionnaires use."""
    return list(
        Item.objects.filter(
            dimensions__group=Dimension.Group.ELEMENT,
            framework__questionnaires__organisation=organisation,
            reverse_coded=False,
        )
        .distinct()
        .order_by("code")
    )


def scale_values_from(data, *, items: list[Item], required: bool) -> dict[int, int]:
    """Posted ratings `item-<id>` on 1–5; blank ones are skipped unless every item is required."""
    values = {}
    for item in items:
        raw = data.get(f"item-{item.pk}", "")
        if raw == "":
            if required:
                raise ValidationError(_("Rate every item."))
            continue
        if not raw.isdigit() or not RATING_MIN <= int(raw) <= RATING_MAX:
            raise ValidationError(_("Ratings are whole numbers from 1 to 5."))
        values[item.pk] = int(raw)
    return values


def rating_url(session: RolePlaySession) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse("roleplay_rating:rate", kwargs={"token": session.token})
