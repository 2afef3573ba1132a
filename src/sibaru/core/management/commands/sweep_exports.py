from django.core.management.base import BaseCommand

from sibaru.core.exports import export_jobs_sweep


class Command(BaseCommand):
    help = "Delete background XLSX exports past EXPORT_JOB_EXPIRY_HOURS, with their files, and stray export files."

    def handle(self, *args, **options):
        self.stdout.write(f"{export_jobs_sweep()} expired exports removed.")
