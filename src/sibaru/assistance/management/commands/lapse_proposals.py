from django.core.management.base import BaseCommand

from sibaru.assistance.services import proposals_lapse


class Command(BaseCommand):
    help = "Close the undecided proposals whose validity (two years from receipt) has passed; run daily."

    def handle(self, *args, **options):
        self.stdout.write(f"{proposals_lapse()} proposals lapsed.")
