"""Mystery shopping: scenarios (checklists), waves, shoppers, assignments, reports, QA, calibration.

A scenario's checklist items map onto framework dimensions so that a unit's mystery-shop score can
sit beside its customers' pulse scores on the same dimension.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.tenancy import TenantOwned


class Scenario(models.Model):
    """A checklist questionnaire. Frozen once a report uses it; edits then go into a new version."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("instructions for the shopper"), blank=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    critical_fails_visit = models.BooleanField(_("a failed critical item fails the whole visit"), default=False)
    require_visit_times = models.BooleanField(_("visit start and end time required"), default=True)
    require_waiting_time = models.BooleanField(_("waiting time required"), default=False)
    require_staff_description = models.BooleanField(_("description of the staff member required"), default=False)
    require_media = models.BooleanField(_("photo or audio file required"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Section(TenantOwned):
    tenant_parent = "scenario"
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["scenario", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(TenantOwned):
    tenant_parent = "section"

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        YES_NO_NA = "yes_no_na", _("Yes / no / not applicable")
        SCALE = "scale", _("Scale")
        TEXT = "text", _("Text")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.YES_NO)
    scale_min = models.SmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.SmallIntegerField(_("scale maximum"), default=5)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    dimension = models.ForeignKey(
        "instruments.Dimension",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("framework dimension"),
    )
    critical = models.BooleanField(_("critical"), default=False)
    # An integrity item's right answer is "not applicable": any other answer flags a careless report.
    integrity = models.BooleanField(_("integrity check"), default=False)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="mystery_item_weight_non_negative"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="mystery_item_scale_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scored(self) -> bool:
        return self.kind != self.Kind.TEXT and not self.integrity


class EmployeeNotice(models.Model):
    """The organisation's notice to its employees that mystery shopping takes place."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    announced_on = models.DateField(_("announced on"))
    text = models.TextField(_("notice text"))
    staff_identification_announced = models.BooleanField(
        _("employees were told that staff may be identified in evidence"), default=False
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-announced_on", "-pk"]


class Wave(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.RESTRICT, related_name="waves")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first visit day"))
    ends_on = models.DateField(_("last visit day"))
    fee = models.DecimalField(_("fee per assignment (EUR)"), max_digits=8, decimal_places=2, default=0)
    evidence_retain_days = models.PositiveSmallIntegerField(_("keep evidence for (days after the wave)"), default=180)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="mystery_wave_dates")
        ]

    def __str__(self) -> str:
        return self.name


class Shopper(models.Model):
    """An external mystery shopper: a login with the shopper role only, their regions and availability."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    regions = models.ManyToManyField("organisations.Unit", blank=True, related_name="+", verbose_name=_("regions"))
    available = models.BooleanField(_("available for new assignments"), default=True)
    capacity = models.PositiveSmallIntegerField(_("open assignments at most"), default=5)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="mystery_one_shopper_per_user")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not assigned")
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        SUBMITTED = "submitted", _("Submitted, in QA")
        RETURNED = "returned", _("Returned to the shopper")
        APPROVED = "approved", _("Approved and published")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.RESTRICT, related_name="+", verbose_name=_("unit"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.FACE_TO_FACE)
    window_start = models.DateField(_("visit from"))
    window_end = models.DateField(_("visit by"))
    shopper = models.ForeignKey(
        Shopper, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments", verbose_name=_("shopper")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    fee = models.DecimalField(_("fee (EUR)"), max_digits=8, decimal_places=2, default=0)
    offered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["window_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")), name="mystery_assignment_window"
            )
        ]


class Report(TenantOwned):
    """A shopper's report of one visit; visible to the organisation only once approved in QA."""

    tenant_parent = "scenario"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In QA")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="report")
    scenario = models.ForeignKey(Scenario, on_delete=models.RESTRICT, related_name="reports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    visit_started_at = models.DateTimeField(_("visit started"), null=True, blank=True)
    visit_ended_at = models.DateTimeField(_("visit ended"), null=True, blank=True)
    waiting_minutes = models.PositiveSmallIntegerField(_("waiting time (minutes)"), null=True, blank=True)
    staff_description = models.TextField(_("description of the staff member"), blank=True)
    notes = models.TextField(_("narrative"), blank=True)
    score = models.FloatField(null=True, blank=True)  # after the critical-item rule
    raw_score = models.FloatField(null=True, blank=True)  # before it
    critical_failed = models.BooleanField(default=False)
    integrity_failed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["status", "approved_at"])]


class ReportAnswer(TenantOwned):
    tenant_parent = "report"
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.RESTRICT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)  # yes = 1, no = 0, or the scale value
    not_applicable = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    points = models.FloatField(null=True, blank=True)  # 0..1; None where N/A, text or an integrity item

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "report", "item"], name="mystery_one_answer_per_item")
        ]


class ReportPartScore(TenantOwned):
    """A report's weighted percentage on one section or one framework dimension."""

    tenant_parent = "report"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="part_scores")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(
        "instruments.Dimension", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField()


def evidence_path(instance, filename: str) -> str:
    return f"mystery/{instance.report.assignment.organisation_id}/{instance.report_id}/{filename}"


class Evidence(TenantOwned):
    tenant_parent = "report"

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        AUDIO = "audio", _("Audio")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    retain_until = models.DateField()


class ReviewComment(TenantOwned):
    tenant_parent = "report"
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    returned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Correction(TenantOwned):
    """Audit trail: who changed which field of a report, from what to what, and when."""

    tenant_parent = "report"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="corrections")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(max_length=200)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("wave"))
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    follow_up_wave = models.ForeignKey(
        Wave, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("follow up in wave")
    )
    follow_up_note = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class CalibrationRound(models.Model):
    """Several shoppers or reviewers score the same recorded visit; their agreement is reported."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.RESTRICT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    recording = models.TextField(_("the recorded visit (description or transcript)"))
    created_at = models.DateTimeField(auto_now_add=True)


class CalibrationRating(TenantOwned):
    tenant_parent = "calibration"
    calibration = models.ForeignKey(CalibrationRound, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "calibration", "rater"], name="mystery_one_rating_per_rater"
            )
        ]


class CalibrationAnswer(TenantOwned):
    tenant_parent = "rating"
    rating = models.ForeignKey(CalibrationRating, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.RESTRICT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    points = models.FloatField(null=True, blank=True)
