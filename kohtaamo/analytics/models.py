"""The dashboard's rollup: sufficient statistics of submitted customer responses per cell.

A cell is organisation x local month (or local day) x unit x channel x touchpoint x questionnaire: a
month cell (`day` empty) holds the whole month, a day cell the same statistics for one day of it, so a
period of whole days that starts or ends inside a month needs no raw rows either. Every dashboard
figure (NPS, CSAT, CES, EQI, dimension means and their CIs) follows exactly from these counts, sums
and sums of squares, so whole months are read from here instead of from millions of answer rows.
The rows are derived data: `rollup.response_rollup_rebuild` recreates them from the responses, and
every scored submit refreshes its own cell (rollup.py).
"""

from django.db import models

from kohtaamo.organisations.tenancy import TenantOwned


class ResponseRollup(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month in the organisation's time zone
    day = models.DateField(null=True, blank=True)  # a day cell's local day (in `month`); empty on a month cell
    unit = models.ForeignKey("organisations.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=20, blank=True)
    touchpoint = models.ForeignKey("organisations.Touchpoint", null=True, on_delete=models.SET_NULL, related_name="+")
    questionnaire = models.ForeignKey("instruments.Questionnaire", on_delete=models.CASCADE, related_name="+")
    responses = models.PositiveIntegerField(default=0)
    # NPS answers (0–10) by category; whether the questionnaire asks NPS on 0–10 is decided when read.
    promoters = models.PositiveIntegerField(default=0)
    passives = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_top = models.PositiveIntegerField(default=0)  # top two boxes of the questionnaire's own CSAT scale
    ces_n = models.PositiveIntegerField(default=0)
    ces_sum = models.BigIntegerField(default=0)
    ces_sq = models.BigIntegerField(default=0)
    ces_easy = models.PositiveIntegerField(default=0)
    eqi_n = models.PositiveIntegerField(default=0)
    eqi_sum = models.FloatField(default=0.0)
    eqi_sq = models.FloatField(default=0.0)
    balance_n = models.PositiveIntegerField(default=0)  # responses scored on all of ethos, pathos and logos
    balance_sum = models.FloatField(default=0.0)
    balance_sq = models.FloatField(default=0.0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"]), models.Index(fields=["organisation", "day"])]


class DimensionRollup(TenantOwned):
    """Count, sum and sum of squares of one dimension's 0–100 scores in one cell."""

    tenant_parent = "cell"

    cell = models.ForeignKey(ResponseRollup, on_delete=models.CASCADE, related_name="dimensions")
    dimension = models.ForeignKey("instruments.Dimension", on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()
    total = models.FloatField()
    total_sq = models.FloatField()
