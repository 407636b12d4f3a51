from django.core.management.base import BaseCommand

from kohtaamo.development.reminders import development_reminders_send


class Command(BaseCommand):
    help = "Send due reminders for case clinics, development actions and check-ins (each once). Run from cron."

    def handle(self, *args, **options):
        sent = development_reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent")
