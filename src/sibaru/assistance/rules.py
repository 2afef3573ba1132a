"""The rules the proposal workflow checks inside the engine's transaction (the actions' effects), and the
reads they share with the services: which requirements apply, which are missing, the budget estimate."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.models import Organisation
from sibaru.assistance.models import FieldVisit, Proposal, ProposalDocument, Quota, Requirement, UnitAmount
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


def check_submission(case, data) -> None:
    proposal = case.proposal
    if missing := missing_requirements(proposal):
        _raise_missing(missing)
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


def distribute(case, data) -> None:
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


def check_documents_complete(case, data) -> None:
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


def check_documents_incomplete(case, data) -> None:
    proposal = case.proposal
    pending, incomplete = _reviews(proposal)
    if not incomplete and not missing_requirements(proposal):
        raise ActionNotAllowed(
            _("Tandai dulu dokumen yang tidak lengkap beserta catatannya."), code="nothing_to_revise"
        )


def check_resubmission(case, data) -> None:
    proposal = case.proposal
    if missing := missing_requirements(proposal):
        _raise_missing(missing)
    pending, incomplete = _reviews(proposal)
    if incomplete:
        raise ActionNotAllowed(
            _("Ganti dulu dokumen yang ditandai tidak lengkap."),
            code="documents_not_replaced",
            details={d.requirement.code: [d.review_note or d.requirement.title] for d in incomplete},
        )
    _start_round(proposal)


def check_field_eligible(case, data) -> None:
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


def decide(case, data) -> None:
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


def hand_over(case, data) -> None:
    proposal = case.proposal
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
        total = Decimal(0)
        for location in locations:
            for activity, count in (("PK", location.units_pk), ("PB", location.units_pb)):
                amount = unit_amount(proposal, location.region_class, activity)
                if amount and count:
                    total += amount.total * count
        if units is None or not proposal.units:
            return total
        # A decision for fewer units than proposed: the same mix of locations and activities, scaled.
        return (total * units / proposal.units).quantize(Decimal(1))
    amount = unit_amount(proposal, UnitAmount.RegionClass.REGULAR)
    return amount.total * (proposal.units if units is None else units) if amount else Decimal(0)
