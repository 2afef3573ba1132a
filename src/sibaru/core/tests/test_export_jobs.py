"""Long XLSX exports in the background: a job per list and filters, written as its owner sees the list, its
progress page and JSON, its private download, the expiry sweep, and a failure that says so."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sibaru.core import exports
from sibaru.core.exports import Column, ListExport, export_job_run, export_job_start, export_jobs_sweep
from sibaru.core.models import Case, ExportJob, Privacy
from sibaru.core.services import case_apply_action
from sibaru.trial.services import trial_request_submit


def _broken_rows(user, filters):
    raise RuntimeError("the selector broke")


# A list whose selector fails, at an importable path as every ListExport.
BROKEN = ListExport(path="sibaru.core.tests.test_export_jobs.BROKEN", name="rusak", title="Daftar rusak",
                    list_url="workspace:inbox", columns=[Column("Kode", str)], rows=_broken_rows)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    # Every list in these tests is written in the background.
    settings.EXPORT_DIRECT_MAX_ROWS = 0


@pytest.fixture
def cases(people, orgs, regions):
    def submit(region, message):
        return trial_request_submit(name="Warga", email="", message=message, region=region)

    bandung = submit(regions["3273011001"], "Permintaan dari Bandung")
    semarang = submit(regions["3374"], "Permintaan dari Semarang")
    handed = submit(regions["3273"], "Rahasia: nama pelapor Budi")
    case_apply_action(case=handed, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    Case.objects.filter(pk=handed.pk).update(privacy=Privacy.CONFIDENTIAL)
    return {"bandung": bandung, "semarang": semarang, "handed": handed}


def codes(response) -> list[str]:
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def start(client, params) -> ExportJob:
    response = client.get(reverse("workspace:inbox"), {**params, "format": "xlsx"})
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert response["Location"] == reverse("workspace:exports:job", args=[job_id])
    return ExportJob.objects.get(pk=job_id)


@pytest.mark.django_db
def test_a_job_exports_exactly_the_owners_scope_with_the_pages_filters(client, people, cases):
    client.force_login(people["province_monitor"])
    job = start(client, {"state": "received", "q": "a"})
    assert job.owner == people["province_monitor"] and job.status == ExportJob.Status.QUEUED
    assert job.filters == {"kind": "", "state": "received", "due": "", "q": "a"}
    page = client.get(reverse("workspace:exports:job", args=[job.pk])).content.decode()
    assert "<progress" in page and "Menunggu giliran disusun." in page and "Perbarui halaman ini" in page
    assert 'http-equiv="refresh"' not in page
    # Nothing to download yet.
    assert client.get(reverse("workspace:exports:download", args=[job.pk])).status_code == 404

    assert export_job_run(job.pk) == {"rows": 1}
    assert export_job_run(job.pk) == {"skipped": True}  # a task delivered twice writes once
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == job.rows_total == 1
    assert job.file.name.startswith("exports/") and default_storage.exists(job.file.name)
    page = client.get(reverse("workspace:exports:job", args=[job.pk])).content.decode()
    assert "Berkas siap diunduh" in page and reverse("workspace:exports:download", args=[job.pk]) in page
    response = client.get(reverse("workspace:exports:download", args=[job.pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert f'filename="kotak-masuk-{timezone.localdate():%Y-%m-%d}.xlsx"' in response["Content-Disposition"]
    # West Java's monitor, received cases only: Bandung's; not Semarang's (scope), not the handed one (filter).
    assert codes(response) == [cases["bandung"].tracking_code]

    # The coordinator, without filters: every case.
    client.force_login(people["coordinator"])
    everything = start(client, {})
    export_job_run(everything.pk)
    response = client.get(reverse("workspace:exports:download", args=[everything.pk]))
    assert sorted(codes(response)) == sorted(case.tracking_code for case in cases.values())


@pytest.mark.django_db
def test_the_job_reads_the_list_again_as_its_owner_never_wider(client, people, cases):
    client.force_login(people["province_monitor"])
    job = start(client, {})
    # Between the click and the run, the monitor loses the role: the file follows what they may see now.
    people["province_monitor"].memberships.all().delete()
    export_job_run(job.pk)
    assert codes(client.get(reverse("workspace:exports:download", args=[job.pk]))) == []


@pytest.mark.django_db
def test_a_double_click_makes_one_job(client, people, cases):
    client.force_login(people["coordinator"])
    first = start(client, {"state": "received"})
    assert start(client, {"state": "received"}) == first
    assert ExportJob.objects.count() == 1
    # Other filters are another file.
    assert start(client, {"q": "Semarang"}) != first
    # Once the first is written, the same click soon after still gets it; later, a fresh one.
    export_job_run(first.pk)
    assert start(client, {"state": "received"}) == first
    ExportJob.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert start(client, {"state": "received"}) != first


@pytest.mark.django_db
def test_another_user_cannot_see_or_download_the_job(client, people, cases):
    client.force_login(people["coordinator"])
    job = start(client, {})
    export_job_run(job.pk)
    for user in (people["province_monitor"], people["admin"], people["outsider"]):
        client.force_login(user)
        for name in ("job", "status", "download"):
            assert client.get(reverse(f"workspace:exports:{name}", args=[job.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("workspace:exports:download", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_progress_json_takes_a_constant_number_of_queries(client, people, cases,
                                                              django_assert_max_num_queries):
    client.force_login(people["coordinator"])
    job = start(client, {})
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_done=250, rows_total=1000)
    url = reverse("workspace:exports:status", args=[job.pk])
    with django_assert_max_num_queries(3):  # session, user, job
        data = client.get(url).json()
    assert data == {"status": "running", "status_label": "Sedang disusun", "rows_done": 250, "rows_total": 1000,
                    "percent": 25, "finished": False, "phase": "running-total", "failure": ""}
    with django_assert_max_num_queries(3):
        assert client.get(reverse("workspace:exports:job", args=[job.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)  # the real worker closes its connection
def test_the_queued_task_runs_in_the_worker(client, people, cases, django_capture_on_commit_callbacks):
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, {})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 3


@pytest.mark.django_db
def test_the_sweep_deletes_expired_jobs_with_their_files_and_orphan_files(client, people, cases, settings):
    client.force_login(people["coordinator"])
    old = start(client, {})
    export_job_run(old.pk)
    fresh = start(client, {"state": "received"})
    export_job_run(fresh.pk)
    old.refresh_from_db()
    fresh.refresh_from_db()
    orphan = default_storage.save("exports/yatim.xlsx", ContentFile(b"x"))
    assert abs(fresh.expires_at - fresh.created_at - timedelta(hours=24)) < timedelta(seconds=1)

    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert export_jobs_sweep() == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.file.name)
    assert default_storage.exists(fresh.file.name) and default_storage.exists(orphan)  # the orphan is new
    assert export_jobs_sweep(now=timezone.now() + timedelta(hours=25)) == 1
    assert not default_storage.exists(fresh.file.name) and not default_storage.exists(orphan)
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_failing_job_says_it_failed_and_keeps_no_file(client, people, cases):
    job = export_job_start(user=people["coordinator"], export=BROKEN, filters={})
    with pytest.raises(RuntimeError):
        export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.failure == "internal" and not job.file
    assert not default_storage.exists("exports") or default_storage.listdir("exports")[1] == []
    client.force_login(people["coordinator"])
    page = client.get(reverse("workspace:exports:job", args=[job.pk])).content.decode()
    assert "Berkas gagal disusun" in page and "Terjadi kesalahan saat menyusun berkas" in page
    assert "<script" not in page.split("</main>")[0].split("<main")[-1]  # no more polling
    data = client.get(reverse("workspace:exports:status", args=[job.pk])).json()
    assert data["finished"] and data["status"] == "failed" and data["failure"].startswith("Terjadi kesalahan")
    assert client.get(reverse("workspace:exports:download", args=[job.pk])).status_code == 404
    # A failed job is not reused: the next click tries again.
    assert export_job_start(user=people["coordinator"], export=BROKEN, filters={}) != job


@pytest.mark.django_db
def test_a_job_whose_list_is_gone_fails_with_a_message(people):
    job = export_job_start(user=people["coordinator"], export=BROKEN, filters={})
    ExportJob.objects.filter(pk=job.pk).update(source="sibaru.core.tests.test_export_jobs.GONE")
    assert export_job_run(job.pk) == {"failure": "unknown_list"}
    progress = exports.export_progress_of(ExportJob.objects.get(pk=job.pk))
    assert progress.finished and progress.failure.startswith("Daftar ini tidak dapat diunduh lagi")


@pytest.mark.django_db
def test_a_short_list_still_downloads_at_once(client, people, cases, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 3
    client.force_login(people["coordinator"])
    response = client.get(reverse("workspace:inbox"), {"format": "xlsx"})
    assert response.status_code == 200 and len(codes(response)) == 3
    assert not ExportJob.objects.exists()
