"""The complaint workflow (SP4N-LAPOR!, domain.md §2, legal.md §5), declared once in the case engine.

received → verified by the complaint coordinator within 3 working days (type, category, classification,
units) → dispositioned → the unit's follow-up plan within 5 → in follow-up, resolved within the tier's
deadline (information 5, ordinary 14, supervision 60) → answered: the reporter may reply within 10, which
reopens it; otherwise it closes by itself → the reporter rates it. At intake the coordinator may instead
postpone it (ask the reporter; the clock stops), forward it (not our authority), archive it or merge it into
a duplicate.

Deadlines are settings (COMPLAINT_DEADLINES), each in working or calendar days, read when a state is
entered. The reporter acts as Party.APPLICANT through the private link; their own words are kept in
internal events, so the public tracking page never shows what they typed (it may hold personal data).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.roles import Party, Role
from sibaru.core.models import DayType
from sibaru.core.workflow import Action, Deadline, State, Workflow, register

KIND = "complaint"
DEFAULT_DEADLINES = {"verify": 3, "plan": 5, "information": 5, "ordinary": 14, "supervision": 60, "reply": 10}

COORDINATOR = (Role.COMPLAINT_COORDINATOR,)
UNIT = (Role.UNIT_OFFICER,)
REPORTER = (Party.APPLICANT,)
INTAKE_STATES = ("received", "postponed")
HANDLING_STATES = ("dispositioned", "in_follow_up")
ALL_STATES = ("received", "postponed", *HANDLING_STATES, "answered", "closed", "forwarded", "archived", "merged",
              "converted")


def stage_deadline(stage: str) -> Deadline:
    """The deadline of a stage: the default in working days, or COMPLAINT_DEADLINES' "<days>[:calendar]"."""
    raw = settings.COMPLAINT_DEADLINES.get(stage)
    if raw is None:
        return Deadline(DEFAULT_DEADLINES[stage])
    days, _sep, day_type = str(raw).partition(":")
    day_type = day_type or DayType.WORKING
    if not days.isdigit() or int(days) < 1 or day_type not in DayType.values:
        raise ImproperlyConfigured(f"COMPLAINT_DEADLINES {stage}={raw}: use <days> or <days>:calendar")
    return Deadline(int(days), day_type)


def _stage(stage: str):
    return lambda case: stage_deadline(stage)


def _tier(case) -> Deadline:
    return stage_deadline(case.complaint.classification)


def _reporter_contact(case):
    complaint = case.complaint
    if not complaint.reporter_email:
        return None
    return complaint.reporter_email, complaint.reporter_name, complaint.language


def _units_of(organisation_id):
    from sibaru.complaints.models import ComplaintUnit

    return ComplaintUnit.objects.filter(organisation_id=organisation_id).values("complaint_id")


def _supervised_units_of(organisation_id):
    from sibaru.complaints.models import ComplaintUnit

    return ComplaintUnit.objects.filter(organisation__parent_id=organisation_id).values("complaint_id")


def _extra_scope(membership):
    """A unit's officers see what was dispositioned to it; a coordinator also what went to its sub-units."""
    if membership.role == Role.UNIT_OFFICER:
        return Q(pk__in=_units_of(membership.organisation_id))
    if membership.role == Role.COMPLAINT_COORDINATOR:
        return Q(pk__in=_supervised_units_of(membership.organisation_id))
    return None


def _extra_scope_check(membership, case) -> bool:
    if membership.role == Role.UNIT_OFFICER:
        return _units_of(membership.organisation_id).filter(complaint_id=case.pk).exists()
    if membership.role == Role.COMPLAINT_COORDINATOR:
        return _supervised_units_of(membership.organisation_id).filter(complaint_id=case.pk).exists()
    return False


def _staff_page(case, roles):
    """Staff act on the complaint's own page: verification and reassignment need its forms."""
    from django.urls import reverse

    return reverse("complaints:staff_case", kwargs={"tracking_code": case.tracking_code}) if roles else ""


def _effect(name):
    def apply(case, data, actor):
        from sibaru.complaints import services

        getattr(services, name)(case, data, actor)

    return apply


COMPLAINT = register(
    Workflow(
        kind=KIND,
        prefix="ADU",
        label=_("Pengaduan"),
        initial="received",
        states=(
            State("received", _("Diterima"), deadline=_stage("verify"), actor=Role.COMPLAINT_COORDINATOR,
                  public_hint=_("Koordinator pengaduan memeriksa laporan Anda dan meneruskannya ke unit yang "
                                "berwenang.")),
            State("postponed", _("Ditunda"), actor=Party.APPLICANT, paused=True,
                  public_hint=_("Kami memerlukan keterangan tambahan dari pelapor. Waktu penanganan berhenti sampai "
                                "keterangan itu dikirim.")),
            State("dispositioned", _("Didisposisikan"), deadline=_stage("plan"), actor=Role.UNIT_OFFICER,
                  public_hint=_("Unit yang berwenang menyusun rencana tindak lanjut.")),
            State("in_follow_up", _("Ditindaklanjuti"), deadline=_tier, actor=Role.UNIT_OFFICER,
                  public_hint=_("Unit yang berwenang sedang menindaklanjuti laporan ini.")),
            State("answered", _("Dijawab"), deadline=_stage("reply"), actor=Party.APPLICANT, on_deadline="close",
                  public_hint=_("Tanggapan sudah diberikan. Pelapor dapat membalas sebelum batas waktu; bila tidak, "
                                "laporan selesai dengan sendirinya.")),
            State("closed", _("Selesai"), final=True, public_hint=_("Laporan ini sudah selesai ditangani.")),
            State("forwarded", _("Bukan kewenangan"), final=True,
                  public_hint=_("Laporan ini bukan kewenangan kami dan diteruskan kepada instansi yang berwenang.")),
            State("archived", _("Diarsipkan"), final=True, public_hint=_("Laporan ini diarsipkan.")),
            State("merged", _("Digabung"), final=True,
                  public_hint=_("Laporan ini digabung dengan laporan lain tentang hal yang sama.")),
            State("converted", _("Dialihkan menjadi permohonan informasi"), final=True,
                  public_hint=_("Permintaan informasi ini dilanjutkan sebagai permohonan informasi publik kepada PPID "
                                "dengan nomor pelacakan baru, yang dikirim kepada pelapor.")),
        ),
        actions=(
            Action("verify", _("Verifikasi dan disposisikan"), ("received",), "dispositioned", roles=COORDINATOR,
                   needs=("category", "units", "classification"), effect=_effect("verify_effect"),
                   record=("report_type", "title")),
            Action("postpone", _("Tunda: minta keterangan pelapor"), ("received",), "postponed", roles=COORDINATOR,
                   note_required=True),
            Action("complete", _("Kirim keterangan tambahan"), ("postponed",), "received", roles=REPORTER,
                   note_required=True, public=False, notify=("handler",), resumes=True),
            Action("forward", _("Bukan kewenangan: teruskan"), INTAKE_STATES, "forwarded", roles=COORDINATOR,
                   needs=("forwarded_to",), effect=_effect("forward_effect")),
            Action("archive", _("Arsipkan"), INTAKE_STATES, "archived", roles=COORDINATOR, note_required=True),
            Action("merge", _("Gabungkan dengan laporan lain"), ("received",), "merged", roles=COORDINATOR,
                   needs=("duplicate_of",), effect=_effect("merge_effect")),
            # A "permintaan informasi" becomes an information request (UU 14/2008) without retyping; an anonymous
            # one cannot (the request needs a requester). The effect opens the request in the same transaction.
            Action("convert_to_information_request", _("Alihkan menjadi permohonan informasi publik"), INTAKE_STATES,
                   "converted", roles=COORDINATOR, effect=_effect("convert_effect"), record=("information_request",)),
            Action("plan", _("Kirim rencana tindak lanjut"), ("dispositioned",), "in_follow_up", roles=UNIT,
                   note_required=True),
            Action("respond", _("Kirim tanggapan"), ("in_follow_up",), "answered", roles=UNIT, note_required=True),
            Action("reply", _("Balas tanggapan"), ("answered",), "in_follow_up", roles=REPORTER, note_required=True,
                   public=False, notify=("handler",)),
            Action("add_information", _("Tambah keterangan"), ("received", *HANDLING_STATES), None, roles=REPORTER,
                   note_required=True, public=False, notify=("handler",)),
            Action("rate", _("Beri penilaian"), ("answered", "closed"), "closed", roles=REPORTER,
                   needs=("rating",), effect=_effect("rate_effect"), record=("comment",), public=False, notify=()),
            Action("close", _("Tutup"), ("answered",), "closed", roles=(Party.SYSTEM, *COORDINATOR)),
            Action("reassign", _("Alihkan ke unit lain"), HANDLING_STATES, None, roles=COORDINATOR,
                   needs=("units",), effect=_effect("reassign_effect"), public=False,
                   notify=("handler",)),
            Action("add_note", _("Catatan internal"), ("received", "postponed", *HANDLING_STATES, "answered"), None,
                   roles=(*COORDINATOR, *UNIT), note_required=True, public=False, notify=()),
            # Recorded by the system when a stage's deadline passed; the supervisors are told by the sweep.
            Action("escalate", _("Eskalasi ke atasan unit"), ("received", *HANDLING_STATES), None,
                   roles=(Party.SYSTEM,), public=False, notify=(), effect=_effect("escalate_effect"),
                   record=("due_date", "to")),
            # Every view of a reporter's identity lands in the hash chain: recorded by the system for the user
            # who opened it (complaint_identity_view checks their role), never a button of its own.
            Action("view_identity", _("Identitas pelapor dibuka"), ALL_STATES, None, roles=(Party.SYSTEM,),
                   public=False, notify=(), record=("role",)),
        ),
        viewer_roles=(Role.COMPLAINT_COORDINATOR, Role.EVALUATOR, Role.ADMINISTRATOR),
        applicant_contact=_reporter_contact,
        detail_template="complaints/case_detail.html",
        staff_page=_staff_page,
        extra_scope=_extra_scope,
        extra_scope_check=_extra_scope_check,
    )
)
