"""Shared test fixtures: every test starts with an empty cache (rate limits, calendar) and in Indonesian."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

# The personas every test may use: a citizen's case, a kab/kota operator, a province monitor, staff roles.
pytest_plugins = ["tests.personas"]


def pytest_configure(config):
    """Under pytest-xdist, give each worker its own Redis database (gw0 → 1, gw1 → 2, …).

    A shared Redis would let one worker's ``cache.clear()`` (FLUSHDB) wipe another's rate limits
    mid-test; a KEY_PREFIX is not enough, since FLUSHDB ignores it. A run without xdist keeps the
    database of REDIS_URL. Nothing has used the cache yet at this point, so changing CACHES is safe.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    default = settings.CACHES["default"]
    if worker.startswith("gw") and default["BACKEND"].endswith("RedisCache"):
        url = urlsplit(default["LOCATION"])
        location = urlunsplit(url._replace(path=f"/{int(worker[2:]) + 1}"))
        settings.CACHES = {**settings.CACHES, "default": {**default, "LOCATION": location}}


@pytest.fixture(autouse=True)
def _clean_state():
    cache.clear()
    caches["fragments"].clear()
    translation.activate("id")
    yield
    cache.clear()
