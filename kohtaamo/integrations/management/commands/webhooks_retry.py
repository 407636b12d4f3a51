from django.core.management.base import BaseCommand

from kohtaamo.integrations.services import webhook_deliveries_run_due


class Command(BaseCommand):
    help = "Retry webhook deliveries whose back-off has passed (run from cron, e.g. every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"{webhook_deliveries_run_due()} delivered")
