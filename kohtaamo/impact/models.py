"""Business outcomes per customer and period, imported from the organisation's CRM or ERP."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("organisations.Customer", on_delete=models.CASCADE, related_name="outcomes")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))  # inclusive
    spend = models.DecimalField(_("spend"), max_digits=14, decimal_places=2, null=True, blank=True)
    services = models.PositiveIntegerField(_("number of services"), null=True, blank=True)
    retained = models.BooleanField(_("retained"), null=True, blank=True)
    recommended = models.BooleanField(_("recommended or referred"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business outcome")
        verbose_name_plural = _("business outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "customer", "period_start"], name="one_outcome_per_customer_period"
            ),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="outcome_period"),
        ]
        indexes = [models.Index(fields=["organisation", "period_start"])]
