"""The measurement model as data: framework, dimensions, items and versioned questionnaires.

Item wording is data (one text per language and rater perspective), not gettext, so that an
organisation can edit it; a questionnaire snapshots the wording it asked (DESIGN.md section 6).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kohtaamo.organisations.tenancy import TenantOwned


def pick_language(texts: dict, language: str | None = None, fallback: str = "fi") -> str:
    """The text in the requested language, else the fallback, else any."""
    if not texts:
        return ""
    language = (language or get_language() or fallback)[:2]
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


class Perspective(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SELF = "self", _("Self")
    OTHER = "other", _("Colleague or supervisor")
    ORGANISATION = "organisation", _("Management and staff")


class Framework(models.Model):
    code = models.SlugField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    names = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique")]

    def __str__(self) -> str:
        return f"{pick_language(self.names)} v{self.version}"


class Dimension(models.Model):
    class Group(models.TextChoices):
        ELEMENT = "element", _("Five elements")
        RHETORIC = "rhetoric", _("Ethos, pathos, logos")
        WISH = "wish", _("Customers' four wishes")
        QUALITY = "quality", _("Quality dimensions")
        OUTCOME = "outcome", _("Outcomes")
        MATURITY = "maturity", _("Customer-centricity maturity")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(max_length=64)
    group = models.CharField(max_length=20, choices=Group.choices)
    order = models.PositiveSmallIntegerField(default=0)
    names = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "group", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")]

    def __str__(self) -> str:
        return pick_language(self.names)

    @property
    def name(self) -> str:
        return pick_language(self.names)


class Item(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=64)
    dimensions = models.ManyToManyField(Dimension, related_name="items")
    scale_code = models.CharField(max_length=32)
    scale_min = models.SmallIntegerField()
    scale_max = models.SmallIntegerField()
    scale_labels = models.JSONField(default=dict, blank=True)  # {"fi": {"1": "...", "5": "..."}, ...}
    reverse_coded = models.BooleanField(default=False)
    weight = models.FloatField(default=1.0)
    in_pulse = models.BooleanField(default=False)
    texts = models.JSONField(default=dict)  # {"customer": {"fi": ..., "sv": ..., "en": ...}, "self": {...}, ...}

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_code_unique"),
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="item_scale_range"),
        ]

    def __str__(self) -> str:
        return self.code


class Questionnaire(models.Model):
    """One immutable version. Versions of the same questionnaire share `key`."""

    class Kind(models.TextChoices):
        PULSE = "pulse", _("Pulse")
        THREE_SIXTY = "360", _("360 assessment")
        MYSTERY = "mystery", _("Mystery checklist")
        MATURITY = "maturity", _("Maturity")
        SELF_TEST = "self_test", _("Self-test")
        OBSERVATION = "observation", _("Observation")
        ROLE_PLAY = "role_play", _("Role-play feedback")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="questionnaires"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="questionnaires")
    key = models.SlugField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    names = models.JSONField(default=dict)
    intros = models.JSONField(default=dict, blank=True)
    perspective = models.CharField(max_length=20, choices=Perspective.choices, default=Perspective.CUSTOMER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["organisation", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{pick_language(self.names)} v{self.version}"

    @property
    def name(self) -> str:
        return pick_language(self.names)


class Question(TenantOwned):
    """A position in a questionnaire version: a framework item or an open question, with its wording frozen."""

    tenant_parent = "questionnaire"

    class Kind(models.TextChoices):
        ITEM = "item", _("Scale item")
        OPEN = "open", _("Open question")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="questions")
    texts = models.JSONField(default=dict)  # {"fi": ..., "sv": ..., "en": ...} for the questionnaire's perspective
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    scale_labels = models.JSONField(default=dict, blank=True)
    reverse_coded = models.BooleanField(default=False)
    required = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "questionnaire", "order"], name="question_order_unique")
        ]

    def __str__(self) -> str:
        return pick_language(self.texts)

    def text(self, language: str | None = None) -> str:
        return pick_language(self.texts, language)

    def labels(self, language: str | None = None) -> dict:
        return self.scale_labels.get((language or get_language() or "fi")[:2]) or self.scale_labels.get("fi", {})
