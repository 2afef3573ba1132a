"""End-to-end tests: the live site in headless Chromium, driven by Playwright."""
