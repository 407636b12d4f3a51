"""python manage.py send_invitations: send waiting invitations and due reminders (run from cron)."""

from django.core.management.base import BaseCommand

from kohtaamo.feedback.invitations import invitations_send_pending, invitations_send_reminders


class Command(BaseCommand):
    help = "Send waiting invitations and the reminders that are due."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="also retry invitations that failed")

    def handle(self, *args, retry_failed: bool, **options):
        sent = invitations_send_pending(retry_failed=retry_failed)
        reminded = invitations_send_reminders()
        self.stdout.write(f"Sent {sent} invitations and {reminded} reminders.")
