"""What every benchmark script shares: which database it may touch, and Django set up against it."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench' / 'sibaru-bench.sqlite3'}"
PASSWORD = "bench-password-42"  # noqa: S105  # nosec B105 (accounts of a scratch dataset)


def bench_environment(database_url: str) -> dict[str, str]:
    """The environment of a process serving the bench dataset (this one, or a web server it starts).

    The database must be a scratch one whose name says so: a developer's own database (sibaru) or a test
    database is never touched, whatever DATABASE_URL the shell exports.
    """
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    if "bench" not in name:
        raise SystemExit(f"refusing {database_url}: the bench database's name must contain 'bench'")
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "DATABASE_URL": database_url,
        # Test mode: static files from the apps (nothing to collect), no HTTPS redirect on 127.0.0.1.
        "SIBARU_MODE": "test",
        "SIBARU_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "sibaru.settings",
        # The benchmark is one client address sending thousands of requests: the per-address limits
        # would answer 429 after the first dozen.
        "RATELIMIT_ENABLE": "0",
        "RATELIMIT_TRACKING": "1000000/s",
        "RATELIMIT_SUBMIT": "1000000/s",
        "REDIS_URL": "",
    }


def setup_django(database_url: str) -> None:
    os.environ.update(bench_environment(database_url))
    for path in (str(ROOT / "src"), str(ROOT / "bench")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
