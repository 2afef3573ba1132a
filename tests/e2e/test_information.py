"""Informasi Publik in the browser, as the issue's "done when" asks: a journalist requests information on a
phone, the PPID extends the deadline once and answers with a partial grant (one exempt part with its Pasal 17
ground), the journalist objects, the PPID's superior decides; the catalogue shows a public document and a
request for it is answered at once; the semester report counts all of it. Every page is checked with axe."""

import re
from datetime import date
from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from sibaru.accounts.roles import Role
from sibaru.information.models import CatalogueEntry, InformationRequest, Objection
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def ppid(people, orgs):
    # A browser test's database is flushed after every test, data migrations' rows included: the Pasal 17
    # and Pasal 35 grounds are seeded again (idempotently) by the migration's own function.
    from django.apps import apps

    import_module("sibaru.information.migrations.0002_seed_grounds").seed(apps, None)
    return {
        "officer": make_user("ppid@example.test", orgs["ministry"], Role.PPID_OFFICER, full_name="Petugas PPID"),
        "superior": make_user("atasan@example.test", orgs["ministry"], Role.PPID_SUPERIOR, full_name="Atasan PPID",
                              position="Sekretaris Direktorat Jenderal"),
    }


@pytest.fixture
def public_entry(orgs):
    entry = CatalogueEntry(title="Laporan Keuangan Direktorat Jenderal Perumahan 2025",
                           summary="Laporan keuangan tahunan yang telah diaudit.", info_class="periodic",
                           unit=orgs["unit"], retention="10 tahun", updated_on=date(2026, 2, 2))
    entry.document.save("laporan-keuangan-2025.pdf", ContentFile(PDF), save=False)
    entry.save()
    return entry


def log_in(page, email):
    page.goto("/akun/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")


def fill_request(page, information):
    page.get_by_role("radio", name="Perorangan", exact=True).check()
    page.get_by_label("Nama lengkap (perorangan atau badan hukum)").fill("Rina Jurnalis")
    page.get_by_label("NIK atau nomor SK pengesahan badan hukum").fill("3273014506900002")
    page.get_by_label("KTP atau SK pengesahan badan hukum").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_label("Alamat").fill("Jl. Braga 1, Bandung")
    page.get_by_role("textbox", name="E-mail").fill("rina@example.test")
    page.get_by_label("Rincian informasi yang dibutuhkan").fill(information)
    page.get_by_label("Tujuan penggunaan informasi").fill("Bahan liputan tentang program BSPS.")
    page.get_by_label("Mendapatkan salinan (softcopy/hardcopy)").check()
    page.get_by_role("radio", name="E-mail").check()


def test_journalist_requests_ppid_extends_and_partly_grants_journalist_objects_superior_decides(
        new_page, ppid, orgs, public_entry):
    journalist = new_page("phone")
    journalist.goto("/informasi/")
    journalist.get_by_role("link", name="Ajukan permohonan informasi").click()
    expect(journalist.get_by_role("heading", level=1)).to_have_text("Ajukan permohonan informasi")

    # Without identity the request is refused and nothing is registered.
    journalist.get_by_role("button", name="Kirim permohonan").click()
    expect(journalist.get_by_role("alert")).to_contain_text("Ada masalah")
    assert_accessible(journalist)
    assert not InformationRequest.objects.exists()

    fill_request(journalist, "Daftar penerima BSPS Kota Bandung 2025 beserta nilai bantuannya")
    screenshot(journalist, "informasi-formulir", full_page=True)
    journalist.get_by_role("button", name="Kirim permohonan").click()
    expect(journalist.get_by_role("heading", level=1)).to_have_text("Permohonan terdaftar")
    expect(journalist.locator(".panel-code")).to_have_text(re.compile(r"\d{5}/PPID/\d{4}"))
    expect(journalist.get_by_text("hari kerja sejak").first).to_be_visible()
    assert_accessible(journalist)
    screenshot(journalist, "informasi-terdaftar")
    private_url = journalist.get_by_label("Salin dan simpan tautan ini").input_value()
    assert journalist.get_by_role("link", name="Buka halaman pribadi Anda").get_attribute("href") == private_url
    info = InformationRequest.objects.get()
    code = info.case.tracking_code

    officer = new_page("desktop")
    log_in(officer, "ppid@example.test")
    officer.goto(f"/informasi/kelola/{code}/")
    expect(officer.get_by_role("heading", level=1)).to_have_text(info.registration_number)
    expect(officer.get_by_text("3273014506900002")).to_have_count(0)  # hidden until asked for, then logged
    officer.get_by_role("button", name="Tampilkan identitas pemohon").click()
    expect(officer.get_by_text("3273014506900002")).to_be_visible()
    assert_accessible(officer)
    assign = officer.locator("form.action-form").filter(has=officer.locator('input[value="assign"]'))
    assign.get_by_label("Unit yang menguasai informasi").select_option(label=orgs["unit"].name)
    assign.get_by_role("button", name="Teruskan ke unit").click()
    expect(officer.get_by_role("status")).to_contain_text("diteruskan")

    extend = officer.locator("form.action-form").filter(has=officer.locator('input[value="extend"]'))
    extend.get_by_label("Alasan perpanjangan (dikirim ke pemohon)").fill(
        "Data nilai bantuan masih dihimpun dari balai.")
    extend.get_by_role("button", name="Perpanjang 7 hari kerja").click()
    expect(officer.get_by_role("status")).to_contain_text("diperpanjang")
    # Only one extension: its form is gone.
    expect(officer.locator('input[name="op"][value="extend"]')).to_have_count(0)

    answer = officer.locator("form.action-form").filter(has=officer.locator('input[value="answer"]'))
    answer.get_by_label("Diberikan sebagian").check()
    answer.get_by_label("Materi informasi yang diberikan").fill("Daftar penerima dan nilai bantuan per desa.")
    part = answer.locator("fieldset.exempt-part").first
    part.get_by_label("Informasi yang dikecualikan").fill("NIK dan alamat rumah penerima")
    part.get_by_label("Dasar pengecualian").select_option("h3")
    part.get_by_label("Uji konsekuensi").fill("Membuka kondisi keuangan dan aset pribadi penerima.")
    answer.get_by_label("Jumlah lembar/keping salinan yang dikenai biaya").fill("4")
    answer.get_by_label("Media salinan").select_option("page")
    answer.get_by_label("Isi pemberitahuan tertulis (dikirim ke pemohon)").fill("Informasi diberikan sebagian.")
    assert_accessible(officer)
    screenshot(officer, "informasi-ppid-jawab", full_page=True)
    answer.get_by_role("button", name="Kirim pemberitahuan tertulis").click()
    expect(officer.get_by_role("status")).to_contain_text("Pemberitahuan tertulis tersimpan")
    expect(officer.get_by_text("Diberikan sebagian").first).to_be_visible()
    officer.get_by_role("button", name=re.compile("Catat pembayaran")).click()
    expect(officer.get_by_role("status")).to_contain_text("Pembayaran tercatat")

    journalist.goto(private_url)
    expect(journalist.get_by_text("Diberikan sebagian").first).to_be_visible()
    expect(journalist.get_by_text("Pasal 17 huruf h angka 3").first).to_be_visible()
    expect(journalist.get_by_text("Data nilai bantuan masih dihimpun dari balai.")).to_be_visible()
    assert_accessible(journalist)
    screenshot(journalist, "informasi-halaman-pemohon", full_page=True)
    journalist.get_by_role("link", name="Ajukan keberatan").click()
    journalist.get_by_role("button", name="Kirim keberatan").click()
    expect(journalist.get_by_role("alert")).to_contain_text("Ada masalah")
    journalist.get_by_role("radio", name=re.compile(r"a\. penolakan atas")).check()
    journalist.get_by_label("Kasus posisi").fill("Alamat penerima bantuan pemerintah bukan rahasia pribadi.")
    assert_accessible(journalist)
    journalist.get_by_role("button", name="Kirim keberatan").click()
    expect(journalist.get_by_role("status")).to_contain_text("Keberatan Anda terdaftar")
    objection = Objection.objects.get()

    superior = new_page("desktop")
    log_in(superior, "atasan@example.test")
    superior.get_by_role("link", name=objection.case.tracking_code).click()
    superior.get_by_role("link", name="Buka halaman keberatan").click()
    expect(superior.get_by_role("heading", level=1)).to_have_text(objection.registration_number)
    superior.get_by_label("Menguatkan keputusan PPID").check()
    superior.get_by_label("Tanggapan tertulis dan alasannya").fill(
        "Alamat penerima melekat pada data pribadi; keputusan PPID dikuatkan.")
    assert_accessible(superior)
    screenshot(superior, "informasi-atasan-keberatan", full_page=True)
    superior.get_by_role("button", name="Kirim tanggapan").click()
    expect(superior.get_by_role("status")).to_contain_text("Tanggapan atas keberatan tersimpan")

    journalist.goto(private_url)
    expect(journalist.get_by_text("Menguatkan keputusan PPID")).to_be_visible()
    expect(journalist.get_by_text("Komisi Informasi").first).to_be_visible()
    assert_accessible(journalist)

    # The catalogue's public document, and a request for it answered at once with the link.
    journalist.goto("/informasi/daftar/?q=keuangan")
    journalist.get_by_role("link", name=public_entry.title).click()
    expect(journalist.get_by_role("link", name="Buka dokumen")).to_be_visible()
    assert_accessible(journalist)
    screenshot(journalist, "informasi-daftar")
    journalist.goto("/informasi/permohonan/")
    fill_request(journalist, "Laporan keuangan direktorat jenderal tahun 2025")
    journalist.get_by_role("button", name="Kirim permohonan").click()
    expect(journalist.get_by_role("link", name=public_entry.title)).to_be_visible()
    second = InformationRequest.objects.exclude(pk=info.pk).get()
    officer.goto(f"/informasi/kelola/{second.case.tracking_code}/")
    expect(officer.get_by_role("link", name=public_entry.title)).to_be_visible()
    answer = officer.locator("form.action-form").filter(has=officer.locator('input[value="answer"]'))
    answer.get_by_role("radio", name="Sudah tersedia untuk umum").check()
    answer.get_by_label("Entri Daftar Informasi Publik (bila sudah tersedia untuk umum)").select_option(
        label=public_entry.title)
    answer.get_by_label("Isi pemberitahuan tertulis (dikirim ke pemohon)").fill("Silakan unduh di tautan.")
    answer.get_by_role("button", name="Kirim pemberitahuan tertulis").click()
    expect(officer.get_by_role("status")).to_contain_text("Pemberitahuan tertulis tersimpan")

    today = timezone.localdate()
    officer.goto(f"/informasi/laporan/?year={today.year}&semester={1 if today.month <= 6 else 2}")
    report = officer.get_by_role("table")
    expect(report.get_by_role("row", name="Jumlah permohonan informasi")).to_contain_text("2")
    expect(report.get_by_role("row", name="Diberikan sebagian")).to_contain_text("1")
    expect(report.get_by_role("row", name="Sudah tersedia untuk umum")).to_contain_text("1")
    expect(report.get_by_role("row", name="Alasan pengecualian h3")).to_contain_text("1")
    expect(report.get_by_role("row", name="Jumlah keberatan")).to_contain_text("1")
    expect(report.get_by_role("row", name="Menguatkan keputusan PPID")).to_contain_text("1")
    assert_accessible(officer)
    screenshot(officer, "informasi-laporan", full_page=True)
