from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kohtaamo.demo.seed import demo_reset, seed_demo


class Command(BaseCommand):
    help = "Create the demo organisations with six months of feedback, and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo organisations and logins first.")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Share of the full demo's customers and encounters."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, reset: bool, scale: float, seed: int, **options):
        if reset:
            demo_reset()
        summary = seed_demo(seed=seed, scale=scale)
        if summary.created:
            self.stdout.write(self.style.SUCCESS(_("Demo created in %.1f s.") % summary.seconds))
        else:
            self.stdout.write(_("The demo exists already; nothing was changed (use --reset to recreate it)."))
        self.stdout.write(", ".join(f"{name} {count}" for name, count in summary.counts.items()))
        self._table(summary)

    def _table(self, summary) -> None:
        header = (_("Username"), _("Password"), _("Role"), _("Organisations"), _("Sees"))
        rows = [header] + [
            (login.username, summary.password, login.role, " + ".join(login.organisations), login.sees)
            for login in summary.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for number, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
