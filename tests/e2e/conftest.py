"""End-to-end harness: the live Django server, headless Chromium driven by Playwright.

Fixtures:
    browser      one Chromium per test session (so per xdist worker): Debian's /usr/bin/chromium
    new_page     factory: ``new_page("desktop" | "phone")`` opens a page in a fresh browser context
    page         a desktop page (1280×800) in Indonesian; ``page.goto("/")`` opens the live server
    phone_page   the same at 390×844, mobile, touch

Helpers live in ``tests/e2e/helpers.py``: ``assert_accessible(page)`` and ``screenshot(page, name)``.

A page also fails its test on a JavaScript error, a console error (where Chromium reports a CSP
violation) or a failed asset request; mark a test ``allow_browser_errors`` when that is expected.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls
# from a thread with a running loop (SynchronousOnlyOperation), though these calls are synchronous.
# Set at collection: once a browser has started, the loop stays until the end of the process, so
# every later test in this process (xdist worker) needs it too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SIBARU_CHROMIUM", "/usr/bin/chromium")
# The background-networking flags: this machine's network is closed, and Chromium's calls home
# would only fail, slowly and many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an e2e test: ``pytest -m "not e2e"`` runs the others."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: the e2e tests need Debian's Chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class _BrowserProblems(list):
    """What went wrong in the pages of one test, as the browser saw it; each is also printed when it
    happens, so a failing test shows it among its captured output."""

    def watch(self, page):
        page.on("pageerror", lambda error: self.add(f"JavaScript error: {error}"))
        page.on("console", self._console)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _request_failed(self, request):
        # ERR_ABORTED is the browser cancelling a load because the page moved on (a favicon still loading
        # when a test clicks a link): not a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            self.add(f"request failed: {request.url} ({request.failure})")

    def add(self, problem):
        print(f"browser: {problem}")
        self.append(problem)

    def _console(self, message):
        # "Failed to load resource" repeats, without its address, a failed response that _response
        # reports (or Chromium's own /favicon.ico request on a page that names no icon).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.add(f"console error: {message.text}")

    def _response(self, response):
        # The page itself may be an expected 404 or 429; the files it loads never should be.
        if response.status >= 400 and response.request.resource_type != "document":
            self.add(f"HTTP {response.status}: {response.url}")


_call_failed = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


@pytest.fixture
def new_page(request, browser, live_server):
    """Open pages in fresh contexts (nothing shared: cookies, storage): ``new_page("phone")``."""
    contexts = []
    problems = _BrowserProblems()

    def open_page(viewport="desktop", **context_options):
        options = {"locale": "id-ID", "timezone_id": "Asia/Jakarta", **VIEWPORTS[viewport], **context_options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    # A test that failed already shows the problems in its output; failing its teardown too would
    # report it twice.
    if request.node.stash.get(_call_failed, False) or request.node.get_closest_marker("allow_browser_errors"):
        return
    if problems:
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(dict.fromkeys(problems)), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page):
    return new_page("phone")
