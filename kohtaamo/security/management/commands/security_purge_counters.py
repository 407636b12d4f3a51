"""Delete rate-limit and login-failure counters older than a day (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from kohtaamo.security.ratelimit import rate_limit_purge


class Command(BaseCommand):
    help = "Delete rate-limit counters whose window is older than --hours (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours: int, **options):
        deleted = rate_limit_purge(older_than_s=hours * 3600)
        self.stdout.write(f"Deleted {deleted} old rate-limit counters.")
