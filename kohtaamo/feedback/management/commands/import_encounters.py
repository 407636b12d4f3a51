"""python manage.py import_encounters --organisation <slug> FILE: the CSV import of the programme page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from kohtaamo.feedback.intake import encounters_import_csv
from kohtaamo.organisations.models import Language, Organisation


class Command(BaseCommand):
    help = "Import encounters from a CSV file (format: kohtaamo/feedback/intake.py). All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--language", choices=Language.values, help="language of the messages")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file: Path, organisation: str, language: str | None, no_progress: bool, **options):
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="rows", desc="import", disable=no_progress, file=self.stderr._out)
            bar.update(done - bar.n)

        with translation.override(language or target.default_language), file.open("rb") as handle:
            result = encounters_import_csv(organisation=target, file=handle, progress=progress)
            if bar is not None:
                bar.close()
            if not result.ok:
                for error in result.errors:
                    where = f"line {error.row}" if error.row else "file"
                    column = f" [{error.field}]" if error.field else ""
                    self.stderr.write(f"{file}:{where}{column}: {error.message}")
                raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.imported} encounters; invited {result.invited}."))
