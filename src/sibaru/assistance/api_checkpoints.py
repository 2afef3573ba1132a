"""The programming-cycle checkpoints of a proposal: everyone who sees the proposal reads them; the planning
officer marks one passed (or re-dates it) and takes one back. Mounted under /api/v1/proposals."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from sibaru.api.errors import ApiError
from sibaru.assistance import rules, services
from sibaru.assistance.models import PlanningCheckpoint, Proposal
from sibaru.assistance.selectors import proposals_visible_to
from sibaru.core.services import ActionNotAllowed

router = Router(tags=["proposals"])


class CheckpointOut(Schema):
    code: str
    name: str
    order: int
    scheduled_on: date | None
    passed: bool
    passed_on: date | None
    note: str


class CheckpointIn(Schema):
    checkpoint: str
    passed_on: date
    note: str = ""


def _proposal(request, tracking_code: str) -> Proposal:
    proposal = proposals_visible_to(request.auth).select_related("case").filter(
        case__tracking_code=tracking_code).first()
    if proposal is None:
        raise Http404
    return proposal


def _rows(proposal: Proposal) -> list[dict]:
    return [
        {"code": checkpoint.code, "name": checkpoint.name, "order": checkpoint.order,
         "scheduled_on": checkpoint.date, "passed": mark is not None,
         "passed_on": mark.passed_on if mark else None, "note": mark.note if mark else ""}
        for checkpoint, mark in rules.checkpoint_rows(proposal)
    ]


def _checkpoint(proposal: Proposal, code: str) -> PlanningCheckpoint:
    checkpoint = PlanningCheckpoint.objects.filter(budget_year=proposal.budget_year, code=code).first()
    if checkpoint is None:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."),
                       {"checkpoint": [_("Tahapan ini bukan tahapan tahun anggaran usulan.")]})
    return checkpoint


@router.get("/{tracking_code}/checkpoints", response=list[CheckpointOut])
def checkpoints(request, tracking_code: str):
    """The checkpoints of the proposal's budget year in order, with the date each was passed."""
    return _rows(_proposal(request, tracking_code))


@router.post("/{tracking_code}/checkpoints", response=list[CheckpointOut])
def checkpoint_mark(request, tracking_code: str, payload: CheckpointIn):
    """Planning officers: the proposal passed this checkpoint on `passed_on` (sent again: the date changes)."""
    proposal = _proposal(request, tracking_code)
    try:
        services.proposal_checkpoint_mark(proposal=proposal, user=request.auth,
                                          checkpoint=_checkpoint(proposal, payload.checkpoint),
                                          passed_on=payload.passed_on, note=payload.note)
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return _rows(proposal)


@router.delete("/{tracking_code}/checkpoints/{checkpoint}", response=list[CheckpointOut])
def checkpoint_unmark(request, tracking_code: str, checkpoint: str):
    """Planning officers: take back a checkpoint marked by mistake."""
    proposal = _proposal(request, tracking_code)
    try:
        services.proposal_checkpoint_unmark(proposal=proposal, user=request.auth,
                                            checkpoint=_checkpoint(proposal, checkpoint))
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return _rows(proposal)
