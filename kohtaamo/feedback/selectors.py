from kohtaamo.organisations.models import Organisation

from .models import Round


def pulse_programme_for(*, organisation: Organisation) -> Round | None:
    return (
        Round.objects.filter(organisation=organisation, kind=Round.Kind.PULSE).select_related("questionnaire").first()
    )
