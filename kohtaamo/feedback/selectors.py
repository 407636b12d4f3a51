import uuid

from django.db.models import Count, QuerySet
from django.utils import timezone

from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Organisation
from kohtaamo.organisations.selectors import Scope, restrict, touchpoints_visible

from .models import Encounter, Invitation, OpenLink, Response, Round


def pulse_programme_for(*, organisation: Organisation) -> Round | None:
    return (
        Round.objects.filter(organisation=organisation, kind=Round.Kind.PULSE).select_related("questionnaire").first()
    )


# The respondent flow: the token in the link is the respondent's only credential and carries the tenant.


def invitation_by_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "round__questionnaire", "encounter")
        .filter(token=token)
        .first()
    )


def open_link_by_token(*, token: str) -> OpenLink | None:
    return (
        OpenLink.objects.select_related("organisation", "round__questionnaire", "touchpoint")
        .filter(token=token)
        .first()
    )


def response_of_invitation(*, invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def response_of_open_link(*, open_link: OpenLink, key: str) -> Response | None:
    """The response a page of this link was shown for; none for a key that is not a UUID."""
    try:
        key_uuid = uuid.UUID(str(key))
    except ValueError:
        return None
    return Response.objects.filter(open_link=open_link, idempotency_key=key_uuid).first()


def response_questions(*, response: Response) -> list[Question]:
    return list(Question.objects.filter(questionnaire_id=response.questionnaire_id).order_by("order"))


def response_answer_values(*, response: Response) -> dict[int, str]:
    """Saved answers as the page shows them: question id -> the value as text."""
    return {
        question_id: text if value is None else str(value)
        for question_id, value, text in response.answers.values_list("question_id", "value", "text")
    }


def invitation_accepts_answers(*, invitation: Invitation) -> bool:
    return invitation.round.active and invitation.expires_at > timezone.now()


def open_link_accepts_answers(*, open_link: OpenLink) -> bool:
    return open_link.active and open_link.round.active


# The pulse programme page and the encounters API: reads through the tenant scope.


def encounters_visible(*, scope: Scope) -> QuerySet[Encounter]:
    return restrict(
        Encounter.objects.select_related("unit", "customer").order_by("-occurred_at", "-pk"),
        scope=scope,
    )


def open_links_for(*, scope: Scope, programme: Round) -> QuerySet[OpenLink]:
    return (
        OpenLink.objects.filter(round=programme, touchpoint__in=touchpoints_visible(scope=scope))
        .select_related("touchpoint__stage__service_path")
        .order_by("touchpoint__stage__service_path__name", "touchpoint__stage__order", "touchpoint__order")
    )


def invitation_counts_by_status(*, scope: Scope, programme: Round) -> dict[str, int]:
    """Invitations of the programme per status, every status present (0 where none)."""
    invitations = restrict(
        Invitation.objects.filter(round=programme),
        scope=scope,
        unit_field="encounter__unit",
        person_field="encounter__person",
    )
    counts = dict(invitations.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Invitation.Status.values}
