"""Documents out through the browser: the proposer sends a BSPS proposal and downloads its receipt PDF from the
confirmation page, then the (short) list of proposals as XLSX at once; the planning officer exports the staff
inbox and the review inbox as long lists are, in the background: a progress page, the worker, the download.
Every page is checked with axe, and the downloads are opened and read."""

import re
from urllib.parse import urljoin

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from sibaru.assistance.tests import conftest as assistance
from sibaru.assistance.tests.test_views import filled
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# The Bantuan tests' own catalogue (budget year 2031), directorates and reviewers.
catalogue = assistance.catalogue
directorates = assistance.directorates
staff = assistance.staff


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}


def log_in(page, user, next_url):
    page.goto(f"/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    file = info.value
    path = tmp_path / file.suggested_filename
    file.save_as(path)
    return file.suggested_filename, path


def xlsx_codes(path) -> set[str]:
    sheet = openpyxl.load_workbook(path).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_receipt_and_the_lists_download_from_the_pages(new_page, staff, catalogue, regions, tmp_path, settings):
    proposal = filled(staff["operator"], catalogue, regions)
    code = proposal.case.tracking_code

    operator = new_page("desktop")
    log_in(operator, staff["operator"], f"/bantuan/{code}/periksa/")
    operator.get_by_role("button", name="Kirim usulan").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Usulan terkirim")
    section = operator.locator("section.documents-out")
    expect(section.get_by_role("heading", name="Dokumen PDF")).to_be_visible()
    assert_accessible(operator)
    screenshot(operator, "bantuan-tanda-terima", full_page=True)

    name, path = download(operator, "Tanda terima pengiriman", tmp_path)
    assert name == f"tanda-terima-{code}.pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))
    assert "Tanda terima usulan bantuan perumahan" in text and code in text and "Pemkot Bandung" in text
    assert "paling lambat" in text and "Surat Usulan" in text

    operator.goto("/bantuan/")
    assert_accessible(operator)
    name, path = download(operator, "Unduh XLSX", tmp_path)
    assert re.fullmatch(r"usulan-\d{4}-\d{2}-\d{2}\.xlsx", name)
    assert xlsx_codes(path) == {code}

    # The planning officer: the staff inbox and the review inbox, each with its filters, as long lists are:
    # written in the background, with a progress page, then downloaded from it.
    settings.EXPORT_DIRECT_MAX_ROWS = 0
    planner = new_page("phone")
    log_in(planner, staff["planner"], "/kerja/")
    planner.get_by_label("Cari nomor atau perihal").fill(code)
    planner.get_by_role("button", name="Terapkan").click()
    expect(planner.get_by_role("link", name="Unduh XLSX")).to_have_attribute("href", re.compile(r"format=xlsx"))
    assert_accessible(planner)
    screenshot(planner, "petugas-unduh-xlsx", full_page=True)
    name, path = background_download(planner, "Kotak masuk", tmp_path, screenshot_name="petugas-unduhan-disusun")
    assert name.startswith("kotak-masuk-") and xlsx_codes(path) == {code}

    planner.goto("/bantuan/tinjauan/?programme=swadaya")
    assert_accessible(planner)
    name, path = background_download(planner, "Tinjauan usulan", tmp_path)
    assert name.startswith("tinjauan-usulan-") and xlsx_codes(path) == {code}

    # The job is the planner's alone: the proposer does not find it.
    job_url = planner.url
    assert operator.goto(job_url).status == 404


def background_download(page, title, tmp_path, *, screenshot_name=None):
    """Follow the list's XLSX link to its export job, let the worker write it while the page polls, download."""
    page.goto(urljoin(page.url, page.get_by_role("link", name="Unduh XLSX").get_attribute("href")))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Unduhan {title}")
    expect(page.get_by_role("status")).to_have_text("Menunggu giliran disusun.")
    expect(page.get_by_label("Kemajuan penyusunan berkas")).to_be_visible()
    assert_accessible(page)
    if screenshot_name:
        screenshot(page, screenshot_name, full_page=True)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # job-progress.js sees the job finished and reloads the page, which now offers the file.
    expect(page.get_by_role("heading", name="Berkas siap diunduh")).to_be_visible(timeout=15_000)
    assert_accessible(page)
    if screenshot_name:
        screenshot(page, f"{screenshot_name}-siap", full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Unduh .+\.xlsx$")).click()
    file = info.value
    path = tmp_path / file.suggested_filename
    file.save_as(path)
    return file.suggested_filename, path
