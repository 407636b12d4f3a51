"""Machine-derived evidence from words: analysed comments and analysed encounter transcripts.

Both hang off shared models by ForeignKey; nothing here changes a response or an encounter's scores.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class CommentAnalysis(models.Model):
    """The analysis of one open comment (an Answer with text)."""

    class Status(models.TextChoices):
        OK = "ok", _("Analysed")
        EMPTY = "empty", _("Empty comment")
        NOT_TEXT = "not_text", _("Not text")
        FAILED = "failed", _("Analysis failed")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    answer = models.OneToOneField("feedback.Answer", on_delete=models.CASCADE, related_name="text_analysis")
    response = models.ForeignKey("feedback.Response", on_delete=models.CASCADE, related_name="comment_analyses")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    language = models.CharField(max_length=2, blank=True)
    language_detected = models.BooleanField(default=True)  # False: fell back to the response's language
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    sentiment_score = models.FloatField(default=0.0)  # −1 … 1
    # The classifier's probability of its label (0…1); null where only the lexicon could read the comment.
    sentiment_confidence = models.FloatField(null=True, blank=True)
    emotions = models.JSONField(default=list, blank=True)
    truncated = models.BooleanField(default=False)  # analysed on the first MAX_CHARS characters only
    # A mixed-language comment: its languages, its own first ("fi,en"); empty when it is in one language.
    mixed_languages = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=200, blank=True)
    analyser_version = models.PositiveSmallIntegerField(default=1)
    analysed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("comment analysis")
        verbose_name_plural = _("comment analyses")
        indexes = [models.Index(fields=["organisation", "sentiment"])]

    @property
    def mixed_languages_list(self) -> list[str]:
        return [code for code in self.mixed_languages.split(",") if code]


class CommentTopic(models.Model):
    """One theme or framework element a comment speaks of: a row each, so volumes aggregate in the database."""

    class Kind(models.TextChoices):
        ELEMENT = "element", _("Framework element")
        THEME = "theme", _("Theme")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(CommentAnalysis, on_delete=models.CASCADE, related_name="topics")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=40)
    sentiment_score = models.FloatField(default=0.0)  # copied from the comment for one-table aggregates

    class Meta:
        verbose_name = _("comment topic")
        verbose_name_plural = _("comment topics")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "analysis", "code"], name="one_topic_code_per_comment")
        ]
        indexes = [models.Index(fields=["organisation", "code"])]


class TranscriptAnalysis(models.Model):
    """An imported transcript of one encounter, parsed into turns, with its metrics."""

    class Format(models.TextChoices):
        PLAIN = "plain", _("Plain text (speaker: text)")
        VTT = "vtt", _("WebVTT")
        JSON = "json", _("JSON")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    encounter = models.OneToOneField("feedback.Encounter", on_delete=models.CASCADE, related_name="transcript_analysis")
    format = models.CharField(max_length=10, choices=Format.choices)
    turns = models.JSONField(default=list)  # [{"role", "speaker", "text", "start", "end"}]
    metrics = models.JSONField(default=dict)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transcript analysis")
        verbose_name_plural = _("transcript analyses")


class TextAnalysisRun(models.Model):
    """A background (re-)analysis of an organisation's comments, with its progress for the theme view."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    everything = models.BooleanField(default=True)  # False: only comments not yet analysed (or outdated)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Set when new comments arrive (a bulk import) while the run is under way: it makes one more pass.
    more_requested = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("text analysis run")
        verbose_name_plural = _("text analysis runs")
        constraints = [
            # A second click while a run is going must find that run, not start another one.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_text_analysis_run",
            )
        ]

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.processed / self.total)) if self.total else (100 if not self.active else 0)
