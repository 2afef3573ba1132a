"""Implementation monitoring after the decision, and the gate before the asset hand-over.

What SIM BSPS / e-Monitoring recorded apart from SIBARU (shared/reference/housing.md §3.4, §5.4): the
beneficiary decree (SK penetapan penerima), the beneficiary groups (KPB), the field facilitators (TFL), the
material suppliers and the groups' purchase plan (RAB / DRPB2), the payment tranches, the progress of each
house in stages with a photo from the same angle, and the asset hand-over (BMN) steps up to the BAST.

Who writes what (housing.md: the SK is signed by the PPK of the Balai, which also pays the tranches and
supervises the TFL; the TFL uploads the progress photos [M]):
- the verifier of the case (the technical directorate or the region's Balai) records everything;
- the proposer's operator (the pemda, whose dinas works with the TFL) may also report progress;
- only while the proposal is decided or in implementation.

A "house" is a BSPS beneficiary named in an SK; for a proposal without beneficiaries (Rusun, Rusus, PSU) it
is a unit the reporter names ("Tower A", "Blok 3"). Every write is one transaction under the case lock and
records one internal event on the case (no personal data in it).

Corrections follow the same role and state rules as the record they correct. The SK, KPB, TFL, suppliers
and plan lines are edited or deleted; tranches, progress reports and hand-over steps are money and evidence,
so they are voided with a reason instead: the row leaves the live figures, and its content, the reason and
who voided it stay in the case's hash-chained timeline (listed on the page as "Dibatalkan"). Files are
never deleted: each stays an attachment of the event that stored it, so a replaced SK scan or a voided
proof of transfer remains a readable version and a rollback leaves nothing to clean up but new files
(files_removed_on_error).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.roles import Role
from sibaru.assistance.forms import LATITUDE_RANGE, LONGITUDE_RANGE
from sibaru.assistance.models import (
    Beneficiary,
    BeneficiaryDecree,
    BeneficiaryGroup,
    Facilitator,
    HandOverStep,
    PaymentTranche,
    ProgressReport,
    Proposal,
    ProposalLocation,
    PurchasePlanLine,
    Supplier,
)
from sibaru.core.attachments import CheckedFile, attachment_store, files_removed_on_error
from sibaru.core.events import append_event
from sibaru.core.models import Attachment, Case, Event
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed

OPEN_STATES = ("decided", "implementation")
RECORDER_ROLES = (Role.VERIFIER,)
REPORTER_ROLES = (Role.VERIFIER, Role.PROPOSER_OPERATOR)
# Beneficiary names, TFL phone numbers and house photos: the roles that work with them.
PERSONAL_ROLES = frozenset({Role.VERIFIER, Role.PROPOSER_OPERATOR, Role.ADMINISTRATOR})
HandOver = Proposal.HandOver
# The order of the BMN steps; the last one (handed over) is the workflow's hand_over action, not a record.
HAND_OVER_ORDER = [value for value, _label in HandOver.choices]
RECORDABLE_STEPS = [value for value in HAND_OVER_ORDER if value not in (HandOver.NOT_SUBMITTED, HandOver.HANDED_OVER)]
BAST = HandOver.DECREE_ISSUED


def progress_stages() -> list[int]:
    """The configured stages in percent, ascending (ASSISTANCE_PROGRESS_STAGES, default 0, 50, 100)."""
    try:
        stages = sorted({int(value) for value in settings.ASSISTANCE_PROGRESS_STAGES})
    except ValueError:
        raise ImproperlyConfigured("ASSISTANCE_PROGRESS_STAGES must be whole percentages, e.g. 0,50,100") from None
    if not stages or stages[0] < 0 or stages[-1] != 100:
        raise ImproperlyConfigured("ASSISTANCE_PROGRESS_STAGES must lie in 0..100 and end at 100")
    return stages


# --- Writes ------------------------------------------------------------------------------------------------


def _begin(proposal: Proposal, user, roles: tuple[str, ...]) -> tuple[Case, str]:
    """Lock the case; check the role, then the state. Call inside the transaction."""
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    held = roles_for_case(user, case).intersection(roles)
    if not held:
        raise PermissionDenied(_("Peran Anda tidak berwenang mencatat pelaksanaan usulan ini."))
    if case.state not in OPEN_STATES:
        raise ActionNotAllowed(
            _("Pelaksanaan dicatat setelah usulan ditetapkan dan sebelum serah terima."), code="not_in_implementation"
        )
    return case, sorted(held)[0]


def _event(case: Case, user, role: str, action: str, data: dict, note: str = ""):
    return append_event(case=case, action=action, actor=user, actor_role=role, from_state=case.state,
                        to_state=case.state, note=note, public=False, data=data)


def _not_future(value: date, field_name: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field_name: [_("Tanggal tidak boleh di masa depan.")]})


def uses_beneficiaries(proposal: Proposal) -> bool:
    return Beneficiary.objects.filter(proposal_id=proposal.pk).exists()


def _own(proposal: Proposal, objects, field_name: str, message: str) -> list:
    objects = list(objects)
    if any(obj.proposal_id != proposal.pk for obj in objects):
        raise ValidationError({field_name: [message]})
    return objects


def decree_record(*, proposal: Proposal, user, number: str, date: date, signatory: str, checked: CheckedFile,
                  beneficiaries=()) -> BeneficiaryDecree:
    """The SK penetapan penerima with its scanned file; for BSPS it names the beneficiaries (each in one SK)."""
    number, signatory = _decree_fields(number, signatory, date)
    named = _own(proposal, beneficiaries, "beneficiaries", _("Penerima ini bukan bagian dari usulan."))
    with files_removed_on_error(), transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        _decree_check(proposal, None, number, named)
        event = _event(case, user, role, "decree_recorded", {"number": number, "beneficiaries": len(named)})
        attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        decree = BeneficiaryDecree.objects.create(proposal=proposal, number=number, date=date, signatory=signatory,
                                                  attachment=attachment, recorded_by=user)
        decree.beneficiaries.set(named)
    return decree


def _decree_fields(number: str, signatory: str, date: date) -> tuple[str, str]:
    number, signatory = number.strip(), signatory.strip()
    errors = {}
    if not number:
        errors["number"] = [_("Tulis nomor SK.")]
    if not signatory:
        errors["signatory"] = [_("Tulis nama pejabat penanda tangan SK.")]
    if errors:
        raise ValidationError(errors)
    _not_future(date, "date")
    return number, signatory


def _decree_check(proposal: Proposal, decree: BeneficiaryDecree | None, number: str, named: list) -> None:
    """The number is new and each named beneficiary is in no other SK (decree: the one being edited)."""
    if not named and uses_beneficiaries(proposal):
        raise ValidationError({"beneficiaries": [_("Pilih penerima yang ditetapkan dalam SK ini.")]})
    others = proposal.decrees.exclude(pk=decree.pk) if decree else proposal.decrees.all()
    if others.filter(number=number).exists():
        raise ValidationError({"number": [_("SK dengan nomor ini sudah dicatat.")]})
    already = BeneficiaryDecree.beneficiaries.through.objects.filter(
        beneficiary_id__in=[b.pk for b in named], beneficiarydecree__in=others).count()
    if already:
        raise ValidationError({"beneficiaries": [
            _("%(count)d penerima sudah ditetapkan dalam SK lain.") % {"count": already}]})


def _decreed(proposal: Proposal):
    return Beneficiary.objects.filter(proposal_id=proposal.pk, decrees__isnull=False).distinct()


def group_create(*, proposal: Proposal, user, name: str, chair: Beneficiary, members) -> BeneficiaryGroup:
    """A KPB of beneficiaries named in an SK, none of them in another group; the chair is a member."""
    name, members = _group_fields(proposal, name, chair, members)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        ids = _group_check(proposal, None, name, members)
        group = BeneficiaryGroup.objects.create(proposal=proposal, name=name, chair=chair)
        group.members.set(members)
        _event(case, user, role, "group_created", {"group": group.pk, "members": len(ids)})
    return group


def _group_fields(proposal: Proposal, name: str, chair, members) -> tuple[str, list]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Tulis nama KPB.")]})
    members = _own(proposal, members, "members", _("Penerima ini bukan bagian dari usulan."))
    if not members:
        raise ValidationError({"members": [_("Pilih anggota KPB.")]})
    if chair is None or chair.pk not in {m.pk for m in members}:
        raise ValidationError({"chair": [_("Ketua harus salah satu anggota KPB.")]})
    return name, members


def _group_check(proposal: Proposal, group: BeneficiaryGroup | None, name: str, members: list) -> list[int]:
    """The name is new and the members are decreed and in no other KPB (group: the one being edited)."""
    others = proposal.groups.exclude(pk=group.pk) if group else proposal.groups.all()
    if others.filter(name=name).exists():
        raise ValidationError({"name": [_("KPB dengan nama ini sudah ada.")]})
    ids = [m.pk for m in members]
    if _decreed(proposal).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"members": [_("Anggota KPB harus penerima yang sudah ditetapkan dalam SK.")]})
    taken = BeneficiaryGroup.members.through.objects.filter(beneficiary_id__in=ids, beneficiarygroup__in=others).count()
    if taken:
        raise ValidationError({"members": [_("%(count)d anggota sudah tergabung di KPB lain.") % {"count": taken}]})
    return ids


def facilitator_add(*, proposal: Proposal, user, name: str, phone: str, email: str = "", groups=(),
                    locations=()) -> Facilitator:
    """A TFL with the KPB and target villages they assist."""
    name, phone, groups, locations = _facilitator_fields(proposal, name, phone, groups, locations)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        facilitator = Facilitator.objects.create(proposal=proposal, name=name, phone=phone, email=email.strip())
        facilitator.groups.set(groups)
        facilitator.locations.set(locations)
        _event(case, user, role, "facilitator_added",
               {"facilitator": facilitator.pk, "groups": len(groups), "locations": len(locations)})
    return facilitator


def _facilitator_fields(proposal: Proposal, name: str, phone: str, groups, locations) -> tuple:
    name, phone = name.strip(), phone.strip()
    errors = {}
    if not name:
        errors["name"] = [_("Tulis nama TFL.")]
    if not phone:
        errors["phone"] = [_("Tulis nomor telepon TFL.")]
    if errors:
        raise ValidationError(errors)
    groups = _own(proposal, groups, "groups", _("KPB ini bukan bagian dari usulan."))
    locations = _own(proposal, locations, "locations", _("Desa ini bukan lokasi usulan."))
    return name, phone, groups, locations


def supplier_add(*, proposal: Proposal, user, name: str, registration: str, address: str) -> Supplier:
    """A material supplier with its NPWP (15 or 16 digits) or NIB (13 digits)."""
    digits = _supplier_fields(name, registration, address)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        if proposal.suppliers.filter(registration=digits).exists():
            raise ValidationError({"registration": [_("Penyedia dengan nomor ini sudah dicatat.")]})
        supplier = Supplier.objects.create(proposal=proposal, name=name.strip(), registration=digits,
                                           address=address.strip())
        _event(case, user, role, "supplier_added", {"supplier": supplier.pk})
    return supplier


def _supplier_fields(name: str, registration: str, address: str) -> str:
    """Check the fields; the registration's digits."""
    digits = "".join(ch for ch in registration if ch.isdigit())
    errors = {}
    if not name.strip():
        errors["name"] = [_("Tulis nama toko atau penyedia.")]
    if not re.fullmatch(r"[\d.\- ]+", registration) or len(digits) not in (13, 15, 16):
        errors["registration"] = [_("NPWP terdiri atas 15 atau 16 angka, NIB 13 angka.")]
    if not address.strip():
        errors["address"] = [_("Tulis alamat penyedia.")]
    if errors:
        raise ValidationError(errors)
    return digits


def purchase_line_add(*, proposal: Proposal, user, item: str, quantity: Decimal, unit: str, unit_price: Decimal,
                      supplier: Supplier, group: BeneficiaryGroup | None = None) -> PurchasePlanLine:
    """One line of the material purchase plan (RAB / DRPB2), of a KPB when the proposal has groups."""
    _line_fields(proposal, item, quantity, unit, unit_price, supplier, group)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        line = PurchasePlanLine.objects.create(proposal=proposal, group=group, item=item.strip(), quantity=quantity,
                                               unit=unit.strip(), unit_price=unit_price, supplier=supplier)
        _event(case, user, role, "purchase_line_added",
               {"line": line.pk, "group": group.pk if group else None, "total": line.total})
    return line


def _line_fields(proposal: Proposal, item: str, quantity, unit: str, unit_price, supplier, group) -> None:
    errors = {}
    if not item.strip():
        errors["item"] = [_("Tulis nama bahan.")]
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("Jumlah harus lebih dari 0.")]
    if not unit.strip():
        errors["unit"] = [_("Tulis satuannya, misalnya sak atau m³.")]
    if unit_price is None or unit_price < 0:
        errors["unit_price"] = [_("Harga satuan tidak boleh negatif.")]
    if supplier is None:
        errors["supplier"] = [_("Pilih penyedia bahan.")]
    if errors:
        raise ValidationError(errors)
    _own(proposal, [supplier], "supplier", _("Penyedia ini bukan bagian dari usulan."))
    if group is not None:
        _own(proposal, [group], "group", _("KPB ini bukan bagian dari usulan."))


def tranche_record(*, proposal: Proposal, user, percentage: Decimal, amount: Decimal, paid_on: date,
                   checked: CheckedFile, supplier: Supplier | None = None) -> PaymentTranche:
    """The next tranche with its proof of transfer; all tranches together stay within 100 % and the budget."""
    if percentage is None or not 0 < percentage <= 100:
        raise ValidationError({"percentage": [_("Persentase antara 0 dan 100.")]})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Jumlah harus lebih dari 0.")]})
    _not_future(paid_on, "paid_on")
    if supplier is not None:
        _own(proposal, [supplier], "supplier", _("Penyedia ini bukan bagian dari usulan."))
    with files_removed_on_error(), transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        paid = proposal.tranches.aggregate(percentage=Sum("percentage"), amount=Sum("amount"), last=Max("number"))
        paid_percentage, paid_amount = paid["percentage"] or 0, paid["amount"] or 0
        if paid_percentage + percentage > 100:
            raise ValidationError({"percentage": [
                _("Melebihi 100 %%: sudah disalurkan %(paid)s %%.") % {"paid": _number(paid_percentage)}]})
        budget = proposal.decided_budget
        if budget is not None and paid_amount + amount > budget:
            raise ValidationError({"amount": [
                _("Melebihi anggaran yang ditetapkan: sisa Rp%(left)s.") % {"left": _number(budget - paid_amount)}]})
        # After a void the numbers keep counting from the highest one left, so no number is given twice at once.
        number = (paid["last"] or 0) + 1
        event = _event(case, user, role, "tranche_recorded",
                       {"number": number, "percentage": percentage, "amount": amount})
        attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        tranche = PaymentTranche.objects.create(proposal=proposal, number=number, percentage=percentage,
                                                amount=amount, paid_on=paid_on, supplier=supplier,
                                                attachment=attachment, recorded_by=user)
    return tranche


def _number(value) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value.normalize() if isinstance(value, Decimal) else value)


def progress_report(*, proposal: Proposal, user, stage: int, checked: CheckedFile, taken_on: date,
                    beneficiary: Beneficiary | None = None, unit: str = "", latitude=None, longitude=None,
                    note: str = "") -> ProgressReport:
    """A house reaching a stage, with its photo; the stages are reported in order, each once."""
    stages = progress_stages()
    if stage not in stages:
        raise ValidationError({"stage": [_("Tahap tidak dikenal. Pilihan: %(stages)s.")
                                         % {"stage": stage, "stages": ", ".join(f"{s} %" for s in stages)}]})
    _not_future(taken_on, "taken_on")
    if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        raise ValidationError({"latitude": [_("Lintang di Indonesia antara -11,5 dan 6,5.")]})
    if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        raise ValidationError({"longitude": [_("Bujur di Indonesia antara 94,5 dan 141,5.")]})
    unit = unit.strip()
    with files_removed_on_error(), transaction.atomic():
        case, role = _begin(proposal, user, REPORTER_ROLES)
        if uses_beneficiaries(proposal):
            if beneficiary is None or beneficiary.proposal_id != proposal.pk:
                raise ValidationError({"beneficiary": [_("Pilih rumah penerima yang dilaporkan.")]})
            if not beneficiary.decrees.exists():
                raise ValidationError({"beneficiary": [_("Penerima ini belum ditetapkan dalam SK.")]})
            unit = ""
            reports = proposal.progress_reports.filter(beneficiary=beneficiary, unit="")
        else:
            if not unit:
                raise ValidationError({"unit": [_("Tulis nama unit atau bangunan yang dilaporkan.")]})
            beneficiary = None
            reports = proposal.progress_reports.filter(unit=unit)
        reached = set(reports.values_list("stage", flat=True))
        if stage in reached:
            raise ValidationError({"stage": [_("Tahap %(stage)d %% untuk rumah ini sudah dilaporkan.")
                                             % {"stage": stage}]})
        earlier = [s for s in stages if s < stage and s not in reached]
        if earlier:
            raise ValidationError({"stage": [_("Laporkan dulu tahap %(stage)d %%.") % {"stage": earlier[0]}]})
        event = _event(case, user, role, "progress_reported",
                       {"beneficiary": beneficiary.pk if beneficiary else None, "unit": unit, "stage": stage},
                       note=note.strip())
        attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        report = ProgressReport.objects.create(
            proposal=proposal, beneficiary=beneficiary, unit=unit, stage=stage, attachment=attachment,
            latitude=latitude, longitude=longitude, taken_on=taken_on, note=note.strip()[:500], reported_by=user,
        )
    return report


def hand_over_step_record(*, proposal: Proposal, user, status: str, date: date, document_number: str = "",
                          checked: CheckedFile | None = None, note: str = "") -> HandOverStep:
    """A step of the asset hand-over, never backwards; the BAST step needs its number and signed file."""
    if status not in RECORDABLE_STEPS:
        raise ValidationError({"status": [_("Pilih langkah serah terima.")]})
    _not_future(date, "date")
    document_number = document_number.strip()
    if status == BAST:
        errors = {}
        if not document_number:
            errors["document_number"] = [_("Tulis nomor BAST.")]
        if checked is None:
            errors["file"] = [_("Unggah BAST yang sudah ditandatangani.")]
        if errors:
            raise ValidationError(errors)
    with files_removed_on_error(), transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if HAND_OVER_ORDER.index(status) < HAND_OVER_ORDER.index(current.hand_over):
            raise ValidationError({"status": [_("Serah terima sudah sampai langkah “%(step)s”.")
                                              % {"step": current.get_hand_over_display()}]})
        event = _event(case, user, role, "hand_over_step", {"status": status, "document_number": document_number},
                       note=note.strip())
        attachment = attachment_store(case=case, checked=checked, user=user, event=event) if checked else None
        step = HandOverStep.objects.create(proposal=proposal, status=status, document_number=document_number,
                                           date=date, attachment=attachment, note=note.strip()[:500],
                                           recorded_by=user)
        current.hand_over = status
        current.save(update_fields=["hand_over", "updated_at"])
        proposal.hand_over = status
    return step


# --- Corrections -------------------------------------------------------------------------------------------
# Each one locks the case, then re-reads its record under the lock (a concurrent correction may have removed it).

VOID_ACTIONS = ("tranche_voided", "progress_voided", "hand_over_step_voided")
# The events that store an implementation file; every version stays readable from the page.
FILE_ACTIONS = ("decree_recorded", "decree_updated", "tranche_recorded", "progress_reported", "hand_over_step")


def _current(model, record):
    found = model.objects.select_for_update(of=("self",)).filter(pk=record.pk, proposal_id=record.proposal_id).first()
    if found is None:
        raise ValidationError(_("Catatan ini sudah dihapus atau dibatalkan."))
    return found


def _apply(record, values: dict) -> list[str]:
    """Set the values on the record; the names of those that changed (for the event, never the values)."""
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Tulis alasan pembatalan.")]})
    return reason[:500]


def _blocked_beneficiaries(proposal: Proposal, ids) -> str | None:
    """Why these beneficiaries cannot leave their SK: a KPB or a progress report names them."""
    if BeneficiaryGroup.members.through.objects.filter(beneficiary_id__in=ids,
                                                       beneficiarygroup__proposal_id=proposal.pk).exists():
        return _("Penerima yang sudah tergabung di KPB tidak dapat dikeluarkan dari SK; ubah KPB-nya dulu.")
    if proposal.progress_reports.filter(beneficiary_id__in=ids).exists():
        return _("Penerima yang sudah dilaporkan kemajuannya tidak dapat dikeluarkan dari SK.")
    return None


def decree_update(*, decree: BeneficiaryDecree, user, number: str, date: date, signatory: str,
                  beneficiaries=None, checked: CheckedFile | None = None) -> BeneficiaryDecree:
    """Correct an SK; a new scan replaces the shown file and the old one stays as a version in the timeline.
    beneficiaries=None keeps the named ones; a beneficiary already in a KPB or reported cannot leave it."""
    proposal = decree.proposal
    number, signatory = _decree_fields(number, signatory, date)
    with files_removed_on_error(), transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        decree = _current(BeneficiaryDecree, decree)
        before = set(decree.beneficiaries.values_list("pk", flat=True))
        named = before if beneficiaries is None else {
            b.pk for b in _own(proposal, beneficiaries, "beneficiaries", _("Penerima ini bukan bagian dari usulan."))}
        _decree_check(proposal, decree, number, list(Beneficiary.objects.filter(pk__in=named)))
        if reason := _blocked_beneficiaries(proposal, before - named):
            raise ValidationError({"beneficiaries": [reason]})
        changed = _apply(decree, {"number": number, "date": date, "signatory": signatory})
        if named != before:
            changed.append("beneficiaries")
        if checked is not None:
            changed.append("file")
        event = _event(case, user, role, "decree_updated", {"decree": decree.pk, "changed": changed})
        if checked is not None:
            decree.attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        decree.save()
        if named != before:
            decree.beneficiaries.set(named)
    return decree


def decree_delete(*, decree: BeneficiaryDecree, user) -> None:
    """Remove an SK recorded by mistake, while no KPB or progress report names its beneficiaries."""
    proposal = decree.proposal
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        decree = _current(BeneficiaryDecree, decree)
        if reason := _blocked_beneficiaries(proposal, decree.beneficiaries.values_list("pk", flat=True)):
            raise ValidationError(reason)
        _event(case, user, role, "decree_deleted", {"decree": decree.pk, "number": decree.number,
                                                    "attachment": decree.attachment_id})
        decree.delete()


def group_update(*, group: BeneficiaryGroup, user, name: str, chair: Beneficiary, members) -> BeneficiaryGroup:
    proposal = group.proposal
    name, members = _group_fields(proposal, name, chair, members)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        group = _current(BeneficiaryGroup, group)
        ids = _group_check(proposal, group, name, members)
        changed = _apply(group, {"name": name, "chair_id": chair.pk})
        if set(ids) != set(group.members.values_list("pk", flat=True)):
            changed.append("members")
            group.members.set(members)
        group.save()
        _event(case, user, role, "group_updated", {"group": group.pk, "changed": changed, "members": len(ids)})
    return group


def group_delete(*, group: BeneficiaryGroup, user) -> None:
    """Dissolve a KPB with no purchase-plan lines (the lines would go with it); its TFL stay."""
    proposal = group.proposal
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        group = _current(BeneficiaryGroup, group)
        if group.purchase_lines.exists():
            raise ValidationError(_("KPB ini punya rencana pembelian bahan; hapus dulu baris-barisnya."))
        _event(case, user, role, "group_deleted", {"group": group.pk})
        group.delete()


def facilitator_update(*, facilitator: Facilitator, user, name: str, phone: str, email: str = "", groups=(),
                       locations=()) -> Facilitator:
    proposal = facilitator.proposal
    name, phone, groups, locations = _facilitator_fields(proposal, name, phone, groups, locations)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        facilitator = _current(Facilitator, facilitator)
        changed = _apply(facilitator, {"name": name, "phone": phone, "email": email.strip()})
        for relation, chosen in (("groups", groups), ("locations", locations)):
            manager = getattr(facilitator, relation)
            if {obj.pk for obj in chosen} != set(manager.values_list("pk", flat=True)):
                changed.append(relation)
                manager.set(chosen)
        facilitator.save()
        _event(case, user, role, "facilitator_updated", {"facilitator": facilitator.pk, "changed": changed})
    return facilitator


def facilitator_delete(*, facilitator: Facilitator, user) -> None:
    proposal = facilitator.proposal
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        facilitator = _current(Facilitator, facilitator)
        _event(case, user, role, "facilitator_deleted", {"facilitator": facilitator.pk})
        facilitator.delete()


def supplier_update(*, supplier: Supplier, user, name: str, registration: str, address: str) -> Supplier:
    proposal = supplier.proposal
    digits = _supplier_fields(name, registration, address)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        supplier = _current(Supplier, supplier)
        if proposal.suppliers.exclude(pk=supplier.pk).filter(registration=digits).exists():
            raise ValidationError({"registration": [_("Penyedia dengan nomor ini sudah dicatat.")]})
        changed = _apply(supplier, {"name": name.strip(), "registration": digits, "address": address.strip()})
        supplier.save()
        _event(case, user, role, "supplier_updated", {"supplier": supplier.pk, "changed": changed})
    return supplier


def supplier_delete(*, supplier: Supplier, user) -> None:
    """Remove a supplier no plan line or tranche names."""
    proposal = supplier.proposal
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        supplier = _current(Supplier, supplier)
        if (proposal.purchase_lines.filter(supplier_id=supplier.pk).exists()
                or proposal.tranches.filter(supplier_id=supplier.pk).exists()):
            raise ValidationError(_("Penyedia ini dipakai di rencana pembelian atau tahap penyaluran; "
                                    "ubah atau hapus dulu catatan itu."))
        _event(case, user, role, "supplier_deleted", {"supplier": supplier.pk})
        supplier.delete()


def purchase_line_update(*, line: PurchasePlanLine, user, item: str, quantity: Decimal, unit: str,
                         unit_price: Decimal, supplier: Supplier, group: BeneficiaryGroup | None = None
                         ) -> PurchasePlanLine:
    proposal = line.proposal
    _line_fields(proposal, item, quantity, unit, unit_price, supplier, group)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        line = _current(PurchasePlanLine, line)
        changed = _apply(line, {"item": item.strip(), "quantity": quantity, "unit": unit.strip(),
                                "unit_price": unit_price, "supplier_id": supplier.pk,
                                "group_id": group.pk if group else None})
        line.save()
        _event(case, user, role, "purchase_line_updated", {"line": line.pk, "changed": changed, "total": line.total})
    return line


def purchase_line_delete(*, line: PurchasePlanLine, user) -> None:
    proposal = line.proposal
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        line = _current(PurchasePlanLine, line)
        _event(case, user, role, "purchase_line_deleted", {"line": line.pk, "total": line.total})
        line.delete()


def tranche_void(*, tranche: PaymentTranche, user, reason: str) -> None:
    """Void a tranche recorded wrongly: it leaves the totals; its figures and proof stay in the timeline."""
    proposal = tranche.proposal
    reason = _reason(reason)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        tranche = _current(PaymentTranche, tranche)
        _event(case, user, role, "tranche_voided", {
            "number": tranche.number, "percentage": tranche.percentage, "amount": tranche.amount,
            "paid_on": tranche.paid_on, "supplier": tranche.supplier_id, "attachment": tranche.attachment_id,
        }, note=reason)
        tranche.delete()


def progress_void(*, report: ProgressReport, user, reason: str) -> None:
    """Void a house's latest report (a wrong photo or house); the house reports that stage again."""
    proposal = report.proposal
    reason = _reason(reason)
    with transaction.atomic():
        case, role = _begin(proposal, user, REPORTER_ROLES)
        report = _current(ProgressReport, report)
        later = proposal.progress_reports.filter(beneficiary_id=report.beneficiary_id, unit=report.unit,
                                                 stage__gt=report.stage).aggregate(stage=Max("stage"))["stage"]
        if later is not None:
            raise ValidationError(_("Batalkan dulu laporan tahap %(stage)d %% rumah ini.") % {"stage": later})
        _event(case, user, role, "progress_voided", {
            "beneficiary": report.beneficiary_id, "unit": report.unit, "stage": report.stage,
            "taken_on": report.taken_on, "attachment": report.attachment_id,
        }, note=reason)
        report.delete()


def hand_over_step_void(*, step: HandOverStep, user, reason: str) -> None:
    """Void the latest hand-over step; the hand-over status goes back to the step before it."""
    proposal = step.proposal
    reason = _reason(reason)
    with transaction.atomic():
        case, role = _begin(proposal, user, RECORDER_ROLES)
        step = _current(HandOverStep, step)
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.hand_over_steps.filter(pk__gt=step.pk).exists():
            raise ValidationError(_("Hanya langkah serah terima terakhir yang dapat dibatalkan."))
        _event(case, user, role, "hand_over_step_voided", {
            "status": step.status, "document_number": step.document_number, "date": step.date,
            "attachment": step.attachment_id,
        }, note=reason)
        step.delete()
        remaining = current.hand_over_steps.values_list("status", flat=True)
        current.hand_over = max(remaining, key=HAND_OVER_ORDER.index, default=HandOver.NOT_SUBMITTED)
        current.save(update_fields=["hand_over", "updated_at"])
        proposal.hand_over = current.hand_over


# --- Reads -------------------------------------------------------------------------------------------------


@dataclass
class House:
    key: str  # "b<beneficiary id>" or "u<unit name>": the form's choice value
    label: str
    beneficiary: Beneficiary | None
    unit: str
    reports: dict[int, ProgressReport] = field(default_factory=dict)

    @property
    def stage(self) -> int | None:
        """The highest stage reached, or None before the first report."""
        return max(self.reports) if self.reports else None

    @property
    def latest_report(self) -> ProgressReport | None:
        """The only report of the house that may be voided (the stages go back one at a time)."""
        return self.reports[self.stage] if self.reports else None

    def next_stage(self, stages: list[int]) -> int | None:
        return next((s for s in stages if s not in self.reports), None)

    def previous_report(self, stages: list[int]) -> ProgressReport | None:
        """The photo to compare with when taking the next one (the same angle)."""
        following = self.next_stage(stages)
        done = [s for s in self.reports if following is None or s < following]
        return self.reports[max(done)] if done else None


@dataclass
class Summary:
    stages: list[int]
    houses: list[House]
    at_stage: list[tuple[int | None, int]]  # (highest stage reached or None, houses)
    complete: int
    percent_complete: int
    tranches: list[PaymentTranche]
    paid_percentage: Decimal
    paid_amount: Decimal
    decrees: list[BeneficiaryDecree]
    groups: list[BeneficiaryGroup]
    facilitators: list[Facilitator]
    suppliers: list[Supplier]
    purchase_lines: list[PurchasePlanLine]
    purchase_total: Decimal
    hand_over_steps: list[HandOverStep]
    voided: list[Event]
    blockers: list[str]
    uses_beneficiaries: bool


def _houses(proposal: Proposal, stages: list[int], by_beneficiary: bool) -> list[House]:
    reports = list(proposal.progress_reports.select_related("attachment").order_by("stage"))
    if by_beneficiary:
        houses = {
            f"b{b.pk}": House(f"b{b.pk}", f"{b.name}, {b.village.name}", b, "")
            for b in _decreed(proposal).select_related("village").order_by("name", "pk")
        }
        for report in reports:
            if house := houses.get(f"b{report.beneficiary_id}"):
                house.reports[report.stage] = report
        return list(houses.values())
    houses: dict[str, House] = {}
    for report in reports:
        house = houses.setdefault(f"u{report.unit}", House(f"u{report.unit}", report.unit, None, report.unit))
        house.reports[report.stage] = report
    return sorted(houses.values(), key=lambda h: h.label)


def hand_over_blockers(proposal: Proposal, houses: list[House] | None = None) -> list[str]:
    """Why the proposal cannot be handed over yet: no house, houses below the last stage, no BAST."""
    stages = progress_stages()
    if houses is None:
        houses = _houses(proposal, stages, uses_beneficiaries(proposal))
    blockers = []
    if not houses:
        blockers.append(_("Belum ada rumah yang dilaporkan (untuk BSPS: catat dulu SK penetapan penerima)."))
    behind = sum(1 for house in houses if house.stage != stages[-1])
    if behind:
        blockers.append(_("%(count)d rumah belum mencapai tahap %(stage)d %%.")
                        % {"count": behind, "stage": stages[-1]})
    if HAND_OVER_ORDER.index(proposal.hand_over) < HAND_OVER_ORDER.index(BAST):
        blockers.append(_("BAST serah terima belum dicatat."))
    return blockers


def hand_over_check(proposal: Proposal) -> None:
    """The hand-over gate (called by rules.hand_over inside the engine's transaction)."""
    if blockers := hand_over_blockers(proposal):
        raise ActionNotAllowed(_("Belum dapat diserahterimakan: %(reason)s") % {"reason": blockers[0]},
                               code="implementation_incomplete", details={"implementation": blockers})


def implementation_summary(proposal: Proposal) -> Summary:
    """Everything the monitoring page and the API show, in a constant number of queries."""
    stages = progress_stages()
    by_beneficiary = uses_beneficiaries(proposal)
    houses = _houses(proposal, stages, by_beneficiary)
    counts = {None: 0, **{s: 0 for s in stages}}
    for house in houses:
        counts[house.stage] += 1
    complete = counts[stages[-1]]
    tranches = list(proposal.tranches.select_related("supplier", "attachment"))
    lines = list(proposal.purchase_lines.select_related("group", "supplier"))
    return Summary(
        stages=stages,
        houses=houses,
        at_stage=list(counts.items()),
        complete=complete,
        percent_complete=round(100 * complete / len(houses)) if houses else 0,
        tranches=tranches,
        paid_percentage=sum((t.percentage for t in tranches), Decimal(0)),
        paid_amount=sum((t.amount for t in tranches), Decimal(0)),
        decrees=list(proposal.decrees.select_related("attachment").annotate(named=Count("beneficiaries"))),
        groups=list(proposal.groups.select_related("chair").prefetch_related(
            Prefetch("members", queryset=Beneficiary.objects.order_by("name")))),
        facilitators=list(proposal.facilitators.prefetch_related("groups", "locations__region")),
        suppliers=list(proposal.suppliers.all()),
        purchase_lines=lines,
        purchase_total=sum((line.total for line in lines), Decimal(0)),
        hand_over_steps=list(proposal.hand_over_steps.select_related("attachment")),
        voided=voided_records(proposal),
        blockers=hand_over_blockers(proposal, houses),
        uses_beneficiaries=by_beneficiary,
    )


def proposal_houses(proposal: Proposal) -> list[House]:
    return _houses(proposal, progress_stages(), uses_beneficiaries(proposal))


def decreed_beneficiaries(proposal: Proposal):
    return _decreed(proposal).select_related("village").order_by("name", "pk")


def undecreed_beneficiaries(proposal: Proposal, also: BeneficiaryDecree | None = None):
    """The beneficiaries in no SK yet (and those of the SK `also`, when it is being edited)."""
    free = Q(decrees__isnull=True) | Q(decrees=also) if also else Q(decrees__isnull=True)
    return Beneficiary.objects.filter(free, proposal_id=proposal.pk).select_related(
        "village").order_by("name", "pk")


def locations_of(proposal: Proposal):
    return ProposalLocation.objects.filter(proposal_id=proposal.pk).select_related("region")


def implementation_attachment_ids(proposal: Proposal) -> set[int]:
    """The files of the implementation records, replaced and voided versions included (for the file view)."""
    return set(Attachment.objects.filter(case_id=proposal.case_id, event__action__in=FILE_ACTIONS)
               .values_list("pk", flat=True))


def voided_records(proposal: Proposal) -> list[Event]:
    """The voided tranches, progress reports and hand-over steps, newest first, with who voided them and why."""
    events = list(Event.objects.filter(case_id=proposal.case_id, action__in=VOID_ACTIONS)
                  .select_related("actor").order_by("-seq"))
    for event in events:
        if status := event.data.get("status"):
            event.status_label = HandOver(status).label
    return events
