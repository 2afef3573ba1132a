"""News and announcements in the browser: an editor writes a news item with a picture and an attachment in
the admin, readers find it on the home page, the list and its page, on a phone and in English; the
periodic-information schedule. Every page is checked with axe; the screenshots illustrate the editor's guide."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from sibaru.accounts.roles import Role
from sibaru.information.models import CatalogueEntry
from sibaru.portal.models import Publication
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def editor(orgs):
    return make_user("redaksi@example.test", orgs["ministry"], Role.ADMINISTRATOR, is_staff=True, is_superuser=True,
                     full_name="Redaksi Humas")


@pytest.fixture
def earlier_news():
    for number, title in enumerate(["Sosialisasi SIBARU di Jawa Barat", "Jadwal layanan selama cuti bersama"]):
        Publication.objects.create(slug=f"berita-{number}", title_id=title, summary_id="Ringkasan singkat.",
                                   body_id="Isi.", published=True, kind="announcement" if number else "news",
                                   publish_at=timezone.now() - timedelta(days=number + 1))
    # Scheduled for tomorrow: never on the pages below.
    Publication.objects.create(slug="besok", title_id="Berita untuk besok", summary_id=".", body_id=".",
                               published=True, publish_at=timezone.now() + timedelta(days=1))


def picture(path):
    Image.new("RGB", (960, 540), (22, 88, 142)).save(path, format="PNG")
    return path


def test_an_editor_publishes_and_readers_find_it(new_page, editor, earlier_news, tmp_path):
    page = new_page("desktop")
    page.goto("/akun/masuk/")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.goto("/admin/portal/publication/add/")
    page.locator("#id_title_id").fill("Serah terima Rumah Susun di Kota Bandung")
    page.locator("#id_title_id").press("Tab")  # the admin fills the address from the title
    expect(page.locator("#id_slug")).to_have_value("serah-terima-rumah-susun-di-kota-bandung")
    page.locator("#id_summary_id").fill("Rumah susun dua tower diserahterimakan kepada Pemerintah Kota Bandung.")
    page.locator("#id_body_id").fill("Rumah susun sewa 116 unit siap dihuni.\n\nPenghuni mendaftar di pengelola.")
    page.locator("#id_title_en").fill("Flats handed over in Bandung")
    page.locator("#id_body_en").fill("116 rental flats are ready.")
    page.locator("#id_image").set_input_files(picture(tmp_path / "rusun.png"))
    page.locator("#id_published").check()
    screenshot(page, "publikasi-admin", full_page=True)
    page.get_by_role("button", name="Simpan", exact=True).click()
    # No alt text: refused, with the reason next to the field.
    expect(page.get_by_text("Tulis teks alternatif gambar")).to_be_visible()
    screenshot(page, "publikasi-admin-galat")
    page.locator("#id_image").set_input_files(picture(tmp_path / "rusun.png"))
    page.locator("#id_image_alt_id").fill("Gedung rumah susun dua tower berwarna biru")
    page.locator("#id_attachments-0-title").fill("Daftar calon penghuni")
    (tmp_path / "daftar.pdf").write_bytes(PDF)
    page.locator("#id_attachments-0-file").set_input_files(tmp_path / "daftar.pdf")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("berhasil ditambahkan")).to_be_visible()

    reader = new_page("desktop")
    reader.goto("/")
    news = reader.get_by_role("heading", name="Berita dan pengumuman")
    expect(news).to_be_visible()
    expect(reader.get_by_role("link", name="Serah terima Rumah Susun di Kota Bandung")).to_be_visible()
    expect(reader.get_by_text("Berita untuk besok")).to_have_count(0)
    assert_accessible(reader)
    news.scroll_into_view_if_needed()
    screenshot(reader, "publikasi-beranda")

    reader.get_by_role("link", name="Semua berita dan pengumuman").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Berita dan pengumuman")
    assert_accessible(reader)
    screenshot(reader, "publikasi-daftar")
    reader.get_by_role("link", name="Pengumuman", exact=True).click()
    expect(reader.get_by_role("link", name="Jadwal layanan selama cuti bersama")).to_be_visible()
    expect(reader.get_by_role("link", name="Serah terima Rumah Susun di Kota Bandung")).to_have_count(0)

    reader.goto("/berita/serah-terima-rumah-susun-di-kota-bandung/")
    image = reader.get_by_role("img", name="Gedung rumah susun dua tower berwarna biru")
    expect(image).to_be_visible()
    assert reader.evaluate("() => document.querySelector('.publication-image').naturalWidth") == 960
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Daftar calon penghuni").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(reader)
    screenshot(reader, "publikasi-halaman", full_page=True)

    # English: the English title and body; the summary, left empty, falls back to Indonesian marked lang="id".
    reader.get_by_role("button", name="English").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Flats handed over in Bandung")
    expect(reader.locator(".lead span[lang=id]")).to_have_text(
        "Rumah susun dua tower diserahterimakan kepada Pemerintah Kota Bandung.")
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(reader)

    phone = new_page("phone")
    phone.goto("/berita/serah-terima-rumah-susun-di-kota-bandung/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.evaluate("() => document.querySelector('.publication-image').getBoundingClientRect().width") <= 390
    assert_accessible(phone)
    screenshot(phone, "publikasi-ponsel")


def test_the_feeds_and_the_periodic_schedule(page, orgs):
    Publication.objects.create(slug="bsps", title_id="Usulan BSPS dibuka", summary_id="Ringkasan.", body_id="Isi.",
                               published=True, publish_at=timezone.now() - timedelta(hours=1))
    CatalogueEntry.objects.create(title="Laporan keuangan tahunan", summary=".", info_class="periodic",
                                  unit=orgs["unit"], retention="10 tahun", updated_on=date(2026, 1, 15),
                                  next_update_due=date(2026, 7, 15))
    page.goto("/")
    rss = page.locator('link[rel=alternate][type="application/rss+xml"]').get_attribute("href")
    response = page.request.get(rss)
    assert response.ok and "<title>Usulan BSPS dibuka</title>" in response.text()

    page.goto("/informasi/daftar/")
    page.get_by_role("link", name="Jadwal pembaruan informasi berkala").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jadwal informasi berkala")
    row = page.get_by_role("row", name="Laporan keuangan tahunan")
    expect(row).to_contain_text("15 Januari 2026")
    expect(row).to_contain_text("15 Juli 2026")
    expect(row).to_contain_text("Terlambat")
    assert_accessible(page)
    screenshot(page, "publikasi-informasi-berkala")
