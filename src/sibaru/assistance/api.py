"""The proposals API (API.md): what a proposer's own system needs without the browser (the draft, its letter,
locations, volume and readiness, documents and their verdicts, comments, submission and resubmission) and what
a local government's system reads (its proposals' status, changed since a moment, and each one's timeline).
Workflow transitions go through /cases/<code>/transitions."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sibaru.accounts.roles import Role
from sibaru.api.errors import ApiError
from sibaru.assistance import documents, rules, services
from sibaru.assistance.forms import LATITUDE_RANGE, LONGITUDE_RANGE
from sibaru.assistance.models import (
    FieldVisit,
    Programme,
    ProgrammeType,
    Proposal,
    ProposalComment,
    ProposalDocument,
    ProposerCategory,
    Requirement,
)
from sibaru.assistance.selectors import proposal_for, proposals_visible_to, proposals_with_last_change
from sibaru.core import workflow
from sibaru.core.attachments import IMAGE_TYPES, check_upload
from sibaru.core.models import Event
from sibaru.core.pdf import pdf_response
from sibaru.core.scope import roles_for_case
from sibaru.core.selectors import public_status
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.regions import selectors as regions
from sibaru.regions.codes import InvalidRegionCode

router = Router(tags=["proposals"])

# Roles that only follow a proposal from outside the ministry: they never read reviewers' internal notes.
OUTSIDE_ROLES = {Role.PROPOSER_OPERATOR, Role.PROVINCE_MONITOR}


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", _("Ada isian yang tidak valid."), {field: [message]})


def _conflict(error: ActionNotAllowed) -> ApiError:
    return ApiError(409, error.code, error.message, error.details)


# --- Schemas ------------------------------------------------------------------------------------------------


class LocationIn(Schema):
    region_code: str = Field(..., description="A village (desa/kelurahan) code, 10 digits, dots optional.")
    units_pk: int = Field(0, ge=0, description="Quality-improvement units (peningkatan kualitas).")
    units_pb: int = Field(0, ge=0, description="New-build units (pembangunan baru).")
    uninhabitable_houses: int = Field(0, ge=0, description="Uninhabitable houses (RTLH) in the village.")


class LocationOut(Schema):
    region_code: str
    region_name: str
    units_pk: int
    units_pb: int
    uninhabitable_houses: int
    region_class: str


class ProposalIn(Schema):
    programme: str
    budget_year: int
    title: str = Field(..., min_length=1, max_length=200)
    region_code: str
    category: str | None = None
    programme_type: str | None = None
    description: str = ""
    letter_number: str = Field("", max_length=100)
    letter_date: date | None = None
    letter_signatory: str = Field("", max_length=150)
    letter_position: str = Field("", max_length=150)
    units: int = Field(0, ge=0)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    locations: list[LocationIn] = []


class ProposalPatch(Schema):
    """Only the fields sent change. `readiness` is merged into the answers already given."""

    title: str | None = Field(None, min_length=1, max_length=200)
    region_code: str | None = None
    description: str | None = None
    letter_number: str | None = Field(None, max_length=100)
    letter_date: date | None = None
    letter_signatory: str | None = Field(None, max_length=150)
    letter_position: str | None = Field(None, max_length=150)
    units: int | None = Field(None, ge=0)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    readiness: dict[str, bool] | None = Field(
        None, description="Technical requirement code → the proposer's answer (true: fulfilled)."
    )


class LocationsIn(Schema):
    locations: list[LocationIn]


class DocumentOut(Schema):
    id: int
    requirement: str
    requirement_title: str
    version: int
    current: bool
    file_name: str
    content_type: str
    size: int
    sha256: str
    review: str = Field(..., description="pending, complete or incomplete.")
    review_note: str
    reviewed_at: datetime | None
    uploaded_at: datetime


class DocumentList(Schema):
    items: list[DocumentOut]


class IncompleteDocumentOut(Schema):
    requirement: str
    requirement_title: str
    version: int
    note: str


class ProblemOut(Schema):
    code: str = Field(..., description="letter, location, volume, readiness, beneficiaries, or a document's "
                                       "requirement code.")
    task: str
    message: str


class ProposalSummaryOut(Schema):
    tracking_code: str
    programme: str
    status: str
    status_label: str
    title: str
    budget_year: int
    region_code: str | None
    units: int
    estimated_budget: Decimal
    decided_units: int | None
    submitted_at: datetime | None
    due_date: date | None
    updated_at: datetime = Field(..., description="The last change of the proposal, its documents or its status.")


class ProposalOut(ProposalSummaryOut):
    category: str | None
    programme_type: str | None
    description: str
    letter_number: str
    letter_date: date | None
    letter_signatory: str
    letter_position: str
    latitude: Decimal | None
    longitude: Decimal | None
    readiness: dict[str, bool]
    locations: list[LocationOut]
    lapses_on: date | None
    decided_budget: Decimal | None
    decision_number: str
    missing_documents: list[str] = Field(..., description="Mandatory documents not uploaded yet.")
    incomplete_documents: list[IncompleteDocumentOut] = Field(
        ..., description="Current documents the verifier marked incomplete: what a revision must replace."
    )
    problems: list[ProblemOut] = Field(
        ..., description="While a draft or back for revision: everything that still keeps it from being sent."
    )
    documents: list[DocumentOut]
    available_actions: list[str] = Field(..., description="Workflow actions the caller may take now.")


class ProposalList(Schema):
    items: list[ProposalSummaryOut]
    next_cursor: str | None


class ProposalFilters(Schema):
    programme: str = ""
    status: str = ""
    budget_year: int | None = None
    updated_since: datetime | None = Field(
        None, description="Only proposals changed at or after this ISO 8601 timestamp (incremental sync)."
    )
    limit: int = Field(50, description="At most 200.")
    cursor: str = ""


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=4000)
    internal: bool = Field(False, description="A reviewers' note the proposer never sees (reviewers only).")


class CommentOut(Schema):
    id: int
    author: str
    body: str
    internal: bool
    created_at: datetime


class CommentList(Schema):
    items: list[CommentOut]


class TimelineEvent(Schema):
    at: datetime
    status: str
    status_label: str
    note: str


class TimelineOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    status_hint: str
    due_date: date | None
    events: list[TimelineEvent]


# --- Output -------------------------------------------------------------------------------------------------


def _document_out(d: ProposalDocument) -> dict:
    a = d.attachment
    return {"id": d.pk, "requirement": d.requirement.code, "requirement_title": d.requirement.title,
            "version": d.version, "current": d.current, "file_name": a.original_name, "content_type": a.content_type,
            "size": a.size, "sha256": a.sha256, "review": d.review, "review_note": d.review_note,
            "reviewed_at": d.reviewed_at, "uploaded_at": d.uploaded_at}


def _summary_out(proposal: Proposal) -> dict:
    case = proposal.case
    return {
        "tracking_code": case.tracking_code,
        "programme": proposal.programme.code,
        "status": case.state,
        "status_label": str(workflow.get(case.kind).state(case.state).label),
        "title": proposal.title,
        "budget_year": proposal.budget_year,
        "region_code": case.region_id,
        "units": proposal.units,
        "estimated_budget": proposal.estimated_budget,
        "decided_units": proposal.decided_units,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "updated_at": proposal.last_change,
    }


def _out(request, proposal: Proposal) -> dict:
    """The whole proposal; `proposal` comes from proposal_for (documents and locations prefetched)."""
    case = proposal.case
    documents = list(proposal.documents.all())
    uploaded = {d.requirement_id for d in documents if d.current}
    roles = roles_for_case(request.auth, case)
    # The same moment the list reports: the later of the last edit and the last event.
    last_event = Event.objects.filter(case_id=case.pk).order_by("-seq").values_list("at", flat=True).first()
    proposal.last_change = max(proposal.updated_at, last_event or proposal.updated_at)
    return {
        **_summary_out(proposal),
        **{name: getattr(proposal, name) for name in (
            "description", "letter_number", "letter_date", "letter_signatory", "letter_position", "latitude",
            "longitude", "lapses_on", "decided_budget", "decision_number")},
        "category": proposal.category.code if proposal.category_id else None,
        "programme_type": proposal.programme_type.code if proposal.programme_type_id else None,
        "readiness": proposal.readiness or {},
        "locations": [
            {"region_code": loc.region_id, "region_name": loc.region.name, "units_pk": loc.units_pk,
             "units_pb": loc.units_pb, "uninhabitable_houses": loc.uninhabitable_houses,
             "region_class": loc.region_class}
            for loc in proposal.locations.all()
        ],
        "missing_documents": [r.code for r in rules.applicable_requirements(proposal, Requirement.Kind.ADMINISTRATIVE)
                              if r.mandatory and r.pk not in uploaded],
        "incomplete_documents": [
            {"requirement": d.requirement.code, "requirement_title": d.requirement.title, "version": d.version,
             "note": d.review_note}
            for d in documents if d.current and d.review == ProposalDocument.Review.INCOMPLETE
        ],
        "problems": [{"code": p.code, "task": p.task, "message": p.message}
                     for p in rules.submission_problems(proposal)] if case.state in services.EDITABLE_STATES else [],
        "documents": [_document_out(d) for d in documents],
        "available_actions": [a.code for a in workflow.get(case.kind).actions_from(case.state, roles)],
    }


# --- Loading ------------------------------------------------------------------------------------------------


def _region(code: str, field: str = "region_code", get=regions.region_get):
    try:
        region = get(code=code)
    except InvalidRegionCode:
        region = None
    if region is None:
        raise _invalid(field, _("Kode wilayah tidak dikenal."))
    return region


def _locations(items: list[LocationIn]) -> list[dict]:
    # All villages in one query, not one per item.
    lookup = regions.RegionLookup(loc.region_code for loc in items)
    return [{**loc.dict(exclude={"region_code"}), "region": _region(loc.region_code, "locations", lookup.get)}
            for loc in items]


def _proposal(request, tracking_code: str) -> Proposal:
    try:
        return proposal_for(request.auth, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None


# --- The draft ----------------------------------------------------------------------------------------------


@router.post("", response={201: ProposalOut})
def create(request, payload: ProposalIn):
    """A draft proposal of the caller's organisation, with its BSPS target villages if sent.

    Send an `Idempotency-Key` header to make a retry safe: the same key and body return the same draft."""
    programme = Programme.objects.filter(code=payload.programme).first()
    if programme is None:
        raise _invalid("programme", _("Program tidak dikenal."))
    category = programme_type = None
    if payload.category:
        category = ProposerCategory.objects.filter(code=payload.category).first()
        if category is None:
            raise _invalid("category", _("Kategori pengusul tidak dikenal."))
    if payload.programme_type:
        programme_type = ProgrammeType.objects.filter(programme=programme, code=payload.programme_type).first()
        if programme_type is None:
            raise _invalid("programme_type", _("Jenis usulan tidak dikenal."))
    region = _region(payload.region_code)
    locations = _locations(payload.locations)
    fields = payload.dict(include={"description", "letter_number", "letter_date", "letter_signatory",
                                   "letter_position", "units", "latitude", "longitude"})
    # One transaction: a location refused after the draft was opened leaves no draft behind.
    with transaction.atomic():
        proposal = services.proposal_create(
            user=request.auth, programme=programme, budget_year=payload.budget_year, title=payload.title,
            region=region, category=category, programme_type=programme_type,
            idempotency_key=request.headers.get("Idempotency-Key", ""), **fields,
        )
        if locations and not getattr(proposal.case, "replayed", False):
            services.proposal_locations_set(proposal=proposal, user=request.auth, locations=locations)
    return Status(201, _out(request, proposal_for(request.auth, proposal.case.tracking_code)))


@router.patch("/{tracking_code}", response=ProposalOut)
def update(request, tracking_code: str, payload: ProposalPatch):
    """Change the draft (or a proposal back for revision): letter, title, region, volume, readiness, point."""
    proposal = _proposal(request, tracking_code)
    fields = payload.dict(exclude_unset=True)
    if "units" in fields and fields["units"] is None:
        raise _invalid("units", _("Wajib diisi."))
    if "region_code" in fields:
        fields["region"] = _region(fields.pop("region_code") or "")
    if "readiness" in fields:
        answers = fields["readiness"] or {}
        technical = {r.code for r in rules.applicable_requirements(proposal, Requirement.Kind.TECHNICAL)}
        if unknown := sorted(set(answers) - technical):
            message = _("Kriteria kesiapan tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
            raise _invalid("readiness", message)
        fields["readiness"] = {**(proposal.readiness or {}), **answers}
    for name in ("title", "description", "letter_number", "letter_signatory", "letter_position"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    try:
        services.proposal_update(proposal=proposal, user=request.auth, **fields)
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return _out(request, proposal_for(request.auth, tracking_code))


@router.put("/{tracking_code}/locations", response=ProposalOut)
def set_locations(request, tracking_code: str, payload: LocationsIn):
    """Replace the target villages (BSPS) with their PK/PB units; the volume and budget follow."""
    proposal = _proposal(request, tracking_code)
    try:
        services.proposal_locations_set(proposal=proposal, user=request.auth, locations=_locations(payload.locations))
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return _out(request, proposal_for(request.auth, tracking_code))


# --- Reading: lists, one proposal, its timeline ------------------------------------------------------------


@router.get("", response=ProposalList)
def list_proposals(request, filters: Query[ProposalFilters]):
    """The proposals the caller may see, newest first: a local government's system reads its status here.

    For an incremental sync send `updated_since` (the moment of the last sync) and follow `next_cursor`."""
    if not 1 <= filters.limit <= 200:
        raise _invalid("limit", _("Antara 1 dan 200."))
    proposals = proposals_with_last_change(
        proposals_visible_to(request.auth).select_related("case", "programme")
    )
    if filters.programme:
        proposals = proposals.filter(programme__code=filters.programme)
    if filters.status:
        proposals = proposals.filter(case__state=filters.status)
    if filters.budget_year:
        proposals = proposals.filter(budget_year=filters.budget_year)
    if since := filters.updated_since:
        # A timestamp without an offset is read in the office time zone.
        since = timezone.make_aware(since) if timezone.is_naive(since) else since
        proposals = proposals.filter(last_change__gte=since)
    if filters.cursor:
        if not filters.cursor.isdigit():
            raise _invalid("cursor", _("Kursor tidak valid."))
        proposals = proposals.filter(pk__lt=int(filters.cursor))
    limit = filters.limit
    page = list(proposals.order_by("-pk")[: limit + 1])
    return {"items": [_summary_out(p) for p in page[:limit]],
            "next_cursor": str(page[limit - 1].pk) if len(page) > limit else None}


@router.get("/{tracking_code}", response=ProposalOut)
def detail(request, tracking_code: str):
    """The whole proposal: letter, locations, readiness, documents with verdicts, what is missing or incomplete."""
    return _out(request, _proposal(request, tracking_code))


@router.get("/{tracking_code}/timeline", response=TimelineOut)
def timeline(request, tracking_code: str):
    """The proposal's public timeline: each step with its date and note (no internal notes, no names)."""
    if not proposals_visible_to(request.auth).filter(case__tracking_code=tracking_code).exists():
        raise Http404
    status = public_status(tracking_code)
    return {
        "tracking_code": status.tracking_code, "status": status.status, "status_label": str(status.status_label),
        "status_hint": str(status.status_hint), "due_date": status.extended_due_date or status.due_date,
        "events": [{"at": e.at, "status": e.status, "status_label": str(e.status_label), "note": e.note}
                   for e in status.events],
    }


# --- Documents ----------------------------------------------------------------------------------------------


@router.get("/{tracking_code}/documents", response=DocumentList)
def list_documents(request, tracking_code: str, current: bool = False):
    """Every uploaded version of every document with its verdict (`current=true`: the latest versions only)."""
    documents = _proposal(request, tracking_code).documents.all()
    return {"items": [_document_out(d) for d in documents if d.current or not current]}


@router.get("/{tracking_code}/documents/{document_id}/file")
def download_document(request, tracking_code: str, document_id: int):
    """The file of one document version, as uploaded."""
    document = next((d for d in _proposal(request, tracking_code).documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    attachment = document.attachment
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/{tracking_code}/documents", response={201: DocumentOut})
def upload_document(request, tracking_code: str, requirement: Form[str], file: File[UploadedFile]):
    """Upload (or replace, keeping the earlier version) the document of one requirement. Multipart."""
    proposal = _proposal(request, tracking_code)
    found = proposal.requirement_set.requirements.filter(code=requirement).first()
    if found is None:
        raise _invalid("requirement", _("Persyaratan tidak dikenal."))
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
        raise _conflict(error) from None
    return Status(201, _document_out(document))


class ReviewIn(Schema):
    complete: bool
    note: str = ""


@router.post("/{tracking_code}/documents/{document_id}/review", response=DocumentOut)
def review_document(request, tracking_code: str, document_id: int, payload: ReviewIn):
    """Administrative verification of one document: complete, or incomplete with a note."""
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
        raise _conflict(error) from None
    return _document_out(document)


# --- Submission ---------------------------------------------------------------------------------------------


@router.post("/{tracking_code}/submit", response=ProposalOut)
def submit(request, tracking_code: str):
    """Send the draft, or resend it after a revision request.

    409 `missing_documents` lists the mandatory documents still missing; after a revision request, 409
    `documents_not_replaced` lists the documents marked incomplete that have not been replaced yet."""
    proposal = _proposal(request, tracking_code)
    action = "resubmit" if proposal.case.state == "revision" else "submit"
    try:
        case_apply_action(case=proposal.case, action=action, user=request.auth)
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return _out(request, proposal_for(request.auth, tracking_code))


# --- Comments -----------------------------------------------------------------------------------------------


def _sees_internal(request, proposal: Proposal) -> bool:
    return bool(roles_for_case(request.auth, proposal.case) - OUTSIDE_ROLES)


def _comment_out(comment: ProposalComment) -> dict:
    return {"id": comment.pk, "author": comment.author.full_name or _("Pengguna"), "body": comment.body,
            "internal": comment.internal, "created_at": comment.created_at}


@router.get("/{tracking_code}/comments", response=CommentList)
def list_comments(request, tracking_code: str):
    """The conversation between proposer and reviewers, oldest first; reviewers also get their internal notes."""
    try:
        proposal = proposals_visible_to(request.auth).select_related("case").get(case__tracking_code=tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None
    comments = ProposalComment.objects.filter(proposal=proposal).select_related("author").order_by("created_at", "pk")
    if not _sees_internal(request, proposal):
        comments = comments.filter(internal=False)
    return {"items": [_comment_out(c) for c in comments]}


@router.post("/{tracking_code}/comments", response={201: CommentOut})
def add_comment(request, tracking_code: str, payload: CommentIn):
    """A comment to the other side (or, for reviewers, an internal note with `internal: true`)."""
    try:
        proposal = proposals_visible_to(request.auth).select_related("case").get(case__tracking_code=tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None
    comment = services.proposal_comment_add(proposal=proposal, user=request.auth, body=payload.body,
                                            internal=payload.internal)
    return Status(201, _comment_out(comment))


# --- Field verification -------------------------------------------------------------------------------------


class FieldVisitIn(Schema):
    visited_on: date
    result: str = Field(..., description="eligible or not_eligible.")
    checklist: dict[str, bool] = {}
    notes: str = ""
    location_region_code: str | None = Field(None, description="The village visited (technical verification).")


class FieldVisitOut(Schema):
    id: int
    visited_on: date
    result: str


@router.post("/{tracking_code}/field-visits", response={201: FieldVisitOut})
def field_visit(request, tracking_code: str, payload: FieldVisitIn):
    """A technical or site verification visit; add its photos with .../field-visits/{id}/photos."""
    proposal = _proposal(request, tracking_code)
    location = None
    if payload.location_region_code:
        location = proposal.locations.filter(region_id=payload.location_region_code.replace(".", "")).first()
        if location is None:
            raise _invalid("location_region_code", _("Lokasi ini bukan bagian dari usulan."))
    try:
        visit = services.field_visit_record(
            proposal=proposal, user=request.auth, visited_on=payload.visited_on, result=payload.result,
            checklist=payload.checklist, notes=payload.notes, location=location,
        )
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    return Status(201, {"id": visit.pk, "visited_on": visit.visited_on, "result": visit.result})


class PhotoOut(Schema):
    id: int
    visit: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    latitude: Decimal | None
    longitude: Decimal | None


def _coordinate(value: Decimal | None, bounds: tuple[Decimal, Decimal], field: str, message: str) -> Decimal | None:
    if value is None:
        return None
    if not bounds[0] <= value <= bounds[1]:
        raise _invalid(field, message)
    return value.quantize(Decimal("0.000001"))  # the column keeps six decimals (about 10 cm)


@router.post("/{tracking_code}/field-visits/{visit_id}/photos", response={201: PhotoOut})
def field_visit_photo(request, tracking_code: str, visit_id: int, photo: File[UploadedFile],
                      latitude: Form[Decimal | None] = None, longitude: Form[Decimal | None] = None):
    """Add a photo (JPG, PNG or WEBP, checked by content) to a recorded visit, with where it was taken. Multipart."""
    proposal = _proposal(request, tracking_code)
    visit = FieldVisit.objects.filter(pk=visit_id, proposal=proposal).select_related("proposal").first()
    if visit is None:
        raise Http404
    latitude = _coordinate(latitude, LATITUDE_RANGE, "latitude", _("Lintang di Indonesia antara -11,5 dan 6,5."))
    longitude = _coordinate(longitude, LONGITUDE_RANGE, "longitude", _("Bujur di Indonesia antara 94,5 dan 141,5."))
    try:
        checked = check_upload(photo, allowed=IMAGE_TYPES)
    except ValidationError as error:
        status = 413 if error.code == "too_large" else 415
        raise ApiError(status, error.code, error.messages[0], {"photo": error.messages}) from None
    try:
        saved = services.field_visit_photo_add(visit=visit, user=request.auth, checked=checked, latitude=latitude,
                                       longitude=longitude)
    except ActionNotAllowed as error:
        raise _conflict(error) from None
    a = saved.attachment
    return Status(201, {"id": saved.pk, "visit": visit.pk, "file_name": a.original_name,
                        "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
                        "latitude": saved.latitude, "longitude": saved.longitude})


# --- The PDFs -----------------------------------------------------------------------------------------------


@router.get("/{tracking_code}/pdf/{kind}")
def proposal_pdf(request, tracking_code: str, kind: str):
    """A PDF of the proposal, in the request's language (Accept-Language): `tanda-terima` (receipt of the
    latest submission), `pemberitahuan-perbaikan` (revision notice) or `surat-penetapan` (decision letter).
    404 when the proposal has none yet: a receipt once sent, a notice once sent back, a letter once decided."""
    proposal = _proposal(request, tracking_code)
    found = documents.KINDS.get(kind)
    if found is None or not found.exists(proposal):
        raise Http404
    return pdf_response(documents.render(proposal, found, language=get_language()),
                        documents.filename(proposal, found))
