"""360 rounds: who is assessed, who rates them, and the frozen report releases (DESIGN.md sections 3 and 6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.feedback.models import RespondentRole
from kohtaamo.organisations.tenancy import TenantOwned

# The rater groups of a 360 round, in report order.
RATER_GROUPS = (
    RespondentRole.SELF,
    RespondentRole.SUPERVISOR,
    RespondentRole.COLLEAGUE,
    RespondentRole.DIRECT_REPORT,
    RespondentRole.CUSTOMER,
)


class Assessment(models.Model):
    """The 360 settings of a Round of kind 360: schedule, nomination limits and its three questionnaires."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="assessments")
    round = models.OneToOneField("feedback.Round", on_delete=models.CASCADE, related_name="assessment")
    nomination_closes_on = models.DateField(_("nominations close on"))
    answering_closes_on = models.DateField(_("answering closes on"))
    report_on = models.DateField(_("reports released on"))
    min_colleagues = models.PositiveSmallIntegerField(_("fewest colleague raters"), default=3)
    max_colleagues = models.PositiveSmallIntegerField(_("most colleague raters"), default=8)
    questionnaire_self = models.ForeignKey(
        "instruments.Questionnaire", on_delete=models.PROTECT, related_name="+", verbose_name=_("self version")
    )
    questionnaire_other = models.ForeignKey(
        "instruments.Questionnaire", on_delete=models.PROTECT, related_name="+", verbose_name=_("others' version")
    )
    questionnaire_customer = models.ForeignKey(
        "instruments.Questionnaire", on_delete=models.PROTECT, related_name="+", verbose_name=_("customers' version")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("360 round")
        verbose_name_plural = _("360 rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_colleagues__gte=models.F("min_colleagues")), name="assessment_colleague_range"
            )
        ]

    def __str__(self) -> str:
        return self.round.name


class Participant(models.Model):
    """A person assessed in a 360 round."""

    class Nomination(models.TextChoices):
        OPEN = "open", _("Nominating")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="assessments")
    coach = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="coached_assessments"
    )
    nomination = models.CharField(max_length=12, choices=Nomination.choices, default=Nomination.OPEN)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessed person")
        verbose_name_plural = _("assessed people")
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "assessment", "person"], name="participant_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Rater(TenantOwned):
    """One rater of one participant; answers through a feedback Invitation of the round."""

    tenant_parent = "participant"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="raters")
    role = models.CharField(max_length=20, choices=RespondentRole.choices)
    person = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="rates"
    )
    customer = models.ForeignKey(
        "organisations.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="rates"
    )
    # Kept here, not on the invitation: the pulse sender must never pick a 360 invitation up.
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=2, default="fi")
    invitation = models.OneToOneField(
        "feedback.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="rater"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rater")
        verbose_name_plural = _("raters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "participant", "person"],
                condition=models.Q(person__isnull=False),
                name="rater_person_once",
            ),
            models.UniqueConstraint(
                fields=["organisation", "participant", "customer"],
                condition=models.Q(customer__isnull=False),
                name="rater_customer_once",
            ),
        ]


class Release(TenantOwned):
    """A frozen report: later answers never change it; they go into a new, announced release."""

    tenant_parent = "participant"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveSmallIntegerField()
    current = models.BooleanField(default=True)
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    snapshot = models.JSONField()
    # Response ids behind each shown group: internal, for the differencing check of the next release.
    members = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("report release")
        verbose_name_plural = _("report releases")
        ordering = ["participant", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "participant", "number"], name="release_number_unique"),
            models.UniqueConstraint(
                fields=["organisation", "participant"], condition=models.Q(current=True), name="one_current_release"
            ),
        ]


class ReleaseFigure(TenantOwned):
    """One released dimension figure of a group, so norms, trends and team reports aggregate in the database."""

    tenant_parent = "release"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figures")
    group = models.CharField(max_length=20)
    dimension = models.ForeignKey("instruments.Dimension", on_delete=models.PROTECT, related_name="+")
    mean = models.FloatField()  # on the item scale
    score = models.FloatField()  # 0–100
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "release", "group", "dimension"], name="release_figure_unique"
            )
        ]
