"""The proposal workflow, declared once and registered for each programme (its own tracking prefix).

draft → submitted → distributed (planning directorate to the technical directorate) → administrative
verification document by document, ending in field verification (technical per location, or site
verification for PSU), revision (back to the proposer, then resubmitted) or rejection → for decision →
decided within the quota → implementation → handed over. An undecided proposal lapses two years after
receipt (Permen PUPR 7/2022 Pasal 74(5)).

The deadlines of the stages are not set by a regulation [M]: they are settings (ASSISTANCE_DEADLINE_DAYS,
working days) so a ministry can set its own service standard.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.roles import Party, Role
from sibaru.core.workflow import Action, Deadline, State, Workflow, register

PROGRAMMES = {
    # code: (tracking prefix, label, field verification kind)
    "rusun": ("RSN", _("Usulan Rumah Susun"), "technical"),
    "rusus": ("RSS", _("Usulan Rumah Khusus"), "technical"),
    "swadaya": ("RSW", _("Usulan Rumah Swadaya (BSPS)"), "technical"),
    "psu": ("PSU", _("Usulan bantuan PSU"), "site"),
}

# Roles that open a proposal's review page (the evaluator reads it; the others act there).
REVIEWER_ROLES = frozenset({Role.PLANNING_OFFICER, Role.VERIFIER, Role.FIELD_VERIFIER, Role.DECISION_MAKER,
                            Role.ADMINISTRATOR, Role.EVALUATOR})

DEFAULT_DEADLINE_DAYS = {
    "submitted": 5,
    "distributed": 10,
    "revision": 20,
    "field_verification": 20,
    "for_decision": 30,
}


def kind_for(programme_code: str) -> str:
    return f"proposal_{programme_code}"


def _deadline(state: str) -> Deadline:
    return Deadline({**DEFAULT_DEADLINE_DAYS, **settings.ASSISTANCE_DEADLINE_DAYS}[state])


def _effects():
    # Imported late: the rules read models and the services module imports this one.
    from sibaru.assistance import rules

    return rules


def _effect(name):
    def apply(case, data, actor):
        getattr(_effects(), name)(case, data, actor)

    return apply


def _regional_field_verifiers(case):
    """The field verifiers of the regional offices (Balai/SNVT) whose region contains the proposal's: they
    visit the locations, although the proposal is handled by the technical directorate."""
    from sibaru.accounts.models import Membership, Organisation

    region = case.region_id or ""
    if not region:
        return []
    members = Membership.objects.filter(
        role=Role.FIELD_VERIFIER, user__is_active=True, organisation__kind=Organisation.Kind.WORK_UNIT,
        organisation__region_id__in=[region[:length] for length in range(2, len(region) + 1)],
    ).select_related("user").order_by("user_id")
    return [m.user for m in members]


def _proposal_contact(case):
    """The proposer's operators and the province monitors of the proposal's province are told of each step,
    by e-mail and in the app (they are users)."""
    from django.db.models import Q

    from sibaru.accounts.models import Membership

    province = (case.region_id or "")[:2]
    if case.submitted_at is None:  # a draft is its operators' own work, and nobody else's business yet
        return []
    members = Membership.objects.filter(user__is_active=True).filter(
        Q(organisation_id=case.organisation_id, role=Role.PROPOSER_OPERATOR)
        | Q(organisation__region_id=province, role=Role.PROVINCE_MONITOR)
    ).select_related("user").order_by("user_id")
    return [m.user for m in members] if province else []


def _staff_page(case, roles):
    """Reviewers act on the review page (distribution and decisions need its forms); others read the proposal."""
    from django.urls import reverse

    name = "assistance:review" if roles & REVIEWER_ROLES else "assistance:proposal"
    return reverse(name, kwargs={"tracking_code": case.tracking_code})


def _workflow(code: str, prefix: str, label, verification: str) -> Workflow:
    field_label = _("Verifikasi lokasi") if verification == "site" else _("Verifikasi teknis")
    proposer = (Role.PROPOSER_OPERATOR,)
    # Administrative verification is the technical directorate's (the handler); field verification is also
    # done by the regional office (Balai/SNVT) of the proposal's region.
    verifier = (Role.VERIFIER,)
    field = (Role.VERIFIER, Role.FIELD_VERIFIER)
    open_states = ("submitted", "distributed", "revision", "field_verification", "for_decision")
    return Workflow(
        kind=kind_for(code),
        prefix=prefix,
        label=label,
        initial="draft",
        states=(
            State("draft", _("Draf"), actor=Role.PROPOSER_OPERATOR,
                  public_hint=_("Usulan masih disusun oleh pengusul.")),
            State("submitted", _("Terkirim"), deadline=_deadline("submitted"), actor=Role.PLANNING_OFFICER,
                  public_hint=_("Direktorat perencanaan memeriksa dan mendistribusikan usulan.")),
            State("distributed", _("Verifikasi administrasi"), deadline=_deadline("distributed"),
                  actor=Role.VERIFIER, public_hint=_("Direktorat teknis memeriksa dokumen satu per satu.")),
            State("revision", _("Perbaikan"), deadline=_deadline("revision"), actor=Role.PROPOSER_OPERATOR,
                  public_hint=_("Pengusul melengkapi dokumen yang belum lengkap.")),
            State("field_verification", field_label, deadline=_deadline("field_verification"),
                  actor=Role.VERIFIER, also_notify=_regional_field_verifiers,
                  public_hint=_("Verifikator meninjau lokasi.")),
            State("for_decision", _("Menunggu penetapan"), deadline=_deadline("for_decision"),
                  actor=Role.DECISION_MAKER, public_hint=_("Usulan dipertimbangkan sesuai kuota tahun anggaran.")),
            State("decided", _("Ditetapkan"), actor=Role.VERIFIER,
                  public_hint=_("Usulan ditetapkan dan menunggu pelaksanaan.")),
            State("implementation", _("Dalam pelaksanaan"), actor=Role.VERIFIER,
                  public_hint=_("Pembangunan sedang berjalan.")),
            State("handed_over", _("Serah terima"), final=True, public_hint=_("Aset sudah diserahterimakan.")),
            State("rejected", _("Ditolak"), final=True, public_hint=_("Usulan tidak dapat dilanjutkan.")),
            State("not_eligible", _("Tidak layak"), final=True,
                  public_hint=_("Hasil verifikasi lapangan: lokasi tidak layak.")),
            State("lapsed", _("Kedaluwarsa"), final=True,
                  public_hint=_("Usulan melewati masa berlaku dua tahun tanpa penetapan.")),
            State("withdrawn", _("Ditarik"), final=True, public_hint=_("Usulan ditarik oleh pengusul.")),
        ),
        # Every public step tells the applicant contacts (the proposer's operators, the province monitors) and
        # the next state's actors.
        actions=(
            Action("submit", _("Kirim usulan"), ("draft",), "submitted", roles=proposer,
                   effect=_effect("check_submission")),
            Action("withdraw", _("Tarik usulan"), ("draft", "revision"), "withdrawn", roles=proposer,
                   note_required=True, notify=()),
            Action("distribute", _("Distribusikan"), ("submitted",), "distributed", roles=(Role.PLANNING_OFFICER,),
                   needs=("directorate", "agenda_number"), effect=_effect("distribute"),
                   record=("disposition",)),
            Action("pass_administrative", _("Lolos verifikasi administrasi"), ("distributed",),
                   "field_verification", roles=verifier, effect=_effect("check_documents_complete")),
            Action("request_revision", _("Minta perbaikan"), ("distributed",), "revision", roles=verifier,
                   effect=_effect("check_documents_incomplete")),
            Action("resubmit", _("Kirim perbaikan"), ("revision",), "distributed", roles=proposer,
                   effect=_effect("check_resubmission")),
            Action("reject", _("Tolak"), ("distributed", "submitted"), "rejected",
                   roles=(*verifier, Role.PLANNING_OFFICER), note_required=True),
            Action("find_eligible", _("Layak"), ("field_verification",), "for_decision", roles=field,
                   effect=_effect("check_field_eligible")),
            Action("find_not_eligible", _("Tidak layak"), ("field_verification",), "not_eligible", roles=field,
                   note_required=True),
            Action("decide", _("Tetapkan"), ("for_decision",), "decided", roles=(Role.DECISION_MAKER,),
                   needs=("units", "decision_number"), effect=_effect("decide"), record=("budget",)),
            Action("decline", _("Tidak ditetapkan"), ("for_decision",), "rejected", roles=(Role.DECISION_MAKER,),
                   note_required=True),
            Action("start_implementation", _("Mulai pelaksanaan"), ("decided",), "implementation", roles=verifier),
            Action("hand_over", _("Serah terima aset"), ("implementation",), "handed_over", roles=verifier,
                   effect=_effect("hand_over")),
            Action("lapse", _("Kedaluwarsa"), open_states, "lapsed", roles=(Party.SYSTEM,)),
            Action("add_note", _("Catatan internal"), ("submitted", "distributed", "revision", "field_verification",
                                                       "for_decision", "decided", "implementation"),
                   None, roles=(Role.PLANNING_OFFICER, *field, Role.DECISION_MAKER),
                   note_required=True, public=False, notify=()),
        ),
        viewer_roles=(Role.PROPOSER_OPERATOR, Role.VERIFIER, Role.ADMINISTRATOR),
        region_viewer_roles=(Role.PROVINCE_MONITOR, Role.FIELD_VERIFIER),
        all_viewer_roles=(Role.PLANNING_OFFICER, Role.DECISION_MAKER, Role.EVALUATOR),
        applicant_contact=_proposal_contact,
        detail_template="assistance/case_detail.html",
        staff_page=_staff_page,
    )


WORKFLOWS = {code: register(_workflow(code, *spec)) for code, spec in PROGRAMMES.items()}
