"""Key-driver and business-impact pages on responses stored through the real scoring."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from kohtaamo.feedback.responding import response_record
from kohtaamo.impact.importing import outcomes_import_csv
from kohtaamo.impact.selectors import key_drivers
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Customer
from kohtaamo.organisations.selectors import scope_from_organisation


def _seed(world, n: int, offset: int = 0) -> None:
    """Trust drives NPS; the other elements are noise around the same level."""
    rng = random.Random(4 + offset)
    questions = list(world.programme.questionnaire.questions.filter(kind="item").prefetch_related("item__dimensions"))
    when = datetime(2026, 1, 15, 12, tzinfo=ZoneInfo("Europe/Helsinki"))
    for i in range(offset, offset + n):
        trust = rng.randint(1, 5)
        nps = max(0, min(10, round(2.2 * trust - 1 + rng.gauss(0, 1))))
        answers = {}
        for q in questions:
            codes = {d.code for d in q.item.dimensions.all()}
            if "nps" in codes:
                answers[q.pk] = nps
            elif "trust" in codes:
                answers[q.pk] = trust
            else:
                answers[q.pk] = rng.randint(q.scale_min, q.scale_max)
        customer = Customer.objects.create(organisation=world.organisation, external_id=f"C{i}")
        from kohtaamo.feedback.models import Encounter

        encounter = Encounter.objects.create(
            organisation=world.organisation,
            external_id=f"E{i}",
            customer=customer,
            unit=world.team,
            channel="phone",
            occurred_at=when,
        )
        response_record(round=world.programme, answers=answers, language="fi", encounter=encounter, submitted_at=when)


def test_drivers_refused_below_30_then_trust_found(client, world):
    _seed(world, 20)
    client.force_login(world.cx_lead)
    page = client.get("/o/acme/impact/drivers/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"data-refused" in page.content and b"n = 20" in page.content
    _seed(world, 50, offset=20)
    scope = scope_from_organisation(organisation=world.organisation)
    report = key_drivers(scope=scope, kind="dimension", target="nps", n_boot=200)
    assert not report.refused and report.n == 70
    top = report.rows[0]
    assert top.driver.significant and top.driver.ci_low > 0
    assert top.label == Dimension.objects.get(code="trust").name
    assert sum(r.driver.significant for r in report.rows) == 1
    page = client.get("/o/acme/impact/drivers/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b"data-driver" in page.content and b"n = 70" in page.content


def test_impact_page_reports_next_period_outcomes(client, world):
    _seed(world, 40)
    lines = ["customer_id,period,services"]
    for i in range(40):
        lines += [f"C{i},2026-01,{1 + i % 4}", f"C{i},2026-02,{2 + i % 3}"]
    assert outcomes_import_csv(organisation=world.organisation, data="\n".join(lines).encode()).ok
    client.force_login(world.cx_lead)
    page = client.get("/o/acme/impact/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"Association, not proof of cause." in page.content
    assert b"n = 40 customers" in page.content and b"data-regression" in page.content


def test_page_query_counts_pinned(client, world, django_assert_max_num_queries):
    _seed(world, 35)
    lines = ["customer_id,period,services"] + [f"C{i},2026-0{m},{i % 4}" for i in range(35) for m in (1, 2)]
    assert outcomes_import_csv(organisation=world.organisation, data="\n".join(lines).encode()).ok
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(16):
        assert client.get("/o/acme/impact/drivers/?kind=item&target=nps").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/o/acme/impact/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/o/acme/integrations/").status_code == 200
    client.force_login(world.employee)
    assert client.get("/o/acme/impact/drivers/").status_code == 200  # own figures only: refused, n = 0
    assert client.get("/o/acme/integrations/").status_code == 403
