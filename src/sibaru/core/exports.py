"""Any list as an XLSX download: a header row, column widths, a dated filename, at most EXPORT_MAX_ROWS rows.

A list page exports what it shows, through the same selector, so the export has the page's scope. Each list
declares its export once, at module level, with its own dotted path so that a worker can find it again:

    INBOX_EXPORT = ListExport(path="sibaru.workspace.views.INBOX_EXPORT", name="kotak-masuk",
                              title=_("Kotak masuk"), list_url="workspace:inbox", columns=INBOX_COLUMNS,
                              rows=lambda user, filters: rows_by_page(…my_selector(user, filters, …)…))

and its page answers `?format=xlsx` with `views_exports.export_response(request, INBOX_EXPORT, filters)`:
a list of at most EXPORT_DIRECT_MAX_ROWS rows is sent at once; a longer one becomes an ExportJob, written
in the background by a task that reads the list again *as the user who asked* (never wider), and the user
follows its progress and downloads the file from /kerja/unduhan/<id>/. The file is kept privately for
EXPORT_JOB_EXPIRY_HOURS, then `export_jobs_sweep` deletes it with its row.

Rows are written with openpyxl's write-only mode into a temporary file (memory stays flat for a large list).
Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) is stored
as plain text, never as a formula.
"""

import hashlib
import itertools
import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sibaru.core.models import ExportJob

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAGE = 1000
PROGRESS_EVERY = 500  # rows between two progress writes of a background export
# A second request for the same list and filters this soon after the first gets the first job (a double
# click, a reload of the link), not a second file.
REUSE_WITHIN = timedelta(seconds=30)
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


# Settings (environment variables of the same names): a list of at most EXPORT_DIRECT_MAX_ROWS rows downloads
# at once, within the request; a longer one is written in the background and kept EXPORT_JOB_EXPIRY_HOURS.
def direct_max_rows() -> int:
    return settings.EXPORT_DIRECT_MAX_ROWS


def expiry_hours() -> int:
    return settings.EXPORT_JOB_EXPIRY_HOURS


FAILURES = {
    "internal": gettext_lazy("Terjadi kesalahan saat menyusun berkas. Silakan unduh lagi dari halaman daftar; "
                             "bila terulang, hubungi admin."),
    "unknown_list": gettext_lazy("Daftar ini tidak dapat diunduh lagi. Silakan unduh lagi dari halaman daftar."),
    "inactive": gettext_lazy("Akun yang meminta unduhan ini tidak aktif lagi."),
}


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[object], object]
    width: int = 18  # characters


@dataclass(frozen=True)
class ListExport:
    """How one list page exports: its rows as a user sees them, its columns and its file name."""

    path: str  # the dotted path of this object, stored with each job so that the worker finds it again
    name: str  # the file's stem, e.g. "kotak-masuk"
    title: str | Promise  # the list's name on the progress page
    list_url: str  # the list page's URL name, for the way back
    columns: list[Column] | Callable[[], list[Column]]
    rows: Callable[[object, dict], Iterable]  # (user, filters) → the page's rows, through its scoped selector
    count: Callable[[object, dict], int] | None = None  # (user, filters) → the number of rows, when cheap

    def column_list(self) -> list[Column]:
        return self.columns() if callable(self.columns) else self.columns


def rows_by_page(fetch: Callable[[str, int], tuple[list, str | None]], *, page: int = PAGE) -> Iterator:
    """Every item of a keyset-paginated selector, one page (one query) at a time.

    `fetch(cursor, limit)` returns (items, next cursor or None), as the list pages' selectors do."""
    cursor = ""
    while True:
        items, cursor = fetch(cursor, page)
        yield from items
        if not cursor:
            return


def keep_as_text(cell):
    """A typed text that a spreadsheet would run as a formula (=, +, -, @ …) stays text (formula injection)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl took it for a formula: keep it text
        cell.quotePrefix = True  # and keep it text when someone edits the cell
    return cell


def _cell(sheet, value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime):
        # Excel has no time zones: the local wall-clock time, as the page shows it.
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return keep_as_text(WriteOnlyCell(sheet, value))


def xlsx_write(items: Iterable, columns: list[Column], *, name: str, output,
               progress: Callable[[int], None] | None = None) -> int:
    """Write one sheet of at most EXPORT_MAX_ROWS rows into `output`; return the number of rows written.

    When the list is longer, the last row says so, and the user filters the list to get the rest.
    `progress(rows_written)` is called every PROGRESS_EVERY rows."""
    limit = settings.EXPORT_MAX_ROWS
    if isinstance(items, QuerySet):
        items = items[: limit + 1].iterator(chunk_size=2000)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=name[:31])  # Excel's limit on a sheet name
    for index, column in enumerate(columns):
        worksheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, str(column.header))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    written = 0
    for item in itertools.islice(items, limit + 1):
        if written == limit:
            worksheet.append([gettext("Daftar dipotong pada %(count)d baris: saring daftar untuk mengunduh sisanya.")
                              % {"count": limit}])
            break
        worksheet.append([_cell(worksheet, column.value(item)) for column in columns])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(output)
    return written


def xlsx_filename(name: str, day=None) -> str:
    return f"{name}-{day or timezone.localdate():%Y-%m-%d}.xlsx"


def xlsx_response(items: Iterable, columns: list[Column], *, name: str) -> FileResponse:
    """An XLSX attachment named <name>-<YYYY-MM-DD>.xlsx with one row per item (at most EXPORT_MAX_ROWS)."""
    output = tempfile.TemporaryFile(suffix=".xlsx")  # the response streams it, then closes it
    xlsx_write(items, columns, name=name, output=output)
    output.seek(0)
    response = FileResponse(output, as_attachment=True, filename=xlsx_filename(name), content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Background exports: start (a request), run (the task), progress (a read), sweep (expiry)
# ---------------------------------------------------------------------------------------------------------


def _filters_hash(filters: dict) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def export_first_rows(*, user, export: ListExport, filters: dict) -> list | None:
    """The whole list when it has at most EXPORT_DIRECT_MAX_ROWS rows (sent at once), else None."""
    limit = direct_max_rows()
    items = list(itertools.islice(export.rows(user, filters), limit + 1))
    return items if len(items) <= limit else None


def export_job_start(*, user, export: ListExport, filters: dict) -> ExportJob:
    """Queue the export of a list as `user` sees it with `filters` (JSON values); the task runs after the commit.

    The same user, list and filters while a job is queued or running, or within REUSE_WITHIN of the last
    one, get that job back: a double click makes one file."""
    digest = _filters_hash(filters)
    same = ExportJob.objects.filter(owner=user, source=export.path, filters_hash=digest)
    now = timezone.now()
    reusable = (same.filter(status__in=ACTIVE) | same.filter(created_at__gte=now - REUSE_WITHIN)).exclude(
        status=ExportJob.Status.FAILED
    )
    if job := reusable.order_by("-pk").first():
        return job
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                owner=user, source=export.path, name=export.name, filters=filters, filters_hash=digest,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                expires_at=now + timedelta(hours=expiry_hours()),
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:  # a concurrent request created it first (exportjob_one_active)
        return same.filter(status__in=ACTIVE).get()
    return job


def _enqueue(job_id: int) -> None:
    from sibaru.core.tasks import run_export  # tasks.py imports this module

    try:
        run_export.enqueue(job_id)
    except Exception:  # the job stays queued; `export_job_run` can be called again for it
        logger.exception("Could not enqueue export %s", job_id)


def export_of(job: ExportJob) -> ListExport | None:
    """The ListExport a job names, or None when the code no longer has it."""
    try:
        export = import_string(job.source)
    except ImportError:
        return None
    return export if isinstance(export, ListExport) else None


def _finish(job_id: int, **fields) -> None:
    ExportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def export_job_run(job_id: int) -> dict:
    """Write a queued export: read the list as its owner, through the page's selector, into a private file.

    A job is claimed once (queued → running), so a task delivered twice runs it once."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return {"skipped": True}
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job_id)
    export = export_of(job)
    if export is None or not job.owner.is_active:
        failure = "unknown_list" if export is None else "inactive"
        _finish(job_id, status=ExportJob.Status.FAILED, failure=failure)
        return {"failure": failure}
    stored = ""
    try:
        with translation.override(job.language), tempfile.TemporaryFile(suffix=".xlsx") as output:
            if export.count:
                jobs.update(rows_total=min(export.count(job.owner, job.filters), settings.EXPORT_MAX_ROWS))
            written = xlsx_write(export.rows(job.owner, job.filters), export.column_list(), name=export.name,
                                 output=output, progress=lambda done: jobs.update(rows_done=done))
            output.seek(0)
            job.file.save("export.xlsx", File(output), save=False)
            stored = job.file.name
        _finish(job_id, status=ExportJob.Status.DONE, file=stored, rows_done=written, rows_total=written)
    except Exception:
        if stored:
            default_storage.delete(stored)
        _finish(job_id, status=ExportJob.Status.FAILED, failure="internal", file="")
        raise
    return {"rows": written}


@dataclass(frozen=True)
class ExportProgress:
    job_id: int
    status: str
    status_label: str
    rows_done: int
    rows_total: int | None
    percent: int | None  # None while the number of rows is not known: an indeterminate bar
    failure: str  # a sentence in the active language, or ""

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE

    @property
    def phase(self) -> str:
        """Which sentence the progress page shows (job-progress.js picks the same one by this name)."""
        if self.status == ExportJob.Status.QUEUED:
            return "queued"
        return "running-total" if self.rows_total else "running"


def export_job_for(*, user, job_id: int) -> ExportJob:
    """One of the user's own export jobs (one query), or ExportJob.DoesNotExist: nobody else's, not even staff's."""
    return ExportJob.objects.get(pk=job_id, owner=user)


def export_progress_of(job: ExportJob) -> ExportProgress:
    percent = None
    if job.status not in ACTIVE:
        percent = 100
    elif job.rows_total:
        percent = min(99, job.rows_done * 100 // job.rows_total)
    elif job.rows_total == 0:
        percent = 99
    return ExportProgress(
        job_id=job.pk, status=job.status, status_label=str(ExportJob.Status(job.status).label),
        rows_done=job.rows_done, rows_total=job.rows_total, percent=percent,
        failure=str(FAILURES.get(job.failure, FAILURES["internal"])) if job.status == ExportJob.Status.FAILED else "",
    )


def export_jobs_sweep(*, now=None) -> int:
    """Delete expired export jobs with their files, and export files no job refers to (a crash between
    writing the file and recording it) once older than the expiry. Returns the number of jobs deleted."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now)
    deleted = 0
    for pk, name in expired.values_list("pk", "file"):
        if name:
            default_storage.delete(name)
        deleted += ExportJob.objects.filter(pk=pk).delete()[0]
    if default_storage.exists("exports"):
        cutoff = now - timedelta(hours=expiry_hours())
        names = {f"exports/{name}" for name in default_storage.listdir("exports")[1]}
        known = set(ExportJob.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names - known:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
    return deleted
