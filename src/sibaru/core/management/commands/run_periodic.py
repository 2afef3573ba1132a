import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sibaru.core.periodic import AlreadyRunning, SchedulerLock, jobs_run_due, schedule


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (core/periodic.py) whenever they are due, until SIGTERM; bin/serve starts it "
        "when PERIODIC_JOBS is on. With --once: run the due jobs and exit (for a cron every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")
        parser.add_argument("--tick", type=float, default=60, help="seconds between two looks at the schedule")

    def handle(self, *args, once, tick, **options):
        if not once and not settings.PERIODIC_JOBS:
            self.stdout.write("PERIODIC_JOBS is off: the periodic jobs are left to cron.")
            return
        jobs = schedule()  # a bad PERIODIC_JOBS_MINUTES fails here, at start-up
        try:
            with SchedulerLock():
                if once:
                    ran = jobs_run_due(jobs=jobs)
                    # A failure is logged with its traceback; the exit status lets cron report it too.
                    if failed := sorted(name for name, ok in ran.items() if not ok):
                        raise CommandError(f"{len(failed)} of {len(ran)} job(s) failed: {', '.join(failed)}.")
                    self.stdout.write(f"{len(ran)} job(s) run.")
                    return
                self._loop(jobs, tick)
        except AlreadyRunning as lock:
            self.stderr.write(f"Another run_periodic holds {lock}: nothing run.")

    def _loop(self, jobs, tick):
        stop = threading.Event()
        # SIGTERM (bin/serve's exit, systemd) and Ctrl-C: finish the job in progress, start no other.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        every = ", ".join(f"{job.name} every {job.every.total_seconds() / 60:g} min" for job in jobs)
        self.stdout.write(f"Periodic jobs: {every}.")
        while not stop.is_set():
            jobs_run_due(jobs=jobs, stop=stop)
            stop.wait(tick)
        self.stdout.write("Periodic jobs stopped.")
