"""Informasi Publik pages: the public request form, the requester's private page and objection, the public
information list; the PPID's request page, the superior's objection page, the registers and the report."""

import uuid
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from sibaru.accounts.roles import Role
from sibaru.core.models import Case, Event
from sibaru.core.pdf import pdf_response
from sibaru.core.scope import is_administrator, is_staff_member, memberships_of, roles_for_case
from sibaru.core.selectors import case_for_staff
from sibaru.core.services import ActionNotAllowed, IdempotencyConflict
from sibaru.information import documents, exports, selectors, services
from sibaru.information.forms import (
    AnswerForm,
    AssignForm,
    CatalogueSearchForm,
    ExemptPartFormSet,
    ExtendForm,
    IdentityCompletionForm,
    ObjectionDecisionForm,
    ObjectionForm,
    ReportPeriodForm,
    RequesterResponseForm,
    RequestForm,
)
from sibaru.information.models import CatalogueEntry, Decision, InfoClass, InformationRequest, Objection
from sibaru.information.workflow import OBJECTION_KIND, REQUEST_KIND

_submit_limit = ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_SUBMIT, method="POST", block=True)
# The registers hold names and addresses: PPID only. The report is counts: evaluators see it too.
REGISTER_ROLES = {Role.PPID_OFFICER, Role.PPID_SUPERIOR, Role.ADMINISTRATOR}
REPORT_ROLES = REGISTER_ROLES | {Role.EVALUATOR}


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _resubmittable(form_class, request, message):
    """A form whose idempotency key was already used for different content gets a new key and an error."""
    data = request.POST.copy()
    data["submission_id"] = uuid.uuid4().hex
    form = form_class(data, request.FILES or None)
    form.is_valid()
    form.add_error(None, message)
    return form


# --- Public -------------------------------------------------------------------------------------------------


@require_GET
def home(request):
    return render(request, "information/home.html")


@require_http_methods(["GET", "POST"])
@_submit_limit
def request_submit(request):
    search = CatalogueSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, token = services.info_request_submit(
                **{k: data[k] for k in ("requester_type", "name", "id_number", "occupation", "address", "email",
                                        "phone", "proxy_name", "information", "purpose", "obtain", "delivery",
                                        "identity_document", "power_of_attorney")},
                idempotency_key=data["submission_id"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except IdempotencyConflict:
            form = _resubmittable(RequestForm, request, _("Formulir ini sudah pernah dikirim dengan isi lain. "
                                                          "Periksa isiannya, lalu kirim lagi."))
        else:
            if token:
                request.session[f"information:{case.tracking_code}"] = token
            return redirect("information:submitted", tracking_code=case.tracking_code)
    return render(request, "information/request_form.html", {
        "form": form, "search": search, "query": query,
        "suggestions": selectors.catalogue_search(q=query)[:10] if query else [],
    }, status=400 if form.errors else 200)


def _private_url(request, case, token) -> str:
    return request.build_absolute_uri(reverse("information:private", args=[case.tracking_code, token]))


@require_GET
def submitted(request, tracking_code):
    info = get_object_or_404(InformationRequest.objects.select_related("case"), case__tracking_code=tracking_code)
    token = request.session.get(f"information:{tracking_code}")
    clock = selectors.request_clock(info)
    return render(request, "information/submitted.html", {
        "info": info, "case": info.case, "clock": clock,
        "private_url": _private_url(request, info.case, token) if token else "",
        "receipt_url": reverse("information:request_receipt", args=[tracking_code, token]) if token else "",
        # Only the person who sent it (their session holds the token) sees what matches their words.
        "suggestions": selectors.catalogue_suggestions(info.information) if token else [],
    })


def _by_token(tracking_code, token) -> InformationRequest:
    info = services.info_request_by_token(tracking_code=tracking_code, token=token)
    if info is None:
        raise Http404
    return info


@require_GET
def private(request, tracking_code, token):
    info = _by_token(tracking_code, token)
    decision = info.decision if selectors._has_decision(info) else None
    objections = list(info.objections.select_related("case", "ground").order_by("pk"))
    for objection in objections:
        objection.deadlines = selectors.objection_deadlines(objection)
    window = selectors.objection_window(info)
    return render(request, "information/private.html", {
        "info": info, "case": info.case, "token": token, "clock": selectors.request_clock(info),
        "decision": decision,
        "exempt_parts": list(decision.exempt_parts.select_related("ground")) if decision else [],
        "events": selectors.public_events(info.case), "objections": objections,
        "can_object": window is not None and timezone.localdate() <= window.last_day
        and not any(o.case.closed_at is None for o in objections),
    })


@require_http_methods(["GET", "POST"])
@_submit_limit
def objection_submit(request, tracking_code, token):
    info = _by_token(tracking_code, token)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.info_objection_submit(request=info, ground=data["ground"].code, statement=data["statement"],
                                                  proxy_name=data["proxy_name"], idempotency_key=data["submission_id"])
        except ValidationError as error:
            _add_errors(form, error)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        except IdempotencyConflict:
            form = _resubmittable(ObjectionForm, request, _("Keberatan ini sudah pernah dikirim dengan isi lain."))
        else:
            messages.success(request,
                             _("Keberatan Anda terdaftar dengan nomor %(code)s.") % {"code": case.tracking_code})
            return redirect("information:private", tracking_code=tracking_code, token=token)
    return render(request, "information/objection_form.html", {
        "form": form, "info": info, "token": token, "window": selectors.objection_window(info),
    }, status=400 if form.errors else 200)


@require_GET
def fee_receipt(request, tracking_code, token):
    info = _by_token(tracking_code, token)
    decision = get_object_or_404(Decision, request=info, fee_paid_at__isnull=False)
    return render(request, "information/receipt.html", {"info": info, "decision": decision})


@require_GET
def request_receipt(request, tracking_code, token):
    """The receipt as a PDF, for whoever holds the private link."""
    info = _by_token(tracking_code, token)
    return pdf_response(documents.request_receipt_pdf(info, language=get_language()),
                        documents.request_receipt_filename(info))


@require_GET
def catalogue(request):
    form = CatalogueSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "info_class": ""}
    return render(request, "information/catalogue.html", {
        "form": form, "entries": selectors.catalogue_search(**filters),
    })


@require_GET
def catalogue_entry(request, pk):
    entry = get_object_or_404(CatalogueEntry.objects.select_related("unit", "exemption_ground"), pk=pk, published=True)
    return render(request, "information/catalogue_entry.html", {"entry": entry})


@require_GET
def catalogue_document(request, pk):
    entry = get_object_or_404(CatalogueEntry, pk=pk, published=True)
    if not entry.is_public or not entry.document:
        raise Http404
    return FileResponse(entry.document.open("rb"), as_attachment=False,
                        filename=entry.document.name.rsplit("/", 1)[-1])


@require_GET
def periodic_schedule(request):
    """The periodic (berkala) entries with their last and next update (UU 14/2008 Pasal 9: at least every
    6 months; without a set date, 6 months after the last update). `manage.py information_reminders` reminds
    the units; this page only shows the schedule."""
    today = timezone.localdate()
    entries = list(CatalogueEntry.objects.filter(info_class=InfoClass.PERIODIC, published=True).select_related("unit"))
    for entry in entries:
        entry.due = entry.update_due
        entry.overdue = entry.due < today
    entries.sort(key=lambda entry: (entry.due, entry.title))
    return render(request, "information/periodic.html", {"entries": entries})


# --- Staff --------------------------------------------------------------------------------------------------


def _staff_case(request, tracking_code, kind) -> Case:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Ruang kerja hanya untuk petugas."))
    try:
        case = case_for_staff(request.user, tracking_code)
    except Case.DoesNotExist:
        raise Http404 from None
    if case.kind != kind:
        raise Http404
    return case


def _render_request(request, case, *, forms=None, show_identity=False, status=200):
    info = InformationRequest.objects.select_related("identity_document", "power_of_attorney").get(case=case)
    roles = roles_for_case(request.user, case)
    is_ppid = bool(roles & services.PPID_ROLES)
    is_officer = bool(roles & {Role.PPID_OFFICER, Role.ADMINISTRATOR})
    open_ = case.closed_at is None
    forms = forms or {}
    decision = info.decision if selectors._has_decision(info) else None
    context = {
        "info": info, "case": case, "clock": selectors.request_clock(info), "decision": decision,
        "exempt_parts": list(decision.exempt_parts.select_related("ground")) if decision else [],
        "is_ppid": is_ppid, "show_identity": show_identity and is_ppid,
        "events": selectors.public_events(case),
        "suggestions": selectors.catalogue_suggestions(info.information) if is_officer and open_ else [],
        "objections": list(info.objections.select_related("case", "ground")) if is_ppid else [],
        # The complaint it came from: the code is in the linking event the conversion appended.
        "converted_from": Event.objects.filter(case=case, action="converted_from_complaint")
        .values_list("data__complaint", flat=True).first(),
    }
    if info.identity_pending and open_ and Role.PPID_OFFICER in roles:
        context["identity_form"] = forms.get("identity_complete") or IdentityCompletionForm(prefix="identity")
    if is_officer and open_:
        if case.state == "registered":
            context["assign_form"] = forms.get("assign") or AssignForm(prefix="assign")
        if not info.extended_on:
            context["extend_form"] = forms.get("extend") or ExtendForm(prefix="extend")
        context["answer_form"] = forms.get("answer") or AnswerForm(prefix="answer")
        context["parts_formset"] = forms.get("parts") or ExemptPartFormSet(prefix="parts")
    context["can_record_payment"] = is_officer and decision and decision.fee and not decision.fee_paid_at
    return render(request, "information/manage_request.html", context, status=status)


@login_required
@require_GET
def manage_request(request, tracking_code):
    return _render_request(request, _staff_case(request, tracking_code, REQUEST_KIND))


@login_required
@require_POST
def manage_request_action(request, tracking_code):
    case = _staff_case(request, tracking_code, REQUEST_KIND)
    info = InformationRequest.objects.get(case=case)
    op = request.POST.get("op", "")
    forms = {}
    try:
        if op == "identity":
            services.info_request_identity_view(request=info, user=request.user)
            return _render_request(request, case, show_identity=True)
        if op == "identity_document":
            which = request.POST.get("document")
            attachment = info.power_of_attorney if which == "power_of_attorney" else info.identity_document
            if attachment is None:
                raise Http404
            services.info_request_identity_view(request=info, user=request.user, what=which or "identity_document")
            return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        if op == "identity_complete":
            form = forms[op] = IdentityCompletionForm(request.POST, request.FILES, prefix="identity")
            if form.is_valid():
                data = form.cleaned_data
                services.info_request_identity_complete(request=info, user=request.user, data=data,
                                                        identity_document=data["identity_document"])
                messages.success(request, _("Identitas pemohon tersimpan; permohonan tidak lagi ditandai belum "
                                            "lengkap."))
                return redirect("information:manage", tracking_code=tracking_code)
        elif op == "assign":
            form = forms["assign"] = AssignForm(request.POST, prefix="assign")
            if form.is_valid():
                services.info_request_assign(request=info, user=request.user, unit=form.cleaned_data["handler"],
                                             note=form.cleaned_data["note"])
                messages.success(request, _("Permohonan diteruskan ke unit."))
                return redirect("information:manage", tracking_code=tracking_code)
        elif op == "extend":
            form = forms["extend"] = ExtendForm(request.POST, prefix="extend")
            if form.is_valid():
                services.info_request_extend(request=info, user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Batas waktu diperpanjang 7 hari kerja; alasan dikirim ke pemohon."))
                return redirect("information:manage", tracking_code=tracking_code)
        elif op == "answer":
            form = forms["answer"] = AnswerForm(request.POST, prefix="answer")
            parts = forms["parts"] = ExemptPartFormSet(request.POST, prefix="parts")
            if form.is_valid() and parts.is_valid():
                data = form.cleaned_data
                services.info_request_answer(
                    request=info, user=request.user, note=data["note"], outcome=data["outcome"],
                    material=data["material"], holder=data["holder"],
                    catalogue_entry=data["catalogue_entry"].pk if data["catalogue_entry"] else None,
                    copy_pages=data["copy_pages"] or 0, copy_medium=data["copy_medium"],
                    exempt_parts=[
                        {"description": p["description"], "ground": p["ground"].code if p.get("ground") else "",
                         "consequence": p["consequence"], "until": p["until"].isoformat() if p.get("until") else None}
                        for p in parts.cleaned_data if p
                    ],
                )
                messages.success(request, _("Pemberitahuan tertulis tersimpan dan dikirim ke pemohon."))
                return redirect("information:manage", tracking_code=tracking_code)
        elif op == "payment":
            services.info_fee_record_payment(request=info, user=request.user)
            messages.success(request, _("Pembayaran tercatat; kuitansi dapat dilihat pemohon."))
            return redirect("information:manage", tracking_code=tracking_code)
        else:
            raise Http404
    except ActionNotAllowed as error:
        messages.error(request, error.message)
        return redirect("information:manage", tracking_code=tracking_code)
    except ValidationError as error:
        form = forms.get(op)
        for field, errors in error.message_dict.items():
            for message in errors:
                if op == "answer" and field.startswith("exempt_parts."):
                    _index, name = field.split(".")[1:]
                    forms["parts"].forms[int(_index)].add_error(name, message)
                else:
                    form.add_error(field if field in form.fields else None, message)
    return _render_request(request, case, forms=forms, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def manage_objection(request, tracking_code):
    case = _staff_case(request, tracking_code, OBJECTION_KIND)
    objection = Objection.objects.select_related("request__case", "ground").get(case=case)
    roles = roles_for_case(request.user, case)
    can_decide = case.closed_at is None and bool(roles & {Role.PPID_SUPERIOR})
    # Once decided, the PPID records the requester's response for the register (services.py).
    can_record_response = bool(objection.outcome) and bool(roles & services.PPID_ROLES)
    recording = request.method == "POST" and request.POST.get("op") == "requester_response"
    decide_data = request.POST if request.method == "POST" and not recording else None
    form = ObjectionDecisionForm(decide_data) if can_decide else None
    response_form = RequesterResponseForm(
        request.POST if recording else None, prefix="response",
        initial={"response": objection.requester_response, "responded_on": objection.requester_response_on,
                 "note": objection.requester_response_note},
    ) if can_record_response else None
    if recording:
        if not can_record_response:
            raise PermissionDenied(_("Hanya PPID yang mencatat tanggapan pemohon, setelah keberatan ditanggapi."))
        if response_form.is_valid():
            try:
                services.info_objection_response_record(objection=objection, user=request.user,
                                                        **response_form.cleaned_data)
            except ValidationError as error:
                _add_errors(response_form, error)
            except ActionNotAllowed as error:
                response_form.add_error(None, error.message)
            else:
                messages.success(request, _("Tanggapan pemohon tercatat di register keberatan."))
                return redirect("information:manage_objection", tracking_code=tracking_code)
    elif request.method == "POST":
        if not can_decide:
            raise PermissionDenied(_("Hanya atasan PPID yang menanggapi keberatan."))
        if form.is_valid():
            try:
                services.info_objection_decide(objection=objection, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            except ActionNotAllowed as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Tanggapan atas keberatan tersimpan dan dikirim ke pemohon."))
                return redirect("information:manage_objection", tracking_code=tracking_code)
    info = objection.request
    decision = info.decision if selectors._has_decision(info) else None
    return render(request, "information/manage_objection.html", {
        "objection": objection, "case": case, "info": info, "decision": decision,
        "exempt_parts": list(decision.exempt_parts.select_related("ground")) if decision else [],
        "deadlines": selectors.objection_deadlines(objection), "form": form, "response_form": response_form,
    }, status=400 if any(f is not None and f.errors for f in (form, response_form)) else 200)


def _require_role(user, roles):
    if not (is_administrator(user) or {m.role for m in memberships_of(user)} & roles):
        raise PermissionDenied(_("Halaman ini hanya untuk PPID."))


def _period(request) -> tuple[ReportPeriodForm, selectors.Period]:
    today = timezone.localdate()
    form = ReportPeriodForm(request.GET or {"year": today.year, "semester": "1" if today.month <= 6 else "2"})
    if form.is_valid():
        semester = form.cleaned_data["semester"]
        return form, selectors.Period(form.cleaned_data["year"], int(semester) if semester else None)
    return form, selectors.Period(today.year, None)


def _xlsx(workbook, name) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def request_register(request):
    _require_role(request.user, REGISTER_ROLES)
    form, period = _period(request)
    rows = selectors.request_register(period)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.request_register_workbook(rows, period), f"register-permohonan-{period.year}")
    return render(request, "information/register_requests.html",
                  {"form": form, "period": period, "rows": [(r, exports.request_row(r)) for r in rows],
                   "headers": exports.REQUEST_COLUMNS})


@login_required
@require_GET
def objection_register(request):
    _require_role(request.user, REGISTER_ROLES)
    form, period = _period(request)
    rows = selectors.objection_register(period)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.objection_register_workbook(rows, period), f"register-keberatan-{period.year}")
    return render(request, "information/register_objections.html",
                  {"form": form, "period": period, "rows": [exports.objection_row(o) for o in rows],
                   "headers": exports.OBJECTION_COLUMNS})


@login_required
@require_GET
def report(request):
    _require_role(request.user, REPORT_ROLES)
    form, period = _period(request)
    data = selectors.ppid_report(period)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.report_workbook(data), f"laporan-ppid-{period.year}")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(exports.report_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="laporan-ppid-{period.year}.pdf"'
        return response
    return render(request, "information/report.html",
                  {"form": form, "report": data, "rows": exports.report_rows(data)})
