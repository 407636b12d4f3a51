"""python manage.py rollup_compact [--organisation SLUG]: run every few minutes (cron)."""

from django.core.management.base import BaseCommand, CommandError

from kohtaamo.analytics.rollup import response_rollup_compact
from kohtaamo.organisations.models import Organisation


class Command(BaseCommand):
    help = "Merge the rollup entries of new responses into one row per cell (every organisation unless one is named)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="the organisation's slug")

    def handle(self, *args, organisation, **options):
        target = None
        if organisation:
            target = Organisation.objects.filter(slug=organisation).first()
            if target is None:
                raise CommandError(f"No organisation with the slug {organisation!r}.")
        removed = response_rollup_compact(organisation=target)
        self.stdout.write(f"{removed} rows merged away")
