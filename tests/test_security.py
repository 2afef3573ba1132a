"""Security checks in the suite: Django's deployment check, production's refusals, bandit, ruff, headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env=None, timeout=120):
    """Run a command at the repository's root, as a developer would, and capture its output."""
    return subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def assert_succeeds(result):
    """Fail with the command's own output, and nothing else, when it exited non-zero."""
    if result.returncode != 0:
        command = " ".join(result.args[1:])
        pytest.fail(f"{command} exited {result.returncode}:\n{result.stdout}{result.stderr}", pytrace=False)


# What the test run sets and a deployment must not inherit (the e2e harness sets the last one).
NOT_IN_PRODUCTION = {"DEBUG", "SIBARU_MODE", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


@pytest.fixture
def production_env(tmp_path):
    """Make the environment of a production deployment: this one's, less what the test run sets, with
    its own empty var/ (a fresh clone has none, and SQLite's system checks open the database)."""

    def make(**overrides):
        env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION and not k.startswith("PYTEST_")}
        env.update(SIBARU_MODE="production", SIBARU_VAR_DIR=str(tmp_path), ALLOWED_HOSTS="sibaru.example.go.id")
        env["SECRET_KEY"] = secrets.token_urlsafe(45)  # 60 characters
        env.update(overrides)
        return {k: v for k, v in env.items() if v is not None}

    return make


def test_production_settings_pass_djangos_deployment_check(production_env):
    result = run(sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert_succeeds(result)
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set to a random value of 50+ characters in production."),
        ({"SECRET_KEY": "sibaru-insecure-default-key-change-me"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short-" * 4}, "SECRET_KEY must be set"),
        ({"DEBUG": "true"}, "DEBUG must be off in production."),
    ],
    ids=["no-secret-key", "default-secret-key", "short-secret-key", "debug-on"],
)
def test_production_refuses_to_start_with_unsafe_settings(production_env, overrides, message):
    result = run(sys.executable, "manage.py", "check", env=production_env(**overrides))

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr, result.stderr


def test_bandit_finds_nothing_in_src():
    one_line_each = ["--format", "custom", "--msg-template", "{relpath}:{line}: {test_id} [{severity}] {msg}"]
    result = run(sys.executable, "-m", "bandit", "-q", "-c", "pyproject.toml", "-r", "src", *one_line_each)

    assert_succeeds(result)


def test_ruff_finds_nothing_in_src_and_tests():
    result = run(sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "src", "tests")

    assert_succeeds(result)


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client):
    first = client.get("/admin/login/")
    second = client.get("/admin/login/")

    assert first.status_code == 200
    policy = first.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
    assert f'nonce="{nonce}"' in first.text, "the page's own tags carry the header's nonce"
    assert nonce not in second.headers["Content-Security-Policy"], "a new nonce on every response"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "same-origin"
    assert first.headers["X-Frame-Options"] == "DENY"
    assert first.headers["Cross-Origin-Opener-Policy"] == "same-origin"
