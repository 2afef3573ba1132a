"""Helpers for the e2e tests: accessibility checks with axe-core and screenshots for the user guides."""

import os
import re
from pathlib import Path

import axe_playwright_python
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The user guides' pictures are refreshed on demand (`make screenshots`); an ordinary test run still takes
# every screenshot, into test-results/, so the working tree stays clean.
if os.environ.get("SIBARU_SCREENSHOTS") == "1":
    SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
else:
    SCREENSHOT_DIR = ROOT / "test-results" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def assert_accessible(page, *, include=None, disable_rules=()):
    """Run axe-core on the page as it is now; fail with one readable paragraph per violation.

    axe is injected with ``page.evaluate``, which runs in the page through the DevTools protocol and
    is not subject to the page's Content-Security-Policy (an ``add_script_tag`` would be refused by
    that CSP). So no ``bypass_csp`` context is needed, and the pages we test are the pages users get,
    strict CSP included.

    include: a CSS selector to check only part of the page; disable_rules: axe rule ids to skip (say
    why at the call).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable_rules},
    }
    violations = page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(results => results.violations)",
        [include, options],
    )
    if violations:
        pytest.fail(
            f"{page.url}: {len(violations)} accessibility violation(s)\n{describe_violations(violations)}",
            pytrace=False,
        )


def describe_violations(violations, max_nodes=5):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:max_nodes]:
            # A target is a list of selectors, one per nested frame or shadow root.
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
        if len(violation["nodes"]) > max_nodes:
            lines.append(f"    … and {len(violation['nodes']) - max_nodes} more")
    return "\n".join(lines)


def screenshot(page, name, *, full_page=False):
    """Save the viewport (or the full page) as <name>.png: into docs/screenshots/ for the user guides when
    SIBARU_SCREENSHOTS=1, otherwise into test-results/screenshots/."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"screenshot name {name!r}: use lowercase letters, digits and dashes")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    return path
