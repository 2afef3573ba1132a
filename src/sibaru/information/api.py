"""The information API (API.md): a request, the requester's objection, and the public information list.

Transitions (assign, extend, answer, decide) go through /api/v1/cases/<code>/transitions like every case:
`answer` takes `data` with outcome, exempt_parts [{description, ground, consequence, until?}], material,
holder, catalogue_entry, copy_pages and copy_medium."""

from datetime import date
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle

from sibaru.api.errors import ApiError
from sibaru.core.services import ActionNotAllowed
from sibaru.information import selectors, services

router = Router(tags=["information"])


class RequesterIn(Schema):
    type: Literal["person", "legal_entity"]
    name: str
    id_number: str
    address: str
    occupation: str = ""
    email: str = ""
    phone: str = ""
    proxy_name: str = ""


class RequestIn(Schema):
    requester: RequesterIn
    information: str
    purpose: str
    obtain: Literal["view", "copy"]
    delivery: Literal["email", "post", "pickup"]


class RequestOut(Schema):
    tracking_code: str
    registration_number: str
    status: str
    due_date: date | None
    # The requester's private token (shown once): it opens the private page and authenticates objections.
    private_token: str | None


def _invalid(error: ValidationError) -> ApiError:
    fields = {(f"requester.{k}" if k in RequesterIn.model_fields or k == "requester_type" else k): v
              for k, v in error.message_dict.items()}
    return ApiError(422, "invalid", _("Ada isian yang tidak valid."), fields)


@router.post("", response={201: RequestOut}, auth=None, throttle=[AnonRateThrottle(settings.RATELIMIT_SUBMIT)])
def request_create(request, payload: RequestIn):
    """Register a request. The identity document is handed in to the PPID later (this body carries no files).

    Send an `Idempotency-Key` header to make a retry safe; the repeat returns the same request without the
    private token, which is given only once."""
    requester = payload.requester
    try:
        case, token = services.info_request_submit(
            requester_type=requester.type, name=requester.name, id_number=requester.id_number,
            address=requester.address, occupation=requester.occupation, email=requester.email,
            phone=requester.phone, proxy_name=requester.proxy_name, information=payload.information,
            purpose=payload.purpose, obtain=payload.obtain, delivery=payload.delivery,
            identity_document_required=False, idempotency_key=request.headers.get("Idempotency-Key", ""),
            scope="api",
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, {"tracking_code": case.tracking_code,
                        "registration_number": case.information_request.registration_number,
                        "status": case.state, "due_date": case.due_date, "private_token": token})


class RequesterToken(HttpBearer):
    """The requester's private token for their own request (the {tracking_code} in the path)."""

    def authenticate(self, request: HttpRequest, token: str):
        code = (request.resolver_match.kwargs or {}).get("tracking_code", "") if request.resolver_match else ""
        return services.info_request_by_token(tracking_code=code, token=token)


class ObjectionIn(Schema):
    ground: str
    statement: str
    proxy_name: str = ""


class ObjectionOut(Schema):
    tracking_code: str
    registration_number: str
    due_date: date | None


@router.post("/{tracking_code}/objections", response={201: ObjectionOut}, auth=RequesterToken(),
             throttle=[AnonRateThrottle(settings.RATELIMIT_SUBMIT)])
def objection_create(request, tracking_code: str, payload: ObjectionIn):
    """An objection to the PPID's superior, by the requester (Authorization: Bearer <private token>)."""
    try:
        case = services.info_objection_submit(request=request.auth, ground=payload.ground,
                                              statement=payload.statement, proxy_name=payload.proxy_name,
                                              idempotency_key=request.headers.get("Idempotency-Key", ""),
                                              scope="api")
    except ValidationError as error:
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), error.message_dict) from None
    except ActionNotAllowed as error:
        raise ApiError(409, error.code, error.message) from None
    return Status(201, {"tracking_code": case.tracking_code,
                        "registration_number": case.information_objection.registration_number,
                        "due_date": case.due_date})


catalogue_router = Router(tags=["information"])


class CatalogueFilter(Schema):
    q: str = ""
    info_class: Literal["", "periodic", "immediate", "any_time", "exempt"] = ""


class EntryOut(Schema):
    id: int
    title: str
    summary: str
    info_class: str
    unit: str
    retention: str
    exemption_ground: str | None
    document_url: str | None
    link: str


@catalogue_router.get("", response=list[EntryOut], auth=None,
                      throttle=[AnonRateThrottle(settings.RATELIMIT_TRACKING)])
def catalogue(request, filters: Query[CatalogueFilter]):
    """The Daftar Informasi Publik: every published entry, with its document where it is public."""
    return [
        {"id": e.pk, "title": e.title, "summary": e.summary, "info_class": e.info_class, "unit": e.unit.name,
         "retention": e.retention, "exemption_ground": e.exemption_ground.code if e.exemption_ground else None,
         "document_url": request.build_absolute_uri(reverse("information:catalogue_document", args=[e.pk]))
         if e.is_public and e.document else None,
         "link": e.link if e.is_public else ""}
        for e in selectors.catalogue_search(q=filters.q, info_class=filters.info_class)
    ]
