from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kohtaamo.organisations.models import Organisation
from kohtaamo.textanalytics.services import comments_analyse, comments_to_analyse


class Command(BaseCommand):
    help = "Analyse customers' open comments of one organisation (new and outdated ones; --all for every one)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--all", action="store_true", dest="everything", help="re-analyse every comment")

    def handle(self, *args, organisation: str, everything: bool, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with slug {organisation!r}.")
        total = comments_to_analyse(organisation_id=org.pk, everything=everything).count()
        with tqdm(total=total, unit="comment", file=self.stderr._out, disable=total == 0) as bar:
            result = comments_analyse(organisation_id=org.pk, everything=everything, progress=bar.update)
        self.stdout.write(f"Analysed {result.analysed} comments; {result.failed} failed.")
