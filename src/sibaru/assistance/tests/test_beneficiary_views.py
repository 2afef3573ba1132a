"""The BSPS beneficiary pages: the task, the templates, an upload through its progress to its report, bad files,
the manual entry and removal, who sees what (masked NIK, other organisations, submitted proposals), the logged
reads, and constant queries on the list and the progress JSON."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sibaru.accounts.roles import Role
from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance import services, views_beneficiaries
from sibaru.assistance.models import Beneficiary, BeneficiaryImport, MinimumWage, Proposal
from sibaru.core.models import Case, Event
from sibaru.regions.models import Region
from tests.personas import make_user

pytestmark = pytest.mark.django_db

YEAR = 2031


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def wage(regions):
    return MinimumWage.objects.create(province_id="32", year=timezone.localdate().year, amount=Decimal(2_200_000))


@pytest.fixture
def draft(staff, catalogue, regions, wage):
    """A BSPS draft of Pemkot Bandung with two target villages, Sukarasa and Gegerkalong."""
    operator = staff["operator"]
    proposal = services.proposal_create(user=operator, programme=catalogue["swadaya"], budget_year=YEAR,
                                        title="BSPS Sukasari", region=regions["3273"],
                                        category=catalogue["regional_head"])
    services.proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 0, "uninhabitable_houses": 40},
        {"region": Region.objects.get(code="3273011002"), "units_pk": 5, "units_pb": 0, "uninhabitable_houses": 9},
    ])
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def submit(proposal, handler):
    """Move the draft on as the engine would after submission and distribution (the rules of sending are
    tested elsewhere): submitted, handled by the directorate."""
    Case.objects.filter(pk=proposal.case_id).update(state="distributed", submitted_at=timezone.now(),
                                                    handler=handler)


def url(name, proposal, **kwargs):
    return reverse(f"assistance:{name}", kwargs={"tracking_code": proposal.case.tracking_code, **kwargs})


def nik(serial: int) -> str:
    """A man's NIK, born 5 August 1988 in Sukasari (not the template's example NIK)."""
    return f"327301050888{serial:04d}"


def row(serial: int, **values) -> dict:
    data = {
        "nik": nik(serial), "no_kk": f"32730102011{serial:05d}", "nama": f"Warga {serial}",
        "alamat": f"Jl. Sukarasa No. {serial}", "kode_desa": "3273011001", "penghasilan": "1800000",
        "status_tanah": "milik sendiri", "jumlah_penghuni": "4", "luas_lantai": "36", "atap_rusak": "ya",
        "dinding_rusak": "tidak", "lantai_rusak": "tidak", "sanitasi_tidak_layak": "tidak",
        "struktur_rusak": "tidak", "kegiatan": "PK",
    }
    data.update(values)
    return data


def csv_file(rows, name="penerima.csv") -> SimpleUploadedFile:
    lines = [",".join(bsps.COLUMNS)] + [",".join(str(r[c]) for c in bsps.COLUMNS) for r in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(), content_type="text/csv")


def add(proposal, operator, *rows):
    bsps.beneficiaries_import(proposal=proposal, rows=list(rows), user=operator, import_valid_rows=False)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def run_queued():
    """What the worker does: run every queued import."""
    for job in BeneficiaryImport.objects.filter(status="queued"):
        bsps.beneficiary_import_run(job.pk)


# --- The task and the templates ------------------------------------------------------------------------------


def test_the_task_list_has_the_beneficiaries_task_done_once_someone_is_listed(client, staff, draft):
    client.force_login(staff["operator"])

    def status():
        body = text(client.get(url("proposal", draft)))
        assert f'<a href="{url("beneficiaries", draft)}" aria-describedby="task-beneficiaries-status' in body
        found = re.search(r'id="task-beneficiaries-status">(.*?)</div>', body).group(1)
        return re.sub(r"<[^>]+>", "", found).strip()

    assert status() == "Belum dimulai"
    add(draft, staff["operator"], row(1))
    assert status() == "Selesai"


def test_the_operator_downloads_the_templates(client, staff, draft):
    client.force_login(staff["operator"])
    page = text(client.get(url("beneficiaries", draft)))
    assert url("beneficiary_template_xlsx", draft) in page and url("beneficiary_template_csv", draft) in page
    xlsx = client.get(url("beneficiary_template_xlsx", draft))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "templat-calon-penerima.xlsx" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(bsps.COLUMNS)
    csv = client.get(url("beneficiary_template_csv", draft))
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ",".join(bsps.COLUMNS)


# --- Upload, progress, report ---------------------------------------------------------------------------------


def test_an_upload_with_a_bad_row_is_rejected_whole_then_imported_valid_rows_only(
    client, staff, draft, django_capture_on_commit_callbacks
):
    client.force_login(staff["operator"])
    rows = [row(1), row(2, penghasilan="9.000.000"), row(3)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url("beneficiary_upload", draft), {"file": csv_file(rows)})
    job = BeneficiaryImport.objects.get()
    assert response.status_code == 302 and response.url == url("beneficiary_import", draft, job_id=job.pk)
    assert len(queued) == 1 and job.status == "queued" and not job.import_valid_rows

    # Before the worker: the bar, the status line, a link to refresh without JavaScript, the script.
    waiting = text(client.get(response.url))
    assert '<progress id="import-bar" max="100"' in waiting and "Menunggu giliran diproses." in waiting
    assert "Perbarui halaman ini" in waiting and "sibaru/job-progress.js" in waiting
    status = client.get(url("beneficiary_import_status", draft, job_id=job.pk)).json()
    assert (status["phase"], status["finished"], status["percent"]) == ("queued", False, None)

    run_queued()
    status = client.get(url("beneficiary_import_status", draft, job_id=job.pk)).json()
    assert (status["status"], status["finished"], status["percent"]) == ("rejected", True, 100)
    assert (status["imported"], status["rejected"], status["has_report"]) == (0, 1, True)
    done = text(client.get(response.url))
    assert "Tidak ada baris yang diimpor" in done and "sibaru/job-progress.js" not in done
    year = timezone.localdate().year
    assert f"Kolom penghasilan: penghasilan melebihi UMP provinsi tahun {year} (Rp2.200.000)." in done
    report = client.get(url("beneficiary_import_report", draft, job_id=job.pk))
    assert report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "baris,kolom,jenis,pesan" and lines[1].startswith("3,penghasilan,galat,")
    assert not Beneficiary.objects.exists()

    # Again, valid rows only: two imported, the third reported.
    client.post(url("beneficiary_upload", draft), {"file": csv_file(rows), "import_valid_rows": "on"})
    run_queued()
    second = BeneficiaryImport.objects.order_by("-pk").first()
    result = text(client.get(url("beneficiary_import", draft, job_id=second.pk)))
    assert "Impor selesai" in result and "2 calon penerima diimpor." in result
    assert sorted(Beneficiary.objects.values_list("nik", flat=True)) == [nik(1), nik(3)]
    listed = text(client.get(url("beneficiaries", draft)))
    assert "2 calon penerima tercatat." in listed and "Warga 1" in listed and "Warga 2" not in listed
    assert "penerima.csv" in listed  # the recent uploads, with a link to each result


def test_bad_files_get_a_clear_message_and_nothing_is_stored(client, staff, draft, media, settings):
    client.force_login(staff["operator"])
    refused = {
        "wrong type": (SimpleUploadedFile("penerima.txt", b"nik,nama\n"), "Unggah berkas XLSX atau CSV."),
        "disguised": (SimpleUploadedFile("penerima.csv", b"%PDF-1.7\n1 0 obj<<>>endobj\n"),
                      "bukan CSV seperti namanya"),
        "not utf-8": (SimpleUploadedFile("penerima.csv", "nik;nama\n1;Ñama\n".encode("latin-1")),
                      "Berkas CSV harus berenkode UTF-8."),
        "no file": (None, "Pilih berkas XLSX atau CSV yang akan diunggah."),
    }
    for case, (upload, message) in refused.items():
        response = client.post(url("beneficiary_upload", draft), {"file": upload} if upload else {})
        assert response.status_code == 400, case
        assert "Ada masalah" in text(response) and message in text(response), case
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 100
    oversized = client.post(url("beneficiary_upload", draft), {"file": csv_file([row(1)])})
    assert oversized.status_code == 400 and "Berkas terlalu besar" in text(oversized)
    assert not BeneficiaryImport.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))  # no orphan file

    # What only a full read finds is reported on the progress page; the file is deleted, nothing imported.
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 2
    header = ",".join(bsps.COLUMNS)
    broken = SimpleUploadedFile("rusak.csv", f'{header}\r\n"{nik(1)},tanpa tutup\r\n'.encode())
    formula = csv_file([row(1, nama="=HYPERLINK(\"http://x\")")])
    for upload, message in (
        (csv_file([row(1), row(2), row(3)]), "Berkas berisi lebih dari 2 baris data. Bagi menjadi beberapa berkas."),
        (broken, "Baris rusak: berisi 1 kolom, seharusnya 15."),
        (formula, "Kolom nama: rumus tidak diterima"),
    ):
        response = client.post(url("beneficiary_upload", draft), {"file": upload})
        run_queued()
        assert message in text(client.get(response.url))
    assert not Beneficiary.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_second_upload_waits_for_the_first(client, staff, draft):
    client.force_login(staff["operator"])
    client.post(url("beneficiary_upload", draft), {"file": csv_file([row(1)])})
    response = client.post(url("beneficiary_upload", draft), {"file": csv_file([row(2)])})
    assert response.status_code == 400 and "Impor sebelumnya untuk usulan ini masih diproses." in text(response)
    assert BeneficiaryImport.objects.count() == 1


# --- Manual entry and removal ----------------------------------------------------------------------------------


def form_data(serial=1, **values):
    data = {"nik": nik(serial), "no_kk": f"32730102011{serial:05d}", "nama": f"Warga {serial}",
            "alamat": "Jl. Gegerkalong No. 2", "kode_desa": "3273011002", "penghasilan": "1.500.000",
            "status_tanah": "girik", "jumlah_penghuni": "5", "luas_lantai": "30",
            "condition": ["atap_rusak", "sanitasi_tidak_layak"], "kegiatan": "PK"}
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def field_error(body: str, name: str) -> str:
    """The error message shown on one field."""
    found = re.search(rf'id="id_{name}_error"><span class="visually-hidden">Kesalahan: </span>([^<]*)</span>', body)
    return found.group(1) if found else ""


def test_a_person_added_by_hand_gets_errors_per_field_then_is_saved(client, staff, draft):
    client.force_login(staff["operator"])
    address = url("beneficiary_new", draft)
    page = client.get(address)
    assert page.status_code == 200 and "sibaru/region-picker.js" in text(page)

    empty = client.post(address, {})
    assert empty.status_code == 400
    for message in ("Tulis NIK calon penerima.", "Tulis nama lengkap calon penerima.", "Pilih status tanah.",
                    "Pilih kegiatan: PK atau PB.", "Pilih wilayah, atau tulis kode wilayahnya."):
        assert message in text(empty)

    wrong = client.post(address, form_data(nik="12345", penghasilan="banyak", kode_desa="3273011001",
                                           jumlah_penghuni="0"))
    assert wrong.status_code == 400
    body = text(wrong)
    # Each service error sits on its own field (its error id is the field's).
    assert field_error(body, "nik") == "NIK harus terdiri dari 16 digit angka."
    assert field_error(body, "penghasilan") == "Tulis angka, misalnya 2500000."
    assert field_error(body, "jumlah_penghuni") == "Tulis bilangan bulat lebih dari 0."

    outside = client.post(address, form_data(kode_desa="3273011099"))
    assert outside.status_code == 400  # an unknown or retired village, refused by the picker's field
    not_rtlh = client.post(address, form_data(condition=[], luas_lantai="60", jumlah_penghuni="2"))
    assert not_rtlh.status_code == 400 and "Rumah tidak memenuhi kriteria RTLH" in text(not_rtlh)
    assert not Beneficiary.objects.exists()

    saved = client.post(address, form_data())
    assert saved.status_code == 302 and saved.url == url("beneficiaries", draft)
    person = Beneficiary.objects.get()
    assert (person.nik, person.village_id, person.land_status, person.activity) == (
        nik(1), "3273011002", "girik", "PK")
    assert person.house_condition == {"roof": True, "walls": False, "floor": False, "sanitation": True,
                                      "structure": False}
    assert draft.case.events.filter(action="beneficiary_added").count() == 1
    again = client.post(address, {**form_data(2), "add_another": "1"})
    assert again.url == address and Beneficiary.objects.count() == 2
    duplicate = client.post(address, form_data(1))
    assert duplicate.status_code == 400 and "NIK sudah terdaftar sebagai calon penerima pada usulan ini." in text(
        duplicate)


def test_the_operator_removes_a_person_while_the_proposal_is_editable(client, staff, draft, directorates):
    add(draft, staff["operator"], row(1), row(2))
    first = Beneficiary.objects.get(nik=nik(1))
    client.force_login(staff["operator"])
    page = text(client.get(url("beneficiaries", draft)))
    assert "Hapus<span class=\"visually-hidden\"> Warga 1</span>" in page
    response = client.post(url("beneficiary_delete", draft, beneficiary_id=first.pk))
    assert response.status_code == 302
    assert list(Beneficiary.objects.values_list("nik", flat=True)) == [nik(2)]
    assert draft.case.events.filter(action="beneficiary_removed").count() == 1

    # Once submitted: read only, and the writes change nothing.
    submit(draft, directorates["swadaya"])
    second = Beneficiary.objects.get()
    read_only = text(client.get(url("beneficiaries", draft)))
    assert "Warga 2" in read_only and "Hapus" not in read_only and "Unggah dan periksa" not in read_only
    for address, data in (
        (url("beneficiary_delete", draft, beneficiary_id=second.pk), {}),
        (url("beneficiary_new", draft), form_data(3)),
        (url("beneficiary_upload", draft), {"file": csv_file([row(4)])}),
    ):
        refused = client.post(address, data)
        assert refused.status_code == 302 and refused.url == url("proposal", draft)
    assert list(Beneficiary.objects.values_list("nik", flat=True)) == [nik(2)]
    assert not BeneficiaryImport.objects.exists()


# --- Who sees what --------------------------------------------------------------------------------------------


def test_another_organisations_operator_finds_nothing(client, staff, draft, orgs, regions):
    add(draft, staff["operator"], row(1))
    person = Beneficiary.objects.get()
    job = BeneficiaryImport.objects.create(proposal=draft, original_name="x.csv", sha256="0" * 64,
                                           created_by=staff["operator"], status="done")
    client.force_login(staff["developer"])  # a proposer operator of another organisation
    for address in (url("beneficiaries", draft), url("beneficiary_new", draft),
                    url("beneficiary_template_csv", draft),
                    url("beneficiary_import", draft, job_id=job.pk),
                    url("beneficiary_import_status", draft, job_id=job.pk),
                    url("beneficiary_import_report", draft, job_id=job.pk)):
        assert client.get(address).status_code == 404, address
    for address in (url("beneficiary_upload", draft), url("beneficiary_delete", draft, beneficiary_id=person.pk)):
        assert client.post(address, {}).status_code == 404, address
    assert Beneficiary.objects.count() == 1
    assert not draft.case.events.filter(action="beneficiaries_viewed").exists()


def test_reviewers_read_the_list_nik_masked_for_those_who_do_not_verify(client, staff, draft, directorates, people):
    add(draft, staff["operator"], row(1, alamat="Gang Mawar 7"))
    submit(draft, directorates["swadaya"])
    masked = bsps.mask_number(nik(1))
    assert masked == "327301••••••0001" and masked != nik(1)

    expected = {
        "swadaya_verifier": True, "operator": True,
        "planner": False, "decider": False, "province_monitor": False,
    }
    for who, full in expected.items():
        client.force_login(staff[who])
        page = client.get(url("beneficiaries", draft))
        assert page.status_code == 200, who
        body = text(page)
        assert "Warga 1" in body
        assert (nik(1) in body, "Gang Mawar 7" in body, masked in body) == (full, full, not full), who
        assert ("Hapus" in body, "Unggah dan periksa" in body) == (False, False), who
    viewed = draft.case.events.filter(action="beneficiaries_viewed").order_by("seq")
    assert [e.actor.email for e in viewed] == [staff[who].email for who in expected]
    assert viewed[0].data["reason"] == views_beneficiaries.REASON_REVIEW and not viewed[0].public

    # Roles that do not need the list: refused, and nothing is read.
    for who in ("evaluator", "admin"):
        client.force_login(people[who])
        assert client.get(url("beneficiaries", draft)).status_code == 403, who
    assert draft.case.events.filter(action="beneficiaries_viewed").count() == len(expected)
    # The proposer reads its own list back after sending, but not the progress pages of others' roles.
    client.force_login(staff["swadaya_verifier"])
    assert client.get(url("beneficiary_new", draft)).status_code == 403


def test_the_review_page_links_the_list_for_the_roles_that_read_it(client, staff, draft, directorates, people):
    submit(draft, directorates["swadaya"])
    link = f'href="{url("beneficiaries", draft)}"'
    client.force_login(staff["swadaya_verifier"])
    assert link in text(client.get(url("review", draft)))
    client.force_login(people["evaluator"])
    review = client.get(url("review", draft))
    assert review.status_code == 200 and link not in text(review)


def test_the_list_pages_with_a_cursor(client, staff, draft, monkeypatch):
    monkeypatch.setattr(views_beneficiaries, "PAGE_SIZE", 2)
    add(draft, staff["operator"], *(row(i) for i in range(1, 6)))
    client.force_login(staff["operator"])
    first = text(client.get(url("beneficiaries", draft)))
    assert "Warga 1" in first and "Warga 2" in first and "Warga 3" not in first
    cursor = re.search(r'href="\?setelah=(\d+)"', first).group(1)
    second = text(client.get(url("beneficiaries", draft), {"setelah": cursor}))
    assert "Warga 3" in second and "Warga 4" in second and "<td>3</td>" in second and "Halaman pertama" in second
    cursor = re.search(r'href="\?setelah=(\d+)"', second).group(1)
    last = text(client.get(url("beneficiaries", draft), {"setelah": cursor}))
    assert "Warga 5" in last and "Halaman berikutnya" not in last


def test_warnings_are_shown_on_their_row(client, staff, draft, wage):
    wage.delete()  # no UMP for the province this year: kept, with a warning
    add(draft, staff["operator"], row(1))
    client.force_login(staff["operator"])
    body = text(client.get(url("beneficiaries", draft)))
    assert "Kolom penghasilan: UMP belum tersedia untuk provinsi ini" in body


# --- Constant queries ----------------------------------------------------------------------------------------


def test_the_list_and_the_progress_json_read_a_constant_number_of_queries(client, staff, draft,
                                                                        django_assert_max_num_queries):
    add(draft, staff["operator"], row(1))
    client.force_login(staff["operator"])
    client.post(url("beneficiary_upload", draft), {"file": csv_file([row(2)])})
    job = BeneficiaryImport.objects.get()
    address = url("beneficiaries", draft)
    client.get(address)
    # session, user, memberships, proposal (+ documents, locations, their regions), the logged read in a
    # savepoint (case lock, rows, event, case's last event), totals, recent uploads
    with django_assert_max_num_queries(15) as few:
        client.get(address)
    add(draft, staff["operator"], *(row(i) for i in range(3, 40)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(address)
    assert "38 calon penerima tercatat." in text(page)

    status = url("beneficiary_import_status", draft, job_id=job.pk)
    # session, user, the job with its proposal and case, memberships
    with django_assert_max_num_queries(4):
        assert client.get(status).json()["phase"] == "queued"


def test_an_operator_in_two_roles_sees_the_full_list(client, staff, draft, orgs):
    """A user who is both a proposer operator and a province monitor reads as the operator."""
    from sibaru.accounts.models import Membership

    Membership.objects.create(user=staff["operator"], organisation=orgs["west_java"], role=Role.PROVINCE_MONITOR)
    add(draft, staff["operator"], row(1))
    client.force_login(staff["operator"])
    assert nik(1) in text(client.get(url("beneficiaries", draft)))
    assert Event.objects.filter(case=draft.case, action="beneficiaries_viewed").get().data["reason"] == (
        views_beneficiaries.REASON_EDIT
    )


def test_a_user_outside_any_organisation_is_refused(client, draft):
    outsider = make_user("warga@example.test")
    client.force_login(outsider)
    assert client.get(url("beneficiaries", draft)).status_code == 404
