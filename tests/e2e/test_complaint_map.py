"""The map point on the complaint form, in the browser: a click sets the point, the keyboard path (arrow keys
under the crosshair, then Enter) does without dragging, typing in the fields moves the marker, "Gunakan lokasi
saya" uses the browser's position, and the point is saved with the report. Tiles come from page.route (this
machine is offline), at a path on the live server so the page's own strict CSP applies unchanged."""

import struct
import zlib

import pytest
from playwright.sync_api import expect

from sibaru.complaints.models import Category, Complaint
from tests.e2e.helpers import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

STEP_2 = "/pengaduan/baru/?report_type=pengaduan&category=rusun-fasilitas&region=3273"


def _png(size=256, grey=220):
    """A plain grey tile: a real PNG, so the browser decodes it without error."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([grey]) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


TILE = _png()


@pytest.fixture
def map_on(settings, live_server, orgs):
    settings.MAP_TILE_URL = f"{live_server.url}/peta-uji/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Peta uji"
    # The seeded category (recreated: a transactional test's flush removes migrated rows).
    rusun, _ = Category.objects.update_or_create(code="rusun", defaults={"name": "Rumah susun",
                                                                         "default_unit": orgs["unit"]})
    Category.objects.update_or_create(code="rusun-fasilitas", defaults={
        "name": "Air, listrik, lift dan fasilitas rusak", "parent": rusun, "default_unit": orgs["unit"]})


def open_form(new_page, viewport="desktop", **options):
    page = new_page(viewport, **options)
    tiles = []

    def fulfil(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("**/peta-uji/**", fulfil)
    page.goto(STEP_2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Isi laporan Anda")
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert tiles
    return page


def coordinates(page):
    return float(page.get_by_label("Lintang (tidak wajib)").input_value()), float(
        page.get_by_label("Bujur (tidak wajib)").input_value())


def test_a_click_the_keyboard_and_the_fields_set_the_same_point(new_page, regions, map_on):
    page = open_form(new_page)
    latitude, longitude = page.get_by_label("Lintang (tidak wajib)"), page.get_by_label("Bujur (tidak wajib)")
    the_map = page.get_by_role("application", name="Peta titik lokasi")
    expect(page.get_by_text("© Peta uji")).to_be_visible()

    # A click at the centre of the view of Indonesia sets that point.
    the_map.click()
    lat, lng = coordinates(page)
    assert abs(lat + 2.5) < 1 and abs(lng - 118) < 1
    expect(page.get_by_role("status")).to_contain_text(f"Titik ditandai: lintang {lat:.5f}, bujur {lng:.5f}")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)

    # Keyboard only: Tab to the map, arrow keys move the map under the crosshair, Enter sets the point.
    page.get_by_label("Tanggal kejadian (tidak wajib)").focus()
    for _ in range(20):  # through the fields between, to the map, as a keyboard user gets there
        page.keyboard.press("Tab")
        if the_map.evaluate("el => el === document.activeElement"):
            break
    expect(the_map).to_be_focused()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
        page.wait_for_timeout(400)  # Leaflet ignores keys during its 0.25 s pan animation
    screenshot(page, "pengaduan-peta-papan-ketik")
    page.keyboard.press("Enter")
    moved_lat, moved_lng = coordinates(page)
    assert moved_lng > lng + 5 and moved_lat < lat - 2  # east and south of the clicked point
    expect(the_map).to_be_focused()  # Enter did not submit the form
    assert Complaint.objects.count() == 0

    # Typing in the fields moves the marker (the map centres on it).
    latitude.fill("-6.91")
    longitude.fill("107.61")
    page.wait_for_timeout(400)
    box, marker = the_map.bounding_box(), page.locator(".leaflet-marker-icon").bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The icon's tip (its bottom centre) is the point.
    assert abs(marker["x"] + marker["width"] / 2 - centre_x) < 3 and abs(marker["y"] + marker["height"] - centre_y) < 3

    page.get_by_label("Judul laporan").fill("Jalan rusun berlubang")
    page.get_by_label("Uraian").fill("Lubang besar di jalan masuk Rusunawa blok B, berbahaya bagi motor.")
    page.get_by_role("radio", name="Anonim", exact=False).first.check()
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan terkirim")
    complaint = Complaint.objects.get()
    assert (str(complaint.latitude), str(complaint.longitude)) == ("-6.91000", "107.61000")


def test_a_tap_and_my_location_on_a_phone(new_page, regions, map_on):
    page = open_form(new_page, "phone", permissions=["geolocation"],
                     geolocation={"latitude": -6.2, "longitude": 106.816666})
    the_map = page.get_by_role("application", name="Peta titik lokasi")
    the_map.scroll_into_view_if_needed()
    the_map.tap()
    lat, lng = coordinates(page)
    assert -11 <= lat <= 6 and 95 <= lng <= 141
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.get_by_role("status")).to_contain_text("Lokasi Anda ditandai: lintang -6.20000, bujur 106.81667")
    assert coordinates(page) == (-6.2, 106.81667)
    assert_accessible(page)
    screenshot(page, "pengaduan-peta-ponsel")
