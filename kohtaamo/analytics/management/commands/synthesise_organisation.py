"""python manage.py synthesise_organisation [--seed N] [--scale full|medium|small|tiny]: a large test organisation."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from kohtaamo.analytics.synthetic import SCALES, organisation_synthesise
from kohtaamo.organisations.models import Organisation


class Command(BaseCommand):
    help = "Generate a synthetic organisation (units, people, customers, encounters, scored responses) from a seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", choices=list(SCALES), default="full", help="full = 10 M answers")
        parser.add_argument("--slug", help="the organisation's slug (default synthetic-<seed>)")
        parser.add_argument("--end", type=date.fromisoformat, help="first day after the generated months")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, seed, scale, slug, end, database, no_progress, **options):
        slug = slug or f"synthetic-{seed}"
        if Organisation.objects.using(database).filter(slug=slug).exists():
            raise CommandError(f"An organisation with the slug {slug!r} exists already; pick another --slug.")
        report = organisation_synthesise(
            seed=seed, scale=scale, database_alias=database, progress=not no_progress, slug=slug, end=end
        )
        counts = ", ".join(f"{name} {count:,}" for name, count in report.counts.items())
        self.stdout.write(f"{report.slug}: {counts}; months {report.start}..{report.end} (end excluded)")
        self.stdout.write(
            f"{report.rows:,} rows in {report.seconds:.1f} s = {report.rows_per_second:,.0f} rows/s "
            f"(listening team #{report.planted.listening_unit_id}, improving person "
            f"#{report.planted.improving_person_id}, dip in month {report.planted.dip_month})"
        )
