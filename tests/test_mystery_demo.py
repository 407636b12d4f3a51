"""The demo seed fills mystery shopping with believable, consistent data, quickly."""

import datetime as dt
import random
import time

import pytest
from django.utils import timezone

from kohtaamo.demo.mystery import seed_mystery
from kohtaamo.mystery.models import ActionPlan, Assignment, CalibrationRating, Report, Shopper
from kohtaamo.mystery.selectors import location_scores
from kohtaamo.organisations.selectors import scope_from_organisation


@pytest.mark.django_db
def test_seed_mystery(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    began = time.monotonic()
    now = timezone.make_aware(dt.datetime(2026, 11, 20, 12))
    counts = seed_mystery(organisation=world.organisation, now=now, rng=random.Random(7))
    assert time.monotonic() - began < 15
    assert counts["mystery_waves"] == 3
    assert counts["mystery_assignments"] == 3 * (2 + 2)  # both branches face to face and by phone
    assert Shopper.objects.filter(organisation=world.organisation).count() == 4
    statuses = list(Assignment.objects.values_list("status", flat=True))
    assert statuses.count("offered") == 2 and statuses.count("returned") == 1 and statuses.count("submitted") == 1
    approved = Report.objects.filter(status="approved")
    assert approved.count() == 12 - 4
    assert all(0 <= r.score <= 100 for r in approved)
    scope = scope_from_organisation(organisation=world.organisation)
    assert sum(row.estimate.n for row in location_scores(scope=scope, wave=None, unit=None)) == approved.count()
    assert ActionPlan.objects.count() == 2 and CalibrationRating.objects.count() >= 3
