"""Encounters, rounds, invitations and the responses they bring (DESIGN.md sections 1 and 4)."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.instruments.models import Questionnaire
from kohtaamo.organisations.models import Channel, Language


def new_token() -> str:
    # 256 bits from the OS CSPRNG: unguessable, URL-safe.
    return secrets.token_urlsafe(32)


class Round(models.Model):
    """One use of a questionnaire. A pulse round is an organisation's continuous pulse programme."""

    class Kind(models.TextChoices):
        PULSE = "pulse", _("Pulse programme")
        THREE_SIXTY = "360", _("360 round")
        MYSTERY = "mystery", _("Mystery-shopping wave")
        MATURITY = "maturity", _("Maturity survey")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    questionnaire = models.ForeignKey("instruments.Questionnaire", on_delete=models.PROTECT, related_name="rounds")
    active = models.BooleanField(_("active"), default=True)
    invite_after_encounters = models.BooleanField(_("invite customers after encounters"), default=True)
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=3)
    expires_after_days = models.PositiveSmallIntegerField(_("invitation valid for (days)"), default=14)
    throttle_days = models.PositiveSmallIntegerField(_("invite the same customer at most once in (days)"), default=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.name


class Encounter(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="encounters")
    external_id = models.CharField(_("external id"), max_length=100)
    customer = models.ForeignKey(
        "organisations.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="encounters"
    )
    person = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="encounters"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="encounters")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    touchpoint = models.ForeignKey(
        "organisations.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="encounters"
    )
    occurred_at = models.DateTimeField(_("time"))
    transcript = models.TextField(_("transcript"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="encounter_external_id_unique")
        ]
        indexes = [models.Index(fields=["organisation", "occurred_at"])]

    def __str__(self) -> str:
        return self.external_id


class RespondentRole(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SELF = "self", _("Self")
    SUPERVISOR = "supervisor", _("Supervisor")
    COLLEAGUE = "colleague", _("Colleague")
    DIRECT_REPORT = "direct_report", _("Direct report")
    SHOPPER = "shopper", _("Mystery shopper")
    MANAGEMENT = "management", _("Management")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    INTERNAL_CUSTOMER = "internal_customer", _("Internal customer")


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        REMINDED = "reminded", _("Reminded")
        RESPONDED = "responded", _("Responded")
        FAILED = "failed", _("Sending failed")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="invitations")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    customer = models.ForeignKey(
        "organisations.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default="fi")
    # Who answers about whom: a 360 rater answers about a person, with the wording of their perspective.
    respondent_role = models.CharField(max_length=20, choices=RespondentRole.choices, default=RespondentRole.CUSTOMER)
    subject_person = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_about"
    )
    questionnaire = models.ForeignKey(
        "instruments.Questionnaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
        help_text=_("The version this invitation asks; the round's questionnaire when empty."),
    )
    # Unique per organisation (the distribution key); 256 random bits make a clash across tenants moot.
    token = models.CharField(max_length=64, db_index=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["status", "sent_at"])]
        constraints = [models.UniqueConstraint(fields=["organisation", "token"], name="invitation_token_unique")]

    def __str__(self) -> str:
        return f"{self.round} → {self.email or self.customer_id}"


class OpenLink(models.Model):
    """A public link (and its QR code) for one touchpoint: anyone who was there may answer."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="open_links")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="open_links")
    touchpoint = models.ForeignKey("organisations.Touchpoint", on_delete=models.CASCADE, related_name="open_links")
    # Unique per organisation (the distribution key); 256 random bits make a clash across tenants moot.
    token = models.CharField(max_length=64, db_index=True, default=new_token, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open link")
        verbose_name_plural = _("open links")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round", "touchpoint"], name="one_open_link_per_touchpoint"
            ),
            models.UniqueConstraint(fields=["organisation", "token"], name="open_link_token_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.touchpoint} ({self.round})"


class ResponseQuerySet(models.QuerySet):
    def customer_feedback(self) -> "ResponseQuerySet":
        """Submitted customer feedback: customers' answers to pulse questionnaires (the respondent page,
        open links, the widget, the API, imports). Customers also rate an employee in 360 rounds and
        answer maturity surveys; those answers belong to those instruments' own reports and anonymity
        rules, so no dashboard, export, alert or text analysis of customer feedback may count them."""
        # `IN (pulse questionnaires)`, not a join: the planner keeps its plans over responses (a small
        # hashed list of ids), where a join in a subquery made rollup rebuilds take minutes.
        return self.filter(
            status=Response.Status.SUBMITTED,
            respondent_role=RespondentRole.CUSTOMER,
            questionnaire__in=Questionnaire.objects.filter(kind=Questionnaire.Kind.PULSE).values("pk"),
        )


class Response(models.Model):
    """One respondent's answers. A draft until submitted; analytics read only submitted ones.

    Unit, person, channel and touchpoint are copied from the encounter or link at creation so
    that aggregates are single-table filters.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="responses")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    questionnaire = models.ForeignKey("instruments.Questionnaire", on_delete=models.PROTECT, related_name="responses")
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    open_link = models.ForeignKey(OpenLink, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    encounter = models.ForeignKey(Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses")
    respondent_role = models.CharField(max_length=20, choices=RespondentRole.choices, default=RespondentRole.CUSTOMER)
    subject_person = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    touchpoint = models.ForeignKey(
        "organisations.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default="fi")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Outcome figures and EQI, computed once at submit from the answers (scoring.py).
    nps = models.SmallIntegerField(null=True, blank=True)
    csat = models.SmallIntegerField(null=True, blank=True)
    ces = models.SmallIntegerField(null=True, blank=True)
    eqi = models.FloatField(null=True, blank=True)
    has_comment = models.BooleanField(default=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            # One response per invitation, and one per (link, page key): a double submit stores one.
            models.UniqueConstraint(
                fields=["organisation", "invitation"],
                condition=models.Q(invitation__isnull=False),
                name="one_response_per_invitation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "open_link", "idempotency_key"], name="open_link_key_unique"
            ),
            # A client that retries with the same key gets the stored response back, never a second one.
            models.UniqueConstraint(fields=["organisation", "idempotency_key"], name="organisation_key_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "submitted_at"]),
            models.Index(fields=["organisation", "subject_person", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"


class Answer(models.Model):
    """One answer, long format: one row per question answered."""

    # Carried on every tenant table so the schema can be distributed by organisation (see README).
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("instruments.Question", on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "response", "question"], name="one_answer_per_question")
        ]


class DimensionScore(models.Model):
    """A submitted response's score on one dimension: the mean on the item scale and its 0–100 rescaling."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="dimension_scores")
    dimension = models.ForeignKey("instruments.Dimension", on_delete=models.PROTECT, related_name="scores")
    mean = models.FloatField()
    score = models.FloatField()
    items_answered = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "response", "dimension"], name="one_score_per_dimension")
        ]
