from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from sibaru.core.models import Attachment


class Command(BaseCommand):
    help = "Delete stored attachment files that no attachment row refers to (left by a crash mid-upload)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24)

    def handle(self, *args, older_than_hours, **options):
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        removed = 0
        prefixes, _ = default_storage.listdir("attachments") if default_storage.exists("attachments") else ([], [])
        for prefix in prefixes:
            _, files = default_storage.listdir(f"attachments/{prefix}")
            names = {f"attachments/{prefix}/{name}" for name in files}
            known = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
            for name in names - known:
                if default_storage.get_modified_time(name) < cutoff:
                    default_storage.delete(name)
                    removed += 1
        self.stdout.write(f"{removed} orphan files removed.")
