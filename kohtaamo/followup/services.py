"""Writes of the closed loop: rules, opening a case for an unhappy customer, contact, closing, escalation."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kohtaamo.feedback.models import Invitation, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Membership, Organisation, Unit
from kohtaamo.privacy.consent import consent_record_contact_choice

from .models import ContactPreference, FollowupCase, FollowupRule

# A negative remark about trust, in the three languages (word stems, matched case-insensitively).
TRUST_KEYWORDS = [
    "en luota",
    "ei luotettav",
    "epäluotettav",
    "epärehellis",
    "valehtel",
    "huijat",
    "petty",
    "lupaus petti",
    "litar inte",
    "opålitlig",
    "ohederlig",
    "ljög",
    "lurad",
    "don't trust",
    "do not trust",
    "untrustworthy",
    "dishonest",
    "lied",
    "misled",
    "broken promise",
]
DEFAULT_RULES = [
    {"kind": FollowupRule.Kind.NPS_AT_MOST, "threshold": 6},
    {"kind": FollowupRule.Kind.CSAT_AT_MOST, "threshold": 2},
    {"kind": FollowupRule.Kind.COMMENT_KEYWORDS, "keywords": "\n".join(TRUST_KEYWORDS)},
]


def followup_rules_ensure(*, organisation: Organisation) -> list[FollowupRule]:
    """The organisation's rules; the default three (NPS <= 6, CSAT <= 2, trust remark) where it has none."""
    rules = list(FollowupRule.objects.filter(organisation=organisation))
    if not rules:
        rules = FollowupRule.objects.bulk_create(
            [FollowupRule(organisation=organisation, **spec) for spec in DEFAULT_RULES]
        )
    return [rule for rule in rules if rule.active]


def followup_rule_create(*, organisation: Organisation, data: dict) -> FollowupRule:
    """A new rule for the organisation; the default rules are stored first so they keep applying."""
    followup_rules_ensure(organisation=organisation)
    return FollowupRule.objects.create(organisation=organisation, **_rule_fields(data))


def followup_rule_update(*, rule: FollowupRule, data: dict) -> FollowupRule:
    for field, value in _rule_fields(data).items():
        setattr(rule, field, value)
    rule.save(update_fields=list(RULE_FIELDS))
    return rule


def followup_rule_set_active(*, rule: FollowupRule, active: bool) -> FollowupRule:
    """Switch a rule on or off; rules are never deleted, the cases they opened refer to them."""
    rule.active = active
    rule.save(update_fields=["active"])
    return rule


RULE_FIELDS = ("kind", "threshold", "keywords", "deadline_days")


def _rule_fields(data: dict) -> dict:
    return {field: data[field] for field in RULE_FIELDS}


def rule_matches(*, rule: FollowupRule, nps: int | None, csat: int | None, comment: str) -> bool:
    if rule.kind == FollowupRule.Kind.NPS_AT_MOST:
        return nps is not None and nps <= rule.threshold
    if rule.kind == FollowupRule.Kind.CSAT_AT_MOST:
        return csat is not None and csat <= rule.threshold
    text = comment.casefold()
    return bool(text) and any(word in text for word in rule.keyword_list)


def _ancestors_nearest_first(unit: Unit) -> list[int]:
    return [int(part) for part in reversed(unit.path.strip("/").split("/")) if part]


def unit_manager_for(*, unit: Unit, above: Unit | None = None) -> User | None:
    """The manager of the unit: a unit_manager membership on it or on its nearest ancestor.

    With `above`, the nearest manager strictly above that unit (for escalation)."""
    chain = _ancestors_nearest_first(unit)
    if above is not None and above.pk in chain:
        chain = chain[chain.index(above.pk) + 1 :]
    memberships = {
        m.unit_id: m.user
        for m in Membership.objects.filter(
            organisation_id=unit.organisation_id, role=Membership.Role.UNIT_MANAGER, unit_id__in=chain
        ).select_related("user")
    }
    return next((memberships[uid] for uid in chain if uid in memberships), None)


def _owner_unit(user: User, organisation_id: int) -> Unit | None:
    membership = Membership.objects.filter(user=user, organisation_id=organisation_id).select_related("unit").first()
    return membership.unit if membership else None


def _leads(organisation_id: int) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=[Membership.Role.CX_LEAD, Membership.Role.ADMIN]
        ).select_related("user")
    ]


def case_url(case: FollowupCase) -> str:
    slug = Organisation.objects.values_list("slug", flat=True).get(pk=case.organisation_id)
    return settings.KOHTAAMO_BASE_URL + reverse("followup:case", kwargs={"org": slug, "case_id": case.pk})


def case_notify(*, case: FollowupCase, recipients: list[User], escalation: bool = False) -> int:
    """E-mail the case to the given logins, each in the organisation's default language."""
    addresses = [u.email for u in recipients if u.email]
    if not addresses:
        return 0
    organisation = Organisation.objects.get(pk=case.organisation_id)
    with translation.override(organisation.default_language):
        context = {"case": case, "url": case_url(case), "escalation": escalation, "organisation": organisation}
        subject = render_to_string("followup/email_subject.txt", context).strip()
        body = render_to_string("followup/email_body.txt", context)
    return send_mail(subject, body, None, addresses)


def _customer_of(response: Response):
    if response.encounter_id and response.encounter.customer_id:
        return response.encounter.customer
    if response.invitation_id and response.invitation.customer_id:
        return response.invitation.customer
    return None


def _root_unit(organisation_id: int) -> Unit | None:
    return Unit.objects.filter(organisation_id=organisation_id, parent__isnull=True).order_by("pk").first()


def _preference(invitation_id: int | None) -> str:
    if invitation_id is None:
        return ""
    return ContactPreference.objects.filter(invitation_id=invitation_id).values_list("choice", flat=True).first() or ""


def case_open_for_response(
    *, response_id: int, now: datetime | None = None, notify: bool = True
) -> FollowupCase | None:
    """Open a case where the organisation's rules match a customer's response (or the customer asked).

    Idempotent: a response has at most one case. Sends the owner an e-mail after the case is stored."""
    now = now or timezone.now()
    response = (
        Response.objects.customer_feedback()
        .select_related("encounter__customer", "invitation__customer", "unit")
        .filter(pk=response_id)
        .first()
    )
    if response is None or FollowupCase.objects.filter(response=response).exists():
        return None
    comment = " ".join(response.answers.exclude(text="").values_list("text", flat=True))
    rules = followup_rules_ensure(organisation=response.organisation)
    matched = [r for r in rules if rule_matches(rule=r, nps=response.nps, csat=response.csat, comment=comment)]
    requested = _preference(response.invitation_id) == ContactPreference.Choice.CONTACT
    if not matched and not requested:
        return None
    return _case_create(
        response=response,
        reasons=[str(r) for r in matched],
        deadline_days=min((r.deadline_days for r in matched), default=3),
        requested=requested,
        now=now,
        notify=notify,
    )


def _case_create(
    *, response: Response, reasons: list[str], deadline_days: int, requested: bool, now: datetime, notify: bool = True
):
    unit = response.unit or _root_unit(response.organisation_id)
    if unit is None:
        return None
    owner = unit_manager_for(unit=unit)
    try:
        with transaction.atomic():
            case = FollowupCase.objects.create(
                organisation_id=response.organisation_id,
                response=response,
                invitation_id=response.invitation_id,
                customer=_customer_of(response),
                unit=unit,
                owner=owner,
                reasons=reasons,
                customer_requested=requested,
                opened_at=now,
                deadline=now + timedelta(days=deadline_days),
            )
    except IntegrityError:  # a concurrent run opened it first
        return None
    if notify:
        case_notify(case=case, recipients=[owner] if owner else _leads(response.organisation_id))
    _announce(case, "followup.case_opened")
    return case


def _announce(case: FollowupCase, event: str) -> None:
    from kohtaamo.integrations.services import webhooks_emit

    webhooks_emit(organisation_id=case.organisation_id, event=event, payload=case_payload(case))


def case_payload(case: FollowupCase) -> dict:
    return {
        "id": case.pk,
        "response": case.response_id,
        "unit": case.unit_id,
        "status": case.status,
        "reasons": case.reasons,
        "opened_at": case.opened_at.isoformat(),
        "deadline": case.deadline.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "outcome": case.outcome,
        "root_cause": case.root_cause.code if case.root_cause_id else None,
    }


def case_record_contact(*, case: FollowupCase, note: str, at: datetime | None = None) -> FollowupCase:
    case.contacted_at = at or timezone.now()
    case.contact_note = note
    if case.status == FollowupCase.Status.OPEN:
        case.status = FollowupCase.Status.CONTACTED
    case.save(update_fields=["contacted_at", "contact_note", "status"])
    return case


def case_close(
    *, case: FollowupCase, outcome: str, resolution: str, root_cause: Dimension | None, at: datetime | None = None
) -> FollowupCase:
    case.status = FollowupCase.Status.CLOSED
    case.closed_at = at or timezone.now()
    case.outcome = outcome
    case.resolution = resolution
    case.root_cause = root_cause
    case.save(update_fields=["status", "closed_at", "outcome", "resolution", "root_cause"])
    _announce(case, "followup.case_closed")
    return case


def cases_escalate_overdue(*, now: datetime | None = None) -> int:
    """Hand every overdue open case to the next manager up (or the CX leads at the top) and e-mail them."""
    now = now or timezone.now()
    escalated = 0
    overdue = (
        FollowupCase.objects.exclude(status=FollowupCase.Status.CLOSED)
        .filter(deadline__lt=now)
        # Once escalated, a case climbs one level a day until someone closes it.
        .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lte=now - timedelta(days=1)))
        .select_related("unit", "owner")
    )
    for case in overdue:
        owner_unit = _owner_unit(case.owner, case.organisation_id) if case.owner_id else None
        above = owner_unit if owner_unit is not None else case.unit
        next_manager = unit_manager_for(unit=case.unit, above=above)
        recipients = [next_manager] if next_manager else _leads(case.organisation_id)
        if next_manager is not None:
            case.owner = next_manager
        case.escalation_level += 1
        case.escalated_at = now
        case.save(update_fields=["owner", "escalation_level", "escalated_at"])
        case_notify(case=case, recipients=recipients, escalation=True)
        escalated += 1
    return escalated


def contact_preference_set(*, invitation: Invitation, choice: str) -> ContactPreference:
    """The respondent's wish; "please contact me" opens a case for an answered invitation without one."""
    preference, _created = ContactPreference.objects.update_or_create(
        invitation=invitation, defaults={"choice": choice}
    )
    consent_record_contact_choice(invitation=invitation, choice=choice)
    if choice == ContactPreference.Choice.CONTACT:
        response = Response.objects.filter(invitation=invitation, status=Response.Status.SUBMITTED).first()
        if response is not None:
            existing = FollowupCase.objects.filter(response=response).first()
            if existing is None:
                _case_create(
                    response=Response.objects.select_related("encounter__customer", "invitation__customer", "unit").get(
                        pk=response.pk
                    ),
                    reasons=[],
                    deadline_days=3,
                    requested=True,
                    now=timezone.now(),
                )
            elif not existing.customer_requested:
                FollowupCase.objects.filter(pk=existing.pk).update(customer_requested=True)
    return preference


def resurvey_attach(*, response_id: int) -> int:
    """A closed case's customer answered again: record that response as the case's re-survey result."""
    response = Response.objects.select_related("encounter", "invitation").filter(pk=response_id).first()
    if response is None or response.submitted_at is None:  # gone, or not submitted after all
        return 0
    customer = _customer_of(response)
    if customer is None:
        return 0
    return FollowupCase.objects.filter(
        customer=customer,
        status=FollowupCase.Status.CLOSED,
        resurvey_response__isnull=True,
        closed_at__lte=response.submitted_at,
    ).update(resurvey_response=response)
