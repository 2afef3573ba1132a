"""The staff workspace: one inbox of every case the user may see, and the case page with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sibaru.core import workflow
from sibaru.core.models import Attachment, Case
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
from sibaru.workspace.forms import ActionForm, InboxFilterForm


def _require_staff(user):
    if not is_staff_member(user):
        raise PermissionDenied(_("Ruang kerja hanya untuk petugas."))


@login_required
@require_GET
def inbox(request):
    _require_staff(request.user)
    form = InboxFilterForm(request.GET or None)
    filters = InboxFilters(**form.cleaned_data) if form.is_valid() else InboxFilters()
    page = inbox_page(request.user, filters, cursor=request.GET.get("cursor", ""))
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = [(case, workflow.get(case.kind)) for case in page.items]
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


def _load_case(request, tracking_code) -> Case:
    _require_staff(request.user)
    try:
        return case_for_staff(request.user, tracking_code)
    except Case.DoesNotExist:
        raise Http404 from None


def _render_case(request, case: Case, failed_form: ActionForm | None = None, status: int = 200):
    flow = workflow.get(case.kind)
    roles = roles_for_case(request.user, case)
    forms = []
    for spec in flow.actions_from(case.state, roles):
        if failed_form is not None and failed_form.action_spec.code == spec.code:
            forms.append(failed_form)
        else:
            forms.append(ActionForm(action_spec=spec, prefix=spec.code))
    events = case_timeline(case, public_only=False)
    for event in events:
        spec = flow.action(event.action)
        event.action_label = spec.label if spec else (_("Dibuka") if event.action == "open" else event.action)
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
    if spec is None:
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
