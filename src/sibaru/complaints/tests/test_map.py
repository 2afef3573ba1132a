"""The optional map point on the form's second step: off without MAP_TILE_URL; with it, the map container and
Leaflet appear and the Content-Security-Policy allows images from the tile host, and only from it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[4]
STEP_2 = {"report_type": "pengaduan", "category": "rusun-fasilitas", "region": "3273"}
TILES = "https://{s}.tile.example.org/{z}/{x}/{y}.png"


def img_src_under(**env):
    """The CSP img-src as settings.py builds it from this environment (settings are read once, at start)."""
    script = "import json, django; django.setup(); from django.conf import settings; " \
             "print(json.dumps(settings.SECURE_CSP['img-src']))"
    result = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sibaru.settings", "PYTHONPATH": str(ROOT / "src"), **env},
    )
    return json.loads(result.stdout)


def test_without_a_tile_url_there_is_no_map_and_no_outside_images(client, regions, category,
                                                                    django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:submit"), STEP_2)
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_latitude"' in content
    assert "data-map-point" not in content and "leaflet" not in content
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


def test_with_a_tile_url_the_map_appears_and_the_csp_allows_its_host(client, regions, category, settings,
                                                                     django_assert_max_num_queries):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "© Contoh <Peta>"
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": img_src_under(MAP_TILE_URL=TILES)}
    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:submit"), STEP_2)
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-tile-url="{TILES}"' in content and 'data-attribution="© Contoh &lt;Peta&gt;"' in content
    assert 'data-latitude="id_latitude" data-longitude="id_longitude"' in content
    assert "vendor/leaflet/leaflet.js" in content and "sibaru/map-point.js" in content
    assert "Gunakan lokasi saya" in content
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org;" in policy
    assert "script-src 'self';" in policy  # the map adds no script source, nor inline script


def test_the_csp_names_only_the_tile_origin_and_nothing_without_a_host():
    assert img_src_under(MAP_TILE_URL="http://localhost:8001/tiles/{z}/{x}/{y}.png") == [
        "'self'", "data:", "http://localhost:8001"]
    # A tile path on SIBARU's own host is already 'self'.
    assert img_src_under(MAP_TILE_URL="/tiles/{z}/{x}/{y}.png") == ["'self'", "data:"]
