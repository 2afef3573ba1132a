"""Background XLSX exports for their owner: the progress page (with a refresh link, and job-progress.js
for a moving bar), its JSON, and the download. Another user's job does not exist for them (404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sibaru.core import exports
from sibaru.core.models import ExportJob


def export_response(request, export: exports.ListExport, filters: dict):
    """The answer to a list's “Unduh XLSX” link: the file at once when the list is short, otherwise a job
    (the same one on a double click) and a redirect to its progress page."""
    items = exports.export_first_rows(user=request.user, export=export, filters=filters)
    if items is not None:
        return exports.xlsx_response(items, export.column_list(), name=export.name)
    job = exports.export_job_start(user=request.user, export=export, filters=filters)
    return redirect("workspace:exports:job", job_id=job.pk)


def _own_job(request, job_id) -> ExportJob:
    try:
        return exports.export_job_for(user=request.user, job_id=job_id)
    except ExportJob.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
@never_cache
def job(request, job_id):
    """The export's progress; once done, its download link (or why it failed)."""
    export_job = _own_job(request, job_id)
    export = exports.export_of(export_job)
    return render(request, "core/export_job.html", {
        "job": export_job,
        "progress": exports.export_progress_of(export_job),
        "title": export.title if export else export_job.name,
        "list_url": reverse(export.list_url) if export else reverse("workspace:inbox"),
        "filename": exports.xlsx_filename(export_job.name, timezone.localdate(export_job.created_at)),
    })


@login_required
@require_GET
@never_cache
def job_status(request, job_id):
    """The progress as JSON, for the progress bar (one query)."""
    progress = exports.export_progress_of(_own_job(request, job_id))
    return JsonResponse({
        "status": progress.status, "status_label": progress.status_label, "rows_done": progress.rows_done,
        "rows_total": progress.rows_total, "percent": progress.percent, "finished": progress.finished,
        "phase": progress.phase, "failure": progress.failure,
    })


@login_required
@require_GET
def job_download(request, job_id):
    export_job = _own_job(request, job_id)
    if export_job.status != ExportJob.Status.DONE or not export_job.file:
        raise Http404
    response = FileResponse(
        export_job.file.open("rb"), as_attachment=True, content_type=exports.XLSX_TYPE,
        filename=exports.xlsx_filename(export_job.name, timezone.localdate(export_job.created_at)),
    )
    response["Cache-Control"] = "private, no-store"
    return response
