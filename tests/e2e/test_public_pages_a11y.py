"""The public pages of Pengaduan, Informasi Publik and the portal with a keyboard, on a phone and in English
(the Bantuan pages have their own pass: test_assistance_a11y.py).

For each page: the first Tab reaches the skip link, then Tab reaches the page's main action with a visible
focus all the way; on a phone nothing scrolls sideways; after the language switch the page heading is the
English text of the catalogue. axe checks every page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible
from tests.e2e.test_assistance_a11y import english, no_sideways_scroll, tab_to_main_action
from tests.e2e.test_complaints import routed  # noqa: F401  (a fixture: the flush removes the seeded categories)

pytestmark = pytest.mark.django_db(transaction=True)

# Page → its main action (a CSS selector inside main).
PAGES = {
    "/pengaduan/baru/": "main form button[type=submit]",
    "/pengaduan/laporan/": "main form button[type=submit]",
    "/informasi/permohonan/": "main form button[type=submit]",
    "/informasi/daftar/": "main form button[type=submit]",
    "/lacak/": "main form button[type=submit]",
}


def test_the_public_forms_work_with_a_keyboard(new_page, routed):  # noqa: F811
    page = new_page("desktop")
    for url, main in PAGES.items():
        tab_to_main_action(page, url, main)
        assert_accessible(page)


def test_the_public_pages_fit_a_phone(new_page, routed):  # noqa: F811
    phone = new_page("phone")
    for url in [*PAGES, "/", "/berita/", "/informasi/", "/informasi/berkala/"]:
        no_sideways_scroll(phone, url)
        assert_accessible(phone)


def test_the_public_pages_speak_english_after_the_language_switch(new_page, routed):  # noqa: F811
    page = new_page("desktop")
    headings = {}
    for url in [*PAGES, "/berita/", "/informasi/"]:
        page.goto(url)
        headings[url] = page.get_by_role("heading", level=1).inner_text().strip()
    assert all(english(h) for h in headings.values()), {u: h for u, h in headings.items() if not english(h)}
    page.get_by_role("button", name="English").click()
    for url, indonesian in headings.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(english(indonesian))
        expect(page.locator(".skip-link")).not_to_have_text("Langsung ke konten utama")
        assert_accessible(page)
