import random, time
from datetime import UTC, datetime
import pytest
from kohtaamo.demo.seed import seed_demo
from kohtaamo.demo.development import seed_development
from kohtaamo.organisations.models import Organisation

@pytest.mark.django_db
def test_bank(framework):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    seed_demo(now=now, scale=1.0)
    bank = Organisation.objects.get(slug="demo-pankki")
    t = time.perf_counter()
    counts = seed_development(organisation=bank, now=now, rng=random.Random(1))
    print("SEED", counts, time.perf_counter() - t)
    from kohtaamo.demo.seed import demo_reset
    demo_reset()
    assert 0
