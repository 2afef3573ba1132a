from django.core.management.base import BaseCommand

from sibaru.information.services import info_reminders_send


class Command(BaseCommand):
    help = "Remind the PPID of the annual report (31 March) and units of periodic information due (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{info_reminders_send()} reminder(s) sent")
