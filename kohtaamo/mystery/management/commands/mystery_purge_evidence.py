from django.core.management.base import BaseCommand
from django.utils import timezone

from kohtaamo.mystery.visits import evidence_purge_expired


class Command(BaseCommand):
    help = "Delete mystery-shopping evidence files past their retention date."

    def handle(self, *args, **options):
        deleted = evidence_purge_expired(today=timezone.localdate())
        self.stdout.write(f"{deleted} evidence files deleted.")
