import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from sibaru.core.calendar import due_dates_recompute


class Command(BaseCommand):
    help = (
        "Recompute the due date of every open case from the current working-day calendar "
        "(run after the holidays package is upgraded or overrides were changed outside the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="only cases due on or after this date (a calendar change on a date cannot move earlier ones)",
        )

    def handle(self, *args, since=None, **options):
        if since:
            try:
                since = datetime.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"--since: {error}") from error
        changed = due_dates_recompute(since=since)
        self.stdout.write(
            ngettext(
                "Batas waktu %(count)d kasus berubah.",
                "Batas waktu %(count)d kasus berubah.",
                changed,
            )
            % {"count": changed}
        )
