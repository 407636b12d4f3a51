"""What a webhook tells about a response: the customer-pulse figures, never 360 or staff answers."""

from kohtaamo.feedback.models import Response


def response_payload(*, response_id: int) -> dict | None:
    response = Response.objects.customer_feedback().filter(pk=response_id).first()
    if response is None:
        return None
    return {
        "id": response.pk,
        "submitted_at": response.submitted_at.isoformat(),
        "unit": response.unit_id,
        "person": response.subject_person_id,
        "touchpoint": response.touchpoint_id,
        "channel": response.channel,
        "language": response.language,
        "nps": response.nps,
        "csat": response.csat,
        "ces": response.ces,
        "eqi": response.eqi,
        "has_comment": response.has_comment,
    }
