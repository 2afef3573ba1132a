"""The rules the proposal workflow checks inside the engine's transaction (the actions' effects), and the
reads they share with the services: which requirements apply, which are missing, the budget estimate.
Each effect is called `(case, data, actor)` by the engine (see sibaru.core.workflow.Action)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.models import Organisation
from sibaru.assistance.implementation import hand_over_check
from sibaru.assistance.models import (
    FieldVisit,
    PlanningCheckpoint,
    Proposal,
    ProposalCheckpoint,
    ProposalDocument,
    Quota,
    Requirement,
    UnitAmount,
)
from sibaru.core.services import ActionNotAllowed

DECIDED_STATES = ("decided", "implementation", "handed_over")


def applicable_requirements(proposal: Proposal, kind: str | None = None) -> list[Requirement]:
    requirements = proposal.requirement_set.requirements.all()
    if kind:
        requirements = requirements.filter(kind=kind)
    category = proposal.category.code if proposal.category_id else ""
    type_code = proposal.programme_type.code if proposal.programme_type_id else ""
    return [r for r in requirements if r.applies_to(category_code=category, type_code=type_code)]


def current_documents(proposal: Proposal) -> dict[int, ProposalDocument]:
    return {
        d.requirement_id: d
        for d in proposal.documents.filter(current=True).select_related("requirement", "attachment")
    }


def missing_requirements(proposal: Proposal) -> list[Requirement]:
    """Mandatory administrative documents not uploaded yet: they block submission."""
    uploaded = current_documents(proposal)
    return [
        r for r in applicable_requirements(proposal, Requirement.Kind.ADMINISTRATIVE)
        if r.mandatory and r.pk not in uploaded
    ]


def _raise_missing(missing: list[Requirement]) -> None:
    raise ActionNotAllowed(
        _("Unggah dokumen untuk mengirim usulan: %(count)d dokumen wajib belum ada.") % {"count": len(missing)},
        code="missing_documents",
        details={r.code: [r.title] for r in missing},
    )


# Programmes whose volume is given per target village (BSPS: PK and PB units per village).
TARGET_LOCATION_PROGRAMMES = {"swadaya"}
# Programmes whose proposal names its prospective beneficiaries by name and address (BSPS).
BENEFICIARY_PROGRAMMES = {"swadaya"}
REGION_LEVELS = ("province", "regency", "district", "village")


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a proposal from being sent: `code` is the API's field (a task, or a requirement's
    code for a document), `task` the dossier task that fixes it."""

    code: str
    task: str
    message: str
    requirement_id: int | None = None
    replace: bool = False  # a document the verifier found incomplete (not a missing one)


def location_level(proposal: Proposal) -> str:
    """How precise the proposal's location must be: a kab/kota for BSPS (its villages are the targets)."""
    return "regency" if proposal.programme.code in TARGET_LOCATION_PROGRAMMES else "village"


def submission_problems(proposal: Proposal) -> list[Missing]:
    """Everything the proposal still lacks before it can be sent (or resent after revision), in task order.
    The one list behind the engine's refusal, the API's 409 and the web's check-answers page."""
    problems = []
    if not all([proposal.letter_number, proposal.letter_date, proposal.letter_signatory, proposal.letter_position]):
        problems.append(Missing("letter", "letter", _("Lengkapi surat usulan: nomor, tanggal, penanda tangan dan "
                                                      "jabatannya.")))
    region = proposal.case.region
    level = location_level(proposal)
    if region is None or REGION_LEVELS.index(region.level) < REGION_LEVELS.index(level):
        problems.append(Missing("location", "location", _("Pilih lokasi sampai tingkat kabupaten/kota.")
                                if level == "regency" else _("Pilih lokasi sampai tingkat desa/kelurahan.")))
    if proposal.programme.code in TARGET_LOCATION_PROGRAMMES:
        if not proposal.locations.all():
            problems.append(Missing("volume", "volume", _("Tambahkan desa/kelurahan sasaran beserta jumlah unitnya.")))
    elif not proposal.units:
        problems.append(Missing("volume", "volume", _("Isi volume usulan.")))
    # Prefetched documents when the caller loaded them (the pages); one query otherwise.
    current = {d.requirement_id: d for d in proposal.documents.all() if d.current}
    applicable = applicable_requirements(proposal)
    for requirement in applicable:
        if requirement.kind != Requirement.Kind.ADMINISTRATIVE:
            continue
        document = current.get(requirement.pk)
        if document is None and requirement.mandatory:
            problems.append(Missing(requirement.code, "documents", _("%(title)s: dokumen wajib belum diunggah.")
                                    % {"title": requirement.title}, requirement.pk))
        elif document is not None and document.review == ProposalDocument.Review.INCOMPLETE:
            problems.append(Missing(requirement.code, "documents",
                                    _("%(title)s: ganti dokumen yang tidak lengkap (%(note)s).")
                                    % {"title": requirement.title, "note": document.review_note}, requirement.pk,
                                    replace=True))
    answers = proposal.readiness or {}
    unanswered = [r for r in applicable if r.kind == Requirement.Kind.TECHNICAL and r.code not in answers]
    if unanswered:
        problems.append(Missing("readiness", "readiness", _("Jawab semua kriteria kesiapan teknis: %(count)d belum "
                                                            "dijawab.") % {"count": len(unanswered)}))
    if proposal.programme.code in BENEFICIARY_PROGRAMMES and not proposal.beneficiaries.exists():
        problems.append(Missing("beneficiaries", "beneficiaries",
                                _("Tambahkan calon penerima bantuan (nama dan alamat).")))
    return problems


def _check_sendable(proposal: Proposal) -> None:
    problems = submission_problems(proposal)
    if not problems:
        return
    details = {p.code: [p.message] for p in problems}
    if all(p.task == "documents" for p in problems):
        if missing := [p for p in problems if not p.replace]:
            message = _("Unggah dokumen untuk mengirim usulan: %(count)d dokumen wajib belum ada.") % {
                "count": len(missing)}
            raise ActionNotAllowed(message, code="missing_documents", details=details)
        raise ActionNotAllowed(_("Ganti dulu dokumen yang ditandai tidak lengkap."), code="documents_not_replaced",
                               details=details)
    raise ActionNotAllowed(
        _("Usulan belum dapat dikirim: %(count)d hal belum lengkap.") % {"count": len(problems)},
        code="incomplete_proposal", details=details,
    )


def check_submission(case, data, actor) -> None:
    proposal = case.proposal
    _check_sendable(proposal)
    now = timezone.now()
    case.submitted_at = now
    case.handler = proposal.programme.planning_directorate
    proposal.received_at = now
    proposal.lapses_on = _years_later(timezone.localdate(now), settings.PROPOSAL_VALIDITY_YEARS)
    _start_round(proposal)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _start_round(proposal: Proposal) -> None:
    proposal.submission_round += 1
    proposal.save(update_fields=["submission_round", "received_at", "lapses_on", "updated_at"])
    proposal.documents.filter(current=True, submission_round=0).update(submission_round=proposal.submission_round)


def distribute(case, data, actor) -> None:
    try:
        directorate = Organisation.objects.get(pk=data["directorate"], kind=Organisation.Kind.DIRECTORATE)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"directorate": [_("Direktorat teknis tidak dikenal.")]}) from None
    proposal = case.proposal
    case.handler = directorate
    proposal.agenda_number = str(data["agenda_number"])[:50]
    proposal.disposition = str(data.get("disposition", ""))
    proposal.save(update_fields=["agenda_number", "disposition", "updated_at"])


def _reviews(proposal: Proposal) -> tuple[list[ProposalDocument], list[ProposalDocument]]:
    documents = list(current_documents(proposal).values())
    return (
        [d for d in documents if d.review == ProposalDocument.Review.PENDING],
        [d for d in documents if d.review == ProposalDocument.Review.INCOMPLETE],
    )


def check_documents_complete(case, data, actor) -> None:
    proposal = case.proposal
    if missing := missing_requirements(proposal):
        _raise_missing(missing)
    pending, incomplete = _reviews(proposal)
    if pending or incomplete:
        raise ActionNotAllowed(
            _("Semua dokumen harus diverifikasi lengkap sebelum usulan lolos verifikasi administrasi."),
            code="documents_not_verified",
            details={d.requirement.code: [d.requirement.title] for d in pending + incomplete},
        )


def check_documents_incomplete(case, data, actor) -> None:
    proposal = case.proposal
    pending, incomplete = _reviews(proposal)
    if not incomplete and not missing_requirements(proposal):
        raise ActionNotAllowed(
            _("Tandai dulu dokumen yang tidak lengkap beserta catatannya."), code="nothing_to_revise"
        )


def check_resubmission(case, data, actor) -> None:
    proposal = case.proposal
    _check_sendable(proposal)
    _start_round(proposal)


def check_field_eligible(case, data, actor) -> None:
    proposal = case.proposal
    visits = FieldVisit.objects.filter(proposal=proposal, result=FieldVisit.Result.ELIGIBLE)
    locations = list(proposal.locations.values_list("pk", flat=True))
    if locations:
        visited = set(visits.values_list("location_id", flat=True))
        missing = [pk for pk in locations if pk not in visited]
        if missing:
            raise ActionNotAllowed(
                _("Setiap lokasi perlu hasil verifikasi lapangan yang layak: %(count)d lokasi belum.")
                % {"count": len(missing)},
                code="field_visits_missing",
            )
    elif not visits.exists():
        raise ActionNotAllowed(_("Catat dulu hasil kunjungan lapangan yang layak."), code="field_visits_missing")


def checkpoint_rows(proposal: Proposal) -> list[tuple[PlanningCheckpoint, ProposalCheckpoint | None]]:
    """The programming-cycle checkpoints of the proposal's budget year in order, each with its mark or None."""
    marks = {mark.checkpoint_id: mark for mark in proposal.checkpoints.all()}
    checkpoints = PlanningCheckpoint.objects.filter(budget_year=proposal.budget_year).order_by("order", "pk")
    return [(checkpoint, marks.get(checkpoint.pk)) for checkpoint in checkpoints]


def quota_left(proposal: Proposal) -> int | None:
    quota = Quota.objects.filter(programme_id=proposal.programme_id, budget_year=proposal.budget_year).first()
    if quota is None:
        return None
    used = (
        Proposal.objects.filter(
            programme_id=proposal.programme_id, budget_year=proposal.budget_year, case__state__in=DECIDED_STATES
        ).aggregate(total=Sum("decided_units"))["total"]
        or 0
    )
    return quota.units - used


def decide(case, data, actor) -> None:
    proposal = case.proposal
    try:
        units = int(data["units"])
    except (TypeError, ValueError):
        raise ValidationError({"units": [_("Harus berupa angka.")]}) from None
    if units <= 0:
        raise ValidationError({"units": [_("Paling sedikit 1 unit.")]})
    left = quota_left(proposal)
    if left is None:
        raise ActionNotAllowed(_("Kuota tahun anggaran ini belum ditetapkan."), code="no_quota")
    if units > left:
        raise ActionNotAllowed(
            _("Melebihi kuota: sisa kuota %(left)d unit.") % {"left": left}, code="quota_exceeded"
        )
    proposal.decided_units = units
    proposal.decision_number = str(data["decision_number"])[:100]
    budget = data.get("budget")
    proposal.decided_budget = Decimal(budget) if budget not in (None, "") else estimate_budget(proposal, units)
    proposal.save(update_fields=["decided_units", "decision_number", "decided_budget", "updated_at"])


def hand_over(case, data, actor) -> None:
    proposal = case.proposal
    hand_over_check(proposal)  # every house at the last stage and the BAST recorded (implementation.py)
    proposal.hand_over = Proposal.HandOver.HANDED_OVER
    proposal.save(update_fields=["hand_over", "updated_at"])


def unit_amount(proposal: Proposal, region_class: str, activity: str = "") -> UnitAmount | None:
    amounts = UnitAmount.objects.filter(
        programme_id=proposal.programme_id, budget_year=proposal.budget_year, region_class=region_class
    )
    return amounts.filter(activity=activity).first() or amounts.filter(activity="").first()


def estimate_budget(proposal: Proposal, units: int | None = None) -> Decimal:
    """Units times the unit amount of the budget year; per location and activity for BSPS."""
    locations = list(proposal.locations.all()) if proposal.pk else []
    if locations:
        # The year's amounts read once, whatever the number of villages (the same choice as unit_amount:
        # the amount for the activity, otherwise the one for any activity).
        amounts = {(a.region_class, a.activity): a for a in UnitAmount.objects.filter(
            programme_id=proposal.programme_id, budget_year=proposal.budget_year)}
        total = Decimal(0)
        for location in locations:
            for activity, count in (("PK", location.units_pk), ("PB", location.units_pb)):
                amount = amounts.get((location.region_class, activity)) or amounts.get((location.region_class, ""))
                if amount and count:
                    total += amount.total * count
        if units is None or not proposal.units:
            return total
        # A decision for fewer units than proposed: the same mix of locations and activities, scaled.
        return (total * units / proposal.units).quantize(Decimal(1))
    amount = unit_amount(proposal, UnitAmount.RegionClass.REGULAR)
    return amount.total * (proposal.units if units is None else units) if amount else Decimal(0)
