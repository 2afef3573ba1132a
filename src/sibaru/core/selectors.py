"""Reads of cases: the staff inbox (keyset-paginated), one case for staff, the public tracking view."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import connections, router
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


def _columns(model, names: tuple[str, ...]) -> str:
    return ", ".join(model._meta.get_field(name).column for name in names)


def _rows(model, names: tuple[str, ...], sql: str, params: list) -> list[list]:
    """The rows of `sql`, which selects the fields `names` of `model`, converted as the ORM converts them
    (aware datetimes, dates, booleans on each backend)."""
    connection = connections[router.db_for_read(model)]
    converters = []
    for index, name in enumerate(names):
        field = model._meta.get_field(name)
        column = field.get_col(model._meta.db_table)
        if functions := connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            converters.append((index, functions, column))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for index, functions, column in converters:
            for convert in functions:
                row[index] = convert(row[index], column, connection)
    return rows


_CASE_FIELDS = (
    "id", "tracking_code", "kind", "state", "submitted_at", "due_date", "extended_due_date", "closed_at",
    "due_start", "due_days", "due_day_type", "due_paused_days",
)
_EVENT_FIELDS = ("at", "to_state", "note")
# The public tracking lookup is the busiest page and has a throughput budget (DESIGN.md, "Budgets"): building
# these two fixed queries and model instances through the ORM cost several times running them.
_CASE_SQL = (
    f"SELECT {_columns(Case, _CASE_FIELDS)} FROM {Case._meta.db_table} "  # noqa: S608  # nosec B608
    f"WHERE {Case._meta.get_field('tracking_code').column} = %s"
)
_EVENTS_SQL = (
    f"SELECT {_columns(Event, _EVENT_FIELDS)} FROM {Event._meta.db_table} "  # noqa: S608  # nosec B608
    f"WHERE {Event._meta.get_field('case').column} = %s AND {Event._meta.get_field('public').column} = %s "
    f"ORDER BY {Event._meta.get_field('seq').column}"
)


def public_status(tracking_code: str) -> PublicStatus | None:
    """What anyone holding the tracking code may see: status, dates and public events; nothing personal."""
    found = _rows(Case, _CASE_FIELDS, _CASE_SQL, [tracking_code])
    if not found:
        return None
    case = SimpleNamespace(**dict(zip(_CASE_FIELDS, found[0], strict=True)))
    flow = workflow.get(case.kind)
    state = flow.state(case.state)
    events = [
        PublicEvent(at=at, status=to_state, status_label=flow.state(to_state).label if to_state else "", note=note)
        for at, to_state, note in _rows(Event, _EVENT_FIELDS, _EVENTS_SQL, [case.id, True])
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
