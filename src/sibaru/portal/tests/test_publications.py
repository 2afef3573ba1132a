"""News and announcements on the portal: scheduled publishing, both languages, feeds, checked images and
attachments written through the admin, and the periodic-information schedule."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from defusedxml import ElementTree as ET
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sibaru.accounts.roles import Role
from sibaru.information.models import CatalogueEntry
from sibaru.portal.models import Publication, PublicationAttachment
from tests.personas import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def publish(slug, *, minutes=-60, **fields):
    return Publication.objects.create(**{
        "slug": slug, "title_id": f"Judul {slug}", "summary_id": f"Ringkasan {slug}", "body_id": f"Isi {slug}",
        "published": True, "publish_at": timezone.now() + timedelta(minutes=minutes), **fields,
    })


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def editor(orgs):
    return make_user("redaksi@example.test", orgs["ministry"], Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def admin_form(**fields):
    data = {
        "kind": "news", "slug": "rusun-baru", "publish_at_0": "2026-01-05", "publish_at_1": "09:00",
        "published": "on", "title_id": "Rusun baru", "summary_id": "Ringkasan.", "body_id": "Isi.",
        "title_en": "", "summary_en": "", "body_en": "", "image_alt_id": "", "image_alt_en": "",
        "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-title": "", "attachments-0-order": "0",
    }
    data.update(fields)
    return data


# --- Scheduling ---------------------------------------------------------------------------------------------


def test_a_scheduled_publication_is_nowhere_until_its_time(client):
    publish("sudah-terbit")
    publish("terjadwal", minutes=60)
    publish("draf", published=False)

    listing = client.get(reverse("portal:publications")).content.decode()
    home = client.get(reverse("portal:home")).content.decode()
    rss = client.get(reverse("portal:feed_rss")).content.decode()
    atom = client.get(reverse("portal:feed_atom")).content.decode()
    for page in (listing, home, rss, atom):
        assert "Judul sudah-terbit" in page
        assert "Judul terjadwal" not in page
        assert "Judul draf" not in page
    assert client.get(reverse("portal:publication", args=["terjadwal"])).status_code == 404
    assert client.get(reverse("portal:publication", args=["draf"])).status_code == 404
    assert client.get(reverse("portal:publication_image", args=["terjadwal"])).status_code == 404


def test_a_scheduled_publication_appears_when_its_time_comes(client):
    item = publish("terjadwal", minutes=60)
    assert client.get(reverse("portal:publication", args=[item.slug])).status_code == 404
    Publication.objects.filter(pk=item.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("portal:publication", args=[item.slug])).status_code == 200


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_list_filters_by_kind_and_pages_newest_first(client):
    for number in range(12):
        publish(f"berita-{number}", minutes=-100 + number)
    publish("pengumuman-libur", kind="announcement", minutes=-500)

    first = client.get(reverse("portal:publications")).content.decode()
    assert first.index("Judul berita-11") < first.index("Judul berita-2")
    assert "Judul pengumuman-libur" not in first  # the 13th, on page 2
    assert "Halaman 1 dari 2" in first
    second = client.get(reverse("portal:publications"), {"halaman": 2}).content.decode()
    assert "Judul pengumuman-libur" in second

    announcements = client.get(reverse("portal:publications"), {"jenis": "announcement"}).content.decode()
    assert "Judul pengumuman-libur" in announcements
    assert "Judul berita-11" not in announcements
    # A made-up kind shows everything rather than an error.
    assert "Judul berita-11" in client.get(reverse("portal:publications"), {"jenis": "x"}).content.decode()


def test_the_body_is_plain_text_in_paragraphs_never_html(client):
    publish("aman", body_id="Paragraf satu.\n\nParagraf <script>alert(1)</script> dua.")
    html = client.get(reverse("portal:publication", args=["aman"])).content.decode()
    assert "<p>Paragraf satu.</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_english_readers_get_english_and_indonesian_marked_where_english_is_missing(client):
    publish("dwibahasa", title_en="Both languages", summary_en="English summary", body_en="English body")
    publish("hanya-indonesia")
    client.cookies["django_language"] = "en"

    both = client.get(reverse("portal:publication", args=["dwibahasa"])).content.decode()
    assert "<h1>Both languages</h1>" in both
    assert "<p>English body</p>" in both
    assert "Judul dwibahasa" not in both

    fallback = client.get(reverse("portal:publication", args=["hanya-indonesia"])).content.decode()
    assert '<h1><span lang="id">Judul hanya-indonesia</span></h1>' in fallback
    assert '<div lang="id"><p>Isi hanya-indonesia</p></div>' in fallback
    assert "<title>Judul hanya-indonesia · SIBARU</title>" in fallback

    rss = ET.fromstring(client.get(reverse("portal:feed_rss")).content)
    assert rss.find("channel/language").text == "en"
    assert {item.find("title").text for item in rss.iter("item")} == {"Both languages", "Judul hanya-indonesia"}


def test_indonesian_readers_never_see_the_english_text(client):
    publish("dwibahasa", title_en="Both languages")
    html = client.get(reverse("portal:publication", args=["dwibahasa"])).content.decode()
    assert "<h1>Judul dwibahasa</h1>" in html
    assert "Both languages" not in html


def test_the_home_page_shows_the_three_latest(client):
    for number in range(4):
        publish(f"berita-{number}", minutes=-10 + number)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Berita dan pengumuman" in html
    assert [f"Judul berita-{n}" in html for n in range(4)] == [False, True, True, True]


def test_every_page_links_its_feeds_and_the_configured_social_accounts(client, settings):
    settings.SOCIAL_LINKS = [("Instagram", "https://instagram.com/contoh"), ("YouTube", "https://youtube.com/@contoh")]
    html = client.get(reverse("portal:track")).content.decode()
    rss, atom = reverse("portal:feed_rss"), reverse("portal:feed_atom")
    assert f'rel="alternate" type="application/rss+xml" title="Berita dan pengumuman (RSS)" href="{rss}"' in html
    assert f'rel="alternate" type="application/atom+xml" title="Berita dan pengumuman (Atom)" href="{atom}"' in html
    assert '<a href="https://instagram.com/contoh" rel="me noopener">Instagram</a>' in html
    assert '<a href="https://youtube.com/@contoh" rel="me noopener">YouTube</a>' in html


# --- Feeds ----------------------------------------------------------------------------------------------------


def test_the_feeds_are_valid_xml_with_the_visible_items_newest_first(client):
    publish("lama", minutes=-120)
    publish("baru", kind="announcement", minutes=-5)
    publish("nanti", minutes=30)

    response = client.get(reverse("portal:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)
    items = rss.findall("channel/item")
    assert [item.find("title").text for item in items] == ["Judul baru", "Judul lama"]
    assert items[0].find("link").text == "http://testserver" + reverse("portal:publication", args=["baru"])
    assert items[0].find("description").text == "Ringkasan baru"
    assert items[0].find("category").text == "Pengumuman"
    assert rss.find("channel/language").text == "id"

    response = client.get(reverse("portal:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = ET.fromstring(response.content)
    entries = atom.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Judul baru", "Judul lama"]
    assert entries[1].find(f"{ATOM}link").get("href").endswith(reverse("portal:publication", args=["lama"]))


# --- Editing through the admin ----------------------------------------------------------------------------


def test_an_editor_publishes_with_an_image_and_an_attachment(client, editor, media):
    client.force_login(editor)
    response = client.post(reverse("admin:portal_publication_add"), admin_form(
        image=SimpleUploadedFile("foto.png", png()), image_alt_id="Gedung rumah susun",
        **{"attachments-0-title": "Petunjuk teknis", "attachments-0-file": SimpleUploadedFile("juknis.pdf", PDF)},
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = Publication.objects.get(slug="rusun-baru")
    assert item.author == editor
    assert item.image.name.startswith("publikasi/gambar/") and "foto" not in item.image.name
    attachment = item.attachments.get()

    client.logout()
    page = client.get(reverse("portal:publication", args=[item.slug])).content.decode()
    assert 'alt="Gedung rumah susun"' in page
    image = client.get(reverse("portal:publication_image", args=[item.slug]))
    assert b"".join(image.streaming_content) == item.image.open("rb").read()
    download = client.get(reverse("portal:publication_attachment", args=[item.slug, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="rusun-baru-' in download["Content-Disposition"]


def test_an_image_without_alt_text_is_refused_and_nothing_is_stored(client, editor, media):
    client.force_login(editor)
    response = client.post(reverse("admin:portal_publication_add"),
                           admin_form(image=SimpleUploadedFile("foto.png", png())))
    assert response.status_code == 200
    assert "Tulis teks alternatif gambar" in response.content.decode()
    assert not Publication.objects.exists()
    assert stored_files(media) == []


def test_a_file_that_is_not_what_its_name_claims_is_refused(client, editor, media):
    client.force_login(editor)
    fake_pdf = SimpleUploadedFile("juknis.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10)
    response = client.post(reverse("admin:portal_publication_add"), admin_form(
        **{"attachments-0-title": "Petunjuk teknis", "attachments-0-file": fake_pdf}))
    assert response.status_code == 200
    assert "Isi berkas juknis.pdf bukan PDF seperti namanya." in response.content.decode()
    fake_image = SimpleUploadedFile("foto.png", PDF)
    response = client.post(reverse("admin:portal_publication_add"),
                           admin_form(image=fake_image, image_alt_id="Foto"))
    assert "Isi berkas foto.png bukan PNG seperti namanya." in response.content.decode()
    assert not Publication.objects.exists()
    assert not PublicationAttachment.objects.exists()
    assert stored_files(media) == []


def test_the_feed_addresses_cannot_be_taken_as_slugs(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:portal_publication_add"), admin_form(slug="rss"))
    assert "dipakai oleh feed" in response.content.decode()
    assert not Publication.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------------------


def test_the_pages_and_feeds_take_a_constant_number_of_queries(client, django_assert_max_num_queries, media):
    for number in range(15):
        item = publish(f"berita-{number}")
        for order in range(3):
            PublicationAttachment.objects.create(publication=item, title=f"Lampiran {order}", order=order,
                                                 file=SimpleUploadedFile("a.pdf", PDF))
    for name, url, limit in [
        ("home", reverse("portal:home"), 2),
        ("list", reverse("portal:publications"), 3),
        ("detail", reverse("portal:publication", args=["berita-3"]), 3),
        ("rss", reverse("portal:feed_rss"), 2),
        ("atom", reverse("portal:feed_atom"), 2),
    ]:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, name


# --- Periodic information ---------------------------------------------------------------------------------------


def test_the_periodic_schedule_lists_berkala_entries_with_their_next_update(
    client, orgs, django_assert_max_num_queries
):
    def entry(title, info_class="periodic", **fields):
        return CatalogueEntry.objects.create(title=title, summary=".", info_class=info_class, unit=orgs["unit"],
                                             retention="5 tahun", **fields)

    today = timezone.localdate()
    entry("Laporan keuangan", updated_on=date(2025, 8, 31))  # no set date: six months later, clamped
    entry("Profil organisasi", updated_on=today, next_update_due=today + timedelta(days=100))
    entry("Daftar aset", updated_on=today - timedelta(days=200), next_update_due=today - timedelta(days=10))
    entry("Peringatan dini", info_class="immediate", updated_on=today)
    entry("Draf berkala", updated_on=today, published=False)

    with django_assert_max_num_queries(2):
        response = client.get(reverse("information:periodic"))
    html = response.content.decode()
    assert "Peringatan dini" not in html and "Draf berkala" not in html
    assert html.index("Laporan keuangan") < html.index("Daftar aset") < html.index("Profil organisasi")
    assert "28 Februari 2026" in html
    assert html.count("Terlambat") == 2  # 28 Februari 2026 and the overdue one have passed
    assert reverse("information:periodic") in client.get(reverse("information:catalogue")).content.decode()
