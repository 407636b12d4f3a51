"""Webhooks: signed POSTs to an organisation's own systems, with retries and a delivery log."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.tenancy import TenantOwned


class Event(models.TextChoices):
    RESPONSE_SUBMITTED = "response.submitted", _("Response submitted")
    CASE_OPENED = "followup.case_opened", _("Follow-up case opened")
    CASE_CLOSED = "followup.case_closed", _("Follow-up case closed")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("target URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TenantOwned):
    tenant_parent = "webhook"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to retry")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class DeliveryAttempt(TenantOwned):
    tenant_parent = "delivery"
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]
