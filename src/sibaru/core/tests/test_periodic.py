"""The periodic jobs run by themselves: each when due and once per interval, a failing one does not stop the
others, and one tick of `run_periodic` runs the real commands."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sibaru.complaints.models import Category
from sibaru.complaints.tests.conftest import answer, submit, verify
from sibaru.core.models import Case, Event
from sibaru.core.periodic import SCHEDULE, AlreadyRunning, Job, SchedulerLock, jobs_run_due, last_runs, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(tmp_path, settings):
    """The scheduler's state and the stored files in a directory of the test's own, never the checkout's var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path


def test_a_due_job_runs_once_and_not_again_within_its_interval():
    jobs = (Job("deliver_notifications", timedelta(minutes=10)),)
    start = timezone.now()
    assert jobs_run_due(jobs=jobs, now=start) == {"deliver_notifications": True}
    assert jobs_run_due(jobs=jobs, now=start + timedelta(minutes=9, seconds=59)) == {}
    # The last run is kept on disk, so a restarted scheduler knows it too.
    assert last_runs() == {"deliver_notifications": start}
    assert jobs_run_due(jobs=jobs, now=start + timedelta(minutes=10)) == {"deliver_notifications": True}
    assert last_runs() == {"deliver_notifications": start + timedelta(minutes=10)}


def test_a_failing_job_is_logged_and_the_jobs_after_it_still_run(caplog):
    jobs = (
        Job("complaints_sweep", timedelta(hours=1), ("--date", "kemarin")),  # a real command's real error
        Job("lapse_proposals", timedelta(days=1)),
    )
    start = timezone.now()
    assert jobs_run_due(jobs=jobs, now=start) == {"complaints_sweep": False, "lapse_proposals": True}
    failure = next(r for r in caplog.records if r.levelname == "ERROR")
    assert "complaints_sweep" in failure.getMessage() and failure.exc_info
    # Retried at its next interval, not at every tick.
    assert jobs_run_due(jobs=jobs, now=start + timedelta(minutes=1)) == {}
    assert jobs_run_due(jobs=jobs, now=start + timedelta(hours=1)) == {"complaints_sweep": False}


def test_one_tick_removes_the_file_a_crash_left_behind(var):
    orphan = var / "media" / "attachments" / "ab" / "left-by-a-crash.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4\n")
    two_days_ago = time.time() - 2 * 86400
    os.utime(orphan, (two_days_ago, two_days_ago))
    call_command("run_periodic", "--once")
    assert not orphan.exists()


def test_a_damaged_state_file_makes_every_job_due_instead_of_stopping_the_scheduler(settings):
    settings.VAR_DIR.mkdir(parents=True)
    (settings.VAR_DIR / "periodic.json").write_text('{"complaints_sweep": "kemarin"')
    jobs = (Job("deliver_notifications", timedelta(minutes=10)),)
    assert jobs_run_due(jobs=jobs) == {"deliver_notifications": True}
    assert set(last_runs()) == {"deliver_notifications"}


def test_a_stop_request_starts_no_further_job():
    stop = threading.Event()
    stop.set()
    assert jobs_run_due(jobs=SCHEDULE, stop=stop) == {}
    assert last_runs() == {}


def test_one_tick_runs_every_real_job_and_closes_an_answered_complaint_whose_window_passed(orgs, regions, people, var):
    category = Category.objects.get(code="rusun-fasilitas")
    category.default_unit = orgs["unit"]
    category.save()
    case = submit(regions, category).case
    verify(case, people, orgs)
    answer(case, people)
    # The reporter's ten working days to reply ended yesterday.
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=1))

    call_command("run_periodic", "--once")

    case.refresh_from_db()
    assert case.state == "closed" and case.events.last().action == "close"
    assert set(last_runs()) == {job.name for job in SCHEDULE}
    # A second tick at once finds nothing due.
    assert jobs_run_due() == {}


def test_intervals_follow_the_setting_and_an_unknown_job_name_stops_the_start(settings):
    settings.PERIODIC_JOBS_MINUTES = {"complaints_sweep": 30}
    assert {job.name: job.every for job in schedule()}["complaints_sweep"] == timedelta(minutes=30)
    settings.PERIODIC_JOBS_MINUTES = {"complaint_sweep": 30}
    with pytest.raises(ImproperlyConfigured, match="complaint_sweep"):
        call_command("run_periodic", "--once")


def test_a_second_scheduler_steps_aside(capsys):
    with SchedulerLock():
        with pytest.raises(AlreadyRunning):
            SchedulerLock().__enter__()
        call_command("run_periodic", "--once")
    assert "Another run_periodic" in capsys.readouterr().err
    assert last_runs() == {}


def test_the_loop_is_off_when_periodic_jobs_is_off(settings, capsys):
    settings.PERIODIC_JOBS = False
    call_command("run_periodic")
    assert "PERIODIC_JOBS is off" in capsys.readouterr().out
    assert last_runs() == {}


def test_a_tampered_timeline_fails_verify_events_and_the_once_command_reports_it_for_cron(trial_case):
    Event.objects.filter(case=trial_case, seq=1).update(note="diubah diam-diam")
    with pytest.raises(CommandError, match=rf"1 of {len(SCHEDULE)} job\(s\) failed: verify_events"):
        call_command("run_periodic", "--once")
    # The jobs before it ran and are recorded, the failed one too (retried at its next interval).
    assert set(last_runs()) == {job.name for job in SCHEDULE}


def test_the_scheduler_outlives_failing_jobs_and_stops_cleanly_on_sigterm(tmp_path):
    """The real process as bin/serve starts it, on a database without tables: every job but one fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(SIBARU_MODE="demo", SIBARU_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_periodic", "--tick", "0.2"], env=env, cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        state = tmp_path / "periodic.json"
        deadline = time.monotonic() + 120
        while len(json.loads(state.read_text() if state.exists() else "{}")) < len(SCHEDULE):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.5)
        assert process.poll() is None  # still ticking after the failures
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out.rstrip().endswith("Periodic jobs stopped.")
    assert "periodic job complaints_sweep failed" in err and "no such table" in err
