"""The append-only, hash-chained timeline of a case.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON of the event's own
content, so changing, removing or reordering any stored event breaks every hash after it.
`verify_chain` finds the first broken link; `manage.py verify_events` runs it over all cases.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone

from sibaru.core.models import Case, Event


def _canonical(case: Case, event: Event) -> bytes:
    content = {
        "case": case.tracking_code,
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "note": event.note,
        "public": event.public,
        "data": event.data,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(case: Case, event: Event) -> str:
    return hashlib.sha256(event.prev_hash.encode() + _canonical(case, event)).hexdigest()


def append_event(
    *,
    case: Case,
    action: str,
    actor=None,
    actor_role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = True,
    data: dict | None = None,
) -> Event:
    """Append one event. The caller holds the case row locked (select_for_update) in a transaction."""
    event = Event(
        case=case,
        seq=case.last_event_seq + 1,
        at=timezone.now(),
        actor=actor,
        actor_role=actor_role,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
        data=data or {},
        prev_hash=case.last_event_hash,
    )
    # Round-trip the JSON so the hash is computed over exactly what the database gives back.
    event.data = json.loads(json.dumps(event.data, default=str))
    event.hash = compute_hash(case, event)
    event.save()
    case.last_event_seq = event.seq
    case.last_event_hash = event.hash
    Case.objects.filter(pk=case.pk).update(last_event_seq=event.seq, last_event_hash=event.hash)
    return event


@dataclass
class ChainBreak:
    case: str
    seq: int
    reason: str


def verify_chain(case: Case) -> ChainBreak | None:
    prev_hash = ""
    expected_seq = 1
    for event in case.events.order_by("seq").iterator():
        if event.seq != expected_seq:
            return ChainBreak(case.tracking_code, expected_seq, "missing event")
        if event.prev_hash != prev_hash:
            return ChainBreak(case.tracking_code, event.seq, "previous hash does not match")
        if compute_hash(case, event) != event.hash:
            return ChainBreak(case.tracking_code, event.seq, "content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
    if prev_hash != case.last_event_hash or expected_seq - 1 != case.last_event_seq:
        return ChainBreak(case.tracking_code, expected_seq, "events missing at the end")
    return None
