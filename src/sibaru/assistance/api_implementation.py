"""The implementation API of a decided proposal: its monitoring status (progress summary, tranches, hand-over)
and a progress report with its photo (multipart), for the field apps the TFL and the pemda use."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sibaru.api.errors import ApiError
from sibaru.assistance import implementation as impl
from sibaru.assistance.models import Beneficiary, Proposal
from sibaru.assistance.rules import DECIDED_STATES
from sibaru.assistance.selectors import proposal_for
from sibaru.core.attachments import IMAGE_TYPES, check_upload
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
