from django.core.management.base import BaseCommand

from kohtaamo.staffexperience.services import staff_pulses_run


class Command(BaseCommand):
    help = "Open due staff pulse periods, send their invitations and due reminders (run daily)."

    def handle(self, *args, **options):
        summary = staff_pulses_run()
        self.stdout.write(
            f"Periods opened: {summary.opened}; invitations sent: {summary.sent}; reminders sent: {summary.reminded}"
        )
