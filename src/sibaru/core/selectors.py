"""Reads of cases: the staff inbox (keyset-paginated), one case for staff, the public tracking view."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from sibaru.core import workflow
from sibaru.core.models import Case, Event, Notification
from sibaru.core.scope import cases_visible_to
from sibaru.core.tracking import normalize_tracking_code

DUE_SOON_DAYS = 3


@dataclass
class InboxFilters:
    kind: str = ""
    state: str = ""
    due: str = ""  # "", "soon" or "overdue"
    q: str = ""


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode_cursor(case: Case) -> str:
    raw = json.dumps([case.updated_at.isoformat(), case.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, pk = json.loads(raw)
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, TypeError):
        return None


def inbox(user, filters: InboxFilters, *, cursor: str = "", limit: int = 50) -> Page:
    """Open and closed cases the user may see, newest activity first, one page after `cursor`."""
    cases = cases_visible_to(user).select_related("handler", "region")
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.state:
        cases = cases.filter(state=filters.state)
    today = timezone.localdate()
    if filters.due == "overdue":
        cases = cases.filter(closed_at=None, due_date__lt=today)
    elif filters.due == "soon":
        cases = cases.filter(closed_at=None, due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    if filters.q:
        # A whole tracking code is one indexed lookup; anything else searches the codes and subjects.
        if code := normalize_tracking_code(filters.q):
            cases = cases.filter(tracking_code=code)
        else:
            text = filters.q.strip()
            cases = cases.filter(Q(tracking_code__icontains=text) | Q(subject__icontains=text))
    if cursor and (position := _decode_cursor(cursor)):
        stamp, pk = position
        cases = cases.filter(Q(updated_at__lt=stamp) | Q(updated_at=stamp, pk__lt=pk))
    items = list(cases.order_by("-updated_at", "-pk")[: limit + 1])
    next_cursor = _encode_cursor(items[limit - 1]) if len(items) > limit else None
    return Page(items=items[:limit], next_cursor=next_cursor)


def case_for_staff(user, tracking_code: str) -> Case:
    """One case the user may see, or Case.DoesNotExist."""
    return cases_visible_to(user).select_related("handler", "organisation", "region", "assignee").get(
        tracking_code=tracking_code
    )


def case_timeline(case: Case, *, public_only: bool) -> list[Event]:
    events = case.events.select_related("actor").prefetch_related("attachments").order_by("seq")
    if public_only:
        events = events.filter(public=True).defer("actor", "data")
    return list(events)


@dataclass
class PublicEvent:
    at: datetime
    status: str
    status_label: str
    note: str


@dataclass
class PublicStatus:
    tracking_code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    status_hint: str
    final: bool
    submitted_at: datetime | None
    due_date: object
    extended_due_date: object
    closed_at: datetime | None
    events: list[PublicEvent]
    due_start: object = None
    due_days: int | None = None
    due_day_type: str = ""
    # Set while the clock is paused (the case waits for the applicant): the days left, without a due date.
    due_paused_days: int | None = None


def public_status(tracking_code: str) -> PublicStatus | None:
    """What anyone holding the tracking code may see: status, dates and public events; nothing personal."""
    case = (
        Case.objects.only(
            "tracking_code", "kind", "state", "submitted_at", "due_date", "extended_due_date", "closed_at",
            "due_start", "due_days", "due_day_type", "due_paused_days",
        )
        .filter(tracking_code=tracking_code)
        .first()
    )
    if case is None:
        return None
    flow = workflow.get(case.kind)
    state = flow.state(case.state)
    events = [
        PublicEvent(
            at=e.at, status=e.to_state, status_label=flow.state(e.to_state).label if e.to_state else "", note=e.note
        )
        for e in Event.objects.filter(case_id=case.pk, public=True).only("at", "to_state", "note").order_by("seq")
    ]
    return PublicStatus(
        tracking_code=case.tracking_code,
        kind=case.kind,
        kind_label=flow.label,
        status=case.state,
        status_label=state.label,
        status_hint=state.public_hint,
        final=state.final,
        submitted_at=case.submitted_at,
        due_date=case.due_date,
        extended_due_date=case.extended_due_date,
        closed_at=case.closed_at,
        events=events,
        due_start=case.due_start,
        due_days=case.due_days,
        due_day_type=case.due_day_type,
        due_paused_days=case.due_paused_days,
    )


def due_explanation(status: PublicStatus) -> str:
    """How the current deadline was computed, or the days left while it is paused, in the active language
    ("" when there is none)."""
    from sibaru.core.calendar import explain_due, explain_paused

    if status.due_paused_days is not None and not status.final:
        return explain_paused(status.due_paused_days, status.due_day_type)
    if not (status.due_start and status.due_days):
        return ""
    return explain_due(status.due_start, status.due_days, status.due_day_type)


def unread_notification_count(user) -> int:
    return Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP, read_at=None).count()


def notifications_for(user, *, limit: int = 50) -> list[Notification]:
    """The user's in-app notifications, newest first, with their case's tracking code."""
    return list(
        Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)
        .select_related("case")
        .only("subject", "created_at", "read_at", "case__tracking_code")
        .order_by("-created_at", "-pk")[:limit]
    )
