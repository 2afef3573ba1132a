"""The rules the workflow's actions apply inside the engine's transaction (see workflow.py).

Each function validates the action's `data` and raises ValidationError (a field → messages) or
ActionNotAllowed before anything is kept; the engine rolls back the whole action when one is raised.
Computed values are written back into `data`, so the event records them. Each is called
`(case, data, actor)` by the engine (see sibaru.core.workflow.Action).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.models import Organisation
from sibaru.core import calendar
from sibaru.core.services import ActionNotAllowed
from sibaru.information.models import (
    CatalogueEntry,
    Decision,
    ExemptionGround,
    ExemptPart,
    ObjectionOutcome,
    Obtain,
    Outcome,
)
from sibaru.information.workflow import EXTENSION_DAYS


def assign(case, data, actor):
    try:
        case.handler = Organisation.objects.get(
            pk=data["handler"], kind__in=[Organisation.Kind.DIRECTORATE, Organisation.Kind.WORK_UNIT]
        )
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"handler": [_("Unit tidak dikenal.")]}) from None


def extend(case, data, actor):
    request = case.information_request
    if request.extended_on:
        raise ActionNotAllowed(
            _("Batas waktu permohonan ini sudah pernah diperpanjang; UU 14/2008 Pasal 22 ayat (8) hanya "
              "membolehkan satu kali perpanjangan."),
            code="already_extended",
        )
    case.extended_due_date = calendar.add_working_days(case.due_date, EXTENSION_DAYS)
    request.extended_on = timezone.localdate()
    request.save(update_fields=["extended_on"])
    data["extended_due_date"] = case.extended_due_date.isoformat()


def copy_fee(pages: int, medium: str) -> int:
    return pages * settings.INFORMATION_COPY_FEES.get(medium, 0)


def _int(value, field: str, errors: dict) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        errors.setdefault(field, []).append(_("Isi dengan bilangan bulat 0 atau lebih."))
        return 0
    return number


def _exempt_parts(raw, errors: dict) -> list[ExemptPart]:
    grounds = {g.code: g for g in ExemptionGround.objects.filter(active=True)}
    parts = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        item = item if isinstance(item, dict) else {}
        description = str(item.get("description") or "").strip()
        consequence = str(item.get("consequence") or "").strip()
        ground = grounds.get(str(item.get("ground") or ""))
        if not (description or consequence or item.get("ground")):
            continue  # an empty row of the form
        prefix = f"exempt_parts.{index}"
        if not description:
            errors.setdefault(f"{prefix}.description", []).append(_("Sebutkan informasi yang dikecualikan."))
        if ground is None:
            errors.setdefault(f"{prefix}.ground", []).append(_("Pilih dasar pengecualian Pasal 17."))
        if not consequence:
            errors.setdefault(f"{prefix}.consequence", []).append(
                _("Catat uji konsekuensi: akibat yang timbul bila informasi ini dibuka.")
            )
        until = item.get("until") or None
        parts.append(ExemptPart(description=description, ground=ground, consequence=consequence, until=until))
    return parts


def answer(case, data, actor):
    """The written notice (Pasal 22(7)): validated whole, then kept with its exempt parts."""
    request = case.information_request
    errors: dict[str, list[str]] = {}
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Pilih keputusan.")]})
    parts = _exempt_parts(data.get("exempt_parts"), errors)
    if outcome in (Outcome.PARTLY_GRANTED, Outcome.REFUSED) and not parts and not errors:
        errors["exempt_parts"] = [
            _("Sebutkan bagian yang dikecualikan dengan dasar Pasal 17 dan uji konsekuensinya.")
            if outcome == Outcome.PARTLY_GRANTED
            else _("Penolakan wajib menyebut dasar pengecualian Pasal 17 dan uji konsekuensinya.")
        ]
    if parts and outcome not in (Outcome.PARTLY_GRANTED, Outcome.REFUSED):
        errors["exempt_parts"] = [_("Bagian yang dikecualikan hanya untuk keputusan diberikan sebagian atau ditolak.")]
    entry = None
    if outcome == Outcome.ALREADY_PUBLIC:
        entry = CatalogueEntry.objects.filter(pk=_int(data.get("catalogue_entry"), "catalogue_entry", errors),
                                              published=True).exclude(info_class="exempt").first()
        if entry is None:
            errors.setdefault("catalogue_entry", []).append(_("Pilih entri Daftar Informasi Publik yang terbuka."))
    pages = _int(data.get("copy_pages"), "copy_pages", errors)
    medium = str(data.get("copy_medium") or "")
    if pages:
        if request.obtain == Obtain.VIEW:
            errors.setdefault("copy_pages", []).append(
                _("Biaya hanya boleh dikenakan untuk salinan; pemohon ini hanya ingin melihat informasinya.")
            )
        elif outcome not in (Outcome.GRANTED, Outcome.PARTLY_GRANTED):
            errors.setdefault("copy_pages", []).append(_("Biaya hanya untuk informasi yang diberikan."))
        if medium not in settings.INFORMATION_COPY_FEES:
            errors.setdefault("copy_medium", []).append(_("Pilih media salinan."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    decision = Decision.objects.create(
        request=request,
        outcome=outcome,
        material=str(data.get("material") or "").strip(),
        holder=str(data.get("holder") or "").strip() if outcome == Outcome.NOT_HELD else "",
        catalogue_entry=entry,
        decided_at=now,
        days_taken=max(calendar.working_days_between(request.received_on, timezone.localdate(now)), 0),
        copy_pages=pages,
        copy_medium=medium if pages else "",
        fee=copy_fee(pages, medium),
    )
    for part in parts:
        part.decision = decision
    ExemptPart.objects.bulk_create(parts)
    data["fee"] = decision.fee
    if entry is not None:
        data["catalogue_entry"] = entry.pk


def decide_objection(case, data, actor):
    objection = case.information_objection
    if data.get("outcome") not in ObjectionOutcome.values:
        raise ValidationError({"outcome": [_("Pilih keputusan atasan PPID.")]})
    objection.outcome = data["outcome"]
    objection.response = str(data["response"]).strip()
    objection.decided_at = timezone.now()
    objection.save(update_fields=["outcome", "response", "decided_at"])
