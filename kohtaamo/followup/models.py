"""Closed-loop follow-up: rules that open a case for an unhappy customer, and the case itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.tenancy import TenantOwned


class FollowupRule(models.Model):
    class Kind(models.TextChoices):
        NPS_AT_MOST = "nps_at_most", _("NPS at most")
        CSAT_AT_MOST = "csat_at_most", _("CSAT at most")
        COMMENT_KEYWORDS = "comment_keywords", _("Comment mentions")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    threshold = models.SmallIntegerField(_("threshold"), null=True, blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("One word stem per line, any language."))
    deadline_days = models.PositiveSmallIntegerField(_("days to close"), default=3)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        if self.kind == self.Kind.COMMENT_KEYWORDS:
            return f"{self.get_kind_display()}: {', '.join(self.keyword_list)}"
        return f"{self.get_kind_display()} {self.threshold}"

    @property
    def keyword_list(self) -> list[str]:
        return [w.strip().casefold() for w in self.keywords.splitlines() if w.strip()]


class FollowupCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Customer contacted")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        PARTLY = "partly", _("Partly resolved")
        NOT_RESOLVED = "not_resolved", _("Not resolved")
        NOT_REACHED = "not_reached", _("Customer not reached")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(
        "feedback.Response", null=True, blank=True, on_delete=models.CASCADE, related_name="followup_case"
    )
    invitation = models.ForeignKey(
        "feedback.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(
        "organisations.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.JSONField(default=list)  # rule descriptions that matched, in the case's words
    customer_requested = models.BooleanField(_("customer asked to be contacted"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField(_("deadline"))
    contacted_at = models.DateTimeField(_("contacted"), null=True, blank=True)
    contact_note = models.TextField(_("contact note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    root_cause = models.ForeignKey(
        "instruments.Dimension",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("root cause (framework element)"),
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The customer's next response after the case was closed: did the experience recover?
    resurvey_response = models.ForeignKey(
        "feedback.Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "deadline"])]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ContactPreference(TenantOwned):
    """What the respondent of an invitation chose on the public contact page."""

    tenant_parent = "invitation"

    class Choice(models.TextChoices):
        CONTACT = "contact", _("Please contact me")
        NO_CONTACT = "no_contact", _("Please do not contact me")

    invitation = models.OneToOneField("feedback.Invitation", on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=12, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")
