"""Journey-map data that extends the foundation's service paths, stages and touchpoints.

The path, its stages and touchpoints live in `organisations`; this app adds personas, what a
touchpoint asks about the customer's valuation of the stage, archiving, and a version history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.tenancy import TenantOwned


class Persona(TenantOwned):
    """A typical customer of one service path; maps to customer segments (Customer.segment) for filtering."""

    tenant_parent = "service_path"

    service_path = models.ForeignKey("organisations.ServicePath", on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    segments = models.JSONField(_("customer segments"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["service_path", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class StageDetail(TenantOwned):
    """A stage with responses is archived instead of deleted, so its history stays readable."""

    tenant_parent = "stage"

    stage = models.OneToOneField("organisations.Stage", on_delete=models.CASCADE, related_name="journey_detail")
    description = models.TextField(_("description"), blank=True)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("stage detail")
        verbose_name_plural = _("stage details")


class TouchpointDetail(TenantOwned):
    tenant_parent = "touchpoint"
    touchpoint = models.OneToOneField(
        "organisations.Touchpoint", on_delete=models.CASCADE, related_name="journey_detail"
    )
    customer_value = models.TextField(_("How does the customer value this stage?"), blank=True)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("touchpoint detail")
        verbose_name_plural = _("touchpoint details")


class JourneyVersion(TenantOwned):
    """A snapshot of a service path after one saved change: stages, touchpoints and personas as JSON."""

    tenant_parent = "service_path"

    service_path = models.ForeignKey("organisations.ServicePath", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(_("change"), max_length=300)
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("service path version")
        verbose_name_plural = _("service path versions")
        ordering = ["service_path", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service_path", "number"], name="journey_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_path} v{self.number}"
