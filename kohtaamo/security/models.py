from django.db import models


class RateCounter(models.Model):
    """Requests counted per key and fixed time window, in the database so every app server shares it."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()  # Unix seconds at the window's start
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window_start"])]
