"""The WSGI application bench_requests.py serves with gunicorn: SIBARU itself, plus the baseline it is
compared with, a bare Django view at /__bench__/bare/ behind the same middleware.

The bare view does only what every view must: parse the request and make `reads` + `writes` database
round trips (the writes in one transaction, as a submission's), then answer a short body. It runs in the
same server, on the same database, in the same run, so the ratio cancels out the machine.
"""

import json
import os
import random
import sys
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

setup_django(os.environ["BENCH_DATABASE_URL"])

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from sibaru import urls as sibaru_urls  # noqa: E402

SCRATCH = "bench_scratch"


@csrf_exempt
def bare(request):
    reads, writes = int(request.GET.get("reads", 1)), int(request.GET.get("writes", 0))
    if request.body:
        json.loads(request.body)
    top = int(request.GET.get("top", 1))
    with transaction.atomic() if writes else nullcontext(), connection.cursor() as cursor:
        for _ in range(reads):
            cursor.execute("SELECT id, tracking_code, state FROM core_case WHERE id = %s",
                           [random.randint(1, top)])  # noqa: S311  # nosec B311
            cursor.fetchone()
        for _ in range(writes):
            cursor.execute(f"INSERT INTO {SCRATCH} (v) VALUES (%s)", ["x" * 200])  # noqa: S608  # nosec B608
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare), *sibaru_urls.urlpatterns]
for handler in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(sibaru_urls, handler):
        globals()[handler] = getattr(sibaru_urls, handler)
settings.ROOT_URLCONF = __name__

application = get_wsgi_application()
