"""Reads of complaints: similar recent reports, the public reports list and feed, the reporter's private
view by token, and one complaint for staff. Public reads never select a reporter's identity."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from sibaru.accounts.roles import Party
from sibaru.complaints.models import Complaint
from sibaru.complaints.services import hash_token
from sibaru.complaints.workflow import COMPLAINT, KIND
from sibaru.core.models import Event, Privacy
from sibaru.core.scope import cases_visible_to

# Verified reports: what the public pages may list (never a confidential one).
PUBLIC_STATES = ("dispositioned", "in_follow_up", "answered", "closed")
PUBLIC_FIELDS = ("case__tracking_code", "case__state", "case__submitted_at", "case__closed_at", "case__region__name",
                 "case__region_id", "public_title", "report_type", "category__name", "category__code")


def _public():
    return Complaint.objects.filter(case__state__in=PUBLIC_STATES).exclude(case__privacy=Privacy.CONFIDENTIAL)


def similar_recent(category, region, *, limit: int = 5) -> list[Complaint]:
    """Verified public reports of the same category and kab/kota from the last COMPLAINT_SIMILAR_DAYS days."""
    since = timezone.now() - timedelta(days=settings.COMPLAINT_SIMILAR_DAYS)
    return list(
        _public()
        .filter(category=category, case__region__code__startswith=region.code[:4], case__submitted_at__gte=since)
        .select_related("case", "category", "case__region")
        .only(*PUBLIC_FIELDS)
        .order_by("-case__submitted_at")[:limit]
    )


@dataclass
class PublicFilters:
    category: str = ""
    region: str = ""
    status: str = ""


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _cursor(item: Complaint) -> str:
    raw = json.dumps([item.case.submitted_at.isoformat(), item.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _position(cursor: str):
    try:
        stamp, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, TypeError):
        return None


def public_reports(filters: PublicFilters, *, cursor: str = "", limit: int = 20) -> Page:
    """Verified, non-confidential reports, newest first, with the unit's latest public response."""
    latest_response = Event.objects.filter(
        case_id=OuterRef("case_id"), public=True, action__in=("respond", "plan")
    ).order_by("-seq").values("note")[:1]
    reports = (
        _public()
        .select_related("case", "category", "case__region")
        .only(*PUBLIC_FIELDS)
        .annotate(response=Subquery(latest_response))
    )
    if filters.category:
        reports = reports.filter(Q(category__code=filters.category) | Q(category__parent__code=filters.category))
    if filters.region:
        reports = reports.filter(case__region__code__startswith=filters.region)
    if filters.status:
        reports = reports.filter(case__state=filters.status)
    if cursor and (position := _position(cursor)):
        stamp, pk = position
        reports = reports.filter(Q(case__submitted_at__lt=stamp) | Q(case__submitted_at=stamp, pk__lt=pk))
    items = list(reports.order_by("-case__submitted_at", "-pk")[: limit + 1])
    return Page(items=items[:limit], next_cursor=_cursor(items[limit - 1]) if len(items) > limit else None)


def public_status_choices() -> list[tuple[str, str]]:
    return [(code, COMPLAINT.state(code).label) for code in PUBLIC_STATES]


def status_label(item: Complaint) -> str:
    return COMPLAINT.state(item.case.state).label


def complaint_by_token(token: str) -> Complaint | None:
    """The reporter's own complaint, found by the secret of the private link."""
    if not token or len(token) > 64:
        return None
    return (
        Complaint.objects.select_related("case", "category", "case__region")
        .filter(follow_token_hash=hash_token(token))
        .first()
    )


def reporter_timeline(complaint: Complaint) -> list[Event]:
    """What the reporter sees: the public events and their own messages, never staff-internal notes."""
    return list(
        Event.objects.filter(case_id=complaint.pk)
        .filter(Q(public=True) | Q(actor_role=Party.APPLICANT))
        .only("at", "action", "to_state", "note", "public", "actor_role")
        .order_by("seq")
    )


def complaint_for_staff(user, tracking_code: str) -> Complaint:
    """One complaint the user may see (Complaint.DoesNotExist otherwise), with its units."""
    cases = cases_visible_to(user).filter(kind=KIND, tracking_code=tracking_code)
    return (
        Complaint.objects.filter(case__in=cases)
        .select_related("case", "case__region", "case__handler", "category", "category__default_unit", "duplicate_of")
        .prefetch_related("units__organisation")
        .get()
    )
