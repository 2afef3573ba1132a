"""Endpoints over the case engine: public tracking, the staff's cases and workflow transitions."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from sibaru.api.errors import ApiError
from sibaru.core import workflow
from sibaru.core.models import Case
from sibaru.core.scope import is_staff_member, roles_for_case
from sibaru.core.selectors import (
    InboxFilters,
    case_for_staff,
    case_timeline,
    due_explanation,
    inbox,
    public_status,
)
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.core.tracking import normalize_tracking_code

router = Router(tags=["cases"])


class TrackEvent(Schema):
    at: datetime
    status: str
    note: str


class TrackOut(Schema):
    tracking_code: str
    kind: str
    status: str
    status_label: str
    submitted_at: datetime | None
    due_date: date | None
    extended_due_date: date | None
    closed_at: datetime | None
    # Added fields only (old clients ignore them): the days left while the clock is paused, and how the
    # current deadline was computed (or that it is paused), in the caller's language.
    due_paused_days: int | None = None
    due_explanation: str = ""
    events: list[TrackEvent]


def _tracking_code_or_error(text: str) -> str:
    code = normalize_tracking_code(text)
    if code is None:
        raise ApiError(422, "invalid_tracking_code", _("Nomor pelacakan tidak sesuai format."),
                       {"tracking_code": [_("Nomor pelacakan tidak sesuai format.")]})
    return code


@router.get("/track/{tracking_code}", response=TrackOut, auth=None,
            throttle=[AnonRateThrottle(settings.RATELIMIT_TRACKING)])
def track(request, tracking_code: str):
    """The public status of any case: no personal data, public events only."""
    status = public_status(_tracking_code_or_error(tracking_code))
    if status is None:
        raise ApiError(404, "not_found", _("Nomor pelacakan tidak ditemukan."))
    return {
        **{k: getattr(status, k) for k in ("tracking_code", "kind", "status", "submitted_at", "due_date",
                                           "extended_due_date", "closed_at", "due_paused_days")},
        "status_label": str(status.status_label),
        "due_explanation": due_explanation(status),
        "events": [{"at": e.at, "status": e.status, "note": e.note} for e in status.events],
    }


class CaseOut(Schema):
    tracking_code: str
    kind: str
    status: str
    status_label: str
    subject: str
    region_code: str | None
    handler: str | None
    submitted_at: datetime | None
    due_date: date | None
    extended_due_date: date | None
    closed_at: datetime | None
    updated_at: datetime


def _case_out(case: Case) -> dict:
    flow = workflow.get(case.kind)
    return {
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "status": case.state,
        "status_label": str(flow.state(case.state).label),
        "subject": case.subject,
        "region_code": case.region_id,
        "handler": case.handler.name if case.handler_id else None,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "extended_due_date": case.extended_due_date,
        "closed_at": case.closed_at,
        "updated_at": case.updated_at,
    }


class CaseList(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseFilters(Schema):
    kind: str = ""
    status: str = ""
    due: str = ""
    q: str = ""
    cursor: str = ""
    limit: int = 50


def _require_staff(user):
    if not is_staff_member(user):
        raise PermissionDenied(_("Hanya untuk petugas."))


@router.get("/cases", response=CaseList)
def cases(request, filters: Query[CaseFilters]):
    """The caller's inbox: every case in its scope, most recent activity first."""
    _require_staff(request.auth)
    if not 1 <= filters.limit <= 200:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"limit": [_("Antara 1 dan 200.")]})
    page = inbox(
        request.auth,
        InboxFilters(kind=filters.kind, state=filters.status, due=filters.due, q=filters.q),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [_case_out(c) for c in page.items], "next_cursor": page.next_cursor}


class CaseEventOut(Schema):
    seq: int
    at: datetime
    action: str
    from_status: str
    to_status: str
    note: str
    public: bool
    actor: str | None


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]
    available_actions: list[str]


def _staff_case(request, tracking_code: str) -> Case:
    _require_staff(request.auth)
    try:
        return case_for_staff(request.auth, _tracking_code_or_error(tracking_code))
    except Case.DoesNotExist:
        raise Http404 from None


@router.get("/cases/{tracking_code}", response=CaseDetailOut)
def case_detail(request, tracking_code: str):
    case = _staff_case(request, tracking_code)
    flow = workflow.get(case.kind)
    events = case_timeline(case, public_only=False)
    return {
        **_case_out(case),
        "events": [
            {"seq": e.seq, "at": e.at, "action": e.action, "from_status": e.from_state, "to_status": e.to_state,
             "note": e.note, "public": e.public, "actor": e.actor.full_name if e.actor else None}
            for e in events
        ],
        "available_actions": [a.code for a in flow.actions_from(case.state, roles_for_case(request.auth, case))],
    }


class TransitionIn(Schema):
    action: str
    note: str = ""
    data: dict = {}


@router.post("/cases/{tracking_code}/transitions", response=CaseOut)
def transition(request, tracking_code: str, payload: TransitionIn):
    """Apply a workflow action: 403 when the caller's role may not, 409 when the state does not allow it."""
    case = _staff_case(request, tracking_code)
    try:
        case_apply_action(case=case, action=payload.action, user=request.auth, note=payload.note, data=payload.data)
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message, error.details) from None
    case.refresh_from_db()
    return _case_out(case)
