"""Reacting to submitted responses: the work happens in a background task, never inside the submit.

A task is enqueued only where it could do something: the respondent is a known customer (a closed
case may get its re-survey result, or the customer asked to be contacted), or a customer's response
could match one of the organisation's follow-up rules.
"""

import time

from django.db.models.signals import post_delete, post_save

from .models import FollowupRule
from .services import DEFAULT_RULES
from .tasks import followup_for_response

# An organisation's active rules, per process for a few seconds: reading them would otherwise be a query
# on every submit. A rule changed in another process applies to responses submitted after this delay.
RULES_TTL_S = 5.0
_rules: dict[int, tuple[float, list[FollowupRule]]] = {}


def _active_rules(organisation_id: int) -> list[FollowupRule]:
    now = time.monotonic()
    cached = _rules.get(organisation_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    rules = list(FollowupRule.objects.filter(organisation_id=organisation_id))
    # An organisation with no rules stored gets the defaults when its first case is considered.
    rules = rules or [FollowupRule(organisation_id=organisation_id, **spec) for spec in DEFAULT_RULES]
    active = [rule for rule in rules if rule.active]
    if len(_rules) > 10_000:
        _rules.clear()
    _rules[organisation_id] = (now + RULES_TTL_S, active)
    return active


def followup_rules_forget(**kwargs) -> None:
    """Drop the cached rules; a rule saved or deleted in this process applies at once."""
    _rules.clear()


post_save.connect(followup_rules_forget, sender=FollowupRule, dispatch_uid="followup_rules_saved")
post_delete.connect(followup_rules_forget, sender=FollowupRule, dispatch_uid="followup_rules_deleted")


def _rule_could_match(rule: FollowupRule, *, nps: int | None, csat: int | None, has_comment: bool) -> bool:
    if rule.kind == FollowupRule.Kind.NPS_AT_MOST:
        return nps is not None and nps <= rule.threshold
    if rule.kind == FollowupRule.Kind.CSAT_AT_MOST:
        return csat is not None and csat <= rule.threshold
    return has_comment  # keyword rules read the comment text in the task


def _has_work(organisation_id: int, facts: dict) -> bool:
    if "respondent_role" not in facts:
        return True  # a sender that says nothing about the response: let the task decide
    if facts.get("customer_linked", True):
        return True
    if facts["respondent_role"] != "customer":
        return False
    return any(
        _rule_could_match(
            rule, nps=facts.get("nps"), csat=facts.get("csat"), has_comment=facts.get("has_comment", True)
        )
        for rule in _active_rules(organisation_id)
    )


def on_response_submitted(sender, response_id: int, organisation_id: int, **kwargs) -> None:
    if _has_work(organisation_id, kwargs):
        followup_for_response.enqueue(response_id)
