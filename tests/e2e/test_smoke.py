"""The portal opens, in Indonesian first, switches to English, and stays accessible on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, screenshot


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_home_page_is_indonesian_switches_to_english_and_is_accessible(new_page, viewport):
    page = new_page(viewport)

    response = page.goto("/")

    assert response.ok, f"GET / answered {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"home-{viewport}")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Bahasa Indonesia").click()

    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_stylesheet_loads_on_the_live_server(page):
    page.goto("/")

    loaded = page.evaluate(
        """() => [...document.styleSheets]
            .filter(sheet => sheet.href && sheet.href.includes('/static/'))
            .map(sheet => sheet.cssRules.length)"""
    )
    assert loaded and all(loaded), f"stylesheets from /static/ and their rule counts: {loaded}"
