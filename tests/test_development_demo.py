"""The development demo seed fills every page with data and runs once per organisation."""

import random

import pytest
from django.utils import timezone

from kohtaamo.demo.development import seed_development
from kohtaamo.development.models import ClinicCase, DevelopmentPlan, RolePlayRating, SelfTestResult

from .development_helpers import pulse_response


@pytest.mark.django_db
def test_seed_development(world, client):
    now = timezone.now()
    for value in (2, 3, 4, 5):
        pulse_response(world, value=value, submitted_at=now - timezone.timedelta(days=60 + value))
    counts = seed_development(organisation=world.organisation, now=now, rng=random.Random(1))
    assert counts["clinics"] >= 1 and counts["cases"] == ClinicCase.objects.count() > 0
    assert ClinicCase.objects.exclude(response=None).exists()  # cases from real low-scoring responses
    assert DevelopmentPlan.objects.get(person=world.person).goals.get().baseline_n == 4
    assert RolePlayRating.objects.count() == 3 * counts["role_plays"]
    assert SelfTestResult.objects.exists()
    assert seed_development(organisation=world.organisation, now=now, rng=random.Random(1)) == {}
    client.force_login(world.cx_lead)
    for path in ("", "clinics/", "cases/", "plans/", "role-play/", "mentoring/"):
        assert client.get(f"/o/{world.organisation.slug}/development/{path}").status_code == 200
