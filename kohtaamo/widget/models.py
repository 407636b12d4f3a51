"""Feedback prompts that organisations embed in their own web pages (one per web touchpoint)."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_public_key() -> str:
    # Not a secret (it sits in the host page's HTML), only hard to guess so widgets cannot be enumerated.
    return secrets.token_urlsafe(16)


class Widget(models.Model):
    """A one- or two-question prompt for one touchpoint; its answers are web self-service pulse responses."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="widgets")
    round = models.ForeignKey("feedback.Round", on_delete=models.PROTECT, related_name="widgets")
    touchpoint = models.ForeignKey(
        "organisations.Touchpoint", on_delete=models.CASCADE, related_name="widgets", verbose_name=_("touchpoint")
    )
    item = models.ForeignKey(
        "instruments.Item", on_delete=models.PROTECT, related_name="widgets", verbose_name=_("question")
    )
    ask_comment = models.BooleanField(_("also ask for an optional comment"), default=True)
    allowed_origins = models.JSONField(_("allowed origins"), default=list)
    active = models.BooleanField(_("on"), default=True)
    frequency_cap_days = models.PositiveSmallIntegerField(
        _("show again to the same browser after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # A visitor who ignores the prompt would otherwise meet it on every page load.
    show_cap_days = models.PositiveSmallIntegerField(
        _("show to the same browser at most once per (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    public_key = models.CharField(max_length=32, db_index=True, default=new_public_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("web feedback widget")
        verbose_name_plural = _("web feedback widgets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "touchpoint"], name="one_widget_per_touchpoint"),
            models.UniqueConstraint(fields=["organisation", "public_key"], name="widget_public_key_unique"),
        ]

    def __str__(self) -> str:
        return str(self.touchpoint)


class WidgetAnswer(models.Model):
    """Which response came through which widget, from which page origin."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    widget = models.ForeignKey(Widget, on_delete=models.CASCADE, related_name="answers")
    response = models.OneToOneField("feedback.Response", on_delete=models.CASCADE, related_name="widget_answer")
    origin = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("widget answer")
        verbose_name_plural = _("widget answers")
        indexes = [models.Index(fields=["widget", "created_at"])]
