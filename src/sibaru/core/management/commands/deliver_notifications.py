from django.core.management.base import BaseCommand

from sibaru.core.notifications import notifications_deliver


class Command(BaseCommand):
    help = "Send every pending e-mail notification (run periodically: it retries after failures or a crash)."

    def handle(self, *args, **options):
        sent, failed = notifications_deliver()
        self.stdout.write(f"{sent} sent, {failed} failed.")
