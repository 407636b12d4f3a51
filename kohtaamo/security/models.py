from django.conf import settings
from django.db import models


class RateCounter(models.Model):
    """Requests counted per key and fixed time window, in the database so every app server shares it."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()  # Unix seconds at the window's start
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window_start"])]


class TotpDevice(models.Model):
    """A login's authenticator app (TOTP, RFC 6238). Confirmed once the user has typed a valid code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)  # base32; needed in clear to compute codes
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The 30-second step of the last accepted code: that code and older ones are refused afterwards.
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class RecoveryCode(models.Model):
    """A one-time code for a login whose phone is lost. Only a keyed hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="one_recovery_code_per_hash")]
