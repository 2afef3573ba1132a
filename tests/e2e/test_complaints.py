"""Pengaduan end to end in the browser: an anonymous citizen files a complaint with a photo on a phone; the
coordinator verifies and dispositions it; the unit plans and responds; the citizen reopens it by replying;
the unit responds again; the citizen rates it and it closes. A second test lets a deadline pass and sees
the escalation. Deadlines shown match the working-day calendar; public pages never show personal data."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sibaru.complaints.models import Category, Complaint
from sibaru.core.calendar import add_working_days
from sibaru.core.models import Case
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def routed(orgs):
    """The seeded rusun categories (recreated: a transactional test's flush removes migrated rows), routed."""
    rusun, _ = Category.objects.update_or_create(code="rusun", defaults={"name": "Rumah susun",
                                                                         "default_unit": orgs["unit"]})
    Category.objects.update_or_create(code="rusun-fasilitas", defaults={
        "name": "Air, listrik, lift dan fasilitas rusak", "parent": rusun, "default_unit": orgs["unit"]})


def log_in(new_page, user):
    page = new_page("desktop")
    page.goto("/akun/masuk/?next=/kerja/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def open_case(page, code):
    """From the inbox to the complaint's own staff page, through the workspace case page."""
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    page.get_by_role("link", name="Buka halaman layanan untuk mengambil tindakan").click()
    expect(page.get_by_role("heading", name="Tindakan")).to_be_visible()


def note_action(page, code, note):
    """One of the complaint page's note-only actions (plan, respond …)."""
    form = page.locator(f"#complaint-{code}")
    form.get_by_label("Catatan").fill(note)
    form.get_by_role("button").click()
    expect(page.locator("main > .messages")).to_contain_text("tersimpan")


def test_an_anonymous_complaint_from_intake_to_rated_closure(new_page, people, orgs, regions, routed):
    citizen = new_page("phone")
    citizen.goto("/")
    citizen.get_by_role("link", name="Pengaduan dan aspirasi").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Sampaikan pengaduan atau aspirasi")
    assert_accessible(citizen)
    citizen.get_by_label("Pengaduan", exact=True).check()
    citizen.get_by_label("Kategori").select_option("rusun-fasilitas")
    citizen.get_by_label("Provinsi").select_option("32")
    citizen.get_by_label("Kabupaten/kota").select_option("3273")
    screenshot(citizen, "pengaduan-langkah-1")
    citizen.get_by_role("button", name="Lanjutkan").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("Isi laporan Anda")
    # Sending it without a description shows the error summary, and nothing is created.
    citizen.get_by_label("Judul laporan").fill("Air Rusunawa blok B mati")
    citizen.get_by_role("button", name="Kirim laporan").click()
    expect(citizen.get_by_role("alert")).to_contain_text("Ada masalah")
    assert_accessible(citizen)
    assert Case.objects.count() == 0

    citizen.get_by_label("Uraian").fill("Sudah seminggu air di Rusunawa blok B tidak mengalir sama sekali.")
    citizen.get_by_label("Foto atau dokumen (tidak wajib)").set_input_files(
        {"name": "air.png", "mimeType": "image/png", "buffer": PNG}
    )
    citizen.get_by_role("radio", name=re.compile("^Anonim")).check()
    expect(citizen.locator("#privacy-notice")).to_contain_text("Pelindungan Data Pribadi")
    assert_accessible(citizen)
    screenshot(citizen, "pengaduan-langkah-2", full_page=True)
    citizen.get_by_role("button", name="Kirim laporan").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("Laporan terkirim")
    code = citizen.locator(".panel-code").inner_text()
    assert re.fullmatch(r"ADU-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    case = Case.objects.get()
    # The due date shown is the third working day after receipt, by the calendar.
    due = add_working_days(case.due_start, 3)
    assert case.due_date == due
    expect(citizen.get_by_text("3 hari kerja sejak").first).to_be_visible()
    follow_url = citizen.locator("#follow-link").inner_text()
    assert_accessible(citizen)
    screenshot(citizen, "pengaduan-terkirim")
    assert Complaint.objects.get().reporter_name == ""

    # The coordinator verifies and dispositions it from the case page.
    coordinator = log_in(new_page, people["coordinator"])
    open_case(coordinator, code)
    expect(coordinator.get_by_text("Anonim: identitas tidak disimpan.")).to_be_visible()
    verify = coordinator.locator("#complaint-verify")
    verify.get_by_role("radio", name=re.compile("^Berkadar pengawasan")).check()
    verify.get_by_label("Judul publik").fill("Air Rusunawa Sukarasa blok B tidak mengalir")
    expect(verify.get_by_label("Bagian Humas")).to_be_checked()  # the category's default unit
    assert_accessible(coordinator)
    screenshot(coordinator, "pengaduan-verifikasi", full_page=True)
    verify.get_by_role("button", name="Verifikasi dan disposisikan").click()
    expect(coordinator.locator("main > .messages")).to_contain_text("tersimpan")
    expect(coordinator.get_by_text("Didisposisikan").first).to_be_visible()

    # The unit plans and responds.
    unit = log_in(new_page, people["unit_officer"])
    open_case(unit, code)
    note_action(unit, "plan", "Kami periksa pompa air besok pagi.")
    case.refresh_from_db()
    assert (case.state, case.due_date) == ("in_follow_up", add_working_days(case.due_start, 60))
    note_action(unit, "respond", "Pompa air sudah diganti; air mengalir lagi.")
    assert_accessible(unit)
    screenshot(unit, "pengaduan-unit-tanggapan", full_page=True)

    # The citizen reads the response on the private page and replies: it reopens.
    citizen.goto(follow_url)
    expect(citizen.get_by_text("Pompa air sudah diganti; air mengalir lagi.")).to_be_visible()
    expect(citizen.locator("dd .tag")).to_have_text("Dijawab")
    assert_accessible(citizen)
    screenshot(citizen, "pengaduan-halaman-pribadi", full_page=True)
    reply = citizen.locator("#action-reply")
    reply.get_by_label("Pesan Anda").fill("Di lantai 3 air masih belum mengalir.")
    reply.get_by_role("button", name="Balas tanggapan").click()
    expect(citizen.locator("dd .tag")).to_have_text("Ditindaklanjuti")

    # The unit responds again.
    unit.reload()
    expect(unit.get_by_text("Di lantai 3 air masih belum mengalir.")).to_be_visible()
    note_action(unit, "respond", "Pipa lantai 3 sudah diperbaiki.")

    # The citizen rates it; it closes.
    citizen.reload()
    rate = citizen.locator("#action-rate")
    rate.get_by_label("5 – sangat puas").check()
    rate.get_by_label("Komentar (tidak wajib)").fill("Cepat ditangani.")
    rate.get_by_role("button", name="Beri penilaian").click()
    expect(citizen.locator("dd .tag")).to_have_text("Selesai")
    assert_accessible(citizen)
    case.refresh_from_db()
    assert (case.state, case.complaint.rating) == ("closed", 5)

    # The public report page and the tracking page show the report, never its author.
    citizen.goto("/pengaduan/laporan/")
    expect(citizen.get_by_text("Air Rusunawa Sukarasa blok B tidak mengalir")).to_be_visible()
    assert_accessible(citizen)
    screenshot(citizen, "pengaduan-laporan-publik")
    citizen.goto(f"/lacak/{code}/")
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Selesai")
    assert "lantai 3 air masih" not in citizen.content()


def test_a_passed_deadline_is_escalated_and_the_public_never_sees_the_reporter(new_page, people, orgs, regions,
                                                                                routed):
    from sibaru.complaints.services import complaint_submit

    category = Category.objects.get(code="rusun-fasilitas")
    case = complaint_submit(
        report_type="pengaduan", category=category, title="Lift rusun rusak",
        description="Lift Rusunawa Sukarasa blok A rusak sejak dua minggu lalu.", region=regions["3273011001"],
        privacy="public", reporter_name="Budi Santoso", reporter_email="budi@example.test",
    ).case
    call_command("complaints_sweep", "--date", (case.due_date + timedelta(days=1)).isoformat())

    coordinator = log_in(new_page, people["coordinator"])
    coordinator.goto("/kerja/notifikasi/")
    expect(coordinator.get_by_text(f"Terlambat: {case.tracking_code}")).to_be_visible()
    coordinator.goto(f"/pengaduan/petugas/{case.tracking_code}/")
    expect(coordinator.get_by_text("Eskalasi ke atasan unit")).to_be_visible()
    assert_accessible(coordinator)
    screenshot(coordinator, "pengaduan-eskalasi", full_page=True)
    # Opening the identity is a recorded act.
    coordinator.get_by_role("button", name="Tampilkan identitas pelapor").click()
    expect(coordinator.get_by_text("budi@example.test")).to_be_visible()
    assert case.events.filter(action="view_identity").count() == 1

    public = new_page("phone")
    public.goto(f"/lacak/{case.tracking_code}/")
    expect(public.get_by_role("heading", level=1)).to_contain_text("Diterima")
    content = public.content()
    assert "Budi" not in content and "budi@example.test" not in content
