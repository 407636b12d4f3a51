"""The staff experience pulse: a recurring, anonymous staff survey per organisation.

Anonymity is a property of the tables, not only of the reports: an answer sheet carries its unit and
period and nothing else about who answered or when. The invitation keeps only a yes/no "answered"
flag (no time, no separate row whose order could be matched with the sheets), and sheets and answers
take random primary keys so that not even their keys reveal the order in which they arrived.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class StaffPulseSchedule(models.Model):
    """How often an organisation asks its staff, whom, and when it reminds."""

    class Cadence(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="staff_pulse_schedule"
    )
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.MONTH)
    units = models.ManyToManyField(
        "organisations.Unit",
        blank=True,
        related_name="+",
        verbose_name=_("units"),
        help_text=_("Staff of these units and the units below them are invited; none chosen: everyone."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(_("reminder after (days)"), default=7)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff pulse schedule")
        verbose_name_plural = _("staff pulse schedules")


class StaffPulseItem(models.Model):
    """A statement of the staff pulse; its wording is data, one text per language."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Agreement 1–5")
        COMMENT = "comment", _("Open comment")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    theme = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCALE)
    order = models.PositiveSmallIntegerField(default=0)
    texts = models.JSONField(default=dict)  # {"fi": ..., "sv": ..., "en": ...}

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="staff_item_code_unique")]

    def __str__(self) -> str:
        return self.code


class StaffPulsePeriod(models.Model):
    """One pulse: a month or a quarter, cut in the organisation's time zone."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))  # inclusive; answers are taken until the end of this local day
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["organisation", "start"], name="staff_period_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "11/2026" for a month, "Q4/2026" for a quarter."""
        if self.start.month == self.end.month:
            return f"{self.start.month}/{self.start.year}"
        return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"


class StaffPulseInvitation(models.Model):
    """One staff member's link for one period. `answered` is the only trace of having answered."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(StaffPulsePeriod, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    language = models.CharField(max_length=2, default="fi")
    token = models.CharField(max_length=64, db_index=True, default=new_token)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period", "person"], name="staff_invitation_once"),
            models.UniqueConstraint(fields=["organisation", "token"], name="staff_invitation_token_unique"),
        ]


class StaffPulseSheet(models.Model):
    """One anonymous set of answers: unit and period only (no person, invitation or time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(StaffPulsePeriod, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    index = models.FloatField()  # staff experience index of this sheet, 0–100
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "period", "unit"])]


class StaffPulseAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(StaffPulseSheet, on_delete=models.CASCADE, related_name="answers")
    period = models.ForeignKey(StaffPulsePeriod, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(StaffPulseItem, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sheet", "item"], name="staff_answer_once_per_item"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="staff_answer_1_to_5"),
        ]
