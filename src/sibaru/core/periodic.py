"""The periodic jobs and the small scheduler that runs them (`manage.py run_periodic`, started by `bin/serve`).

One table says what runs and how often. Each job is a management command, so a ministry that prefers cron
calls the very same commands. The last run of each job is kept in a JSON file under var/ (not the cache,
which is per process by default; not a table, so the scheduler needs no migration), so a restart neither
repeats a job nor forgets one. A job's exception is logged and the others still run.
"""

import fcntl
import io
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A management command (`name`) run with `args` at most once per `every`."""

    name: str
    every: timedelta
    args: tuple[str, ...] = ()


# Quick jobs first: the sweeps that citizens wait on are not held up behind the whole-database checks.
SCHEDULE = (
    Job("deliver_notifications", timedelta(minutes=10)),  # retries e-mail after a failure or a crash
    Job("complaints_sweep", timedelta(hours=1)),  # closes answered complaints, escalates late ones, erases
    Job("lapse_proposals", timedelta(days=1)),
    Job("information_reminders", timedelta(days=1)),
    Job("sweep_orphan_files", timedelta(days=1)),
    Job("sweep_exports", timedelta(hours=1)),  # background XLSX exports past their expiry
    Job("verify_events", timedelta(days=1)),  # reads every case's events: the slowest, so last
)


def schedule() -> tuple[Job, ...]:
    """SCHEDULE with the intervals of settings.PERIODIC_JOBS_MINUTES; an unknown job name stops the start."""
    minutes = settings.PERIODIC_JOBS_MINUTES
    if unknown := set(minutes) - {job.name for job in SCHEDULE}:
        raise ImproperlyConfigured(f"PERIODIC_JOBS_MINUTES names no periodic job: {', '.join(sorted(unknown))}")
    if any(value < 1 for value in minutes.values()):
        raise ImproperlyConfigured("PERIODIC_JOBS_MINUTES must be whole minutes of at least 1")
    return tuple(
        Job(job.name, timedelta(minutes=minutes[job.name]), job.args) if job.name in minutes else job
        for job in SCHEDULE
    )


def state_path() -> Path:
    return Path(settings.VAR_DIR) / "periodic.json"


def last_runs() -> dict[str, datetime]:
    """When each job last started, from the state file (nothing yet: every job is due)."""
    try:
        return {name: datetime.fromisoformat(when) for name, when in json.loads(state_path().read_text()).items()}
    except FileNotFoundError:
        return {}
    except (ValueError, AttributeError, TypeError):
        # Edited by hand or damaged: running every job once more is harmless, stopping the scheduler is not.
        logger.warning("%s is unreadable: every periodic job is due", state_path())
        return {}


def _record(runs: dict[str, datetime]) -> None:
    # Written whole and renamed, so a crash mid-write leaves the previous state, never half a file.
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({name: when.isoformat() for name, when in sorted(runs.items())}, indent=1))
    os.replace(tmp, path)


def jobs_due(jobs, runs: dict[str, datetime], now: datetime) -> list[Job]:
    return [job for job in jobs if job.name not in runs or now - runs[job.name] >= job.every]


def jobs_run_due(*, jobs=None, now: datetime | None = None, stop: threading.Event | None = None) -> dict[str, bool]:
    """Run every job that is due, in table order; return {job name: succeeded} for those that ran.

    A start is recorded whether the job succeeds or fails: a failing job is tried again at its next
    interval, not at every tick, and its traceback is in the log. Once `stop` is set no further job starts.
    """
    jobs = schedule() if jobs is None else jobs
    now = now or timezone.now()
    runs = last_runs()
    outcome: dict[str, bool] = {}
    for job in jobs_due(jobs, runs, now):
        if stop is not None and stop.is_set():
            break
        runs[job.name] = now
        _record(runs)
        outcome[job.name] = _run(job)
    return outcome


def _refresh_connections() -> None:
    # Long-lived process: drop connections that the database closed or that outlived CONN_MAX_AGE. Inside a
    # transaction (a test's) there is nothing to refresh, and closing would break the transaction.
    if not connection.in_atomic_block:
        close_old_connections()


def _run(job: Job) -> bool:
    _refresh_connections()
    out = io.StringIO()
    started = time.monotonic()
    try:
        call_command(job.name, *job.args, stdout=out, stderr=out)
    except Exception:
        logger.exception("periodic job %s failed after %.1fs: %s", job.name, time.monotonic() - started,
                         out.getvalue().strip())
        return False
    finally:
        _refresh_connections()
    logger.info("periodic job %s done in %.1fs: %s", job.name, time.monotonic() - started, out.getvalue().strip())
    return True


class AlreadyRunning(Exception):
    pass


class SchedulerLock:
    """One scheduler per var/ directory: a second `run_periodic` (or a cron call overlapping a long job)
    steps aside instead of running the same jobs twice. The OS releases the lock if the process dies."""

    def __enter__(self):
        path = state_path().with_suffix(".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise AlreadyRunning(str(path)) from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
