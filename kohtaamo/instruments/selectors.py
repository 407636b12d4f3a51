from django.db.models import QuerySet

from .models import Dimension, Framework, Questionnaire


def questionnaire_is_frozen(*, questionnaire: Questionnaire) -> bool:
    """A questionnaire version with any response (draft or submitted) can no longer change."""
    return questionnaire.responses.exists()


def current_framework() -> Framework | None:
    return Framework.objects.order_by("-version").first()


def dimensions_of_group(*, framework: Framework, group: str) -> QuerySet[Dimension]:
    return framework.dimensions.filter(group=group).order_by("order")
