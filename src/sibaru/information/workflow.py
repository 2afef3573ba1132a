"""The information request and the objection, declared in the case engine (UU 14/2008 Pasal 22, 35–37).

Request: registered (10 working days from receipt) → in process at the unit that holds the information →
answered (granted, partly granted, refused, not held, already public). The PPID may extend once by 7
working days with a written reason, which is a public event and so is sent to the requester.
Objection (its own case, linked to the request): received by the PPID's superior, answered within 30
working days; the answer tells the requester of the Komisi Informasi route (14 working days).
"""

from django.utils.translation import gettext_lazy as _

from sibaru.accounts.roles import Role
from sibaru.core.workflow import Action, Deadline, State, Workflow, register

REQUEST_KIND = "information_request"
OBJECTION_KIND = "information_objection"
ANSWER_DAYS = 10  # Pasal 22(7)
EXTENSION_DAYS = 7  # Pasal 22(8)
OBJECTION_DAYS = 30  # Pasal 36(1): to file it; 36(2): to answer it
DISPUTE_DAYS = 14  # Pasal 37(2)

PPID = (Role.PPID_OFFICER,)


def _rule(name):
    def apply(case, data, actor):
        from sibaru.information import rules  # late: rules reads models

        getattr(rules, name)(case, data, actor)

    return apply


def _staff_page(name):
    """The PPID acts on the service's own pages (the decision and the objection need their forms)."""

    def url(case, roles):
        from django.urls import reverse

        return reverse(name, kwargs={"tracking_code": case.tracking_code})

    return url


def _requester_contact(case):
    request = case.information_request
    return (request.email, request.name, request.language) if request.email else None


def _objector_contact(case):
    request = case.information_objection.request
    return (request.email, request.name, request.language) if request.email else None


REQUEST = register(
    Workflow(
        kind=REQUEST_KIND,
        prefix="INF",
        label=_("Permohonan informasi publik"),
        initial="registered",
        states=(
            State("registered", _("Terdaftar"), deadline=Deadline(ANSWER_DAYS), actor=Role.PPID_OFFICER,
                  public_hint=_("PPID mencatat permohonan Anda dan mencari unit yang menguasai informasinya.")),
            # The answer is due 10 working days after receipt whoever holds the request (Pasal 22(7)).
            State("in_process", _("Diproses"), deadline=Deadline(ANSWER_DAYS), keeps_clock=True,
                  actor=Role.UNIT_OFFICER,
                  public_hint=_("Unit yang menguasai informasi sedang menyiapkannya untuk PPID.")),
            State("answered", _("Dijawab"), final=True,
                  public_hint=_("PPID sudah memberi pemberitahuan tertulis. Bila tidak puas, Anda dapat mengajukan "
                                "keberatan paling lambat 30 hari kerja.")),
        ),
        actions=(
            Action("assign", _("Teruskan ke unit"), ("registered",), "in_process", roles=PPID,
                   needs=("handler",), effect=_rule("assign"), record=("handler",), notify=("handler",)),
            Action("supply", _("Serahkan informasi ke PPID"), ("in_process",), None, roles=(Role.UNIT_OFFICER,),
                   note_required=True, public=False, notify=()),
            Action("extend", _("Perpanjang 7 hari kerja"), ("registered", "in_process"), None, roles=PPID,
                   note_required=True, effect=_rule("extend"), record=("extended_due_date",),
                   notify=("applicant",)),
            Action("answer", _("Beri pemberitahuan tertulis"), ("registered", "in_process"), "answered", roles=PPID,
                   needs=("outcome",), effect=_rule("answer"),
                   record=("material", "holder", "catalogue_entry", "exempt_parts", "copy_pages", "copy_medium",
                           "fee"),
                   notify=("applicant",)),
            Action("add_note", _("Catatan internal"), ("registered", "in_process"), None,
                   roles=(*PPID, Role.UNIT_OFFICER), note_required=True, public=False, notify=()),
        ),
        viewer_roles=(Role.UNIT_OFFICER, Role.ADMINISTRATOR),
        all_viewer_roles=(Role.PPID_OFFICER, Role.PPID_SUPERIOR, Role.EVALUATOR),
        applicant_contact=_requester_contact,
        detail_template="information/case_detail.html",
        staff_page=_staff_page("information:manage"),
    )
)

OBJECTION = register(
    Workflow(
        kind=OBJECTION_KIND,
        prefix="KBR",
        label=_("Keberatan informasi publik"),
        initial="received",
        states=(
            State("received", _("Diterima"), deadline=Deadline(OBJECTION_DAYS), actor=Role.PPID_SUPERIOR,
                  public_hint=_("Atasan PPID memeriksa keberatan Anda dan menanggapinya paling lambat 30 hari "
                                "kerja.")),
            State("decided", _("Ditanggapi"), final=True,
                  public_hint=_("Atasan PPID sudah menanggapi. Bila tidak puas, Anda dapat mengajukan sengketa ke "
                                "Komisi Informasi paling lambat 14 hari kerja setelah menerima tanggapan ini.")),
        ),
        actions=(
            Action("decide", _("Tanggapi keberatan"), ("received",), "decided", roles=(Role.PPID_SUPERIOR,),
                   needs=("outcome", "response"), effect=_rule("decide_objection"), notify=("applicant",)),
            Action("add_note", _("Catatan internal"), ("received",), None,
                   roles=(Role.PPID_SUPERIOR, Role.PPID_OFFICER), note_required=True, public=False, notify=()),
        ),
        viewer_roles=(Role.ADMINISTRATOR,),
        all_viewer_roles=(Role.PPID_SUPERIOR, Role.PPID_OFFICER, Role.EVALUATOR),
        applicant_contact=_objector_contact,
        detail_template="information/objection_detail.html",
        staff_page=_staff_page("information:manage_objection"),
    )
)
