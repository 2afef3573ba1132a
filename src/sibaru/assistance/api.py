"""The proposals API (API.md): drafts, documents, submission; transitions go through /cases/<code>/transitions."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sibaru.api.errors import ApiError
from sibaru.assistance import rules, services
from sibaru.assistance.models import Programme, ProgrammeType, Proposal, ProposalDocument, ProposerCategory
from sibaru.assistance.selectors import proposal_for, proposals_visible_to
from sibaru.core import workflow
from sibaru.core.attachments import check_upload
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.regions import selectors as regions
from sibaru.regions.codes import InvalidRegionCode

router = Router(tags=["proposals"])


class LocationIn(Schema):
    region_code: str
    units_pk: int = 0
    units_pb: int = 0
    uninhabitable_houses: int = 0


class ProposalIn(Schema):
    programme: str
    budget_year: int
    title: str
    region_code: str
    category: str | None = None
    programme_type: str | None = None
    description: str = ""
    letter_number: str = ""
    letter_date: date | None = None
    letter_signatory: str = ""
    letter_position: str = ""
    units: int = 0
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    locations: list[LocationIn] = []


class DocumentOut(Schema):
    id: int
    requirement: str
    version: int
    current: bool
    file_name: str
    sha256: str
    review: str
    review_note: str
    uploaded_at: datetime


class ProposalOut(Schema):
    tracking_code: str
    programme: str
    status: str
    status_label: str
    title: str
    budget_year: int
    region_code: str | None
    category: str | None
    programme_type: str | None
    units: int
    estimated_budget: Decimal
    decided_units: int | None
    submitted_at: datetime | None
    due_date: date | None
    lapses_on: date | None
    missing_documents: list[str]
    documents: list[DocumentOut]


def _out(proposal: Proposal) -> dict:
    case = proposal.case
    flow = workflow.get(case.kind)
    return {
        "tracking_code": case.tracking_code,
        "programme": proposal.programme.code,
        "status": case.state,
        "status_label": str(flow.state(case.state).label),
        "title": proposal.title,
        "budget_year": proposal.budget_year,
        "region_code": case.region_id,
        "category": proposal.category.code if proposal.category_id else None,
        "programme_type": proposal.programme_type.code if proposal.programme_type_id else None,
        "units": proposal.units,
        "estimated_budget": proposal.estimated_budget,
        "decided_units": proposal.decided_units,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "lapses_on": proposal.lapses_on,
        "missing_documents": [r.code for r in rules.missing_requirements(proposal)],
        "documents": [
            {"id": d.pk, "requirement": d.requirement.code, "version": d.version, "current": d.current,
             "file_name": d.attachment.original_name, "sha256": d.attachment.sha256, "review": d.review,
             "review_note": d.review_note, "uploaded_at": d.uploaded_at}
            for d in proposal.documents.all()
        ],
    }


def _region(code: str, field: str = "region_code"):
    try:
        region = regions.region_get(code=code)
    except InvalidRegionCode:
        region = None
    if region is None:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {field: [_("Kode wilayah tidak dikenal.")]})
    return region


def _proposal(request, tracking_code: str) -> Proposal:
    try:
        return proposal_for(request.auth, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None


@router.post("", response={201: ProposalOut})
def create(request, payload: ProposalIn):
    """A draft proposal of the caller's organisation. Send `Idempotency-Key` to make a retry safe."""
    programme = Programme.objects.filter(code=payload.programme).first()
    if programme is None:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"programme": [_("Program tidak dikenal.")]})
    category = programme_type = None
    if payload.category:
        category = ProposerCategory.objects.filter(code=payload.category).first()
        if category is None:
            raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                           {"category": [_("Kategori pengusul tidak dikenal.")]})
    if payload.programme_type:
        programme_type = ProgrammeType.objects.filter(programme=programme, code=payload.programme_type).first()
        if programme_type is None:
            raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                           {"programme_type": [_("Jenis usulan tidak dikenal.")]})
    fields = payload.dict(include={"description", "letter_number", "letter_date", "letter_signatory",
                                   "letter_position", "units", "latitude", "longitude"})
    proposal = services.proposal_create(
        user=request.auth, programme=programme, budget_year=payload.budget_year, title=payload.title,
        region=_region(payload.region_code), category=category, programme_type=programme_type,
        idempotency_key=request.headers.get("Idempotency-Key", ""), **fields,
    )
    if payload.locations and proposal.case.last_event_seq == 1:
        services.proposal_locations_set(
            proposal=proposal, user=request.auth,
            locations=[{**loc.dict(exclude={"region_code"}), "region": _region(loc.region_code, "locations")}
                       for loc in payload.locations],
        )
    return Status(201, _out(proposal_for(request.auth, proposal.case.tracking_code)))


class ProposalList(Schema):
    items: list[ProposalOut]
    next_cursor: str | None


@router.get("", response=ProposalList)
def list_proposals(request, programme: str = "", status: str = "", budget_year: int | None = None,
                   limit: int = 50, cursor: str = ""):
    """The proposals the caller may see, newest first (a local government's own system reads its status here)."""
    if not 1 <= limit <= 200:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"limit": [_("Antara 1 dan 200.")]})
    proposals = proposals_visible_to(request.auth).select_related(
        "case", "programme", "category", "programme_type", "requirement_set"
    ).prefetch_related("documents__requirement", "documents__attachment")
    if programme:
        proposals = proposals.filter(programme__code=programme)
    if status:
        proposals = proposals.filter(case__state=status)
    if budget_year:
        proposals = proposals.filter(budget_year=budget_year)
    if cursor.isdigit():
        proposals = proposals.filter(pk__lt=int(cursor))
    page = list(proposals.order_by("-pk")[: limit + 1])
    return {"items": [_out(p) for p in page[:limit]],
            "next_cursor": str(page[limit - 1].pk) if len(page) > limit else None}


@router.get("/{tracking_code}", response=ProposalOut)
def detail(request, tracking_code: str):
    return _out(_proposal(request, tracking_code))


@router.post("/{tracking_code}/documents", response={201: DocumentOut})
def upload_document(request, tracking_code: str, requirement: Form[str], file: File[UploadedFile]):
    """Upload (or replace, keeping the earlier version) the document of one requirement. Multipart."""
    proposal = _proposal(request, tracking_code)
    found = proposal.requirement_set.requirements.filter(code=requirement).first()
    if found is None:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                       {"requirement": [_("Persyaratan tidak dikenal.")]})
    try:
        checked = check_upload(file, allowed=found.content_types(), max_bytes=found.max_bytes)
    except ValidationError as error:
        status = 413 if error.code == "too_large" else 415
        raise ApiError(status, error.code, error.messages[0], {"file": error.messages}) from None
    try:
        document = services.proposal_document_upload(
            proposal=proposal, requirement=found, checked=checked, user=request.auth
        )
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return Status(201, {"id": document.pk, "requirement": found.code, "version": document.version,
                        "current": True, "file_name": document.attachment.original_name,
                        "sha256": document.attachment.sha256, "review": document.review, "review_note": "",
                        "uploaded_at": document.uploaded_at})


@router.post("/{tracking_code}/submit", response=ProposalOut)
def submit(request, tracking_code: str):
    """Send the proposal: 409 `missing_documents` with the missing requirements while any mandatory one lacks."""
    proposal = _proposal(request, tracking_code)
    action = "resubmit" if proposal.case.state == "revision" else "submit"
    try:
        case_apply_action(case=proposal.case, action=action, user=request.auth)
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message, error.details) from None
    return _out(proposal_for(request.auth, tracking_code))


class ReviewIn(Schema):
    complete: bool
    note: str = ""


@router.post("/{tracking_code}/documents/{document_id}/review", response=DocumentOut)
def review_document(request, tracking_code: str, document_id: int, payload: ReviewIn):
    """Administrative verification of one document: complete or incomplete with a note."""
    proposal = _proposal(request, tracking_code)
    document = ProposalDocument.objects.filter(proposal=proposal, pk=document_id).select_related(
        "requirement", "attachment", "proposal"
    ).first()
    if document is None:
        raise Http404
    try:
        services.proposal_document_review(document=document, user=request.auth, complete=payload.complete,
                                          note=payload.note)
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return {"id": document.pk, "requirement": document.requirement.code, "version": document.version,
            "current": document.current, "file_name": document.attachment.original_name,
            "sha256": document.attachment.sha256, "review": document.review, "review_note": document.review_note,
            "uploaded_at": document.uploaded_at}


class FieldVisitIn(Schema):
    visited_on: date
    result: str
    checklist: dict[str, bool] = {}
    notes: str = ""
    location_region_code: str | None = None


class FieldVisitOut(Schema):
    id: int
    visited_on: date
    result: str


@router.post("/{tracking_code}/field-visits", response={201: FieldVisitOut})
def field_visit(request, tracking_code: str, payload: FieldVisitIn):
    """A technical or site verification visit (photos are added through the web page)."""
    proposal = _proposal(request, tracking_code)
    location = None
    if payload.location_region_code:
        location = proposal.locations.filter(region_id=payload.location_region_code.replace(".", "")).first()
        if location is None:
            raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                           {"location_region_code": [_("Lokasi ini bukan bagian dari usulan.")]})
    try:
        visit = services.field_visit_record(
            proposal=proposal, user=request.auth, visited_on=payload.visited_on, result=payload.result,
            checklist=payload.checklist, notes=payload.notes, location=location,
        )
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return Status(201, {"id": visit.pk, "visited_on": visit.visited_on, "result": visit.result})
