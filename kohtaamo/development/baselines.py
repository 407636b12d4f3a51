"""Where a development plan's baseline and follow-up figures come from: a registry of sources.

A source maps (person, dimension, period) to sufficient statistics of the person's 0–100 scores on
that dimension. "pulse" reads the customers' post-encounter responses about the person; 360 and
mystery-shopping figures can be registered under their own names with `baseline_source_register`.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Count, F, Sum
from django.utils.translation import gettext_lazy as _

from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Person

from .effects import Sample

BASELINE_DAYS = 180

SourceFunction = Callable[..., Sample]
_SOURCES: dict[str, tuple[str, SourceFunction]] = {}


def baseline_source_register(*, code: str, label: str, function: SourceFunction) -> None:
    """`function(*, person, dimension, since, until) -> Sample` over scores on 0–100."""
    _SOURCES[code] = (label, function)


def baseline_sources() -> dict[str, str]:
    return {code: label for code, (label, _f) in _SOURCES.items()}


def figure_for(*, source: str, person: Person, dimension: Dimension, since: datetime, until: datetime) -> Sample:
    return _SOURCES[source][1](person=person, dimension=dimension, since=since, until=until)


def pulse_figure(*, person: Person, dimension: Dimension, since: datetime, until: datetime) -> Sample:
    stats = DimensionScore.objects.filter(
        dimension=dimension,
        response__subject_person=person,
        response__in=Response.objects.customer_feedback(),
        response__submitted_at__gte=since,
        response__submitted_at__lt=until,
    ).aggregate(n=Count("pk"), total=Sum("score"), total_sq=Sum(F("score") * F("score")))
    return Sample.from_sums(**stats)


baseline_source_register(code="pulse", label=_("Pulse feedback"), function=pulse_figure)
