"""The development loop: case clinics, mentoring and shadowing, role-play feedback, plans and the self-test.

Every row carries its organisation and the unit it belongs to, so `restrict` scopes it like any other
tenant data: a team is a Unit, managers see their subtree, employees their own person's rows.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.tenancy import TenantOwned


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Scoped(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


# -- case clinics -------------------------------------------------------------------------------


class ClinicSeries(Scoped):
    class Interval(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    name = models.CharField(_("name"), max_length=200)
    interval = models.CharField(_("recurs"), max_length=10, choices=Interval.choices, default=Interval.MONTHLY)
    first_session_at = models.DateTimeField(_("first session"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place or meeting link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("clinic series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClinicSession(Scoped):
    series = models.ForeignKey(ClinicSeries, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    notes = models.TextField(_("notes"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("clinic session")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "series", "starts_at"], name="clinic_session_unique_time")
        ]


class IncidentKind(models.TextChoices):
    """Critical-incident kinds: how the employee handled the situation."""

    NONE = "", _("Not a critical incident")
    SERVICE_FAILURE = "service_failure", _("Response to a service failure")
    SPECIAL_NEED = "special_need", _("A customer's special need or request")
    UNPROMPTED = "unprompted", _("Something done unprompted")
    DIFFICULT_CUSTOMER = "difficult_customer", _("A difficult customer")


class ClinicCase(Scoped):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        MIXED = "mixed", _("Mixed")
        DIFFICULT = "difficult", _("Difficult")

    session = models.ForeignKey(ClinicSession, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    response = models.ForeignKey(
        "feedback.Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    encounter = models.ForeignKey(
        "feedback.Encounter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    incident_kind = models.CharField(_("critical incident"), max_length=20, choices=IncidentKind.choices, blank=True)
    situation = models.TextField(_("situation"))
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    dimensions = models.ManyToManyField(
        "instruments.Dimension", blank=True, related_name="+", verbose_name=_("elements and ethos/pathos/logos")
    )
    lessons = models.TextField(_("lessons"), blank=True)

    class Meta:
        verbose_name = _("clinic case")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ClinicAction(Scoped):
    case = models.ForeignKey(ClinicCase, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_in = models.ForeignKey(
        ClinicSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_up_actions"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("clinic action")
        ordering = ["due_date"]


# -- mentoring and shadowing ----------------------------------------------------------------------


class MentorPair(Scoped):
    """`unit` is the mentee's unit."""

    mentor = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    goals = models.TextField(_("goals"))
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("mentoring pair")
        constraints = [
            models.CheckConstraint(condition=~models.Q(mentor=models.F("mentee")), name="mentor_is_not_mentee")
        ]


class ShadowingDay(Scoped):
    class Direction(models.TextChoices):
        MENTEE_OBSERVES = "mentee_observes", _("The mentee observes the mentor")
        MENTOR_OBSERVES = "mentor_observes", _("The mentor observes the mentee")

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="shadowing_days")
    date = models.DateField(_("date"))
    direction = models.CharField(_("who observes"), max_length=20, choices=Direction.choices)
    debrief = models.TextField(_("debrief note"), blank=True)

    class Meta:
        verbose_name = _("shadowing day")
        ordering = ["-date"]


class ShadowingObservation(TenantOwned):
    tenant_parent = "day"
    day = models.ForeignKey(ShadowingDay, on_delete=models.CASCADE, related_name="observations")
    item = models.ForeignKey("instruments.Item", on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "day", "item"], name="one_observation_per_item")]


# -- role-play training -----------------------------------------------------------------------------


class RolePlayScenario(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("scenario"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    dimensions = models.ManyToManyField("instruments.Dimension", blank=True, related_name="+")

    class Meta:
        verbose_name = _("role-play scenario")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RolePlaySession(Scoped):
    """`unit` is the participant's unit. The token is the raters' only credential."""

    scenario = models.ForeignKey(RolePlayScenario, on_delete=models.CASCADE, related_name="sessions")
    participant = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=64, db_index=True, default=new_token, editable=False)
    recording_ref = models.CharField(_("recording (reference)"), max_length=500, blank=True)
    open = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("role-play session")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "token"], name="role_play_token_unique")]


class RolePlayRating(TenantOwned):
    tenant_parent = "session"

    class RaterRole(models.TextChoices):
        COACH = "coach", _("Coach")
        PEER = "peer", _("Peer")

    session = models.ForeignKey(RolePlaySession, on_delete=models.CASCADE, related_name="ratings")
    rater_role = models.CharField(max_length=10, choices=RaterRole.choices)
    page_key = models.UUIDField(default=uuid.uuid4)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "session", "page_key"], name="role_play_rating_key_unique")
        ]


class RolePlayRatingValue(TenantOwned):
    tenant_parent = "rating"
    rating = models.ForeignKey(RolePlayRating, on_delete=models.CASCADE, related_name="values")
    item = models.ForeignKey("instruments.Item", on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "rating", "item"], name="one_rating_value_per_item")
        ]


# -- development plans --------------------------------------------------------------------------------


class DevelopmentPlan(Scoped):
    """`unit` is the person's unit."""

    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    baseline_source = models.CharField(max_length=20, default="pulse")
    started_at = models.DateTimeField(_("started"))

    class Meta:
        verbose_name = _("development plan")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title


class PlanGoal(TenantOwned):
    tenant_parent = "plan"
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    dimension = models.ForeignKey("instruments.Dimension", on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("goal"))
    target = models.FloatField(_("target (0–100)"), null=True, blank=True)
    # The baseline as it stood when the goal was set (a frozen figure, not recomputed later).
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_n = models.PositiveIntegerField(default=0)
    baseline_ci_low = models.FloatField(null=True, blank=True)
    baseline_ci_high = models.FloatField(null=True, blank=True)
    baseline_sum_sq = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "plan", "dimension"], name="one_goal_per_dimension")
        ]


class PlanAction(TenantOwned):
    tenant_parent = "plan"

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        MENTORING = "mentoring", _("Mentoring")
        CLINIC_LESSON = "clinic_lesson", _("Clinic lesson")
        ROLE_PLAY = "role_play", _("Role play")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due"))
    clinic_case = models.ForeignKey(ClinicCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date"]


class PlanCheckIn(TenantOwned):
    tenant_parent = "plan"
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="check_ins")
    due_date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date"]


# -- self-test ------------------------------------------------------------------------------------------


class SelfTestResult(Scoped):
    """A logged-in person's saved self-test; `unit` is the person's unit."""

    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    answers = models.JSONField()  # {item code: 1..5}
    profile = models.JSONField()  # {dimension code: 0..100}

    class Meta:
        ordering = ["-created_at"]


class PublicSelfTestResult(models.Model):
    """An anonymous public quiz result, stored only when the user ticks the box. No tenant, no person."""

    language = models.CharField(max_length=2)
    profile = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
