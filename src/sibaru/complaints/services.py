"""Every write of a complaint: submission (web, API, staff intake), the effects of the workflow's actions,
the logged view of a reporter's identity, and the escalation of passed deadlines.

Transitions go through the case engine (`sibaru.core.services.case_apply_action`); the `*_effect`
functions below are the workflow's effects and run inside its transaction.

A "permintaan_informasi" can become an information request: the coordinator's
"convert_to_information_request" action (`convert_effect`) opens the request from the complaint (title,
description, reporter) in the same transaction and closes the complaint, each timeline naming the other.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sibaru.accounts.models import Membership, Organisation
from sibaru.accounts.roles import Party, Role
from sibaru.complaints.models import Category, Channel, Classification, Complaint, ComplaintUnit, ReportType
from sibaru.complaints.workflow import KIND
from sibaru.core.attachments import CheckedFile
from sibaru.core.models import Case, Notification, Privacy
from sibaru.core.scope import memberships_of, roles_for_case
from sibaru.core.services import (
    ActionNotAllowed,
    case_apply_action,
    case_open,
    cases_apply_deadline_actions,
    request_fingerprint,
)
from sibaru.core.workflow import Actor

logger = logging.getLogger(__name__)
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
STAFF_CHANNELS = (Channel.WALK_IN, Channel.LETTER, Channel.PHONE, Channel.SOCIAL_MEDIA)
UNIT_KINDS = (Organisation.Kind.DIRECTORATE, Organisation.Kind.WORK_UNIT)
ESCALATED_STATES = ("received", "dispositioned", "in_follow_up")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def description_error(text: str) -> str | None:
    """Why a description cannot be accepted, or None: it must say something besides links."""
    words = re.sub(r"\W+", " ", URL.sub(" ", text)).strip()
    if URL.search(text) and len(words) < 20:
        return _("Uraian tidak boleh hanya berisi tautan. Jelaskan dengan kata-kata apa yang terjadi.")
    if len(words) < 20:
        return _("Uraian terlalu singkat: jelaskan apa yang terjadi, paling sedikit 20 huruf.")
    return None


@dataclass
class Submitted:
    case: Case
    # The secret of the reporter's private link; None for a replayed submission (only its hash is stored).
    follow_token: str | None


def complaint_submit(
    *,
    report_type: str,
    category: Category,
    title: str,
    description: str,
    region,
    privacy: str,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    incident_date=None,
    latitude=None,
    longitude=None,
    attachments: list[CheckedFile] = (),
    channel: str = Channel.WEB,
    user=None,
    idempotency_key: str = "",
    scope: str = "web",
) -> Submitted:
    """Open a complaint. An anonymous one stores no identity at all; a repeated key returns the first case."""
    if channel in STAFF_CHANNELS and Role.COMPLAINT_COORDINATOR not in {m.role for m in memberships_of(user)}:
        raise PermissionDenied(_("Hanya koordinator pengaduan yang mencatat pengaduan dari kanal lain."))
    title, description = title.strip(), description.strip()
    errors = {}
    if report_type not in ReportType.values:
        errors["kind"] = [_("Jenis laporan tidak dikenal.")]
    if privacy not in Privacy.values:
        errors["privacy"] = [_("Pilihan privasi tidak dikenal.")]
    if not category.active:
        errors["category"] = [_("Kategori tidak dikenal.")]
    if not title:
        errors["title"] = [_("Wajib diisi.")]
    if message := description_error(description):
        errors["description"] = [message]
    if privacy == Privacy.ANONYMOUS:
        reporter_name = reporter_email = reporter_phone = ""
    else:
        reporter_name, reporter_email = reporter_name.strip(), reporter_email.strip().lower()
        reporter_phone = reporter_phone.strip()
        if not reporter_name:
            errors["reporter.name"] = [_("Tulis nama Anda, atau pilih laporan anonim.")]
        if not (reporter_email or reporter_phone):
            errors["reporter.email"] = [_("Tulis e-mail atau nomor telepon agar kami dapat menghubungi Anda.")]
    if errors:
        raise ValidationError(errors)

    token = secrets.token_urlsafe(24)
    language = (translation.get_language() or "id")[:2]
    fingerprint = request_fingerprint([
        report_type, category.code, title, description, region.pk, privacy, reporter_name, reporter_email,
        reporter_phone, incident_date, latitude, longitude, channel, [a.sha256 for a in attachments],
    ])

    def create_details(case: Case) -> None:
        Complaint.objects.create(
            case=case, report_type=report_type, category=category, title=title, description=description,
            incident_date=incident_date, latitude=latitude, longitude=longitude, channel=channel,
            reporter_name=reporter_name, reporter_email=reporter_email, reporter_phone=reporter_phone,
            language=language, follow_token_hash=hash_token(token),
            classification=_default_classification(report_type),
        )

    case = case_open(
        kind=KIND,
        subject=title,
        organisation=complaints_office(),
        region=region,
        privacy=privacy,
        user=user,
        attachments=attachments,
        create_details=create_details,
        idempotency=(f"complaint:{scope}", idempotency_key, fingerprint) if idempotency_key else None,
    )
    return Submitted(case=case, follow_token=None if getattr(case, "replayed", False) else token)


def complaints_office() -> Organisation | None:
    """The organisation whose complaint coordinators receive every complaint: the ministry itself."""
    return Organisation.objects.filter(kind=Organisation.Kind.MINISTRY_AGENCY, parent=None).order_by("pk").first()


def _default_classification(report_type: str) -> str:
    return Classification.INFORMATION if report_type == ReportType.INFORMATION_REQUEST else Classification.ORDINARY


# --- Effects of the workflow's actions (inside the engine's transaction, the case row locked) -------------


def _units(value) -> list[Organisation]:
    raw = value if isinstance(value, (list, tuple)) else str(value).split(",")
    try:
        pks = list(dict.fromkeys(int(v) for v in raw if str(v).strip()))
    except (TypeError, ValueError):
        pks = None
    units = list(Organisation.objects.filter(pk__in=pks or [], kind__in=UNIT_KINDS)) if pks else []
    if not pks or len(units) != len(pks):
        raise ValidationError({"units": [_("Pilih satu atau lebih unit yang dikenal.")]})
    by_pk = {u.pk: u for u in units}
    return [by_pk[pk] for pk in pks]


def _set_units(case: Case, complaint: Complaint, units: list[Organisation]) -> None:
    complaint.units.exclude(organisation__in=units).delete()
    existing = set(complaint.units.values_list("organisation_id", flat=True))
    ComplaintUnit.objects.bulk_create(
        [ComplaintUnit(complaint=complaint, organisation=u) for u in units if u.pk not in existing]
    )
    # The first unit leads (the inbox shows it, the engine notifies it); every listed unit sees the case.
    case.handler = units[0]


def verify_effect(case: Case, data: dict, actor: Actor) -> None:
    complaint = case.complaint
    errors = {}
    category = Category.objects.filter(Q(code=str(data["category"])) | Q(pk=_int(data["category"])), active=True)
    category = category.first()
    if category is None:
        errors["category"] = [_("Kategori tidak dikenal.")]
    if data["classification"] not in Classification.values:
        errors["classification"] = [_("Klasifikasi tidak dikenal.")]
    report_type = data.get("report_type") or complaint.report_type
    if report_type not in ReportType.values:
        errors["report_type"] = [_("Jenis laporan tidak dikenal.")]
    title = str(data.get("title") or "").strip()
    if len(title) > 150:
        errors["title"] = [_("Terlalu panjang: paling banyak 150 karakter.")]
    try:
        units = _units(data["units"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    complaint.category = category
    complaint.classification = data["classification"]
    complaint.report_type = report_type
    complaint.public_title = title or complaint.title
    complaint.save(update_fields=["category", "classification", "report_type", "public_title"])
    _set_units(case, complaint, units)
    data["units"] = [u.pk for u in units]
    data["category"] = category.code


def reassign_effect(case: Case, data: dict, actor: Actor) -> None:
    units = _units(data["units"])
    _set_units(case, case.complaint, units)
    data["units"] = [u.pk for u in units]


def forward_effect(case: Case, data: dict, actor: Actor) -> None:
    receiver = str(data["forwarded_to"]).strip()
    if len(receiver) > 200:
        raise ValidationError({"forwarded_to": [_("Terlalu panjang: paling banyak 200 karakter.")]})
    case.complaint.forwarded_to = receiver
    case.complaint.save(update_fields=["forwarded_to"])


def merge_effect(case: Case, data: dict, actor: Actor) -> None:
    from sibaru.core.tracking import normalize_tracking_code

    code = normalize_tracking_code(str(data["duplicate_of"]))
    original = Case.objects.filter(tracking_code=code, kind=KIND).exclude(pk=case.pk).first() if code else None
    if original is None:
        raise ValidationError({"duplicate_of": [_("Nomor pelacakan pengaduan asal tidak ditemukan.")]})
    case.complaint.duplicate_of = original
    case.complaint.save(update_fields=["duplicate_of"])
    data["duplicate_of"] = original.tracking_code


def convert_effect(case: Case, data: dict, actor: Actor) -> None:
    from sibaru.information.services import info_request_from_complaint  # late: information is another service

    complaint = case.complaint
    if complaint.report_type != ReportType.INFORMATION_REQUEST:
        raise ActionNotAllowed(_("Hanya laporan berjenis permintaan informasi yang dapat dialihkan menjadi "
                                 "permohonan informasi publik."), code="not_information_request")
    request_case, _token = info_request_from_complaint(complaint=complaint, actor=actor)
    data["information_request"] = request_case.tracking_code


def rate_effect(case: Case, data: dict, actor: Actor) -> None:
    complaint = case.complaint
    if complaint.rating is not None:
        raise ValidationError({"rating": [_("Laporan ini sudah Anda nilai.")]})
    rating = _int(data["rating"])
    if rating is None or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Pilih nilai 1 sampai 5.")]})
    comment = str(data.get("comment") or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("Terlalu panjang: paling banyak 2000 karakter.")]})
    complaint.rating, complaint.rating_comment = rating, comment
    complaint.save(update_fields=["rating", "rating_comment"])
    data["rating"] = rating


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- The reporter's identity -----------------------------------------------------------------------------


def identity_roles(case: Case) -> set[str]:
    """Roles that may see who reported: a confidential reporter only to the coordinator."""
    if case.privacy == Privacy.CONFIDENTIAL:
        return {Role.COMPLAINT_COORDINATOR}
    if case.privacy == Privacy.PUBLIC:
        return {Role.COMPLAINT_COORDINATOR, Role.UNIT_OFFICER}
    return set()


def may_see_identity(user, case: Case) -> bool:
    return bool(identity_roles(case) & roles_for_case(user, case))


@dataclass
class Identity:
    name: str
    email: str
    phone: str


def complaint_identity_view(*, case: Case, user) -> Identity:
    """Show the reporter's identity to a role that may see it, recording the view in the case's hash chain."""
    roles = sorted(identity_roles(case) & roles_for_case(user, case))
    if not roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang melihat identitas pelapor."))
    complaint = Complaint.objects.only("reporter_name", "reporter_email", "reporter_phone").get(pk=case.pk)
    if not complaint.has_identity:
        raise PermissionDenied(_("Laporan anonim tidak menyimpan identitas pelapor."))
    case_apply_action(case=case, action="view_identity", user=user, party=Party.SYSTEM, data={"role": roles[0]})
    return Identity(complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone)


# --- Periodic work: closing answered complaints, escalating passed deadlines -----------------------------


def _supervisors(case: Case) -> list:
    """The handling unit's supervisor: its parent organisation's coordinators, else the complaint office's."""
    for organisation_id in (case.handler.parent_id if case.handler_id else None, case.organisation_id):
        if organisation_id is None:
            continue
        members = list(
            Membership.objects.filter(organisation_id=organisation_id, role=Role.COMPLAINT_COORDINATOR,
                                      user__is_active=True).select_related("user").order_by("user_id")
        )
        if members:
            return [m.user for m in members]
    return []


def escalate_effect(case: Case, data: dict, actor: Actor) -> None:
    complaint = case.complaint
    if complaint.escalated_for == case.state_entered_at:
        raise ValidationError({"due_date": [_("Tahap ini sudah dieskalasi.")]})
    complaint.escalated_for = case.state_entered_at
    complaint.save(update_fields=["escalated_for"])


def complaints_escalate_overdue(*, today=None) -> int:
    """Tell the supervisor of every complaint whose stage deadline passed, once per stage; returns how many."""
    today = today or timezone.localdate()
    overdue = (
        Case.objects.filter(kind=KIND, state__in=ESCALATED_STATES, closed_at=None)
        .filter(Q(extended_due_date__lt=today) | Q(extended_due_date=None, due_date__lt=today))
        .exclude(complaint__escalated_for=F("state_entered_at"))
        .select_related("handler")
        .order_by("pk")
    )
    escalated = 0
    for case in list(overdue):
        supervisors = _supervisors(case)
        due = case.extended_due_date or case.due_date
        with transaction.atomic():
            try:
                event = case_apply_action(case=case, action="escalate", party=Party.SYSTEM,
                                          data={"due_date": due.isoformat(), "to": [u.pk for u in supervisors]})
            except (ActionNotAllowed, ValidationError):
                continue  # moved on, or escalated by a concurrent sweep
            _notify_supervisors(case, event, supervisors, due)
        escalated += 1
    return escalated


def _notify_supervisors(case: Case, event, supervisors, due) -> None:
    rows = []
    for user in supervisors:
        with translation.override(user.language):
            subject = _("Terlambat: %(code)s melewati batas waktu") % {"code": case.tracking_code}
            body = _(
                "Pengaduan %(code)s melewati batas waktu tahap ini (%(due)s) dan dieskalasi kepada Anda.\n"
                "Buka: %(url)s"
            ) % {"code": case.tracking_code, "due": due.isoformat(),
                 "url": f"{settings.SITE_URL}/kerja/kasus/{case.tracking_code}/"}
        common = dict(case=case, event=event, user=user, language=user.language, subject=subject[:200], body=body)
        rows.append(Notification(channel=Notification.Channel.IN_APP, status=Notification.Status.SENT,
                                 sent_at=timezone.now(), **common))
        rows.append(Notification(channel=Notification.Channel.EMAIL, email=user.email, **common))
    Notification.objects.bulk_create(rows)
    ids = [n.pk for n in rows if n.channel == Notification.Channel.EMAIL]
    if ids:
        transaction.on_commit(lambda: _deliver(ids))


def _deliver(ids: list[int]) -> None:
    from sibaru.core.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue(ids)
    except Exception:  # the deliver_notifications command sends it later; the escalation itself is saved
        logger.exception("Could not enqueue notifications %s", ids)


def complaints_forget_reporters(*, today=None) -> int:
    """Erase the identity of reporters whose complaint closed COMPLAINT_RETENTION_YEARS ago (UU 27/2022)."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=365 * settings.COMPLAINT_RETENTION_YEARS)
    return (
        Complaint.objects.filter(case__closed_at__date__lt=cutoff)
        .exclude(reporter_name="", reporter_email="", reporter_phone="")
        .update(reporter_name="", reporter_email="", reporter_phone="")
    )


def complaints_sweep(*, today=None) -> dict:
    """The periodic work: close answered complaints whose reply window passed, escalate late ones, and erase
    the identities kept past their retention period."""
    return {
        "closed": cases_apply_deadline_actions(today=today),
        "escalated": complaints_escalate_overdue(today=today),
        "forgotten": complaints_forget_reporters(today=today),
    }
