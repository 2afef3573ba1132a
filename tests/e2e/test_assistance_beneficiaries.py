"""The BSPS beneficiaries (calon penerima) of a draft, through the browser: the city's operator downloads the
templates, uploads a CSV with one bad row and reads the report, uploads it again importing the valid rows
only and watches the progress bar finish (the page polls while the worker runs), adds one person by hand
after a refused first try, and checks the list on a phone; then the directorate's verifier reads the list
from the review page. Every page is checked with axe; the screenshots illustrate docs/bantuan-penerima.md."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.assistance import services
from sibaru.assistance.beneficiaries import COLUMNS
from sibaru.assistance.models import (
    Beneficiary,
    MinimumWage,
    Programme,
    ProposerCategory,
    RequirementSet,
)
from sibaru.core.models import Case
from sibaru.regions.models import Region
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2031


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def draft(people, orgs, regions):
    """A BSPS draft of Pemkot Bandung with two target villages, and the directorate that will review it."""
    Region.objects.get_or_create(code="3273011002", defaults={"name": "Gegerkalong", "level": "village",
                                                              "kind": "kelurahan", "parent_id": "327301"})
    MinimumWage.objects.create(province_id="32", year=timezone.localdate().year, amount=Decimal(2_200_000))
    directorate = Organisation.objects.create(name="Direktorat Rumah Swadaya", kind=Organisation.Kind.DIRECTORATE,
                                              parent=orgs["ministry"])
    programme, _ = Programme.objects.update_or_create(
        code="swadaya", defaults={"name": "Rumah Swadaya (BSPS)", "prefix": "RSW", "verification": "technical",
                                  "directorate": directorate, "unit_label": "unit"},
    )
    RequirementSet.objects.get_or_create(programme=programme, budget_year=YEAR)
    category, _ = ProposerCategory.objects.get_or_create(
        code="e2e_regional_head", defaults={"name": "Usulan kepala daerah", "priority_score": 3}
    )
    category.programmes.add(programme)
    operator = people["operator"]
    proposal = services.proposal_create(user=operator, programme=programme, budget_year=YEAR,
                                        title="BSPS Kecamatan Sukasari 2031", region=regions["3273"],
                                        category=category)
    services.proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 0, "uninhabitable_houses": 40},
        {"region": Region.objects.get(code="3273011002"), "units_pk": 5, "units_pb": 0, "uninhabitable_houses": 9},
    ])
    verifier = make_user("swadaya@example.test", directorate, Role.VERIFIER, full_name="Dedi Verifikator")
    return {"proposal": proposal, "operator": operator, "verifier": verifier, "directorate": directorate}


def log_in(new_page, user, viewport="desktop"):
    page = new_page(viewport)
    page.goto("/akun/masuk/?next=/bantuan/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def nik(serial: int) -> str:
    return f"327301050888{serial:04d}"


def people_csv(template: bytes) -> bytes:
    """The downloaded CSV template filled in: its example row replaced by three households, the second of
    them earning more than the provincial minimum wage."""
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    header = rows[0]
    households = []
    for serial, (name, income) in enumerate((("Siti Aminah", "1.750.000"), ("Budi Santoso", "3.900.000"),
                                             ("Wawan Setiawan", "2.000.000")), start=1):
        values = dict(zip(header, rows[1], strict=True))
        values.update(nik=nik(serial), no_kk=f"32730102011{serial:05d}", nama=name, penghasilan=income,
                      alamat=f"Jl. Sukarasa Gg. {serial} RT 00{serial}/RW 003")
        households.append([values[column] for column in header])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *households])
    return out.getvalue().encode("utf-8-sig")


def run_worker():
    """The background worker (django-tasks-db), run once for what is queued."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def upload(page, content: bytes, *, valid_rows_only: bool):
    page.get_by_label("Berkas calon penerima").set_input_files(
        {"name": "calon-penerima.csv", "mimeType": "text/csv", "buffer": content}
    )
    if valid_rows_only:
        page.get_by_label("Impor baris yang benar saja").check()
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor calon penerima")


def test_the_operator_imports_and_adds_beneficiaries_and_the_verifier_reads_them(new_page, draft):
    proposal = draft["proposal"]
    code = proposal.case.tracking_code

    # --- The task list leads to the page --------------------------------------------------------------------
    operator = log_in(new_page, draft["operator"])
    operator.goto(f"/bantuan/{code}/")
    task = operator.locator(".task-list-item").filter(has_text="Calon penerima")
    expect(task).to_contain_text("Belum dimulai")
    task.get_by_role("link", name="Calon penerima").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Calon penerima")
    expect(operator.get_by_text("Belum ada calon penerima.")).to_be_visible()
    assert_accessible(operator)
    screenshot(operator, "bantuan-penerima-unggah", full_page=True)

    # --- The templates ---------------------------------------------------------------------------------------
    with operator.expect_download() as xlsx:
        operator.get_by_role("link", name="templat XLSX").click()
    workbook = load_workbook(io.BytesIO(xlsx.value.path().read_bytes()))
    assert [c.value for c in workbook["penerima"][1]] == list(COLUMNS) and "petunjuk" in workbook.sheetnames
    with operator.expect_download() as template:
        operator.get_by_role("link", name="templat CSV").click()
    assert template.value.suggested_filename == "templat-calon-penerima.csv"
    content = people_csv(template.value.path().read_bytes())

    # --- First upload: one bad row, so nothing is imported; the report says which and why ---------------------
    upload(operator, content, valid_rows_only=False)
    bar = operator.get_by_label("Kemajuan pemeriksaan")
    expect(bar).to_be_visible()
    expect(operator.get_by_role("status")).to_contain_text("Menunggu giliran diproses.")
    expect(operator.get_by_role("link", name="Perbarui halaman ini")).to_be_visible()
    assert_accessible(operator)
    screenshot(operator, "bantuan-penerima-kemajuan")
    run_worker()
    # The page polls and reloads itself with the result: no click needed.
    expect(operator.get_by_role("alert")).to_contain_text("Tidak ada baris yang diimpor", timeout=15_000)
    expect(bar).to_have_attribute("value", "100")
    issues = operator.get_by_role("table", name="Masalah per baris")
    expect(issues).to_contain_text("Kolom penghasilan: penghasilan melebihi UMP provinsi")
    expect(issues.get_by_role("row").nth(1)).to_contain_text("3")  # the second household, on row 3
    assert_accessible(operator)
    screenshot(operator, "bantuan-penerima-laporan", full_page=True)
    with operator.expect_download() as report:
        operator.get_by_role("link", name="Unduh laporan per baris (CSV)").click()
    lines = report.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "baris,kolom,jenis,pesan" and lines[1].startswith("3,penghasilan,galat,")
    assert not Beneficiary.objects.exists()

    # --- Again, importing the valid rows only; the bar fills while the worker runs ----------------------------
    operator.get_by_role("link", name="Unggah berkas lain").click()
    upload(operator, content, valid_rows_only=True)
    expect(bar).to_be_visible()
    run_worker()
    expect(operator.get_by_role("heading", name="Impor selesai")).to_be_visible(timeout=15_000)
    expect(bar).to_have_attribute("value", "100")
    expect(operator.locator(".panel")).to_contain_text("2 calon penerima diimpor.")
    assert_accessible(operator)
    operator.get_by_role("link", name="Ke daftar calon penerima", exact=True).click()
    listed = operator.get_by_role("table", name="Daftar calon penerima")
    expect(listed).to_contain_text("Siti Aminah")
    expect(listed).to_contain_text(nik(1))  # the operator sees the full NIK
    expect(listed).not_to_contain_text("Budi Santoso")

    # --- One more by hand: a wrong NIK first, then right -----------------------------------------------------
    operator.get_by_role("link", name="Tambah calon penerima").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Tambah calon penerima")
    operator.get_by_label("NIK").fill("32730105088")
    operator.get_by_label("Nomor Kartu Keluarga").fill("3273010201100009")
    operator.get_by_label("Nama lengkap").fill("Euis Komalasari")
    operator.get_by_label("Alamat rumah").fill("Jl. Gegerkalong Hilir No. 9 RT 002/RW 005")
    operator.get_by_label("Kode wilayah").fill("32.73.01.1002")
    operator.get_by_label("Penghasilan keluarga per bulan (rupiah)").fill("1.500.000")
    operator.get_by_label("Status tanah").select_option("girik")
    operator.get_by_label("Jumlah penghuni").fill("5")
    operator.get_by_label("Luas lantai (m²)").fill("28,5")
    operator.get_by_label("Atap").check()
    operator.get_by_label("Jamban/sanitasi").check()
    operator.get_by_label("Peningkatan kualitas (PK)").check()
    operator.get_by_role("button", name="Simpan", exact=True).click()
    summary = operator.get_by_role("alert")
    expect(summary).to_contain_text("Ada masalah")
    expect(summary).to_contain_text("NIK harus terdiri dari 16 digit angka.")
    assert_accessible(operator)
    screenshot(operator, "bantuan-penerima-tambah-galat")
    summary.get_by_role("link").first.click()  # the summary's link moves to the field
    expect(operator.get_by_label("NIK")).to_be_focused()
    operator.get_by_label("NIK").fill(nik(4))
    operator.get_by_role("button", name="Simpan", exact=True).click()
    expect(operator.locator("main > .messages")).to_contain_text("Euis Komalasari ditambahkan")
    expect(operator.get_by_text("3 calon penerima tercatat.")).to_be_visible()
    assert_accessible(operator)
    screenshot(operator, "bantuan-penerima-daftar", full_page=True)
    operator.goto(f"/bantuan/{code}/")
    expect(operator.locator(".task-list-item").filter(has_text="Calon penerima")).to_contain_text("Selesai")

    # --- On a phone: the page fits; the table scrolls inside its own box --------------------------------------
    phone = log_in(new_page, draft["operator"], "phone")
    phone.goto(f"/bantuan/{code}/penerima/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Calon penerima")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(phone)

    # --- The directorate's verifier reads the list from the review page ----------------------------------------
    Case.objects.filter(pk=proposal.case_id).update(state="distributed", submitted_at=timezone.now(),
                                                    handler=draft["directorate"])
    verifier = log_in(new_page, draft["verifier"])
    verifier.goto(f"/bantuan/{code}/tinjau/")
    verifier.get_by_role("link", name="Lihat daftar calon penerima").click()
    table = verifier.get_by_role("table", name="Daftar calon penerima")
    expect(table).to_contain_text("Euis Komalasari")
    expect(table).to_contain_text(nik(4))
    expect(verifier.get_by_role("button", name="Hapus")).to_have_count(0)
    expect(verifier.get_by_role("button", name="Unggah dan periksa")).to_have_count(0)
    assert_accessible(verifier)
    viewed = proposal.case.events.filter(action="beneficiaries_viewed")
    assert viewed.filter(actor=draft["verifier"]).count() == 1
