"""Customer-centricity maturity surveys (DESIGN.md section 2): a yearly round answered by management,
staff and customers, so that the perception gap between them can be measured."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.tenancy import TenantOwned


class MaturitySurvey(models.Model):
    """One year's maturity assessment: a feedback round with an organisation and a customer questionnaire."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="maturity_surveys"
    )
    round = models.OneToOneField("feedback.Round", on_delete=models.PROTECT, related_name="maturity_survey")
    year = models.PositiveSmallIntegerField(_("year"))
    # The round's questionnaire is the organisation version; customers answer the customer-facing one.
    organisation_questionnaire = models.ForeignKey(
        "instruments.Questionnaire", on_delete=models.PROTECT, related_name="+"
    )
    customer_questionnaire = models.ForeignKey("instruments.Questionnaire", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maturity survey")
        verbose_name_plural = _("maturity surveys")
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_maturity_survey_per_year")]

    def __str__(self) -> str:
        return f"{self.round.name} ({self.year})"


class InvitationTarget(TenantOwned):
    """The unit an invitee belongs to, so that staff and customer answers can be shown per unit."""

    tenant_parent = "survey"

    invitation = models.OneToOneField("feedback.Invitation", on_delete=models.CASCADE, related_name="maturity_target")
    survey = models.ForeignKey(MaturitySurvey, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="maturity_targets"
    )

    class Meta:
        verbose_name = _("maturity invitee")
        verbose_name_plural = _("maturity invitees")
