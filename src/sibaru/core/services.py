"""Every write of the case engine: opening a case and applying a workflow action.

Both run in one transaction: the role and state are checked, the event is written to the hash chain,
the deadline is moved and the notifications are queued in the outbox, or nothing happens at all.
"""

import hashlib
import inspect
import json
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.roles import Party
from sibaru.core import calendar, workflow
from sibaru.core.attachments import CheckedFile, attachment_store, files_removed_on_error
from sibaru.core.events import append_event
from sibaru.core.models import Case, DayType, Event, IdempotencyKey, Privacy
from sibaru.core.notifications import notifications_queue
from sibaru.core.scope import roles_for_case
from sibaru.core.tracking import new_tracking_code


class ActionNotAllowed(Exception):
    """The action cannot be taken now: the state does not allow it, or what it needs is missing (HTTP 409).

    `details` maps what is missing to messages (e.g. each missing document of a proposal)."""

    def __init__(self, message: str, *, code: str = "invalid_state", details: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}


class IdempotencyConflict(Exception):
    """The same idempotency key was sent with a different request (HTTP 409)."""


def request_fingerprint(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _today():
    return timezone.localdate()


def _days_left(case: Case) -> int | None:
    """The days of the running deadline still ahead (0 when it has passed), or None without one."""
    due = case.extended_due_date or case.due_date
    if due is None:
        return None
    today = _today()
    if case.due_day_type == DayType.CALENDAR:
        return max((due - today).days, 0)
    return max(calendar.working_days_between(today, due), 0)


def _set_deadline(case: Case, flow: workflow.Workflow, state: workflow.State, *, resume: bool = False) -> None:
    if state.keeps_clock and case.due_date is not None:
        return  # one clock across the hand-over, overdue or not (State.keeps_clock)
    if state.paused:
        # The clock stops: no due date while the case waits; the days left (and their type) are kept.
        case.due_paused_days = _days_left(case)
        case.due_start = case.due_days = case.due_date = case.extended_due_date = None
        return
    paused_days, paused_type = case.due_paused_days, case.due_day_type
    case.due_paused_days = None
    deadline = flow.deadline_for(state, case)
    if deadline is None or state.final:
        case.due_start = case.due_days = case.due_date = None
        case.due_day_type = ""
        return
    days, day_type = deadline.days, deadline.day_type
    if resume and paused_days is not None:
        days, day_type = paused_days, paused_type or day_type
    case.due_start = _today()
    case.due_days = days
    case.due_day_type = day_type
    # A deadline that had already passed when the clock stopped is due the day the case resumes.
    case.due_date = calendar.add_days(case.due_start, days, day_type) if days else case.due_start
    case.extended_due_date = None


def case_open(
    *,
    kind: str,
    subject: str = "",
    organisation=None,
    handler=None,
    region=None,
    privacy: str = Privacy.PUBLIC,
    user=None,
    role: str = "",
    note: str = "",
    attachments: Iterable[CheckedFile] = (),
    create_details: Callable[[Case], object] | None = None,
    idempotency: tuple[str, str, str] | None = None,
    submitted: bool = True,
) -> Case:
    """Open a case of `kind` in its initial state, with its first event, files and notifications.

    `create_details(case)` creates the service's own one-to-one record in the same transaction.
    `idempotency` is (scope, key, request fingerprint): a repeat returns the first case.
    `submitted=False` opens a draft that only its own organisation sees until an action submits it.
    `role`: the role in which `user` opens it for someone else (a coordinator converting a complaint).
    """
    flow = workflow.get(kind)
    if idempotency:
        existing = _idempotent_case(*idempotency)
        if existing:
            return existing
    try:
        with files_removed_on_error(), transaction.atomic():
            now = timezone.now()
            state = flow.state(flow.initial)
            case = Case(
                tracking_code=new_tracking_code(flow.prefix, timezone.localdate(now).year),
                kind=kind,
                state=state.code,
                subject=subject[:200],
                organisation=organisation,
                handler=handler,
                region=region,
                privacy=privacy,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                submitted_at=now if submitted else None,
                state_entered_at=now,
            )
            _set_deadline(case, flow, state)
            case.save()
            if create_details:
                create_details(case)
            actor = case.created_by
            event = append_event(
                case=case,
                action="open",
                actor=actor,
                actor_role=role or ("" if actor else Party.APPLICANT),
                to_state=state.code,
                note=note,
                public=True,
            )
            for checked in attachments:
                attachment_store(case=case, checked=checked, user=actor, event=event)
            if idempotency:
                scope, key, fingerprint = idempotency
                IdempotencyKey.objects.create(scope=scope, key=key, request_hash=fingerprint, case=case)
            notifications_queue(case=case, event=event, flow=flow, recipients=("applicant", "handler"))
    except IntegrityError:
        # A concurrent request with the same idempotency key won the race: answer with its case.
        if idempotency and (existing := _idempotent_case(*idempotency)):
            return existing
        raise
    return case


def _idempotent_case(scope: str, key: str, fingerprint: str) -> Case | None:
    # Almost every submission is new: look up the key alone, and load its case only for a replay.
    found = IdempotencyKey.objects.filter(scope=scope, key=key).values_list("request_hash", "case_id").first()
    if found is None:
        return None
    request_hash, case_id = found
    if request_hash != fingerprint:
        raise IdempotencyConflict(_("Kunci idempotensi ini sudah dipakai untuk permintaan lain."))
    case = Case.objects.get(pk=case_id)
    case.replayed = True
    return case


def case_apply_action(
    *,
    case: Case,
    action: str,
    user=None,
    party: str | None = None,
    note: str = "",
    data: dict | None = None,
    attachments: Iterable[CheckedFile] = (),
) -> Event:
    """Apply a workflow action to a case as `user` (a staff member) or as a `party` (applicant, system).

    Raises PermissionDenied when none of the actor's roles may take the action, ActionNotAllowed when
    the case's current state does not allow it, ValidationError when required input is missing.
    """
    data = dict(data or {})
    note = (note or "").strip()
    with files_removed_on_error(), transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        flow = workflow.get(locked.kind)
        spec = flow.action(action)
        if spec is None:
            raise ActionNotAllowed(_("Tindakan tidak dikenal: %(action)s.") % {"action": action}, code="unknown_action")
        roles = {party} if party else roles_for_case(user, locked)
        acting_roles = roles.intersection(spec.roles)
        if not acting_roles:
            raise PermissionDenied(_("Peran Anda tidak berwenang melakukan tindakan ini."))
        if locked.state not in spec.source:
            raise ActionNotAllowed(
                _("Tindakan “%(action)s” tidak dapat dilakukan pada status “%(state)s”.")
                % {"action": spec.label, "state": flow.state(locked.state).label}
            )
        errors = {}
        if spec.note_required and not note:
            errors["note"] = [_("Wajib diisi.")]
        for name in spec.needs:
            if data.get(name) in (None, "", []):
                errors[name] = [_("Wajib diisi.")]
        if errors:
            raise ValidationError(errors)
        actor_role = sorted(acting_roles)[0]
        actor = user if getattr(user, "is_authenticated", False) else None
        if spec.effect:
            _run_effect(spec.effect, locked, data, workflow.Actor(user=actor, role=actor_role))
        from_state = locked.state
        now = timezone.now()
        if spec.target and spec.target != from_state:
            target = flow.state(spec.target)
            locked.state = target.code
            locked.state_entered_at = now
            _set_deadline(locked, flow, target, resume=spec.resumes)
            locked.closed_at = now if target.final else None
        locked.save()
        event = append_event(
            case=locked,
            action=spec.code,
            actor=actor,
            actor_role=actor_role,
            from_state=from_state,
            to_state=locked.state,
            note=note,
            public=spec.public,
            data={k: v for k, v in data.items() if k in spec.needs or k in spec.record},
        )
        for checked in attachments:
            attachment_store(case=locked, checked=checked, user=actor, event=event, public=spec.public)
        notifications_queue(case=locked, event=event, flow=flow, recipients=spec.notify)
    # Keep the caller's object current.
    for field in ("state", "submitted_at", "state_entered_at", "due_start", "due_days", "due_day_type", "due_date",
                  "extended_due_date", "due_paused_days", "closed_at", "handler_id", "assignee_id", "last_event_seq",
                  "last_event_hash"):
        setattr(case, field, getattr(locked, field))
    return event


def _run_effect(effect: Callable, case: Case, data: dict, actor: workflow.Actor) -> None:
    # Effects declared as `(case, data)` predate the actor and still work.
    if len(inspect.signature(effect).parameters) > 2:
        effect(case, data, actor)
    else:
        effect(case, data)


def cases_apply_deadline_actions(*, today=None, batch_size: int = 500) -> int:
    """Take, as the system, each state's `on_deadline` action on the open cases whose deadline has passed
    (e.g. an answered complaint closes when the reporter did not reply in time); returns how many.

    Run periodically. Each case goes through the engine on its own, so one that moved meanwhile is skipped.
    """
    today = today or _today()
    applied = 0
    for flow in workflow.all_workflows():
        for state in flow.states:
            if not state.on_deadline:
                continue
            overdue = (
                Case.objects.filter(kind=flow.kind, state=state.code, closed_at=None)
                .filter(Q(extended_due_date__lt=today) | Q(extended_due_date=None, due_date__lt=today))
                .order_by("pk")
            )
            last_pk = 0
            while batch := list(overdue.filter(pk__gt=last_pk)[:batch_size]):
                last_pk = batch[-1].pk
                for case in batch:
                    try:
                        case_apply_action(case=case, action=state.on_deadline, party=Party.SYSTEM)
                    except (ActionNotAllowed, PermissionDenied, ValidationError):
                        continue
                    applied += 1
    return applied
