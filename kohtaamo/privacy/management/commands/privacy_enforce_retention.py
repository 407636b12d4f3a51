"""Daily retention run: `manage.py privacy_enforce_retention [--organisation SLUG] [--date YYYY-MM-DD]`.

Idempotent: run it from cron every day; a customer already wiped is not touched again."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kohtaamo.organisations.models import Organisation
from kohtaamo.privacy.retention import retention_enforce


class Command(BaseCommand):
    help = "Erase customer contact details whose retention date has passed."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="slug of one organisation (default: all)")
        parser.add_argument("--date", help="treat this day as today (YYYY-MM-DD)")

    def handle(self, *args, organisation=None, date=None, **options):
        organisations = None
        if organisation:
            organisations = list(Organisation.objects.filter(slug=organisation))
            if not organisations:
                raise CommandError(f"No organisation with the slug “{organisation}”.")
        today = _parse_date(date) if date else None
        result = retention_enforce(organisations=organisations, today=today)
        self.stdout.write(f"retention dates set: {result.dated}; contact details erased: {result.expired}")


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date: “{value}”. Use YYYY-MM-DD.") from None
