"""GET /wilayah/: browse, search by name and try the picker, without JavaScript, in constant queries."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]

URL = "/wilayah/"


def text(response) -> str:
    return response.content.decode()


def test_the_page_lists_the_provinces_and_shows_the_picker(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the picker's province select, the province table
        response = client.get(URL)
    html = text(response)
    assert response.status_code == 200
    assert "<h2 id=\"cari\">Cari wilayah</h2>" in html
    assert html.count('href="/wilayah/?parent=') == 38
    assert 'name="region" id="id_region"' in html
    assert '<script src="/static/sibaru/region-picker.js" defer></script>' in html
    assert '<link href="/static/sibaru/region-picker.css"' in html
    assert "Open Database License" in html and "idn-area-data" in html
    # Opening the page shows no error for the unsent form.
    assert "error-summary" not in html


def test_a_strict_csp_holds_no_inline_script_or_style(client):
    response = client.get(URL)
    html = text(response)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "style=" not in html and "<style" not in html
    assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "")


def test_browsing_a_region_lists_its_children_with_a_trail(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(URL, {"parent": "32.73"})
    html = text(response)
    assert response.status_code == 200
    assert '<a href="/wilayah/?parent=32#telusuri">Jawa Barat</a>' in html
    assert '<span aria-current="page">Kota Bandung</span>' in html
    assert '<a href="/wilayah/?parent=327301#telusuri">Sukasari</a>' in html
    assert html.count('href="/wilayah/?parent=3273') == 30


def test_the_villages_of_a_district_are_not_links(client):
    html = text(client.get(URL, {"parent": "327301"}))
    assert "Sukarasa" in html and "?parent=3273011001" not in html
    assert "Kelurahan" in html


def test_an_unknown_parent_says_so_and_lists_the_provinces(client):
    response = client.get(URL, {"parent": "99"})
    assert response.status_code == 404
    assert "Wilayah induk tidak dikenal" in text(response)
    assert text(response).count('href="/wilayah/?parent=') == 38


def test_searching_by_name_without_javascript_shows_codes_and_places(client, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get(URL, {"q": "cileunyi kulon"})
    html = text(response)
    assert "32.04.05.2001" in html
    assert "Desa Cileunyi Kulon, Kec. Cileunyi, Kab. Bandung, Prov. Jawa Barat" in html
    assert "Tidak ada wilayah yang cocok" in text(client.get(URL, {"q": "zzqzz"}))


def test_a_chosen_region_is_described(client, django_assert_num_queries):
    # Cleaning, the chosen region's label, the picker's provinces and label, the province table.
    with django_assert_num_queries(5):
        response = client.get(URL, {"region": "32.73.01.1001"})
    html = text(response)
    assert response.status_code == 200
    assert "<h3>Sukarasa</h3>" in html
    assert "32.73.01.1001 (3273011001)" in html
    assert "Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat" in html


def test_the_province_select_alone_works_without_javascript(client):
    html = text(client.get(URL, {"region": "", "region_province": "32"}))
    assert "<h3>Jawa Barat</h3>" in html


def test_a_bad_code_is_explained_next_to_the_field_and_in_the_summary(client):
    html = text(client.get(URL, {"region": "99.99"}))
    assert "error-summary" in html
    assert '<a href="#id_region">Kode wilayah tidak dikenal.</a>' in html
    assert 'class="error-message" id="id_region_error"' in html
    assert "<title>Kesalahan:" in html
