from django.core.management.base import BaseCommand, CommandError

from sibaru.core.events import verify_chain
from sibaru.core.models import Case


class Command(BaseCommand):
    help = "Verify the hash chain of every case's events (or of the given tracking codes)."

    def add_arguments(self, parser):
        parser.add_argument("tracking_codes", nargs="*")

    def handle(self, *args, tracking_codes, **options):
        cases = Case.objects.order_by("pk")
        if tracking_codes:
            cases = cases.filter(tracking_code__in=tracking_codes)
        checked = 0
        breaks = []
        for case in cases.iterator():
            checked += 1
            if problem := verify_chain(case):
                breaks.append(problem)
                self.stderr.write(f"{problem.case} event {problem.seq}: {problem.reason}")
        if breaks:
            raise CommandError(f"{len(breaks)} of {checked} cases have a broken event chain.")
        self.stdout.write(f"{checked} cases verified: every event chain is intact.")
