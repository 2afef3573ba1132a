"""The BSPS beneficiary pages (calon penerima): the list of a proposal, the template, the upload with its
background import and progress, the manual entry and removal. The proposer edits while the proposal is a
draft or under revision; reviewers read. Every page that shows personal data reads it through
`beneficiaries_for`, which records who looked and why; NIK, KK and address are masked for the roles that
do not need them (beneficiaries.FULL_DATA_ROLES)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sibaru.accounts.roles import Role
from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance.forms_beneficiaries import CONDITION_LABELS, BeneficiaryForm, BeneficiaryUploadForm
from sibaru.assistance.models import Beneficiary, BeneficiaryImport
from sibaru.assistance.views import _add_errors, _editable, _proposal, _roles, _task_page
from sibaru.core.services import ActionNotAllowed

PAGE_SIZE = 50
RECENT_IMPORTS = 5
# Recorded with each read (beneficiaries_viewed): audit data, kept in the source language as written.
REASON_EDIT = "Operator pengusul menyusun daftar calon penerima"
REASON_REVIEW = "Meninjau daftar calon penerima usulan"
# The line under the progress bar, per phase; job-progress.js fills in the same templates.
PHASE_MESSAGES = {
    "queued": gettext_lazy("Menunggu giliran diproses."),
    "reading": gettext_lazy("Membaca berkas: %(done)s baris terbaca."),
    "checking": gettext_lazy("Memeriksa baris: %(done)s dari %(total)s."),
    "saving": gettext_lazy("Menyimpan calon penerima yang lolos pemeriksaan."),
    "finished": gettext_lazy("Selesai. Memuat hasil…"),
}


def _viewer_roles(request, proposal) -> set[str]:
    roles = _roles(request, proposal).intersection(bsps.VIEWER_ROLES)
    if not roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang melihat data calon penerima."))
    return roles


def _render_list(request, proposal, *, upload_form=None, status=200):
    """The list page: a page of the beneficiaries (a logged read), and for the proposer of an editable
    proposal the template, the upload form and the remove buttons."""
    roles = _viewer_roles(request, proposal)
    editable = Role.PROPOSER_OPERATOR in roles and proposal.case.state in bsps.EDITABLE_STATES
    full = bool(roles.intersection(bsps.FULL_DATA_ROLES))
    cursor = request.GET.get("setelah", "")
    after = int(cursor) if cursor.isdigit() else None
    reason = REASON_EDIT if Role.PROPOSER_OPERATOR in roles else REASON_REVIEW
    page = bsps.beneficiaries_for(proposal, request.user, reason=reason, roles=bsps.VIEWER_ROLES,
                                  limit=PAGE_SIZE, after=after)
    totals = Beneficiary.objects.filter(proposal_id=proposal.pk).aggregate(count=Count("pk"), last=Max("pk"))
    rows = [{
        "beneficiary": b,
        "nik": b.nik if full else bsps.mask_number(b.nik),
        "family_card": b.family_card_number if full else bsps.mask_number(b.family_card_number),
        "damaged": [label for column, label in CONDITION_LABELS.items()
                    if b.house_condition.get(bsps.CONDITION_COLUMNS[column])],
        "land": bsps.LAND_STATUSES.get(b.land_status, b.land_status),
        "warnings": bsps.beneficiary_warning_messages(b),
    } for b in page]
    context = {
        "proposal": proposal, "case": proposal.case, "rows": rows, "full": full, "editable": editable,
        "total": totals["count"], "first_number": _position(proposal, after) if after else 1,
        "next_cursor": page[-1].pk if page and page[-1].pk < (totals["last"] or 0) else None,
        "paged": after is not None, "from_review": Role.PROPOSER_OPERATOR not in roles,
    }
    if editable:
        context["upload_form"] = upload_form or BeneficiaryUploadForm()
        context["imports"] = list(BeneficiaryImport.objects.filter(proposal_id=proposal.pk)
                                  .defer("issues")[:RECENT_IMPORTS])
    return render(request, "assistance/beneficiaries.html", context, status=status)


def _position(proposal, after: int) -> int:
    """The number of the first row of a page that starts after `after`."""
    return Beneficiary.objects.filter(proposal_id=proposal.pk, pk__lte=after).count() + 1


@login_required
@require_GET
@never_cache
def beneficiary_list(request, tracking_code):
    return _render_list(request, _proposal(request, tracking_code))


@login_required
@require_GET
def beneficiary_template(request, tracking_code, extension):
    """The template to fill in (no personal data in it); for whoever may see the proposal's list."""
    proposal = _proposal(request, tracking_code)
    _viewer_roles(request, proposal)
    if extension == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        content = bsps.beneficiary_template_xlsx()
    else:
        content_type, content = "text/csv; charset=utf-8", bsps.beneficiary_template_csv()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="templat-calon-penerima.{extension}"'
    return response


@login_required
@require_POST
@_task_page
def beneficiary_upload(request, tracking_code):
    """Store the checked file and queue its import, then show its progress."""
    proposal = _editable(request, tracking_code)
    form = BeneficiaryUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = bsps.beneficiary_import_start(
                proposal=proposal, user=request.user, checked=form.cleaned_data["file"],
                import_valid_rows=form.cleaned_data["import_valid_rows"],
            )
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            return redirect("assistance:beneficiary_import", tracking_code=tracking_code, job_id=job.pk)
    return _render_list(request, proposal, upload_form=form, status=400)


def _job_progress(request, tracking_code, job_id):
    try:
        return bsps.beneficiary_import_progress(job_id=job_id, user=request.user, tracking_code=tracking_code)
    except (BeneficiaryImport.DoesNotExist, PermissionDenied):
        raise Http404 from None  # a proposal the user may not see does not exist for them


@login_required
@require_GET
@never_cache
def beneficiary_import(request, tracking_code, job_id):
    """The import's progress; once it is over, its counts, its first issues and the link to its report.

    Works without JavaScript (the “Perbarui” link); job-progress.js polls the JSON and moves the bar."""
    proposal = _proposal(request, tracking_code)
    if Role.PROPOSER_OPERATOR not in _roles(request, proposal):
        raise Http404
    job = get_object_or_404(BeneficiaryImport, pk=job_id, proposal_id=proposal.pk)
    progress = bsps.import_progress_of(job)
    status_text = str(PHASE_MESSAGES[progress.phase]) % {
        "done": number_format(progress.rows_done, 0, use_l10n=True, force_grouping=True),
        "total": number_format(progress.rows_total or 0, 0, use_l10n=True, force_grouping=True),
    }
    return render(request, "assistance/beneficiary_import.html", {
        "proposal": proposal, "case": proposal.case, "job": job, "progress": progress,
        "status_text": status_text, "phase_messages": PHASE_MESSAGES,
        "issues": bsps.beneficiary_import_issues(job) if progress.finished else [],
        "status_url": reverse("assistance:beneficiary_import_status", args=[tracking_code, job.pk]),
    })


@login_required
@require_GET
@never_cache
def beneficiary_import_status(request, tracking_code, job_id):
    """The progress as JSON, for the progress bar (counts only, no personal data)."""
    progress = _job_progress(request, tracking_code, job_id)
    return JsonResponse({
        "status": progress.status, "status_label": progress.status_label, "phase": progress.phase,
        "rows_done": progress.rows_done, "rows_total": progress.rows_total, "percent": progress.percent,
        "imported": progress.imported, "rejected": progress.rejected, "warned": progress.warned,
        "failure": progress.failure, "finished": progress.finished, "has_report": progress.has_report,
    })


@login_required
@require_GET
def beneficiary_import_report(request, tracking_code, job_id):
    """The row-level report as CSV, in the reader's language (rows and columns, never the data in them)."""
    progress = _job_progress(request, tracking_code, job_id)
    if not progress.finished:
        raise Http404
    job = BeneficiaryImport.objects.only("issues", "failure").get(pk=job_id)
    response = HttpResponse(bsps.beneficiary_error_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{job_id}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def beneficiary_new(request, tracking_code):
    """One beneficiary typed by hand, with the same checks as a file."""
    proposal = _editable(request, tracking_code)
    form = BeneficiaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary = bsps.beneficiary_add(proposal=proposal, user=request.user, data=form.row())
        except ValidationError as error:
            aliases = dict.fromkeys(bsps.CONDITION_COLUMNS, "condition")
            _add_errors(form, error, aliases)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s ditambahkan ke daftar calon penerima.") % {"name": beneficiary.name})
            if "add_another" in request.POST:
                return redirect("assistance:beneficiary_new", tracking_code=tracking_code)
            return redirect("assistance:beneficiaries", tracking_code=tracking_code)
    return render(request, "assistance/beneficiary_form.html", {"form": form, "proposal": proposal},
                  status=400 if form.errors else 200)


@login_required
@require_POST
@_task_page
def beneficiary_delete(request, tracking_code, beneficiary_id):
    proposal = _editable(request, tracking_code)
    beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_id, proposal_id=proposal.pk)
    bsps.beneficiary_remove(beneficiary=beneficiary, user=request.user)
    messages.success(request, _("%(name)s dihapus dari daftar calon penerima.") % {"name": beneficiary.name})
    return redirect("assistance:beneficiaries", tracking_code=tracking_code)
