"""Personal-data governance: retention settings, consent records and the audit log of personal-data access."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacySettings(models.Model):
    """An organisation's retention rule for customer contact details."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="privacy_settings"
    )
    contact_retention_days = models.PositiveIntegerField(
        _("keep customer contact details for (days)"),
        default=365,
        help_text=_("Used when a customer has no retention date of their own, counted from the consent."),
    )

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self) -> str:
        return str(self.organisation)


class ConsentPurpose(models.TextChoices):
    SURVEY_INVITATIONS = "survey_invitations", _("Feedback invitations by e-mail")
    FOLLOWUP_CONTACT = "followup_contact", _("Contact about the feedback given")
    RATER_INVITATION = "rater_invitation", _("360 rater invitation")


class ConsentSource(models.TextChoices):
    CSV_IMPORT = "csv_import", _("CSV import")
    API = "api", _("API")
    RESPONDENT_PAGE = "respondent_page", _("Respondent's own choice on the feedback page")
    ADMIN = "admin", _("Administrator")
    STAFF_ENTRY = "staff_entry", _("Entered by staff")


class ConsentRecord(models.Model):
    """One consent given or withdrawn. A given consent stays open until it is withdrawn, expires or is erased."""

    class State(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Closed(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Retention period ended")
        ERASED = "erased", _("Personal data erased")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "organisations.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="consent_records"
    )
    # Consent tied to one invitation (the respondent page) or one 360 rater added by address.
    invitation = models.ForeignKey(
        "feedback.Invitation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rater = models.ForeignKey(
        "assessments.Rater", null=True, blank=True, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    state = models.CharField(_("consent"), max_length=10, choices=State.choices)
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    wording = models.TextField(_("wording shown"), blank=True)
    wording_version = models.CharField(_("wording version"), max_length=40, blank=True)
    at = models.DateTimeField(_("when"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_reason = models.CharField(_("closed because"), max_length=10, choices=Closed.choices, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "closed_at"])]


class AuditEntry(models.Model):
    """Who viewed, exported, changed or erased personal data: object type and id only, never names."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        ERASE = "erase", _("Erased")
        RETENTION = "retention", _("Contact details expired")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The login's name at the time, so the fact survives the login; wiped when that login's person is erased.
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "at"])]
