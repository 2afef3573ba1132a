from django.conf import settings
from django.core.management.base import BaseCommand

from sibaru.demo.data import DEMO_API_KEY, DEMO_PASSWORD, DOMAIN, seed_demo


class Command(BaseCommand):
    help = "Create the demo organisations, accounts (one per role), API key and sample cases (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO:
            self.stdout.write("Not in demo mode (SIBARU_MODE=demo): no demo data created.")
            return
        created = seed_demo()
        self.stdout.write("Demo data created." if created else "Demo data already present.")
        self.stdout.write(f"Demo accounts: <role>@{DOMAIN} (e.g. admin@{DOMAIN}), password {DEMO_PASSWORD}")
        self.stdout.write(f"Demo API key: {DEMO_API_KEY}")
