"""The implementation API of a decided proposal: its monitoring status (progress summary, tranches, hand-over),
a progress report with its photo (multipart) for the field apps the TFL and the pemda use, and the records
a local government's or the ministry's own system keeps (SK, KPB, TFL, suppliers, purchase plan, tranches,
hand-over steps) with their corrections. Thin: implementation.py checks the role, the state and the input.

Errors: 404 for a proposal or record the caller cannot see, 403 for a role that may not write, 409 when the
proposal is not in implementation or a correction is blocked by other records, 422 for bad input (`fields`
named as in the request), 413/415 for a file too large or of the wrong type."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sibaru.api.errors import ApiError
from sibaru.assistance import implementation as impl
from sibaru.assistance.models import Beneficiary, BeneficiaryGroup, Proposal, ProposalLocation, Supplier
from sibaru.assistance.rules import DECIDED_STATES
from sibaru.assistance.selectors import proposal_for
from sibaru.core.attachments import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed

router = Router(tags=["implementation"])


class StageCount(Schema):
    stage: int | None
    houses: int


class HouseOut(Schema):
    key: str
    beneficiary_id: int | None
    unit: str
    name: str | None  # only for the roles that work with the beneficiaries
    stage: int | None
    stages_reported: list[int]


class TrancheOut(Schema):
    number: int
    percentage: Decimal
    amount: Decimal
    paid_on: date


class HandOverStepOut(Schema):
    status: str
    status_label: str
    document_number: str
    date: date


class ImplementationOut(Schema):
    tracking_code: str
    status: str
    stages: list[int]
    houses_total: int
    houses_complete: int
    percent_complete: int
    at_stage: list[StageCount]
    houses: list[HouseOut]
    paid_percentage: Decimal
    paid_amount: Decimal
    tranches: list[TrancheOut]
    hand_over: str
    hand_over_label: str
    hand_over_steps: list[HandOverStepOut]
    hand_over_blockers: list[str]


class ProgressOut(Schema):
    id: int
    house: str
    stage: int
    taken_on: date


def _decided(request, tracking_code: str) -> Proposal:
    try:
        proposal = proposal_for(request.auth, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None
    if proposal.case.state not in DECIDED_STATES:
        raise Http404
    return proposal


@router.get("/{tracking_code}/implementation", response=ImplementationOut)
def status(request, tracking_code: str):
    """Progress per house (names only for the verifier, the proposer and administrators), tranches, hand-over."""
    proposal = _decided(request, tracking_code)
    personal = bool(roles_for_case(request.auth, proposal.case) & impl.PERSONAL_ROLES)
    summary = impl.implementation_summary(proposal)
    return {
        "tracking_code": proposal.case.tracking_code,
        "status": proposal.case.state,
        "stages": summary.stages,
        "houses_total": len(summary.houses),
        "houses_complete": summary.complete,
        "percent_complete": summary.percent_complete,
        "at_stage": [{"stage": stage, "houses": count} for stage, count in summary.at_stage],
        "houses": [
            {"key": h.key, "beneficiary_id": h.beneficiary.pk if h.beneficiary else None, "unit": h.unit,
             "name": (h.beneficiary.name if h.beneficiary else h.unit) if personal else None,
             "stage": h.stage, "stages_reported": sorted(h.reports)}
            for h in summary.houses
        ],
        "paid_percentage": summary.paid_percentage,
        "paid_amount": summary.paid_amount,
        "tranches": [{"number": t.number, "percentage": t.percentage, "amount": t.amount, "paid_on": t.paid_on}
                     for t in summary.tranches],
        "hand_over": proposal.hand_over,
        "hand_over_label": str(proposal.get_hand_over_display()),
        "hand_over_steps": [{"status": s.status, "status_label": str(s.get_status_display()),
                             "document_number": s.document_number, "date": s.date}
                            for s in summary.hand_over_steps],
        "hand_over_blockers": summary.blockers,
    }


@router.post("/{tracking_code}/implementation/progress", response={201: ProgressOut})
def report_progress(request, tracking_code: str, stage: Form[int], taken_on: Form[date], photo: File[UploadedFile],
                    beneficiary_id: Form[int | None] = None, unit: Form[str] = "",
                    latitude: Form[Decimal | None] = None, longitude: Form[Decimal | None] = None,
                    note: Form[str] = ""):
    """A house reaching a stage, with its photo (JPG, PNG or WEBP). Multipart. BSPS: `beneficiary_id` of a
    beneficiary named in an SK; other programmes: `unit`. Stages are reported in order, each once."""
    proposal = _decided(request, tracking_code)
    try:
        checked = check_upload(photo, allowed=IMAGE_TYPES)
    except ValidationError as error:
        status_code = 413 if error.code == "too_large" else 415
        raise ApiError(status_code, error.code, error.messages[0], {"photo": error.messages}) from None
    beneficiary = None
    if beneficiary_id is not None:
        beneficiary = Beneficiary.objects.filter(pk=beneficiary_id, proposal_id=proposal.pk).first()
        if beneficiary is None:
            raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                           {"beneficiary_id": [_("Penerima ini bukan bagian dari usulan.")]})
    try:
        report = impl.progress_report(proposal=proposal, user=request.auth, stage=stage, checked=checked,
                                      taken_on=taken_on, beneficiary=beneficiary, unit=unit, latitude=latitude,
                                      longitude=longitude, note=note)
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    house = f"b{report.beneficiary_id}" if report.beneficiary_id else f"u{report.unit}"
    return Status(201, {"id": report.pk, "house": house, "stage": report.stage, "taken_on": report.taken_on})


# --- Records and corrections ---------------------------------------------------------------------------------

PROOF_TYPES = DOCUMENT_TYPES | IMAGE_TYPES


@contextmanager
def _service_errors(fields: dict[str, str] | None = None):
    """The service's errors in the API's shape: field errors 422 (renamed to the request's names), a refusal
    that depends on other records or on the case's state 409."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ApiError(409, "conflict", error.messages[0]) from None
        named = {(fields or {}).get(name, name): messages for name, messages in error.message_dict.items()}
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), named) from None
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None


def _checked(upload, field_name: str, allowed):
    try:
        return check_upload(upload, allowed=allowed)
    except ValidationError as error:
        status_code = 413 if error.code == "too_large" else 415
        raise ApiError(status_code, error.code, error.messages[0], {field_name: error.messages}) from None


def _pick(queryset, ids, field_name: str, message: str) -> list:
    """The objects of the proposal with these ids, or 422 naming the field."""
    ids = set(ids or ())
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {field_name: [message]})
    return found


def _one(queryset, pk, field_name: str, message: str):
    return _pick(queryset, [pk], field_name, message)[0] if pk is not None else None


def _record(proposal: Proposal, related: str, pk: int):
    found = getattr(proposal, related).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _beneficiaries(proposal, ids, field_name):
    return _pick(Beneficiary.objects.filter(proposal_id=proposal.pk), ids, field_name,
                 _("Penerima ini bukan bagian dari usulan."))


class Created(Schema):
    id: int


class VoidIn(Schema):
    reason: str


class DecreeIn(Schema):
    number: str
    date: date
    signatory: str
    beneficiary_ids: list[int] | None = None  # None keeps the named ones


DECREE_FIELDS = {"beneficiaries": "beneficiary_ids", "file": "file"}


@router.post("/{tracking_code}/implementation/decrees", response={201: Created})
def decree_create(request, tracking_code: str, number: Form[str], date: Form[date], signatory: Form[str],
                  file: File[UploadedFile], beneficiary_ids: Form[list[int]] = None):
    """The SK penetapan penerima with its scan (PDF, JPG or PNG). Multipart; for BSPS repeat
    `beneficiary_ids` for each beneficiary it names."""
    proposal = _decided(request, tracking_code)
    checked = _checked(file, "file", PROOF_TYPES)
    named = _beneficiaries(proposal, beneficiary_ids, "beneficiary_ids")
    with _service_errors(DECREE_FIELDS):
        decree = impl.decree_record(proposal=proposal, user=request.auth, number=number, date=date,
                                    signatory=signatory, checked=checked, beneficiaries=named)
    return Status(201, {"id": decree.pk})


@router.put("/{tracking_code}/implementation/decrees/{decree_id}", response={204: None})
def decree_put(request, tracking_code: str, decree_id: int, payload: DecreeIn):
    """Correct an SK (its scan is replaced with POST …/decrees/{id}/file)."""
    proposal = _decided(request, tracking_code)
    decree = _record(proposal, "decrees", decree_id)
    named = None if payload.beneficiary_ids is None else _beneficiaries(proposal, payload.beneficiary_ids,
                                                                        "beneficiary_ids")
    with _service_errors(DECREE_FIELDS):
        impl.decree_update(decree=decree, user=request.auth, number=payload.number, date=payload.date,
                           signatory=payload.signatory, beneficiaries=named)
    return Status(204, None)


@router.post("/{tracking_code}/implementation/decrees/{decree_id}/file", response={204: None})
def decree_file(request, tracking_code: str, decree_id: int, file: File[UploadedFile]):
    """Replace an SK's scan; the old one stays a version in the case's timeline. Multipart."""
    proposal = _decided(request, tracking_code)
    decree = _record(proposal, "decrees", decree_id)
    checked = _checked(file, "file", PROOF_TYPES)
    with _service_errors(DECREE_FIELDS):
        impl.decree_update(decree=decree, user=request.auth, number=decree.number, date=decree.date,
                           signatory=decree.signatory, checked=checked)
    return Status(204, None)


@router.delete("/{tracking_code}/implementation/decrees/{decree_id}", response={204: None})
def decree_remove(request, tracking_code: str, decree_id: int):
    """Delete an SK whose beneficiaries are in no KPB and have no progress report (else 409)."""
    proposal = _decided(request, tracking_code)
    decree = _record(proposal, "decrees", decree_id)
    with _service_errors():
        impl.decree_delete(decree=decree, user=request.auth)
    return Status(204, None)


class GroupIn(Schema):
    name: str
    chair_id: int
    member_ids: list[int]


GROUP_FIELDS = {"members": "member_ids", "chair": "chair_id"}


def _group_args(proposal, payload: GroupIn) -> dict:
    members = _beneficiaries(proposal, payload.member_ids, "member_ids")
    chair = _beneficiaries(proposal, [payload.chair_id], "chair_id")[0]
    return {"name": payload.name, "chair": chair, "members": members}


@router.post("/{tracking_code}/implementation/groups", response={201: Created})
def group_post(request, tracking_code: str, payload: GroupIn):
    """A KPB of beneficiaries named in an SK, each in one KPB; the chair is a member."""
    proposal = _decided(request, tracking_code)
    with _service_errors(GROUP_FIELDS):
        group = impl.group_create(proposal=proposal, user=request.auth, **_group_args(proposal, payload))
    return Status(201, {"id": group.pk})


@router.put("/{tracking_code}/implementation/groups/{group_id}", response={204: None})
def group_put(request, tracking_code: str, group_id: int, payload: GroupIn):
    proposal = _decided(request, tracking_code)
    group = _record(proposal, "groups", group_id)
    with _service_errors(GROUP_FIELDS):
        impl.group_update(group=group, user=request.auth, **_group_args(proposal, payload))
    return Status(204, None)


@router.delete("/{tracking_code}/implementation/groups/{group_id}", response={204: None})
def group_remove(request, tracking_code: str, group_id: int):
    """Dissolve a KPB without purchase-plan lines (else 409)."""
    proposal = _decided(request, tracking_code)
    group = _record(proposal, "groups", group_id)
    with _service_errors():
        impl.group_delete(group=group, user=request.auth)
    return Status(204, None)


class FacilitatorIn(Schema):
    name: str
    phone: str
    email: str = ""
    group_ids: list[int] = []
    villages: list[str] = []  # Kemendagri codes of the proposal's target villages


FACILITATOR_FIELDS = {"groups": "group_ids", "locations": "villages"}


def _facilitator_args(proposal, payload: FacilitatorIn) -> dict:
    groups = _pick(BeneficiaryGroup.objects.filter(proposal_id=proposal.pk), payload.group_ids, "group_ids",
                   _("KPB ini bukan bagian dari usulan."))
    codes = set(payload.villages)
    locations = list(ProposalLocation.objects.filter(proposal_id=proposal.pk, region_id__in=codes))
    if len(locations) != len(codes):
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                       {"villages": [_("Desa ini bukan lokasi usulan.")]})
    return {"name": payload.name, "phone": payload.phone, "email": payload.email, "groups": groups,
            "locations": locations}


@router.post("/{tracking_code}/implementation/facilitators", response={201: Created})
def facilitator_post(request, tracking_code: str, payload: FacilitatorIn):
    """A TFL with the KPB and target villages they assist."""
    proposal = _decided(request, tracking_code)
    with _service_errors(FACILITATOR_FIELDS):
        facilitator = impl.facilitator_add(proposal=proposal, user=request.auth,
                                           **_facilitator_args(proposal, payload))
    return Status(201, {"id": facilitator.pk})


@router.put("/{tracking_code}/implementation/facilitators/{facilitator_id}", response={204: None})
def facilitator_put(request, tracking_code: str, facilitator_id: int, payload: FacilitatorIn):
    proposal = _decided(request, tracking_code)
    facilitator = _record(proposal, "facilitators", facilitator_id)
    with _service_errors(FACILITATOR_FIELDS):
        impl.facilitator_update(facilitator=facilitator, user=request.auth, **_facilitator_args(proposal, payload))
    return Status(204, None)


@router.delete("/{tracking_code}/implementation/facilitators/{facilitator_id}", response={204: None})
def facilitator_remove(request, tracking_code: str, facilitator_id: int):
    proposal = _decided(request, tracking_code)
    facilitator = _record(proposal, "facilitators", facilitator_id)
    with _service_errors():
        impl.facilitator_delete(facilitator=facilitator, user=request.auth)
    return Status(204, None)


class SupplierIn(Schema):
    name: str
    registration: str  # NPWP (15 or 16 digits) or NIB (13 digits); dots and dashes allowed
    address: str


@router.post("/{tracking_code}/implementation/suppliers", response={201: Created})
def supplier_post(request, tracking_code: str, payload: SupplierIn):
    """A material supplier; the same NPWP/NIB twice: 422."""
    proposal = _decided(request, tracking_code)
    with _service_errors():
        supplier = impl.supplier_add(proposal=proposal, user=request.auth, **payload.dict())
    return Status(201, {"id": supplier.pk})


@router.put("/{tracking_code}/implementation/suppliers/{supplier_id}", response={204: None})
def supplier_put(request, tracking_code: str, supplier_id: int, payload: SupplierIn):
    proposal = _decided(request, tracking_code)
    supplier = _record(proposal, "suppliers", supplier_id)
    with _service_errors():
        impl.supplier_update(supplier=supplier, user=request.auth, **payload.dict())
    return Status(204, None)


@router.delete("/{tracking_code}/implementation/suppliers/{supplier_id}", response={204: None})
def supplier_remove(request, tracking_code: str, supplier_id: int):
    """Delete a supplier no plan line or tranche names (else 409)."""
    proposal = _decided(request, tracking_code)
    supplier = _record(proposal, "suppliers", supplier_id)
    with _service_errors():
        impl.supplier_delete(supplier=supplier, user=request.auth)
    return Status(204, None)


class PurchaseLineIn(Schema):
    group_id: int | None = None
    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    supplier_id: int


LINE_FIELDS = {"group": "group_id", "supplier": "supplier_id"}


def _line_args(proposal, payload: PurchaseLineIn) -> dict:
    return {
        "item": payload.item, "quantity": payload.quantity, "unit": payload.unit, "unit_price": payload.unit_price,
        "supplier": _one(Supplier.objects.filter(proposal_id=proposal.pk), payload.supplier_id, "supplier_id",
                         _("Penyedia ini bukan bagian dari usulan.")),
        "group": _one(BeneficiaryGroup.objects.filter(proposal_id=proposal.pk), payload.group_id, "group_id",
                      _("KPB ini bukan bagian dari usulan.")),
    }


@router.post("/{tracking_code}/implementation/purchase-lines", response={201: Created})
def purchase_line_post(request, tracking_code: str, payload: PurchaseLineIn):
    """One line of the material purchase plan (RAB / DRPB2), of a KPB (`group_id`) or the whole proposal."""
    proposal = _decided(request, tracking_code)
    with _service_errors(LINE_FIELDS):
        line = impl.purchase_line_add(proposal=proposal, user=request.auth, **_line_args(proposal, payload))
    return Status(201, {"id": line.pk})


@router.put("/{tracking_code}/implementation/purchase-lines/{line_id}", response={204: None})
def purchase_line_put(request, tracking_code: str, line_id: int, payload: PurchaseLineIn):
    proposal = _decided(request, tracking_code)
    line = _record(proposal, "purchase_lines", line_id)
    with _service_errors(LINE_FIELDS):
        impl.purchase_line_update(line=line, user=request.auth, **_line_args(proposal, payload))
    return Status(204, None)


@router.delete("/{tracking_code}/implementation/purchase-lines/{line_id}", response={204: None})
def purchase_line_remove(request, tracking_code: str, line_id: int):
    proposal = _decided(request, tracking_code)
    line = _record(proposal, "purchase_lines", line_id)
    with _service_errors():
        impl.purchase_line_delete(line=line, user=request.auth)
    return Status(204, None)


class TrancheCreated(Schema):
    id: int
    number: int


@router.post("/{tracking_code}/implementation/tranches", response={201: TrancheCreated})
def tranche_post(request, tracking_code: str, percentage: Form[Decimal], amount: Form[Decimal],
                 paid_on: Form[date], file: File[UploadedFile], supplier_id: Form[int | None] = None):
    """The next tranche with its proof of transfer (PDF, JPG or PNG). Multipart. All tranches together stay
    within 100 % and the decided budget (else 422)."""
    proposal = _decided(request, tracking_code)
    checked = _checked(file, "file", PROOF_TYPES)
    supplier = _one(Supplier.objects.filter(proposal_id=proposal.pk), supplier_id, "supplier_id",
                    _("Penyedia ini bukan bagian dari usulan."))
    with _service_errors({"supplier": "supplier_id"}):
        tranche = impl.tranche_record(proposal=proposal, user=request.auth, percentage=percentage, amount=amount,
                                      paid_on=paid_on, checked=checked, supplier=supplier)
    return Status(201, {"id": tranche.pk, "number": tranche.number})


@router.post("/{tracking_code}/implementation/tranches/{tranche_id}/void", response={204: None})
def tranche_void(request, tracking_code: str, tranche_id: int, payload: VoidIn):
    """Void a tranche with a reason: it leaves the totals, its content stays in the case's timeline."""
    proposal = _decided(request, tracking_code)
    tranche = _record(proposal, "tranches", tranche_id)
    with _service_errors():
        impl.tranche_void(tranche=tranche, user=request.auth, reason=payload.reason)
    return Status(204, None)


@router.post("/{tracking_code}/implementation/progress/{report_id}/void", response={204: None})
def progress_void(request, tracking_code: str, report_id: int, payload: VoidIn):
    """Void a house's latest progress report with a reason (a later stage first: 409)."""
    proposal = _decided(request, tracking_code)
    report = _record(proposal, "progress_reports", report_id)
    with _service_errors():
        impl.progress_void(report=report, user=request.auth, reason=payload.reason)
    return Status(204, None)


@router.post("/{tracking_code}/implementation/hand-over-steps", response={201: Created})
def hand_over_step_post(request, tracking_code: str, status: Form[str], date: Form[date],
                        document_number: Form[str] = "", note: Form[str] = "", file: File[UploadedFile] = None):
    """A step of the asset hand-over (`bast_in_process`, …, `decree_issued`), never backwards. Multipart; the
    `decree_issued` step (SK penghapusan and BAST) needs `document_number` and the signed `file`."""
    proposal = _decided(request, tracking_code)
    checked = _checked(file, "file", PROOF_TYPES) if file is not None else None
    with _service_errors():
        step = impl.hand_over_step_record(proposal=proposal, user=request.auth, status=status, date=date,
                                          document_number=document_number, checked=checked, note=note)
    return Status(201, {"id": step.pk})


@router.post("/{tracking_code}/implementation/hand-over-steps/{step_id}/void", response={204: None})
def hand_over_step_void(request, tracking_code: str, step_id: int, payload: VoidIn):
    """Void the latest hand-over step with a reason; the hand-over status goes back one step."""
    proposal = _decided(request, tracking_code)
    step = _record(proposal, "hand_over_steps", step_id)
    with _service_errors():
        impl.hand_over_step_void(step=step, user=request.auth, reason=payload.reason)
    return Status(204, None)
