import datetime

from django.core.management.base import BaseCommand, CommandError

from sibaru.complaints.services import complaints_sweep


class Command(BaseCommand):
    help = (
        "Close answered complaints whose reply window passed and escalate complaints whose stage deadline "
        "passed to the handling unit's supervisor, erase reporters' identities past their retention period "
        "(run periodically, e.g. every hour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day to sweep as (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        result = complaints_sweep(today=today)
        self.stdout.write(
            f"{result['closed']} closed, {result['escalated']} escalated, {result['forgotten']} reporters forgotten."
        )
