"""Every write of Informasi Publik: requests, the identity log, answers, extensions, fees, objections.

The workflow's actions go through the case engine (`case_apply_action`); what is not a transition (a
view of the requester's identity, a fee paid, an objection filed on the request's timeline) is an event
appended to the case in the same transaction as the change it records.
"""

import logging
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sibaru.accounts.models import Organisation, hash_secret
from sibaru.accounts.roles import Party, Role
from sibaru.core.attachments import CheckedFile, attachment_store, files_removed_on_error
from sibaru.core.events import append_event
from sibaru.core.models import Case, Notification
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed, case_apply_action, case_open, request_fingerprint
from sibaru.core.workflow import Actor
from sibaru.information.models import (
    Decision,
    Delivery,
    InformationRequest,
    Objection,
    ObjectionGround,
    Obtain,
    RequesterResponse,
    RequesterType,
)
from sibaru.information.selectors import objection_window
from sibaru.information.workflow import OBJECTION_KIND, REQUEST_KIND

logger = logging.getLogger(__name__)
NIK = re.compile(r"^\d{16}$")
TOKEN_PREFIX = "sbi_"  # noqa: S105  # nosec B105  (a prefix, not a secret)
PPID_ROLES = {Role.PPID_OFFICER, Role.PPID_SUPERIOR, Role.ADMINISTRATOR}


def _next_number(model, kind: str, year: int) -> str:
    # "00012/PPID/2026": numbered per year; the unique constraint turns a rare race into a retryable error.
    last = model.objects.filter(registration_number__endswith=f"/{kind}/{year}").aggregate(n=Max("registration_number"))
    seq = int(last["n"].split("/")[0]) + 1 if last["n"] else 1
    return f"{seq:05d}/{kind}/{year}"


def _ministry():
    return Organisation.objects.filter(kind=Organisation.Kind.MINISTRY_AGENCY, parent=None).order_by("pk").first()


def _identity_errors(*, requester_type: str, id_number: str, identity_document: CheckedFile | None,
                     document_required: bool = True) -> dict[str, list[str]]:
    """The identity rules of the request form, shared by a submission and a PPID completing the identity."""
    errors: dict[str, list[str]] = {}
    if requester_type not in RequesterType.values:
        errors["requester_type"] = [_("Pilih jenis pemohon.")]
    if not id_number:
        errors["id_number"] = [_("Isi NIK (perorangan) atau nomor SK pengesahan badan hukum.")]
    elif requester_type == RequesterType.PERSON and not NIK.match(id_number):
        errors["id_number"] = [_("NIK terdiri atas 16 angka.")]
    if document_required and identity_document is None:
        errors["identity_document"] = [_("Unggah KTP (perorangan) atau SK pengesahan badan hukum.")]
    return errors


def _require(errors: dict[str, list[str]], **values: str) -> None:
    for field, value in values.items():
        if not (value or "").strip():
            errors[field] = [_("Wajib diisi.")]


def info_request_submit(
    *,
    requester_type: str,
    name: str,
    id_number: str,
    address: str,
    information: str,
    purpose: str,
    obtain: str,
    delivery: str,
    occupation: str = "",
    email: str = "",
    phone: str = "",
    proxy_name: str = "",
    identity_document: CheckedFile | None = None,
    power_of_attorney: CheckedFile | None = None,
    identity_document_required: bool = True,
    idempotency_key: str = "",
    scope: str = "web",
) -> tuple[Case, str | None]:
    """Register a request: the case, its registration number and the requester's private token.

    Returns (case, token); the token is None when an idempotent repeat returns the first case (its token
    was given the first time and only its hash is kept)."""
    id_number = re.sub(r"\s", "", id_number or "")
    errors = _identity_errors(requester_type=requester_type, id_number=id_number, identity_document=identity_document,
                              document_required=identity_document_required)
    if proxy_name and power_of_attorney is None and identity_document_required:
        errors["power_of_attorney"] = [_("Permohonan melalui kuasa wajib melampirkan surat kuasa khusus.")]
    if not (email or phone):
        errors["email"] = [_("Isi e-mail atau nomor telepon agar PPID dapat menghubungi Anda.")]
    _require(errors, name=name, address=address, information=information, purpose=purpose)
    if obtain not in Obtain.values:
        errors["obtain"] = [_("Pilih cara memperoleh informasi.")]
    if errors:
        raise ValidationError(errors)

    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    language = (get_language() or "id")[:2]
    files = [f for f in (identity_document, power_of_attorney) if f is not None]
    fingerprint = request_fingerprint(
        [requester_type, name, id_number, address, information, purpose, obtain, delivery, email, phone, proxy_name,
         [f.sha256 for f in files]]
    )

    def create_details(case: Case) -> None:
        stored = {
            key: attachment_store(case=case, checked=checked)
            for key, checked in (("identity_document", identity_document), ("power_of_attorney", power_of_attorney))
            if checked is not None
        }
        InformationRequest.objects.create(
            case=case,
            registration_number=_next_number(InformationRequest, "PPID", timezone.localdate().year),
            received_on=timezone.localdate(case.submitted_at),
            requester_type=requester_type, name=name.strip(), id_number=id_number, occupation=occupation.strip(),
            address=address.strip(), email=email, phone=phone, proxy_name=proxy_name.strip(),
            information=information.strip(), purpose=purpose.strip(), obtain=obtain, delivery=delivery,
            language=language, token_hash=hash_secret(token), **stored,
        )

    case = case_open(
        kind=REQUEST_KIND,
        subject=information.strip()[:120],
        organisation=_ministry(),
        create_details=create_details,
        idempotency=(f"information:{scope}", idempotency_key, fingerprint) if idempotency_key else None,
    )
    return case, (None if getattr(case, "replayed", False) else token)


def info_request_from_complaint(*, complaint, actor: Actor) -> tuple[Case, str]:
    """Open the information request a "permintaan informasi" complaint becomes, without retyping; returns (case,
    private token). Called by the complaint's conversion (inside its transaction, the complaint's case locked)
    with the `actor` who converts it, whom both of the request's first events name.

    The complaint holds no NIK, address or identity document, so the request is flagged `identity_pending`
    and the PPID asks the requester for them. Its clock starts today, when the PPID receives it."""
    if not complaint.has_identity:
        raise ActionNotAllowed(_("Laporan anonim tidak dapat dialihkan menjadi permohonan informasi: tidak ada "
                                 "pemohon yang dapat dihubungi."), code="anonymous")
    source = complaint.case
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    email = complaint.reporter_email

    def create_details(case: Case) -> None:
        InformationRequest.objects.create(
            case=case,
            registration_number=_next_number(InformationRequest, "PPID", timezone.localdate().year),
            received_on=timezone.localdate(case.submitted_at), requester_type=RequesterType.PERSON,
            name=complaint.reporter_name, id_number="", address="", email=email, phone=complaint.reporter_phone,
            information=f"{complaint.title}\n\n{complaint.description}", purpose="", obtain=Obtain.COPY,
            delivery=Delivery.EMAIL if email else Delivery.PICKUP, language=complaint.language,
            token_hash=hash_secret(token), identity_pending=True,
        )

    case = case_open(
        kind=REQUEST_KIND,
        subject=complaint.title,
        organisation=_ministry(),
        region=source.region,
        user=actor.user,
        role=actor.role,
        note=_("Dialihkan dari pengaduan %(code)s (jenis permintaan informasi). Identitas pemohon (NIK, alamat, "
               "dokumen identitas) dan tujuan penggunaan informasi belum lengkap: PPID memintanya kepada pemohon.")
        % {"code": source.tracking_code},
        create_details=create_details,
    )
    # The link back, with its code in the data, for the staff's timeline (the complaint records the other way).
    append_event(case=case, action="converted_from_complaint", actor=actor.user, actor_role=actor.role,
                 from_state=case.state, to_state=case.state, public=False, data={"complaint": source.tracking_code})
    if email:
        # The requester was not there when it was opened: the private link (for an objection) goes by e-mail.
        with translation.override(complaint.language):
            subject = _("Permintaan informasi Anda menjadi permohonan %(code)s") % {"code": case.tracking_code}
            body = _(
                "Laporan %(complaint)s Anda dilanjutkan sebagai permohonan informasi publik %(code)s kepada PPID.\n"
                "PPID akan menghubungi Anda untuk melengkapi NIK, alamat dan dokumen identitas.\n"
                "Halaman pribadi permohonan Anda (jangan dibagikan): %(url)s"
            ) % {"complaint": source.tracking_code, "code": case.tracking_code,
                 "url": settings.SITE_URL + reverse("information:private", args=[case.tracking_code, token])}
        notification = Notification.objects.create(
            case=case, channel=Notification.Channel.EMAIL, email=email, language=complaint.language,
            subject=subject[:200], body=body,
        )
        transaction.on_commit(lambda: _deliver([notification.pk]))
    return case, token


def info_request_identity_complete(*, request: InformationRequest, user, data: dict,
                                   identity_document: CheckedFile | None) -> InformationRequest:
    """The PPID officer records the identity a converted request lacked (NIK or SK number, address, purpose and
    the identity document), by the rules of the request form, and clears `identity_pending`.

    `data` holds requester_type, id_number, address, purpose and optionally occupation. The deadline is not
    touched: UU 14/2008 counts it from the receipt of the request, not from a complete identity."""
    roles = roles_for_case(user, request.case) & {Role.PPID_OFFICER}
    if not roles:
        raise PermissionDenied(_("Hanya petugas PPID yang melengkapi identitas pemohon."))
    requester_type = data.get("requester_type") or ""
    id_number = re.sub(r"\s", "", data.get("id_number") or "")
    address, purpose = (data.get("address") or "").strip(), (data.get("purpose") or "").strip()
    with files_removed_on_error(), transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        info = InformationRequest.objects.get(pk=request.pk)
        if not info.identity_pending or case.closed_at is not None:
            raise ActionNotAllowed(_("Identitas pemohon ini sudah lengkap atau permohonannya sudah selesai."),
                                   code="identity_not_pending")
        errors = _identity_errors(requester_type=requester_type, id_number=id_number,
                                  identity_document=identity_document)
        _require(errors, address=address, purpose=purpose)
        if errors:
            raise ValidationError(errors)
        info.identity_document = attachment_store(case=case, checked=identity_document, user=user)
        info.requester_type, info.id_number, info.address, info.purpose = requester_type, id_number, address, purpose
        info.occupation = (data.get("occupation") or "").strip()
        info.identity_pending = False
        info.save(update_fields=["identity_document", "requester_type", "id_number", "address", "purpose",
                                 "occupation", "identity_pending"])
        # No NIK or address in the event: the timeline is read by more people than the identity is.
        append_event(case=case, action="identity_completed", actor=user, actor_role=Role.PPID_OFFICER,
                     from_state=case.state, to_state=case.state, public=False,
                     data={"identity_document": info.identity_document_id})
    return info


def _deliver(ids: list[int]) -> None:
    from sibaru.core.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue(ids)
    except Exception:  # noqa: BLE001  the deliver_notifications command sends it later
        logger.exception("Could not enqueue notifications %s", ids)


def info_request_by_token(*, tracking_code: str, token: str) -> InformationRequest | None:
    """The request its requester's private link opens, or None (a wrong code and a wrong token look alike)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (
        InformationRequest.objects.select_related("case", "decision", "decision__catalogue_entry")
        .filter(case__tracking_code=tracking_code, token_hash=hash_secret(token))
        .first()
    )


def _require_ppid(user, case: Case) -> set[str]:
    roles = roles_for_case(user, case) & PPID_ROLES
    if not roles:
        raise PermissionDenied(_("Hanya PPID yang dapat melihat identitas pemohon."))
    return roles


def info_request_identity_view(*, request: InformationRequest, user, what: str = "identity") -> None:
    """Record, as an internal event, that a PPID member saw the requester's identity (NIK, document)."""
    roles = _require_ppid(user, request.case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        append_event(case=case, action="identity_viewed", actor=user, actor_role=sorted(roles)[0],
                     from_state=case.state, to_state=case.state, public=False, data={"what": what})


def info_request_answer(*, request: InformationRequest, user, note: str = "", **decision) -> None:
    """The PPID's written notice; `decision` holds outcome, material, holder, catalogue_entry, exempt_parts,
    copy_pages and copy_medium (see rules.answer)."""
    case_apply_action(case=request.case, action="answer", user=user, note=note, data=decision)


def info_request_assign(*, request: InformationRequest, user, unit, note: str = "") -> None:
    case_apply_action(case=request.case, action="assign", user=user, note=note, data={"handler": unit.pk})


def info_request_extend(*, request: InformationRequest, user, reason: str) -> None:
    case_apply_action(case=request.case, action="extend", user=user, note=reason)


def info_fee_record_payment(*, request: InformationRequest, user) -> Decision:
    """The PPID records that the copy fee was paid and issues the receipt (kuitansi)."""
    roles = roles_for_case(user, request.case) & {Role.PPID_OFFICER, Role.ADMINISTRATOR}
    if not roles:
        raise PermissionDenied(_("Hanya petugas PPID yang mencatat pembayaran."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        decision = Decision.objects.filter(request=request).first()
        if decision is None or decision.fee == 0:
            raise ActionNotAllowed(_("Permohonan ini tidak dikenai biaya."), code="no_fee")
        if decision.fee_paid_at:
            raise ActionNotAllowed(_("Biaya permohonan ini sudah tercatat lunas."), code="already_paid")
        decision.fee_paid_at = timezone.now()
        decision.fee_receipt_number = f"KW/{decision.fee_paid_at.year}/{decision.pk:05d}"
        decision.save(update_fields=["fee_paid_at", "fee_receipt_number"])
        append_event(case=case, action="fee_paid", actor=user, actor_role=sorted(roles)[0], from_state=case.state,
                     to_state=case.state, note=_("Biaya salinan Rp%(fee)s diterima; kuitansi %(number)s.")
                     % {"fee": f"{decision.fee:,}".replace(",", "."), "number": decision.fee_receipt_number},
                     data={"fee": decision.fee, "receipt": decision.fee_receipt_number})
    return decision


def info_objection_submit(
    *,
    request: InformationRequest,
    ground: str,
    statement: str,
    proxy_name: str = "",
    idempotency_key: str = "",
    scope: str = "web",
) -> Case:
    """File an objection to the PPID's superior (Pasal 35–36): within 30 working days of its ground."""
    errors: dict[str, list[str]] = {}
    ground_row = ObjectionGround.objects.filter(code=ground or "", active=True).first()
    if ground_row is None:
        errors["ground"] = [_("Pilih salah satu alasan keberatan Pasal 35 ayat (1).")]
    if not (statement or "").strip():
        errors["statement"] = [_("Uraikan kasus posisi: apa yang Anda minta dan apa yang terjadi.")]
    if errors:
        raise ValidationError(errors)
    window = objection_window(request)
    if window is None:
        raise ActionNotAllowed(
            _("Belum ada alasan keberatan: permohonan Anda masih dalam batas waktu jawaban."), code="too_early"
        )
    if timezone.localdate() > window.last_day:
        raise ActionNotAllowed(
            _("Batas waktu keberatan sudah lewat: paling lambat %(day)s (30 hari kerja sejak %(start)s).")
            % {"day": window.last_day.strftime("%d-%m-%Y"), "start": window.arose_on.strftime("%d-%m-%Y")},
            code="objection_late",
        )
    if request.objections.filter(case__closed_at=None).exists():
        raise ActionNotAllowed(_("Keberatan Anda sebelumnya masih diproses."), code="objection_open")
    fingerprint = request_fingerprint([request.pk, ground, statement, proxy_name])

    def create_details(case: Case) -> None:
        Objection.objects.create(
            case=case, request=request, registration_number=_next_number(Objection, "KBR", timezone.localdate().year),
            received_on=timezone.localdate(case.submitted_at), ground=ground_row, ground_arose_on=window.arose_on,
            statement=statement.strip(), proxy_name=proxy_name.strip(),
        )
        # The request's own timeline shows that it was objected to.
        locked = Case.objects.select_for_update().get(pk=request.case_id)
        append_event(case=locked, action="objection_filed", actor_role=Party.APPLICANT, from_state=locked.state,
                     to_state=locked.state,
                     note=_("Pemohon mengajukan keberatan %(code)s.") % {"code": case.tracking_code},
                     data={"objection": case.tracking_code})

    return case_open(
        kind=OBJECTION_KIND,
        subject=str(ground_row),
        organisation=request.case.organisation,
        create_details=create_details,
        idempotency=(f"objection:{scope}", idempotency_key, fingerprint) if idempotency_key else None,
    )


def info_objection_decide(*, objection: Objection, user, outcome: str, response: str) -> None:
    case_apply_action(case=objection.case, action="decide", user=user, note=response,
                      data={"outcome": outcome, "response": response})


def info_objection_response_record(*, objection: Objection, user, response: str, responded_on,
                                   note: str = "") -> Objection:
    """The PPID records what the requester did after the superior's response (the objection register's
    "tanggapan pemohon"): accepted it, or took it to the Komisi Informasi (UU 14/2008 Pasal 37). A later record
    replaces an earlier one (a requester may accept, then dispute within the 14 working days)."""
    roles = roles_for_case(user, objection.case) & PPID_ROLES
    if not roles:
        raise PermissionDenied(_("Hanya PPID yang mencatat tanggapan pemohon."))
    note = (note or "").strip()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=objection.case_id)
        locked = Objection.objects.get(pk=objection.pk)
        if not locked.outcome:
            raise ActionNotAllowed(_("Atasan PPID belum menanggapi keberatan ini."), code="objection_not_decided")
        errors: dict[str, list[str]] = {}
        if response not in RequesterResponse.values:
            errors["response"] = [_("Pilih tanggapan pemohon.")]
        if responded_on is None:
            errors["responded_on"] = [_("Isi tanggal tanggapan pemohon.")]
        elif not timezone.localdate(locked.decided_at) <= responded_on <= timezone.localdate():
            errors["responded_on"] = [_("Tanggal harus antara tanggal tanggapan atasan PPID (%(day)s) dan hari ini.")
                                      % {"day": timezone.localdate(locked.decided_at).strftime("%d-%m-%Y")}]
        if len(note) > 2000:
            errors["note"] = [_("Terlalu panjang: paling banyak 2000 karakter.")]
        if errors:
            raise ValidationError(errors)
        locked.requester_response, locked.requester_response_on = response, responded_on
        locked.requester_response_note = note
        locked.save(update_fields=["requester_response", "requester_response_on", "requester_response_note"])
        append_event(case=case, action="requester_response", actor=user, actor_role=sorted(roles)[0],
                     from_state=case.state, to_state=case.state, public=False,
                     note=f"{RequesterResponse(response).label} ({responded_on.strftime('%d-%m-%Y')}). {note}".strip(),
                     data={"response": response, "responded_on": responded_on.isoformat()})
    return locked


def info_reminders_send(*, today=None) -> int:
    """In-app reminders, each sent once: the annual PPID report due 31 March (Perki 1/2021 Pasal 56) to the
    PPID officers, and periodic (berkala) entries due for their 6-monthly update to their unit's officers."""
    from datetime import date, timedelta

    from django.conf import settings

    from sibaru.accounts.models import Membership
    from sibaru.core.models import Notification
    from sibaru.information.models import CatalogueEntry, InfoClass

    today = today or timezone.localdate()
    reminders: list[tuple[object, str, str]] = []
    deadline = date(today.year, 3, 31)
    if timedelta(0) <= deadline - today <= timedelta(days=settings.INFORMATION_REPORT_REMINDER_DAYS):
        subject = _("Laporan layanan informasi publik tahun %(year)s wajib tersedia paling lambat 31 Maret %(due)s") % {
            "year": today.year - 1, "due": today.year}
        body = _("Susun laporan dari halaman Laporan PPID (periode setahun) dan umumkan di Daftar Informasi Publik.")
        for member in Membership.objects.filter(role=Role.PPID_OFFICER, user__is_active=True).select_related("user"):
            reminders.append((member.user, subject, body))
    periodic = CatalogueEntry.objects.filter(info_class=InfoClass.PERIODIC, published=True).select_related("unit")
    for entry in (e for e in periodic if e.update_due <= today + timedelta(days=14)):
        subject = _("Informasi berkala perlu diperbarui paling lambat %(day)s: %(title)s") % {
            "day": entry.update_due.strftime("%d-%m-%Y"), "title": entry.title}
        body = _("Informasi berkala diumumkan paling singkat 6 bulan sekali (UU 14/2008 Pasal 9).")
        for member in Membership.objects.filter(organisation=entry.unit, role=Role.UNIT_OFFICER,
                                                user__is_active=True).select_related("user"):
            reminders.append((member.user, subject[:200], body))
    sent = 0
    with transaction.atomic():
        for user, subject, body in reminders:
            if Notification.objects.filter(user=user, subject=subject[:200]).exists():
                continue
            Notification.objects.create(user=user, channel=Notification.Channel.IN_APP, subject=subject[:200],
                                        body=body, language=user.language, status=Notification.Status.SENT,
                                        sent_at=timezone.now())
            sent += 1
    return sent
