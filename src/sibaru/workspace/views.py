"""The staff workspace: one inbox of every case the user may see, and the case page with its actions."""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sibaru.core import workflow
from sibaru.core.exports import Column, ListExport, rows_by_page
from sibaru.core.models import Attachment, Case, Privacy
from sibaru.core.notifications import notifications_mark_read
from sibaru.core.scope import cases_visible_to, is_staff_member, roles_for_case
from sibaru.core.selectors import (
    InboxFilters,
    case_for_staff,
    case_timeline,
    notifications_for,
    unread_notification_count,
)
from sibaru.core.selectors import inbox as inbox_page
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.core.views_exports import export_response
from sibaru.workspace.forms import ActionForm, InboxFilterForm

# Events appended outside the workflow (no Action declares them): their labels, in one place.
EVENT_LABELS = {
    "open": gettext_lazy("Dibuka"),
    "due_recomputed": gettext_lazy("Batas waktu dihitung ulang (kalender berubah)"),
    "edited": gettext_lazy("Data diubah"),
    "comment": gettext_lazy("Komentar"),
    "document_uploaded": gettext_lazy("Dokumen diunggah"),
    "document_reviewed": gettext_lazy("Dokumen diperiksa"),
    "field_visit": gettext_lazy("Kunjungan lapangan dicatat"),
    "endorsed": gettext_lazy("Dukungan diberikan"),
    "checkpoint_marked": gettext_lazy("Tahapan ditandai selesai"),
    "checkpoint_unmarked": gettext_lazy("Tanda tahapan dibatalkan"),
    "beneficiary_added": gettext_lazy("Penerima bantuan ditambahkan"),
    "beneficiary_removed": gettext_lazy("Penerima bantuan dihapus"),
    "beneficiaries_imported": gettext_lazy("Daftar penerima bantuan diimpor"),
    "beneficiaries_viewed": gettext_lazy("Data pribadi penerima bantuan dibuka"),
    "decree_recorded": gettext_lazy("SK penerima bantuan dicatat"),
    "group_created": gettext_lazy("Kelompok penerima bantuan dibentuk"),
    "facilitator_added": gettext_lazy("Fasilitator lapangan ditambahkan"),
    "supplier_added": gettext_lazy("Penyedia bahan ditambahkan"),
    "purchase_line_added": gettext_lazy("Pembelian bahan dicatat"),
    "tranche_recorded": gettext_lazy("Pencairan tahap dicatat"),
    "progress_reported": gettext_lazy("Kemajuan pekerjaan dilaporkan"),
    "hand_over_step": gettext_lazy("Langkah serah terima dicatat"),
    "identity_viewed": gettext_lazy("Identitas pemohon dibuka"),
    "identity_completed": gettext_lazy("Identitas pemohon dilengkapi"),
    "fee_paid": gettext_lazy("Biaya salinan dibayar"),
    "objection_filed": gettext_lazy("Keberatan diajukan"),
    "converted_from_complaint": gettext_lazy("Dialihkan dari pengaduan"),
    "field_visit_photo": gettext_lazy("Foto kunjungan lapangan ditambahkan"),
    "requester_response": gettext_lazy("Tanggapan pemohon dicatat"),
    "decree_updated": gettext_lazy("SK penerima bantuan diubah"),
    "decree_deleted": gettext_lazy("SK penerima bantuan dihapus"),
    "group_updated": gettext_lazy("Kelompok penerima bantuan diubah"),
    "group_deleted": gettext_lazy("Kelompok penerima bantuan dihapus"),
    "facilitator_updated": gettext_lazy("Fasilitator lapangan diubah"),
    "facilitator_deleted": gettext_lazy("Fasilitator lapangan dihapus"),
    "supplier_updated": gettext_lazy("Penyedia bahan diubah"),
    "supplier_deleted": gettext_lazy("Penyedia bahan dihapus"),
    "purchase_line_updated": gettext_lazy("Pembelian bahan diubah"),
    "purchase_line_deleted": gettext_lazy("Pembelian bahan dihapus"),
    "tranche_voided": gettext_lazy("Pencairan tahap dibatalkan"),
    "progress_voided": gettext_lazy("Laporan kemajuan dibatalkan"),
    "hand_over_step_voided": gettext_lazy("Langkah serah terima dibatalkan"),
}


def event_label(flow, code: str) -> str:
    """The label of an event: its workflow action's, a known internal event's, or the code made readable."""
    spec = flow.action(code)
    if spec:
        return spec.label
    return EVENT_LABELS.get(code) or code.replace("_", " ").capitalize()


def _require_staff(user):
    if not is_staff_member(user):
        raise PermissionDenied(_("Ruang kerja hanya untuk petugas."))


@login_required
@require_GET
def inbox(request):
    _require_staff(request.user)
    form = InboxFilterForm(request.GET or None)
    filters = InboxFilters(**form.cleaned_data) if form.is_valid() else InboxFilters()
    if request.GET.get("format") == "xlsx":
        return export_response(request, INBOX_EXPORT, asdict(filters))
    page = inbox_page(request.user, filters, cursor=request.GET.get("cursor", ""))
    query = request.GET.copy()
    query.pop("cursor", None)
    # The flow and the state looked up once per row here, not by a loop over every state in the template.
    rows = [(case, flow, flow.state(case.state)) for case in page.items for flow in [workflow.get(case.kind)]]
    return render(
        request,
        "workspace/inbox.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": page.next_cursor,
            "query": query.urlencode(),
            "unread": unread_notification_count(request.user),
        },
    )


# The inbox's columns; a confidential or anonymous case's subject may name its reporter, so it stays out.
INBOX_COLUMNS = [
    Column(gettext_lazy("Nomor pelacakan"), lambda case: case.tracking_code, width=24),
    Column(gettext_lazy("Jenis"), lambda case: workflow.get(case.kind).label, width=28),
    Column(gettext_lazy("Perihal"), lambda case: case.subject if case.privacy == Privacy.PUBLIC else "", width=45),
    Column(gettext_lazy("Status"), lambda case: workflow.get(case.kind).state(case.state).label, width=22),
    Column(gettext_lazy("Batas waktu"), lambda case: case.effective_due_date, width=12),
    Column(gettext_lazy("Unit penanggung jawab"), lambda case: case.handler.name if case.handler_id else "", width=28),
    Column(gettext_lazy("Wilayah"), lambda case: case.region.name if case.region_id else "", width=22),
    Column(gettext_lazy("Dibuka"), lambda case: case.created_at, width=18),
    Column(gettext_lazy("Diperbarui"), lambda case: case.updated_at, width=18),
]


def _inbox_rows(user, filters: dict):
    """The whole filtered inbox, read through the page's own selector a page at a time."""
    inbox_filters = InboxFilters(**filters)

    def fetch(cursor, limit):
        page = inbox_page(user, inbox_filters, cursor=cursor, limit=limit)
        return page.items, page.next_cursor

    return rows_by_page(fetch)


INBOX_EXPORT = ListExport(path="sibaru.workspace.views.INBOX_EXPORT", name="kotak-masuk",
                          title=gettext_lazy("Kotak masuk"), list_url="workspace:inbox", columns=INBOX_COLUMNS,
                          rows=_inbox_rows)


def _load_case(request, tracking_code) -> Case:
    _require_staff(request.user)
    try:
        return case_for_staff(request.user, tracking_code)
    except Case.DoesNotExist:
        raise Http404 from None


def _render_case(request, case: Case, failed_form: ActionForm | None = None, status: int = 200):
    flow = workflow.get(case.kind)
    roles = roles_for_case(request.user, case)
    # A kind whose actions need its own forms is acted on from its own page: link there instead.
    staff_page = flow.staff_page(case, roles) if flow.staff_page else ""
    forms = []
    for spec in [] if staff_page else flow.actions_from(case.state, roles):
        if failed_form is not None and failed_form.action_spec.code == spec.code:
            forms.append(failed_form)
        else:
            forms.append(ActionForm(action_spec=spec, prefix=spec.code))
    events = case_timeline(case, public_only=False)
    for event in events:
        event.action_label = event_label(flow, event.action)
        event.to_label = flow.state(event.to_state).label if event.to_state else ""
    return render(
        request,
        "workspace/case.html",
        {
            "case": case,
            "flow": flow,
            "state": flow.state(case.state),
            "events": events,
            "action_forms": forms,
            "detail_template": flow.detail_template,
            "staff_page": staff_page,
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request, tracking_code):
    return _render_case(request, _load_case(request, tracking_code))


@login_required
@require_POST
def case_action(request, tracking_code):
    case = _load_case(request, tracking_code)
    flow = workflow.get(case.kind)
    code = request.POST.get("action", "")
    spec = flow.action(code)
    if spec is None or flow.staff_page:
        raise Http404
    form = ActionForm(request.POST, action_spec=spec, prefix=spec.code)
    if form.is_valid():
        try:
            case_apply_action(
                case=case, action=spec.code, user=request.user, note=form.cleaned_data["note"], data=form.action_data()
            )
        except ActionNotAllowed as error:
            messages.error(request, error.message)
            return redirect("workspace:case", tracking_code=case.tracking_code)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Tindakan “%(action)s” tersimpan.") % {"action": spec.label})
            return redirect("workspace:case", tracking_code=case.tracking_code)
    return _render_case(request, case, failed_form=form, status=400)


@login_required
@require_GET
def attachment_download(request, pk):
    _require_staff(request.user)
    attachment = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    if not cases_visible_to(request.user).filter(pk=attachment.case_id).exists():
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """In-app notifications, newest first; the button marks them all read."""
    _require_staff(request.user)
    items = notifications_for(request.user)
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("workspace:notifications")
    return render(request, "workspace/notifications.html", {"items": items})
