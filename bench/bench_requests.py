"""Benchmark: SIBARU's requests under load on the generated dataset, against the budgets of DESIGN.md.

A script, not a test. It serves the dataset of generate.py with gunicorn (bench_wsgi.py: SIBARU plus a
bare Django view), sends concurrent requests from threads of this process and measures:

  (a) public tracking lookup (GET /lacak/<code>/) throughput      budget: >= 0.5 x the bare view
  (b) complaint submission (POST /api/v1/complaints) throughput   budget: >= 0.5 x the bare view
  (c) staff inbox (GET /kerja/) p95 latency                       budget: 150 ms
  (d) staff search (GET /kerja/?q=) p95 latency                   budget: 150 ms
  (e) API list (GET /api/v1/cases) p95 latency                    budget: 100 ms
  (f) resident memory of a web worker after the run               budget: 150 MB

The bare view makes as many database round trips as the measured request (counted first, in this
process, with the same database), its writes in one transaction. App and bare view are measured in
alternating rounds so that a busy machine slows both alike. Exits 1 when a budget fails.

    .venv/bin/python bench/bench_requests.py                 # the default bench database (generate.py)
    .venv/bin/python bench/bench_requests.py --database-url postgres://postgres@127.0.0.1:5432/sibaru_bench
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_URL, ROOT, bench_environment, setup_django  # noqa: E402

HOST = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    expect: int = 200


@dataclass
class Run:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def add(self, other: "Run") -> None:
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.statuses += other.statuses

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[18] * 1000 if len(self.latencies) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"the generated dataset (default {DEFAULT_URL})")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (one per core)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads of the throughput measures")
    parser.add_argument("--seconds", type=float, default=12, help="duration of each throughput measure")
    parser.add_argument("--samples", type=int, default=150, help="sequential requests of each latency measure")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of app and bare view per measure")
    args = parser.parse_args()
    setup_django(args.database_url)
    sys.exit(Bench(args).run())


class Bench:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(7)  # noqa: S311  # nosec B311

    # --- preparation, in this process -------------------------------------------------------------------

    def prepare(self) -> None:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.db import connection
        from django.db.models import Max

        from sibaru.accounts.models import User
        from sibaru.accounts.services import api_token_issue
        from sibaru.complaints.models import Category
        from sibaru.core.models import Case, Privacy
        from sibaru.regions.models import Region

        self.top = Case.objects.aggregate(top=Max("pk"))["top"] or 0
        if self.top == 0:
            raise SystemExit("no cases: run bench/generate.py first")
        self.total = Case.objects.count()
        with connection.cursor() as cursor:
            serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
            cursor.execute(f"CREATE TABLE IF NOT EXISTS bench_scratch (id {serial} PRIMARY KEY, v TEXT)")
        picks = sorted({self.rng.randint(1, self.top) for _ in range(2000)})
        self.codes = list(Case.objects.filter(pk__in=picks, privacy=Privacy.PUBLIC)
                          .values_list("tracking_code", flat=True))
        self.categories = list(Category.objects.filter(active=True).values_list("code", flat=True))
        self.villages = list(Region.objects.filter(level="village", is_current=True, code__startswith="32")
                             .values_list("code", flat=True))
        coordinator = User.objects.get(email="coordinator@bench.test")
        session = SessionStore()
        session[SESSION_KEY] = str(coordinator.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = coordinator.get_session_auth_hash()
        session.create()
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        self.token, _record = api_token_issue(user=coordinator)

    def tracking(self) -> Request:
        return Request("GET", f"/lacak/{self.rng.choice(self.codes)}/")

    def submission(self) -> Request:
        n = self.rng.randrange(10**9)
        payload = {
            "kind": "pengaduan", "category": self.rng.choice(self.categories),
            "title": f"Jalan rusak di lingkungan {n}",
            "description": "Jalan lingkungan berlubang sejak musim hujan dan belum diperbaiki, membahayakan warga.",
            "region_code": self.rng.choice(self.villages), "privacy": "public",
            "reporter": {"name": "Warga Bench", "email": f"warga{n}@contoh.id"},
        }
        return Request("POST", "/api/v1/complaints", {"Content-Type": "application/json",
                                                      "Idempotency-Key": str(uuid.uuid4())},
                       json.dumps(payload).encode(), expect=201)

    def inbox(self) -> Request:
        return Request("GET", "/kerja/", {"Cookie": self.cookie})

    def search(self) -> Request:
        return Request("GET", f"/kerja/?q=bench+{self.rng.randint(1, 999)}", {"Cookie": self.cookie})

    def api_list(self) -> Request:
        return Request("GET", "/api/v1/cases?limit=50", {"Authorization": f"Bearer {self.token}"})

    def round_trips(self, make) -> tuple[int, int]:
        """(reads, writes) of one request, counted in this process against the same database."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(SERVER_NAME=HOST)
        # The first request of a kind may fill caches: count the second.
        for _ in range(2):
            request = make()
            with CaptureQueriesContext(connection) as queries:
                response = client.generic(request.method, request.path, request.body or b"", headers=request.headers)
        if response.status_code != request.expect:
            raise SystemExit(f"{request.method} {request.path}: {response.status_code}, expected {request.expect}")
        sql = [q["sql"].lstrip().split(None, 1)[0].upper() for q in queries.captured_queries]
        writes = sum(word in ("INSERT", "UPDATE", "DELETE") for word in sql)
        reads = sum(word not in ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "BEGIN") for word in sql)
        return reads, writes

    def bare(self, reads: int, writes: int, with_body: bool) -> callable:
        body = json.dumps({"x": "y" * 300}).encode() if with_body else None
        method = "POST" if with_body else "GET"
        path = f"/__bench__/bare/?reads={reads}&writes={writes}&top={self.top}"
        return lambda: Request(method, path, {"Content-Type": "application/json"} if body else {}, body)

    # --- load ---------------------------------------------------------------------------------------------

    def load(self, make, *, concurrency: int, seconds: float | None = None, count: int | None = None) -> Run:
        run = Run()
        lock = threading.Lock()
        deadline = time.perf_counter() + (seconds or 1e9)
        remaining = [count or 10**9]

        def worker():
            while time.perf_counter() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                    request = make()
                start = time.perf_counter()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                connection.request(request.method, request.path, request.body, request.headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                elapsed = time.perf_counter() - start
                with lock:
                    run.latencies.append(elapsed)
                    run.statuses[response.status == request.expect] += 1

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.seconds = time.perf_counter() - start
        return run

    def compare(self, make, bare, **load) -> tuple[Run, Run]:
        """App and bare view in alternating rounds; each round's share of the load."""
        app_total, bare_total = Run(), Run()
        rounds = self.args.rounds
        share = ({"seconds": load["seconds"] / rounds} if "seconds" in load
                 else {"count": max(2, load["count"] // rounds)})
        for _ in range(rounds):
            bare_total.add(self.load(bare, concurrency=load["concurrency"], **share))
            app_total.add(self.load(make, concurrency=load["concurrency"], **share))
        return app_total, bare_total

    # --- the server ---------------------------------------------------------------------------------------

    def start_server(self) -> subprocess.Popen:
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, **bench_environment(self.args.database_url),
               "BENCH_DATABASE_URL": self.args.database_url}
        server = subprocess.Popen(  # noqa: S603  # nosec B603 (our own gunicorn)
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "bench_wsgi:application",
             "--pythonpath", f"{ROOT / 'bench'},{ROOT / 'src'}", "--workers", str(self.args.workers),
             "--bind", f"{HOST}:{self.port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/__bench__/bare/")
                if connection.getresponse().status == 200:
                    return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise SystemExit("gunicorn did not answer")

    @staticmethod
    def worker_rss_mb(server: subprocess.Popen) -> float:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes)

    # --- the run ------------------------------------------------------------------------------------------

    def run(self) -> int:
        from django.db import connection

        self.prepare()
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), {self.total:,} cases; "
              f"gunicorn {self.args.workers} workers; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
        counts = {name: self.round_trips(make) for name, make in (
            ("tracking", self.tracking), ("submission", self.submission), ("inbox", self.inbox),
            ("search", self.search), ("api_list", self.api_list))}
        for name, (reads, writes) in counts.items():
            print(f"  {name:<11} {reads} reads + {writes} writes per request")
        connection.close()
        server = self.start_server()
        rows = []
        try:
            # Warm both workers up (imports, templates, connections) before anything is timed.
            for make in (self.tracking, self.inbox, self.api_list, self.bare(1, 0, False)):
                self.load(make, concurrency=self.args.workers * 2, count=self.args.workers * 6)
            throughput = {"concurrency": self.args.concurrency, "seconds": self.args.seconds}
            latency = {"concurrency": 1, "count": self.args.samples}
            for label, name, make, load, budget in (
                ("(a) tracking lookup, req/s", "tracking", self.tracking, throughput, 0.5),
                ("(b) complaint submission, req/s", "submission", self.submission, throughput, 0.5),
                ("(c) staff inbox /kerja/, p95 ms", "inbox", self.inbox, latency, 150),
                ("(d) staff search /kerja/?q=, p95 ms", "search", self.search, latency, 150),
                ("(e) API list /api/v1/cases, p95 ms", "api_list", self.api_list, latency, 100),
            ):
                reads, writes = counts[name]
                app, bare = self.compare(make, self.bare(reads, writes, name == "submission"), **load)
                errors = app.statuses[False] + bare.statuses[False]
                if load is throughput:
                    value, base = app.throughput, bare.throughput
                    ratio = value / base
                    passed = ratio >= budget
                    rows.append((label, f"{value:.1f}", f"{base:.1f}", f"{ratio:.2f}", f">= {budget} x", passed,
                                 errors))
                else:
                    value, base = app.p95_ms, bare.p95_ms
                    passed = value <= budget
                    rows.append((label, f"{value:.0f}", f"{base:.0f}", f"{value / base:.1f}", f"<= {budget} ms",
                                 passed, errors))
                print(f"  measured {label}", flush=True)
            rss = self.worker_rss_mb(server)
            rows.append(("(f) web worker RSS after the run, MB", f"{rss:.0f}", "", "", "<= 150 MB", rss <= 150, 0))
        finally:
            server.terminate()
            server.wait(timeout=30)
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_scratch")
        header = ("measure", "value", "bare view", "ratio", "budget", "result")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
        failed = False
        for *cells, passed, errors in rows:
            ok = passed and not errors
            failed |= not ok
            verdict = "pass" if ok else ("FAIL" if not errors else f"FAIL ({errors} unexpected responses)")
            print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + "  " + verdict)
        return 1 if failed else 0


if __name__ == "__main__":
    main()
