"""python manage.py snapshot_parquet --organisation SLUG DIRECTORY: the analytics snapshot as Parquet."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kohtaamo.analytics.snapshots import organisation_snapshot_write
from kohtaamo.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Write an organisation's analytics snapshot (no personal data) as Parquet, partitioned by organisation/month."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's slug")

    def handle(self, *args, directory: Path, organisation: str, **options):
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        report = organisation_snapshot_write(organisation=target, directory=directory)
        rows = ", ".join(f"{name} {count:,}" for name, count in report.rows.items())
        self.stdout.write(f"{report.directory}: {rows} in {report.seconds:.1f} s")
