import random
from datetime import UTC, datetime

import pytest

from kohtaamo.demo.seed import seed_demo
from kohtaamo.demo.textanalytics import seed_textanalytics
from kohtaamo.organisations.models import Organisation
from kohtaamo.textanalytics.models import CommentAnalysis, TranscriptAnalysis
from kohtaamo.textanalytics.services import comment_answers

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_seed_textanalytics(framework):
    seed_demo(now=NOW, scale=0.05)
    bank = Organisation.objects.get(slug="demo-pankki")
    summary = seed_textanalytics(organisation=bank, now=NOW, rng=random.Random(1))
    analyses = CommentAnalysis.objects.filter(organisation=bank)
    assert summary["transcripts"] == TranscriptAnalysis.objects.filter(organisation=bank).count() > 0
    # Whether or not seed_demo already ran this feature, afterwards every customer comment is analysed.
    assert analyses.count() == comment_answers(organisation_id=bank.pk).count() > 0
    assert seed_textanalytics(organisation=bank, now=NOW, rng=random.Random(1))["comments"] == 0
    # The demo's comments are written as praise, mixed or complaints: all three sentiments appear.
    assert set(analyses.values_list("sentiment", flat=True)) == {"negative", "neutral", "positive"}
    attentive = TranscriptAnalysis.objects.filter(organisation=bank, metrics__summaries=1)
    assert attentive.exists()
