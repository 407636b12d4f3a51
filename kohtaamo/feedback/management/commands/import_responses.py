"""python manage.py import_responses --organisation <slug> FILE: bulk import of complete responses.

Format: kohtaamo/feedback/bulk_import.py. All rows or none.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from kohtaamo.feedback.bulk_import import responses_import_csv
from kohtaamo.feedback.models import Round
from kohtaamo.organisations.models import Language, Organisation


class Command(BaseCommand):
    help = "Import complete responses from a CSV file (format: kohtaamo/feedback/bulk_import.py). All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--round", type=int, help="the round's id (default: the pulse programme)")
        parser.add_argument("--language", choices=Language.values, help="language of the messages")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file: Path, organisation: str, round: int | None, language: str | None, **options):  # noqa: A002
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        chosen = None
        if round is not None:
            chosen = Round.objects.filter(organisation=target, pk=round).first()
            if chosen is None:
                raise CommandError(f"No round {round} in {organisation}.")
        with (
            translation.override(language or target.default_language),
            file.open("rb") as handle,
            tqdm(unit="rows", desc="import", disable=options["no_progress"], file=self.stderr._out) as bar,
        ):
            result = responses_import_csv(
                organisation=target, file=handle, round=chosen, progress=lambda done: bar.update(done - bar.n)
            )
        if not result.ok:
            for error in result.errors:
                where = f"line {error.line}" if error.line else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{file}:{where}{column}: {error.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"... and {result.error_count - len(result.errors)} more.")
            raise CommandError(f"{result.error_count} error(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.imported} responses."))
