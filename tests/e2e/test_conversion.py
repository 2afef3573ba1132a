"""A complaint that is really a request for information, in the browser: a named citizen files a "permintaan
informasi" on a phone; the complaint coordinator converts it into an information request on the complaint's
staff page; both pages name the other; the PPID officer sees the identity is missing, completes it (after one
refused attempt that changes nothing) and answers; the citizen opens the private link the e-mail carried and
reads the answer. Every page is checked with axe; the screenshots illustrate the PPID and complaint guides."""

import re
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sibaru.accounts.roles import Role
from sibaru.complaints.models import Category, Complaint
from sibaru.core.models import Attachment, Notification
from sibaru.information.models import InformationRequest
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NIK = "3273014506900002"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def setup(people, orgs):
    """The seeded category and the Pasal 17 grounds, recreated: a transactional test's flush removes migrated
    rows; and the PPID officer, in the ministry that receives every information request."""
    from django.apps import apps

    import_module("sibaru.information.migrations.0002_seed_grounds").seed(apps, None)
    Category.objects.update_or_create(code="rusun", defaults={"name": "Rumah susun", "default_unit": orgs["unit"]})
    return make_user("ppid@example.test", orgs["ministry"], Role.PPID_OFFICER, full_name="Petugas PPID")


def log_in(new_page, email):
    page = new_page("desktop")
    page.goto("/akun/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
    return page


def test_a_complaint_asking_for_information_becomes_a_request_that_the_ppid_completes_and_answers(
        new_page, people, setup, regions):
    # A named citizen asks for information through the complaint form, on a phone.
    citizen = new_page("phone")
    citizen.goto("/pengaduan/baru/")
    citizen.get_by_label("Permintaan informasi").check()
    citizen.get_by_label("Kategori").select_option("rusun")
    citizen.get_by_label("Provinsi").select_option("32")
    citizen.get_by_label("Kabupaten/kota").select_option("3273")
    citizen.get_by_role("button", name="Lanjutkan").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Isi laporan Anda")
    citizen.get_by_label("Judul laporan").fill("Daftar penghuni Rusunawa Sukarasa")
    citizen.get_by_label("Uraian").fill("Saya meminta daftar kriteria dan jumlah penghuni Rusunawa Sukarasa 2025.")
    citizen.get_by_role("radio", name=re.compile("^Dengan nama")).check()
    citizen.get_by_label("Nama lengkap").fill("Dewi Lestari")
    citizen.get_by_role("textbox", name="E-mail").fill("dewi@example.test")
    assert_accessible(citizen)
    citizen.get_by_role("button", name="Kirim laporan").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Laporan terkirim")
    complaint_code = citizen.locator(".panel-code").inner_text()
    assert Complaint.objects.get().report_type == "permintaan_informasi"

    # The coordinator converts it on the complaint's staff page.
    coordinator = log_in(new_page, people["coordinator"].email)
    coordinator.goto(f"/pengaduan/petugas/{complaint_code}/")
    convert = coordinator.locator("#complaint-convert_to_information_request")
    expect(convert.get_by_role("heading")).to_have_text("Alihkan menjadi permohonan informasi publik")
    assert_accessible(coordinator)
    screenshot(coordinator, "informasi-dari-pengaduan-alihkan", full_page=True)
    convert.get_by_role("button", name="Alihkan menjadi permohonan informasi publik").click()
    expect(coordinator.locator("main > .messages")).to_contain_text("tersimpan")
    expect(coordinator.get_by_text("Dialihkan menjadi permohonan informasi").first).to_be_visible()
    info = InformationRequest.objects.select_related("case").get()
    request_code = info.case.tracking_code
    # The complaint's timeline links to the request ...
    expect(coordinator.locator(".timeline").get_by_role("link", name=request_code)).to_be_visible()
    assert_accessible(coordinator)

    # ... and the request's page names the complaint; its identity is flagged as missing.
    officer = log_in(new_page, setup.email)
    officer.goto(f"/informasi/kelola/{request_code}/")
    expect(officer.get_by_role("heading", level=1)).to_have_text(info.registration_number)
    expect(officer.get_by_text(f"Dialihkan dari pengaduan {complaint_code}", exact=True)).to_be_visible()
    expect(officer.locator(".timeline")).to_contain_text(f"Dialihkan dari pengaduan {complaint_code}")
    expect(officer.get_by_text("Identitas belum lengkap", exact=True)).to_be_visible()
    assert_accessible(officer)
    screenshot(officer, "informasi-dari-pengaduan-identitas")

    # A NIK one digit short is refused with the error summary, and nothing is recorded.
    identity = officer.locator("form.action-form").filter(has=officer.locator('input[value="identity_complete"]'))
    identity.get_by_role("radio", name="Perorangan", exact=True).check()
    identity.get_by_label("NIK atau nomor SK pengesahan badan hukum").fill(NIK[:-1])
    identity.get_by_label("KTP atau SK pengesahan badan hukum").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF})
    identity.get_by_label("Alamat").fill("Jl. Sukarasa 12, Bandung")
    identity.get_by_label("Tujuan penggunaan informasi").fill("Bahan usulan warga kepada pengelola rusun.")
    identity.get_by_role("button", name="Simpan identitas pemohon").click()
    expect(officer.get_by_role("alert")).to_contain_text("Ada masalah")
    assert_accessible(officer)
    info.refresh_from_db()
    assert info.identity_pending and info.id_number == "" and info.identity_document_id is None
    assert not Attachment.objects.filter(case=info.case).exists()

    identity = officer.locator("form.action-form").filter(has=officer.locator('input[value="identity_complete"]'))
    identity.get_by_label("NIK atau nomor SK pengesahan badan hukum").fill(NIK)
    identity.get_by_label("KTP atau SK pengesahan badan hukum").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF})
    identity.get_by_label("Alamat").fill("Jl. Sukarasa 12, Bandung")
    identity.get_by_label("Tujuan penggunaan informasi").fill("Bahan usulan warga kepada pengelola rusun.")
    identity.get_by_role("button", name="Simpan identitas pemohon").click()
    expect(officer.get_by_role("status")).to_contain_text("Identitas pemohon tersimpan")
    expect(officer.get_by_text("Identitas belum lengkap", exact=True)).to_have_count(0)
    info.refresh_from_db()
    assert (info.identity_pending, info.id_number, info.purpose) == (
        False, NIK, "Bahan usulan warga kepada pengelola rusun.")

    # The PPID answers it in full.
    answer = officer.locator("form.action-form").filter(has=officer.locator('input[value="answer"]'))
    answer.get_by_label("Diberikan seluruhnya").check()
    answer.get_by_label("Materi informasi yang diberikan").fill("Kriteria penghuni dan jumlah penghuni per blok.")
    answer.get_by_label("Isi pemberitahuan tertulis (dikirim ke pemohon)").fill(
        "Terlampir kriteria penghuni dan jumlah penghuni Rusunawa Sukarasa 2025.")
    answer.get_by_role("button", name="Kirim pemberitahuan tertulis").click()
    expect(officer.get_by_role("status")).to_contain_text("Pemberitahuan tertulis tersimpan")
    assert_accessible(officer)
    screenshot(officer, "informasi-dari-pengaduan-dijawab")

    # The citizen follows the private link that the conversion's e-mail carried.
    mail = Notification.objects.get(case=info.case, channel=Notification.Channel.EMAIL, email="dewi@example.test",
                                    subject=f"Permintaan informasi Anda menjadi permohonan {request_code}")
    link = re.search(r"https?://\S+/informasi/permohonan/\S+/", mail.body).group(0)
    citizen.goto(urlsplit(link).path)
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(info.registration_number)
    expect(citizen.get_by_text("Diberikan seluruhnya").first).to_be_visible()
    expect(citizen.get_by_text("Kriteria penghuni dan jumlah penghuni per blok.")).to_be_visible()
    assert NIK not in citizen.content()
    assert_accessible(citizen)
    screenshot(citizen, "informasi-dari-pengaduan-pemohon", full_page=True)
