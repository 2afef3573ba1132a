"""Project-wide tests: end-to-end browser tests (e2e/) and security checks."""
