"""The complaints API (API.md): anyone files a complaint; staff in scope read the whole of it.
Transitions go through POST /api/v1/cases/<code>/transitions (data: category, units, classification …)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from sibaru.api.errors import ApiError
from sibaru.complaints import selectors
from sibaru.complaints.models import Category, Channel, Complaint
from sibaru.complaints.services import complaint_identity_view, complaint_submit, may_see_identity
from sibaru.complaints.workflow import COMPLAINT
from sibaru.core.scope import is_staff_member
from sibaru.core.services import IdempotencyConflict
from sibaru.core.tracking import normalize_tracking_code
from sibaru.regions import selectors as regions
from sibaru.regions.codes import InvalidRegionCode

router = Router(tags=["complaints"])


class ReporterIn(Schema):
    name: str = Field(max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=20)


class ComplaintIn(Schema):
    kind: Literal["aspirasi", "pengaduan", "permintaan_informasi"]
    category: str = Field(max_length=40)
    title: str = Field(min_length=5, max_length=150)
    description: str = Field(max_length=4000)
    region_code: str = Field(max_length=13)
    incident_date: date | None = None
    latitude: Decimal | None = Field(None, ge=-11, le=6, decimal_places=5)
    longitude: Decimal | None = Field(None, ge=95, le=141, decimal_places=5)
    privacy: Literal["public", "anonymous", "confidential"]
    reporter: ReporterIn | None = None


class SubmittedOut(Schema):
    tracking_code: str
    status: str
    due_date: date | None
    # The reporter's private page; only in the first response (a replay cannot show it again).
    follow_url: str | None


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", _("Ada isian yang tidak valid."), {field: [message]})


@router.post("", response={201: SubmittedOut, 200: SubmittedOut}, auth=None,
             throttle=[AnonRateThrottle(settings.RATELIMIT_SUBMIT)])
def create(request, payload: ComplaintIn):
    """File a complaint. Send `Idempotency-Key` so a retry returns the first case instead of a second one."""
    category = Category.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise _invalid("category", _("Kategori tidak dikenal."))
    try:
        region = regions.region_get(code=payload.region_code)
    except InvalidRegionCode:
        region = None
    if region is None or not region.is_current or region.level == "province":
        raise _invalid("region_code", _("Kode wilayah tidak dikenal: tulis kode kabupaten/kota atau lebih rinci."))
    if payload.incident_date and payload.incident_date > date.today():
        raise _invalid("incident_date", _("Tanggal kejadian tidak boleh di masa depan."))
    reporter = payload.reporter or ReporterIn(name="")
    try:
        submitted = complaint_submit(
            report_type=payload.kind, category=category, title=payload.title, description=payload.description,
            region=region, privacy=payload.privacy, reporter_name=reporter.name, reporter_email=reporter.email or "",
            reporter_phone=reporter.phone or "", incident_date=payload.incident_date, latitude=payload.latitude,
            longitude=payload.longitude, channel=Channel.API, scope="api",
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except IdempotencyConflict as error:
        raise ApiError(409, "idempotency_conflict", str(error)) from None
    case = submitted.case
    token = submitted.follow_token
    return Status(200 if token is None else 201, {
        "tracking_code": case.tracking_code, "status": case.state, "due_date": case.due_date,
        "follow_url": request.build_absolute_uri(reverse("complaints:follow", args=[token])) if token else None,
    })


class ReporterOut(Schema):
    name: str
    email: str
    phone: str


class ComplaintOut(Schema):
    tracking_code: str
    kind: str
    category: str
    classification: str
    status: str
    status_label: str
    title: str
    public_title: str
    description: str
    region_code: str | None
    incident_date: date | None
    latitude: Decimal | None
    longitude: Decimal | None
    privacy: str
    channel: str
    units: list[str]
    submitted_at: datetime | None
    due_date: date | None
    closed_at: datetime | None
    rating: int | None
    rating_comment: str
    # Only for a role that may see it; each response that carries it is recorded in the case's events.
    reporter: ReporterOut | None


@router.get("/{tracking_code}", response=ComplaintOut)
def detail(request, tracking_code: str, include_reporter: bool = False):
    """The whole complaint for staff in scope; `?include_reporter=true` adds the identity (the view is logged)."""
    if not is_staff_member(request.auth):
        raise PermissionDenied(_("Hanya untuk petugas."))
    code = normalize_tracking_code(tracking_code)
    try:
        complaint = selectors.complaint_for_staff(request.auth, code or "")
    except Complaint.DoesNotExist:
        raise Http404 from None
    case = complaint.case
    reporter = None
    if include_reporter:
        if not may_see_identity(request.auth, case):
            raise PermissionDenied(_("Peran Anda tidak berwenang melihat identitas pelapor."))
        shown = complaint_identity_view(case=case, user=request.auth)
        reporter = {"name": shown.name, "email": shown.email, "phone": shown.phone}
    return {
        "tracking_code": case.tracking_code, "kind": complaint.report_type, "category": complaint.category.code,
        "classification": complaint.classification, "status": case.state,
        "status_label": str(COMPLAINT.state(case.state).label), "title": complaint.title,
        "public_title": complaint.public_title, "description": complaint.description, "region_code": case.region_id,
        "incident_date": complaint.incident_date, "latitude": complaint.latitude, "longitude": complaint.longitude,
        "privacy": case.privacy, "channel": complaint.channel,
        "units": [u.organisation.name for u in complaint.units.all()], "submitted_at": case.submitted_at,
        "due_date": case.due_date, "closed_at": case.closed_at, "rating": complaint.rating,
        "rating_comment": complaint.rating_comment, "reporter": reporter,
    }
