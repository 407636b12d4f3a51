"""Stakeholders besides customers: partner organisations and their contact people, the internal
customers a unit serves, and the stakeholder rounds that ask them about a unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Language


class Audience(models.TextChoices):
    """Who answers about a unit; the values are the respondent roles of their responses."""

    CUSTOMER = "customer", _("Customers")
    PARTNER = "partner", _("Partners")
    INTERNAL_CUSTOMER = "internal_customer", _("Internal customers")


class PartnerOrganisation(models.Model):
    """A supplier, reseller or other partner; `unit` is the unit that works with it."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        RESELLER = "reseller", _("Reseller")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")
        OTHER = "other", _("Other partner")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="partner_organisations"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="partner_organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_name_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A contact person of a partner; invited only with consent and until the retention date."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FI)
    contact_consent = models.BooleanField(_("consent to contact"), default=False)
    retain_until = models.DateField(_("retain contact details until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "partner", "email"], name="partner_contact_email_unique")
        ]

    def __str__(self) -> str:
        return self.name


class InternalService(models.Model):
    """`provider` serves the people of `customer_unit` (and its subtree) inside the organisation."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="internal_services")
    customer_unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="served_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal service")
        verbose_name_plural = _("internal services")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "provider", "customer_unit"], name="internal_service_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("customer_unit")), name="internal_service_other_unit"
            ),
        ]


class StakeholderRound(models.Model):
    """One launch: an audience asked about one unit, as a feedback round of its own (invitations,
    reminders and the respondent page are the feedback app's). Responses reach their unit through it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="stakeholder_rounds"
    )
    round = models.OneToOneField("feedback.Round", on_delete=models.CASCADE, related_name="stakeholder_round")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="stakeholder_rounds")
    launched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stakeholder round")
        verbose_name_plural = _("stakeholder rounds")
        ordering = ["-launched_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=["partner", "internal_customer"]), name="stakeholder_round_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}: {self.unit}"
