"""Reads of Informasi Publik: each request's deadlines with their explanation, the objection window, the
public information list, the registers and the PPID report."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sibaru.core import calendar, workflow
from sibaru.core.models import DayType, Event
from sibaru.information.models import (
    CatalogueEntry,
    Decision,
    ExemptPart,
    InfoClass,
    InformationRequest,
    Objection,
    ObjectionOutcome,
    Outcome,
)
from sibaru.information.workflow import ANSWER_DAYS, DISPUTE_DAYS, EXTENSION_DAYS, OBJECTION_DAYS


@dataclass
class Deadline:
    label: str
    due: date
    explanation: str


@dataclass
class Clock:
    status: str  # "answered", "on_time", "overdue", "very_overdue"
    status_label: str
    deadlines: list[Deadline]
    effective_due: date


def _deadline(label, start: date, days: int) -> Deadline:
    return Deadline(label, calendar.add_working_days(start, days), calendar.explain_due(start, days, DayType.WORKING))


def request_clock(request: InformationRequest, *, today: date | None = None) -> Clock:
    """The request's deadlines counted from receipt as the law counts them (not from the case's last move)."""
    today = today or timezone.localdate()
    answer = _deadline(_("Pemberitahuan tertulis (Pasal 22 ayat 7)"), request.received_on, ANSWER_DAYS)
    deadlines = [answer]
    effective = answer.due
    if request.extended_on:
        extension = _deadline(_("Perpanjangan satu kali (Pasal 22 ayat 8)"), answer.due, EXTENSION_DAYS)
        deadlines.append(extension)
        effective = extension.due
    if _has_decision(request):
        status, label = "answered", _("Sudah dijawab")
        decision = request.decision
        if timezone.localdate(decision.decided_at) > effective:
            label = _("Dijawab terlambat")
    elif today <= effective:
        status, label = "on_time", _("Dalam batas waktu")
    elif calendar.working_days_between(effective, today) > settings.INFORMATION_VERY_OVERDUE_DAYS:
        status, label = "very_overdue", _("Sangat terlambat")
    else:
        status, label = "overdue", _("Terlambat")
    window = objection_window(request, today=today)
    if window:
        deadlines.append(Deadline(_("Pengajuan keberatan (Pasal 36 ayat 1)"), window.last_day, window.explanation))
    return Clock(status=status, status_label=label, deadlines=deadlines, effective_due=effective)


def _has_decision(request: InformationRequest) -> bool:
    try:
        return request.decision is not None
    except Decision.DoesNotExist:
        return False


@dataclass
class ObjectionWindow:
    arose_on: date
    last_day: date
    explanation: str


def objection_window(request: InformationRequest, *, today: date | None = None) -> ObjectionWindow | None:
    """When the ground of an objection arose and the last day to file it; None while no ground exists yet.

    The ground arises with the written notice, or, when none came, the day the answer was due."""
    today = today or timezone.localdate()
    if _has_decision(request):
        arose = timezone.localdate(request.decision.decided_at)
    else:
        due = calendar.add_working_days(request.received_on, ANSWER_DAYS)
        if request.extended_on:
            due = calendar.add_working_days(due, EXTENSION_DAYS)
        if today <= due:
            return None
        arose = due
    last = calendar.add_working_days(arose, OBJECTION_DAYS)
    return ObjectionWindow(arose, last, calendar.explain_due(arose, OBJECTION_DAYS, DayType.WORKING))


def objection_deadlines(objection: Objection) -> list[Deadline]:
    deadlines = [_deadline(_("Tanggapan atasan PPID (Pasal 36 ayat 2)"), objection.received_on, OBJECTION_DAYS)]
    if objection.decided_at:
        deadlines.append(_deadline(_("Pengajuan sengketa ke Komisi Informasi (Pasal 37 ayat 2)"),
                                   timezone.localdate(objection.decided_at), DISPUTE_DAYS))
    return deadlines


# Events that are not workflow actions, written by services.py.
_EVENT_LABELS = {"open": _("Permohonan diterima"), "objection_filed": _("Keberatan diajukan"),
                 "fee_paid": _("Biaya salinan dibayar")}


def public_events(case) -> list[Event]:
    """The case's public timeline, each event with a label saying what happened."""
    flow = workflow.get(case.kind)
    events = list(Event.objects.filter(case_id=case.pk, public=True).only("at", "action", "note", "to_state")
                  .order_by("seq"))
    for event in events:
        spec = flow.action(event.action)
        event.label = spec.label if spec else _EVENT_LABELS.get(event.action, event.action)
    return events


# --- The public information list ---------------------------------------------------------------------------


def catalogue_search(*, q: str = "", info_class: str = "") -> list[CatalogueEntry]:
    entries = CatalogueEntry.objects.filter(published=True).select_related("unit", "exemption_ground")
    if info_class:
        entries = entries.filter(info_class=info_class)
    for word in q.split()[:8]:
        entries = entries.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return list(entries.order_by("info_class", "title")[:200])


def catalogue_suggestions(text: str, *, limit: int = 5) -> list[CatalogueEntry]:
    """Open entries that share a meaningful word with what the requester asks for, best match first."""
    words = [w for w in dict.fromkeys(re.findall(r"\w{5,}", (text or "").lower()))][:10]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word)
    entries = list(CatalogueEntry.objects.filter(condition, published=True).exclude(info_class=InfoClass.EXEMPT)
                   .select_related("unit")[:50])
    entries.sort(key=lambda e: -sum(w in e.title.lower() for w in words))
    return entries[:limit]


# --- Registers and the report ------------------------------------------------------------------------------


@dataclass
class Period:
    year: int
    semester: int | None  # None: the whole year

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.semester == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.semester == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.semester:
            return _("Semester %(s)s tahun %(y)s") % {"s": "I" if self.semester == 1 else "II", "y": self.year}
        return _("Tahun %(y)s") % {"y": self.year}


def request_register(period: Period) -> list[InformationRequest]:
    return list(
        InformationRequest.objects.filter(received_on__range=(period.start, period.end))
        .select_related("case", "decision", "decision__catalogue_entry")
        .prefetch_related("decision__exempt_parts__ground")
        .order_by("received_on", "registration_number")
    )


def objection_register(period: Period) -> list[Objection]:
    decided = Event.objects.filter(action="decide").select_related("actor")
    return list(
        Objection.objects.filter(received_on__range=(period.start, period.end))
        .select_related("case", "request", "ground")
        .prefetch_related(Prefetch("case__events", queryset=decided, to_attr="decide_events"))
        .order_by("received_on", "registration_number")
    )


@dataclass
class Report:
    period: Period
    received: int
    answered: int
    open: int
    by_outcome: list[tuple[str, int]]
    refusal_grounds: list[tuple[str, int]]
    average_days: float | None
    within_10: int
    within_17: int
    late: int
    objections: int
    objections_by_outcome: list[tuple[str, int]]
    objections_open: int


def ppid_report(period: Period) -> Report:
    """Rincian pelayanan informasi (Perki 1/2021 Pasal 56): requests, time taken, outcomes, grounds of
    refusal, objections and their outcomes, for the requests received in the period."""
    requests = InformationRequest.objects.filter(received_on__range=(period.start, period.end))
    decisions = Decision.objects.filter(request__in=requests)
    outcome_counts = dict(decisions.values_list("outcome").annotate(n=Count("pk")))
    days = list(decisions.values_list("days_taken", flat=True))
    grounds = (
        ExemptPart.objects.filter(decision__in=decisions)
        .values_list("ground__code").annotate(n=Count("decision", distinct=True)).order_by("ground__code")
    )
    objections = Objection.objects.filter(received_on__range=(period.start, period.end))
    objection_counts = dict(objections.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")))
    received = requests.count()
    return Report(
        period=period,
        received=received,
        answered=len(days),
        open=received - len(days),
        by_outcome=[(label, outcome_counts.get(value, 0)) for value, label in Outcome.choices],
        refusal_grounds=[(code, n) for code, n in grounds],
        average_days=round(sum(days) / len(days), 1) if days else None,
        within_10=sum(d <= ANSWER_DAYS for d in days),
        within_17=sum(ANSWER_DAYS < d <= ANSWER_DAYS + EXTENSION_DAYS for d in days),
        late=sum(d > ANSWER_DAYS + EXTENSION_DAYS for d in days),
        objections=objections.count(),
        objections_by_outcome=[(label, objection_counts.get(v, 0)) for v, label in ObjectionOutcome.choices],
        objections_open=objections.filter(outcome="").count(),
    )
