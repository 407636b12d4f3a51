from django.core.management.base import BaseCommand

from kohtaamo.followup.services import cases_escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue follow-up cases to the next manager up (run from cron, e.g. hourly)."

    def handle(self, *args, **options):
        count = cases_escalate_overdue()
        self.stdout.write(f"{count} case(s) escalated")
