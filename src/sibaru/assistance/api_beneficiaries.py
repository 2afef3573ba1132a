"""BSPS beneficiaries (calon penerima) through the API, as on the web pages (views_beneficiaries.py): the list
of a proposal, a page at a time, read through the logged `beneficiaries_for` (every read is an internal event);
NIK and KK masked, address and income left out for the roles that do not verify them; one person added with
the checks of a file row; one removed; a file imported in the background, with its progress and row report;
the template. The proposer operator writes, only while the proposal is a draft or back for revision.
Mounted under /api/v1/proposals."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sibaru.accounts.roles import Role
from sibaru.api.errors import ApiError
from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance.models import Beneficiary, BeneficiaryImport, Proposal
from sibaru.assistance.selectors import proposals_visible_to
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed

router = Router(tags=["proposals"])

# Recorded with each read (beneficiaries_viewed): audit data, kept in the source language as written.
REASON_EDIT = "Sistem pengusul membaca daftar calon penerima melalui API"
REASON_REVIEW = "Meninjau daftar calon penerima usulan melalui API"
MAX_PAGE = 500
REPORT_ISSUES = 100


# --- Schemas ------------------------------------------------------------------------------------------------


class BeneficiaryOut(Schema):
    id: int
    nik: str = Field(..., description="Masked (district code and last four digits) for roles that do not verify.")
    family_card_number: str = Field(..., description="Masked like the NIK.")
    name: str
    address: str | None = Field(..., description="Null for roles that see the list masked.")
    monthly_income: Decimal | None = Field(..., description="Null for roles that see the list masked.")
    village_code: str
    village_name: str
    land_status: str
    household_size: int
    floor_area: Decimal
    house_condition: dict[str, bool] = Field(..., description="RTLH component → damaged or unfit.")
    activity: str = Field(..., description="PK (quality improvement) or PB (new build).")
    warnings: list[str] = Field(..., description="Checks that warned but did not reject the row.")
    created_at: datetime


class BeneficiaryList(Schema):
    items: list[BeneficiaryOut]
    total: int
    masked: bool = Field(..., description="True when NIK and KK are masked and address and income left out.")
    next_cursor: str | None


class PageFilters(Schema):
    limit: int = Field(50, description="At most 500.")
    cursor: str = ""


class BeneficiaryIn(Schema):
    """One person, named by the template's columns; the same checks as a row of a file."""

    nik: str
    no_kk: str
    nama: str
    alamat: str
    kode_desa: str = Field(..., description="A target village of the proposal, 10 digits, dots optional.")
    penghasilan: Decimal = Field(..., description="Household income per month, in rupiah.")
    status_tanah: str = Field(..., description="milik sendiri, girik, hak pakai, hgb, ajb, waris, adat or "
                                               "keterangan desa.")
    jumlah_penghuni: int
    luas_lantai: Decimal = Field(..., description="Floor area in m².")
    atap_rusak: bool = False
    dinding_rusak: bool = False
    lantai_rusak: bool = False
    sanitasi_tidak_layak: bool = False
    struktur_rusak: bool = False
    kegiatan: str = Field(..., description="PK or PB.")


class ImportIssueOut(Schema):
    row: int
    severity: str = Field(..., description="error or warning.")
    message: str


class ImportOut(Schema):
    id: int
    file_name: str
    status: str = Field(..., description="queued, running, done, rejected or failed.")
    status_label: str
    phase: str = Field(..., description="queued, reading, checking, saving or finished.")
    rows_done: int
    rows_total: int | None
    percent: int | None
    imported: int
    rejected: int
    warned: int
    failure: str = Field(..., description="What was wrong with the whole file, or empty.")
    finished: bool
    issues: list[ImportIssueOut] = Field(
        ..., description=f"Once finished: the first {REPORT_ISSUES} row issues (the whole report is .../report)."
    )


# --- Loading ------------------------------------------------------------------------------------------------


def _proposal(request, tracking_code: str) -> Proposal:
    proposal = proposals_visible_to(request.auth).select_related("case").filter(
        case__tracking_code=tracking_code).first()
    if proposal is None:
        raise Http404
    return proposal


def _viewer_roles(request, proposal: Proposal) -> set[str]:
    roles = roles_for_case(request.auth, proposal.case).intersection(bsps.VIEWER_ROLES)
    if not roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang melihat data calon penerima."))
    return roles


def _editable(request, tracking_code: str) -> Proposal:
    """The proposal for a write: its proposer operator only (403), while a draft or back for revision (409).
    The service checks both again under the case lock."""
    proposal = _proposal(request, tracking_code)
    if Role.PROPOSER_OPERATOR not in roles_for_case(request.auth, proposal.case):
        raise PermissionDenied(_("Hanya operator pengusul yang dapat mengubah usulan ini."))
    if proposal.case.state not in bsps.EDITABLE_STATES:
        raise ApiError(409, "not_editable", str(bsps.FILE_MESSAGES["not_editable"]))
    return proposal


def _job(request, tracking_code: str, job_id: int) -> BeneficiaryImport:
    """An import of a proposal the caller proposes; anything else does not exist for them (as on the web)."""
    proposal = _proposal(request, tracking_code)
    if Role.PROPOSER_OPERATOR not in roles_for_case(request.auth, proposal.case):
        raise Http404
    job = BeneficiaryImport.objects.filter(pk=job_id, proposal_id=proposal.pk).first()
    if job is None:
        raise Http404
    return job


def _conflict(error: ActionNotAllowed) -> ApiError:
    return ApiError(409, error.code, error.message, error.details)


# --- Output -------------------------------------------------------------------------------------------------


def _beneficiary_out(b: Beneficiary, *, full: bool) -> dict:
    return {
        "id": b.pk, "nik": b.nik if full else bsps.mask_number(b.nik),
        "family_card_number": b.family_card_number if full else bsps.mask_number(b.family_card_number),
        "name": b.name, "address": b.address if full else None, "monthly_income": b.monthly_income if full else None,
        "village_code": b.village_id, "village_name": b.village.name, "land_status": b.land_status,
        "household_size": b.household_size, "floor_area": b.floor_area, "house_condition": b.house_condition,
        "activity": b.activity, "warnings": bsps.beneficiary_warning_messages(b), "created_at": b.created_at,
    }


def _import_out(job: BeneficiaryImport) -> dict:
    progress = bsps.import_progress_of(job)
    issues = bsps.beneficiary_import_issues(job, limit=REPORT_ISSUES) if progress.finished else []
    return {
        "id": job.pk, "file_name": job.original_name, "status": progress.status,
        "status_label": progress.status_label, "phase": progress.phase, "rows_done": progress.rows_done,
        "rows_total": progress.rows_total, "percent": progress.percent, "imported": progress.imported,
        "rejected": progress.rejected, "warned": progress.warned, "failure": progress.failure,
        "finished": progress.finished,
        "issues": [{"row": row, "severity": severity, "message": message} for row, severity, message in issues],
    }


# --- The list, one person in, one person out ----------------------------------------------------------------


@router.get("/{tracking_code}/beneficiaries", response=BeneficiaryList)
def list_beneficiaries(request, tracking_code: str, filters: Query[PageFilters]):
    """A page of the proposal's beneficiaries, oldest first; follow `next_cursor` for the next page.

    Each call is recorded on the case as a read of personal data (who, when, how many rows)."""
    if not 1 <= filters.limit <= MAX_PAGE:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"limit": [_("Antara 1 dan 500.")]})
    if filters.cursor and not filters.cursor.isdigit():
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"cursor": [_("Kursor tidak valid.")]})
    proposal = _proposal(request, tracking_code)
    roles = _viewer_roles(request, proposal)
    full = bool(roles.intersection(bsps.FULL_DATA_ROLES))
    reason = REASON_EDIT if Role.PROPOSER_OPERATOR in roles else REASON_REVIEW
    page = bsps.beneficiaries_for(proposal, request.auth, reason=reason, roles=bsps.VIEWER_ROLES,
                                  limit=filters.limit, after=int(filters.cursor) if filters.cursor else None)
    totals = Beneficiary.objects.filter(proposal_id=proposal.pk).aggregate(count=Count("pk"), last=Max("pk"))
    more = bool(page) and page[-1].pk < (totals["last"] or 0)
    return {"items": [_beneficiary_out(b, full=full) for b in page], "total": totals["count"], "masked": not full,
            "next_cursor": str(page[-1].pk) if more else None}


@router.post("/{tracking_code}/beneficiaries", response={201: BeneficiaryOut})
def add_beneficiary(request, tracking_code: str, payload: BeneficiaryIn):
    """Add one person, with the checks of a file row; errors come back on the column they name (422)."""
    proposal = _editable(request, tracking_code)
    try:
        beneficiary = bsps.beneficiary_add(proposal=proposal, user=request.auth, data=payload.dict())
    except ValidationError as error:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), error.message_dict) from None
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    beneficiary = Beneficiary.objects.select_related("village").get(pk=beneficiary.pk)
    return Status(201, _beneficiary_out(beneficiary, full=True))


@router.delete("/{tracking_code}/beneficiaries/{int:beneficiary_id}", response={204: None})
def remove_beneficiary(request, tracking_code: str, beneficiary_id: int):
    """Remove one person from the list."""
    proposal = _editable(request, tracking_code)
    beneficiary = Beneficiary.objects.filter(pk=beneficiary_id, proposal_id=proposal.pk).select_related(
        "proposal").first()
    if beneficiary is None:
        raise Http404
    try:
        bsps.beneficiary_remove(beneficiary=beneficiary, user=request.auth)
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return Status(204, None)


@router.get("/{tracking_code}/beneficiaries/template")
def beneficiary_template(request, tracking_code: str, format: Literal["xlsx", "csv"] = "xlsx"):
    """The template to fill in (no personal data in it): XLSX with the column help, or CSV (UTF-8)."""
    _viewer_roles(request, _proposal(request, tracking_code))
    if format == "xlsx":
        response = HttpResponse(bsps.beneficiary_template_xlsx(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(bsps.beneficiary_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-calon-penerima.{format}"'
    return response


# --- The background import ----------------------------------------------------------------------------------


@router.post("/{tracking_code}/beneficiaries/imports", response={202: ImportOut})
def start_import(request, tracking_code: str, file: File[UploadedFile], import_valid_rows: Form[bool] = False):
    """Upload an XLSX or CSV file made from the template; it is checked and imported in the background.

    Multipart. Without `import_valid_rows` one bad row keeps the whole file out. Poll the import's `id`
    until `finished`. A file of the wrong type, too big or not UTF-8 is refused at once (415 / 413);
    409 `import_running` while an earlier import of the proposal is still running."""
    proposal = _editable(request, tracking_code)
    try:
        checked = bsps.beneficiary_upload_check(file)
    except ValidationError as error:
        status = 413 if error.code == "too_large" else 415
        raise ApiError(status, error.code or "bad_type", error.messages[0], {"file": error.messages}) from None
    try:
        job = bsps.beneficiary_import_start(proposal=proposal, user=request.auth, checked=checked,
                                            import_valid_rows=import_valid_rows)
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return Status(202, _import_out(job))


@router.get("/{tracking_code}/beneficiaries/imports/{job_id}", response=ImportOut)
def import_progress(request, tracking_code: str, job_id: int):
    """The import's progress; once finished, its counts and first row issues (counts and rows, no personal data)."""
    return _import_out(_job(request, tracking_code, job_id))


@router.get("/{tracking_code}/beneficiaries/imports/{job_id}/report")
def import_report(request, tracking_code: str, job_id: int):
    """The whole row report of a finished import as CSV: row, column, kind, message (never the data itself)."""
    job = _job(request, tracking_code, job_id)
    if not bsps.import_progress_of(job).finished:
        raise ApiError(409, "import_not_finished", _("Impor ini belum selesai diproses."))
    response = HttpResponse(bsps.beneficiary_error_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{job.pk}.csv"'
    return response
