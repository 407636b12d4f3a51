"""Time to generate every 360 report of a round as PDF, beside the same number of HTML pages.

A synthetic round of N people x 8 raters (self, supervisor, three colleagues, three customers) is
answered and released in a scratch SQLite database under /tmp; then every released report is
rendered as a PDF (WeasyPrint) in 2 worker processes, and as an HTML page (the report view, through
Django's test client) in the same way.

Run: .venv/bin/python benchmarks/bench_360_reports.py [--people N] [--processes P]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamo.settings")
if "KOHTAAMO_DATABASE_URL" not in os.environ:
    scratch = Path(tempfile.mkdtemp(prefix="bench360-", dir="/tmp")) / "bench.sqlite3"
    os.environ["KOHTAAMO_DATABASE_URL"] = f"sqlite:///{scratch}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

RATERS = ("self", "supervisor", "colleague", "colleague", "colleague", "customer", "customer", "customer")


def build(people: int, seed: int = 7) -> tuple[str, list[int]]:
    """The organisation, round, answers and releases; returns (org slug, participant ids)."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.db import transaction

    from kohtaamo.assessments.releasing import report_release
    from kohtaamo.assessments.services import assessment_create
    from kohtaamo.feedback.responding import response_record
    from kohtaamo.instruments.models import Question
    from kohtaamo.instruments.services import framework_import
    from kohtaamo.organisations.models import Membership, Organisation, Person, Unit
    from kohtaamo.organisations.selectors import scope_from_organisation

    rng = random.Random(seed)
    framework_import()
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    unit = Unit.objects.create(organisation=organisation, name="Bench")
    boss = Person.objects.create(organisation=organisation, unit=unit, name="Boss", email="boss@example.org")
    subjects = Person.objects.bulk_create(
        [Person(organisation=organisation, unit=unit, name=f"Person {i:04d}", supervisor=boss) for i in range(people)]
    )
    user = User.objects.create_user("bench-lead", "lead@example.org", "pw")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.CX_LEAD)
    today = timezone.localdate()
    assessment = assessment_create(
        scope=scope_from_organisation(organisation=organisation),
        name="Bench 360",
        people=subjects,
        nomination_closes_on=today,
        answering_closes_on=today + timedelta(days=1),
        report_on=today + timedelta(days=2),
    )
    versions = {
        role: list(Question.objects.filter(questionnaire=q).order_by("order"))
        for role, q in (
            ("self", assessment.questionnaire_self),
            ("other", assessment.questionnaire_other),
            ("customer", assessment.questionnaire_customer),
        )
    }
    for person in subjects:
        level = rng.uniform(2.5, 4.5)
        with transaction.atomic():
            for role in RATERS:
                questions = versions["self" if role == "self" else "customer" if role == "customer" else "other"]
                answers = {
                    q.pk: (
                        max(1, min(5, round(rng.gauss(level + (0.6 if role == "self" else 0), 0.8))))
                        if q.kind == Question.Kind.ITEM
                        else rng.choice(["Listens well.", "Explains clearly.", "Could follow up sooner.", ""])
                    )
                    for q in questions
                }
                response = response_record(
                    round=assessment.round,
                    answers={k: v for k, v in answers.items() if v != ""},
                    language="fi",
                    respondent_role=role,
                    context={"subject_person_id": person.pk},
                )
                response.questionnaire_id = questions[0].questionnaire_id
                response.save(update_fields=["questionnaire"])
    participants = list(assessment.participants.values_list("pk", flat=True))
    for participant in assessment.participants.all():
        report_release(participant=participant)
    return organisation.slug, participants


def _render_pdfs(ids: list[int]) -> tuple[int, float]:
    from django.db import connections

    from kohtaamo.assessments.models import Participant
    from kohtaamo.assessments.presentation import report_pdf

    connections.close_all()
    cpu = time.process_time()
    total = 0
    for participant in Participant.objects.filter(pk__in=ids).select_related("assessment__organisation", "person"):
        release = participant.releases.get(current=True)
        total += len(report_pdf(release=release, participant=participant, language="fi"))
    return total, time.process_time() - cpu


def _render_pages(args: tuple[str, list[int]]) -> tuple[int, float]:
    from django.contrib.auth.models import User
    from django.db import connections

    connections.close_all()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    slug, ids = args
    client = Client()
    client.force_login(User.objects.get(username="bench-lead"))
    cpu = time.process_time()
    total = 0
    for pk in ids:
        response = client.get(f"/o/{slug}/360/people/{pk}/report/", HTTP_ACCEPT_LANGUAGE="fi")
        assert response.status_code == 200, response.status_code
        total += len(response.content)
    return total, time.process_time() - cpu


def timed(pool: ProcessPoolExecutor, func, chunks) -> tuple[float, int, float]:
    """Wall seconds, bytes produced, and CPU seconds the workers spent (independent of other load)."""
    started = time.perf_counter()
    results = list(pool.map(func, chunks))
    return time.perf_counter() - started, sum(r[0] for r in results), sum(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=24, help="people in the round (8 raters each)")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    slug, ids = build(args.people)
    print(
        f"Set-up: {args.people} people x {len(RATERS)} raters answered and released "
        f"in {time.perf_counter() - started:.1f} s"
    )
    chunks = [ids[i :: args.processes] for i in range(args.processes)]
    with ProcessPoolExecutor(args.processes) as pool:
        list(pool.map(_render_pdfs, [c[:1] for c in chunks]))  # warm fonts and templates in every worker
        pdf_s, pdf_bytes, pdf_cpu = timed(pool, _render_pdfs, chunks)
        html_s, html_bytes, html_cpu = timed(pool, _render_pages, [(slug, c) for c in chunks])
    n = len(ids)
    p = args.processes
    for label, wall, size, cpu in (
        ("PDF reports", pdf_s, pdf_bytes, pdf_cpu),
        ("HTML pages ", html_s, html_bytes, html_cpu),
    ):
        print(
            f"{label}: {n} in {wall:6.1f} s wall ({wall / n * 1000:5.0f} ms each), "
            f"{cpu / n * 1000:5.0f} ms CPU each, {size / n / 1024:.0f} KiB each"
        )
    print(
        f"1,000 people, wall time extrapolated on this machine as loaded now: "
        f"PDF {pdf_s / n * 1000:.0f} s, HTML {html_s / n * 1000:.0f} s"
    )
    print(
        f"1,000 people on {p} dedicated cores (worker CPU time / {p}): "
        f"PDF {pdf_cpu / n * 1000 / p:.0f} s, HTML {html_cpu / n * 1000 / p:.0f} s (goal for PDF: < 300 s)"
    )


if __name__ == "__main__":
    main()
