"""The trial service's workflow: received → in process → answered → closed, with reopening."""

from django.utils.translation import gettext_lazy as _

from sibaru.accounts.roles import Party, Role
from sibaru.core.workflow import Action, Deadline, State, Workflow, register

STAFF = (Role.COMPLAINT_COORDINATOR, Role.UNIT_OFFICER, Role.ADMINISTRATOR)


def _applicant_contact(case):
    request = case.trial_request
    return (request.email, request.name, request.language) if request.email else None


def _assign_handler(case, data):
    from sibaru.accounts.models import Organisation

    handler = data.get("handler")
    if handler:
        try:
            case.handler = Organisation.objects.get(pk=handler)
        except (Organisation.DoesNotExist, ValueError):
            from django.core.exceptions import ValidationError

            raise ValidationError({"handler": [_("Unit tidak dikenal.")]}) from None


TRIAL = register(
    Workflow(
        kind="trial",
        prefix="UJI",
        label=_("Permintaan uji coba"),
        initial="received",
        states=(
            State("received", _("Diterima"), deadline=Deadline(3), actor=Role.COMPLAINT_COORDINATOR,
                  public_hint=_("Petugas memeriksa permintaan Anda.")),
            State("in_process", _("Diproses"), deadline=Deadline(5), actor=Role.UNIT_OFFICER,
                  public_hint=_("Unit yang berwenang sedang menindaklanjuti.")),
            State("answered", _("Dijawab"), deadline=Deadline(10), actor=Party.APPLICANT,
                  public_hint=_("Jawaban sudah diberikan. Anda dapat menanggapinya sebelum batas waktu.")),
            State("closed", _("Selesai"), final=True, public_hint=_("Permintaan ini sudah selesai.")),
        ),
        actions=(
            Action("accept", _("Terima dan teruskan"), ("received",), "in_process",
                   roles=(Role.COMPLAINT_COORDINATOR, Role.ADMINISTRATOR), effect=_assign_handler,
                   record=("handler",)),
            Action("answer", _("Jawab"), ("in_process",), "answered",
                   roles=(Role.UNIT_OFFICER, Role.COMPLAINT_COORDINATOR), note_required=True),
            Action("reopen", _("Tanggapi jawaban"), ("answered",), "in_process", roles=(Party.APPLICANT,),
                   note_required=True),
            Action("close", _("Tutup"), ("answered",), "closed",
                   roles=(Party.APPLICANT, Party.SYSTEM, Role.COMPLAINT_COORDINATOR)),
            Action("add_note", _("Catatan internal"), ("received", "in_process", "answered"), None,
                   roles=STAFF, note_required=True, public=False, notify=()),
        ),
        viewer_roles=(*STAFF, Role.EVALUATOR),
        region_viewer_roles=(Role.PROVINCE_MONITOR,),
        applicant_contact=_applicant_contact,
        detail_template="trial/case_detail.html",
    )
)
