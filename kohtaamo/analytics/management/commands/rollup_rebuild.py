"""python manage.py rollup_rebuild [--organisation SLUG] [--first YYYY-MM-DD --last YYYY-MM-DD]."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kohtaamo.analytics.rollup import response_rollup_rebuild
from kohtaamo.organisations.models import Organisation


class Command(BaseCommand):
    help = "Recompute the dashboard's rollup from the submitted responses (every organisation unless one is named)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="the organisation's slug")
        parser.add_argument("--first", type=date.fromisoformat, help="first month to recompute (any day in it)")
        parser.add_argument("--last", type=date.fromisoformat, help="last month to recompute (any day in it)")

    def handle(self, *args, organisation, first, last, **options):
        organisations = Organisation.objects.order_by("slug")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations.exists():
                raise CommandError(f"No organisation with the slug {organisation!r}.")
        for target in organisations:
            cells = response_rollup_rebuild(organisation=target, first=first, last=last)
            self.stdout.write(f"{target.slug}: {cells} cells")
