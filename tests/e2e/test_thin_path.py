"""The thin path through the whole stack: a citizen sends a request in the browser, gets a tracking code,
looks it up (in Indonesian and English); a staff member logs in, finds it in the inbox and acts on it."""

import re

import pytest
from playwright.sync_api import expect

from sibaru.core.models import Case
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def test_a_citizen_sends_a_request_and_tracks_it(new_page, people, regions):
    page = new_page("phone")
    page.goto("/")
    page.get_by_role("link", name="Permintaan uji coba").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirim permintaan uji coba")

    # Sending it empty shows the error summary, and nothing is created.
    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Ada masalah")
    assert_accessible(page)
    assert Case.objects.count() == 0

    page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    page.get_by_label("E-mail (tidak wajib)").fill("siti@example.test")
    # The cascading selects, with the keyboard-friendly select_option.
    page.get_by_label("Provinsi").select_option("32")
    page.get_by_label("Kabupaten/kota").select_option("3273")
    expect(page.get_by_text("Terpilih: ")).to_contain_text("Kota Bandung")
    page.get_by_label("Pesan").fill("Bagaimana cara pemda kami mengusulkan bantuan rumah swadaya?")
    page.get_by_label("Lampiran (tidak wajib)").set_input_files(
        {"name": "rumah.png", "mimeType": "image/png", "buffer": PNG}
    )
    assert_accessible(page)
    page.get_by_role("button", name="Kirim permintaan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Permintaan terkirim")
    code = page.locator(".panel-code").inner_text()
    assert re.fullmatch(r"UJI-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(page.get_by_text("hari kerja").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "trial-submitted")
    case = Case.objects.get()
    assert (case.tracking_code, case.region_id) == (code, "3273")

    # The tracking lookup, typed the lazy way: lower case, no dashes.
    page.goto("/")
    page.get_by_label("Nomor pelacakan").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="Lacak", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diterima")
    expect(page.get_by_text(code).first).to_be_visible()
    content = page.content()
    assert "Siti" not in content and "siti@example.test" not in content
    assert_accessible(page)
    screenshot(page, "track-case")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Received")
    assert_accessible(page)


def test_a_malformed_code_gets_a_clear_message(page, db):
    page.goto("/lacak/")
    page.get_by_label("Nomor pelacakan").fill("ABC-123")
    page.get_by_role("button", name="Lacak", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("tidak sesuai format")
    assert_accessible(page)


def test_staff_log_in_find_the_case_in_the_inbox_and_act_on_it(new_page, people, orgs, trial_case):
    page = new_page("desktop")
    page.goto("/")
    page.get_by_role("link", name="Masuk petugas").click()
    page.get_by_label("E-mail").fill("coordinator@example.test")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
    row = page.get_by_role("row").filter(has_text=trial_case.tracking_code)
    expect(row).to_contain_text("Diterima")
    assert_accessible(page)
    screenshot(page, "workspace-inbox")

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(trial_case.tracking_code)
    expect(page.get_by_text("Siti Rahmawati")).to_be_visible()  # staff in scope see the applicant
    accept = page.locator("form.action-form").filter(has=page.locator('input[value="accept"]'))
    accept.get_by_label("Unit penanggung jawab").select_option(label=orgs["unit"].name)
    accept.get_by_label("Catatan").fill("Diteruskan ke Bagian Humas.")
    assert_accessible(page)
    accept.get_by_role("button", name="Terima dan teruskan").click()

    expect(page.get_by_role("status")).to_contain_text("tersimpan")
    expect(page.locator("dl.summary-list").first).to_contain_text("Diproses")
    screenshot(page, "workspace-case")
    trial_case.refresh_from_db()
    assert (trial_case.state, trial_case.handler) == ("in_process", orgs["unit"])
