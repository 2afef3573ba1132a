"""Complaint pages: the public intake (what and where, then similar reports and the details), the
confirmation, the reporter's private page, the public reports; staff intake, the actions with their own
forms, and the logged view of a reporter's identity. Thin: services write, selectors read."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from sibaru.accounts.roles import Party, Role
from sibaru.complaints import selectors
from sibaru.complaints.forms import (
    ComplaintForm,
    PublicFilterForm,
    RatingForm,
    ReporterNoteForm,
    StaffIntakeForm,
    StartForm,
    staff_form,
)
from sibaru.complaints.models import Channel, Complaint, ReportType
from sibaru.complaints.services import complaint_identity_view, complaint_submit, identity_roles
from sibaru.complaints.workflow import COMPLAINT
from sibaru.core.calendar import explain_due, explain_paused
from sibaru.core.models import Privacy
from sibaru.core.scope import memberships_of, roles_for_case
from sibaru.core.selectors import case_timeline, due_explanation, public_status
from sibaru.core.services import ActionNotAllowed, IdempotencyConflict, case_apply_action

SESSION_TOKENS = "complaint_follow_tokens"
_submit_rate = ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_SUBMIT, method="POST", block=True,
                         group="complaint_submit")
_track_rate = ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_TRACKING, block=True, group="track")


def _submit_form(request, form_class, *, channel=Channel.WEB, user=None):
    """Validate and submit; returns the new case, or None with the errors on the form."""
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        submitted = complaint_submit(
            report_type=data["report_type"], category=data["category"], title=data["title"],
            description=data["description"], region=data["region"], privacy=data["privacy"],
            reporter_name=data["reporter_name"], reporter_email=data["reporter_email"],
            reporter_phone=data["reporter_phone"], incident_date=data["incident_date"], latitude=data["latitude"],
            longitude=data["longitude"], attachments=data["attachments"], channel=data.get("channel", channel),
            user=user, idempotency_key=data["submission_id"],
        )
    except IdempotencyConflict:
        post = request.POST.copy()
        post["submission_id"] = uuid.uuid4().hex  # sending again makes a new report
        form = form_class(post)
        form.is_valid()
        form.add_error(None, _("Formulir ini sudah pernah dikirim dengan isi lain. Periksa isiannya, lalu kirim lagi."))
        return form, None
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return form, None
    if submitted.follow_token:
        tokens = request.session.get(SESSION_TOKENS, {})
        tokens[submitted.case.tracking_code] = submitted.follow_token
        request.session[SESSION_TOKENS] = dict(list(tokens.items())[-5:])
    return form, submitted.case


def _similar(form):
    data = getattr(form, "cleaned_data", {}) or {}
    if data.get("category") and data.get("region"):
        return selectors.similar_recent(data["category"], data["region"])
    return []


@require_http_methods(["GET", "POST"])
@_submit_rate
def submit(request):
    """Page 1 (GET): type, category, place. Page 2: similar recent reports, then the details (POST)."""
    if request.method == "POST":
        form, case = _submit_form(request, ComplaintForm)
        if case:
            return redirect("complaints:submitted", tracking_code=case.tracking_code)
        return _form_page(request, form, _similar(form), summary=_summary(form.cleaned_data), status=400)
    start = StartForm(request.GET or None)
    if not start.is_bound or not start.is_valid():
        return render(request, "complaints/start.html", {"form": start}, status=400 if start.is_bound else 200)
    chosen = start.cleaned_data
    form = ComplaintForm(initial={**chosen, "category": chosen["category"].code})
    return _form_page(request, form, _similar(start), summary=_summary(chosen))


def _summary(chosen) -> list:
    """Page 1's answers, shown on page 2 (where they travel as hidden fields)."""
    if not all(chosen.get(name) for name in ("report_type", "category", "region")):
        return []
    return [(_("Jenis laporan"), ReportType(chosen["report_type"]).label), (_("Kategori"), chosen["category"]),
            (_("Lokasi"), chosen["region"].name)]


def _form_page(request, form, similar, *, summary=(), status=200):
    return render(request, "complaints/form.html", {
        "form": form, "similar": similar, "summary": summary, "retention_years": settings.COMPLAINT_RETENTION_YEARS,
        "map_tile_url": settings.MAP_TILE_URL, "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }, status=status)


@require_GET
def submitted(request, tracking_code):
    status = public_status(tracking_code)
    if status is None or status.kind != COMPLAINT.kind:
        raise Http404
    token = request.session.get(SESSION_TOKENS, {}).get(tracking_code)
    follow_url = request.build_absolute_uri(reverse("complaints:follow", args=[token])) if token else ""
    return render(request, "complaints/submitted.html",
                  {"status": status, "due_explanation": due_explanation(status), "follow_url": follow_url})


REPORTER_FORMS = {"complete": ReporterNoteForm, "reply": ReporterNoteForm, "add_information": ReporterNoteForm,
                  "rate": RatingForm}


@never_cache
@require_http_methods(["GET", "POST"])
@_track_rate
def follow(request, token):
    """The reporter's private page: everything public about the report plus their own messages and actions."""
    complaint = selectors.complaint_by_token(token)
    if complaint is None:
        raise Http404
    case = complaint.case
    available = [a for a in COMPLAINT.actions_from(case.state, {Party.APPLICANT})
                 if not (a.code == "rate" and complaint.rating is not None)]
    forms = {a.code: REPORTER_FORMS[a.code](prefix=a.code) for a in available}
    status = 200
    if request.method == "POST":
        code = request.POST.get("action", "")
        if code not in forms:
            messages.error(request, _("Tindakan ini tidak dapat dilakukan pada status laporan sekarang."))
            return redirect("complaints:follow", token=token)
        form = forms[code] = REPORTER_FORMS[code](request.POST, prefix=code)
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note", "")
            try:
                case_apply_action(case=case, action=code, party=Party.APPLICANT, note=note, data=data)
            except ActionNotAllowed as error:
                messages.error(request, error.message)
                return redirect("complaints:follow", token=token)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Terima kasih. Pesan Anda tersimpan."))
                return redirect("complaints:follow", token=token)
        status = 400
    state = COMPLAINT.state(case.state)
    events = selectors.reporter_timeline(complaint)
    for event in events:
        event.label = COMPLAINT.action(event.action).label if COMPLAINT.action(event.action) else _("Laporan dikirim")
        event.mine = event.actor_role == Party.APPLICANT
    actions = [(a, forms[a.code]) for a in available]
    response = render(request, "complaints/follow.html", {
        "complaint": complaint, "case": case, "state": state, "events": events, "actions": actions,
        "due_explanation": _due_explanation(case), "token": token,
    }, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _due_explanation(case) -> str:
    if case.due_paused_days is not None:
        return explain_paused(case.due_paused_days, case.due_day_type)
    if case.due_start and case.due_days is not None:
        return explain_due(case.due_start, case.due_days, case.due_day_type)
    return ""


@require_GET
def reports(request):
    form = PublicFilterForm(request.GET or None, status_choices=selectors.public_status_choices())
    filters = selectors.PublicFilters(**form.cleaned_data) if form.is_bound and form.is_valid() else (
        selectors.PublicFilters())
    page = selectors.public_reports(filters, cursor=request.GET.get("cursor", ""))
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = [(item, selectors.status_label(item)) for item in page.items]
    return render(request, "complaints/reports.html", {
        "form": form, "rows": rows, "next_cursor": page.next_cursor, "query": query.urlencode(),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


# --- Staff -----------------------------------------------------------------------------------------------


def _staff_complaint(request, tracking_code) -> Complaint:
    try:
        return selectors.complaint_for_staff(request.user, tracking_code)
    except Complaint.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def staff_intake(request):
    """A report received at the desk, by letter, phone or social media, entered by a coordinator."""
    if Role.COMPLAINT_COORDINATOR not in {m.role for m in memberships_of(request.user)}:
        raise PermissionDenied(_("Hanya koordinator pengaduan yang mencatat pengaduan dari kanal lain."))
    if request.method == "POST":
        form, case = _submit_form(request, StaffIntakeForm, user=request.user)
        if case:
            token = request.session.get(SESSION_TOKENS, {}).get(case.tracking_code)
            link = request.build_absolute_uri(reverse("complaints:follow", args=[token])) if token else ""
            messages.success(request, _("Pengaduan %(code)s tercatat. Berikan tautan pribadi ini kepada pelapor: "
                                        "%(link)s") % {"code": case.tracking_code, "link": link})
            return redirect("complaints:staff_case", tracking_code=case.tracking_code)
        status = 400
    else:
        form, status = StaffIntakeForm(), 200
    return render(request, "complaints/staff_intake.html", {"form": form}, status=status)


def _staff_case_page(request, complaint: Complaint, failed=None, status=200):
    case = complaint.case
    roles = roles_for_case(request.user, case)
    initial = {
        "verify": {"report_type": complaint.report_type, "category": complaint.category.code,
                   "classification": complaint.classification, "title": complaint.public_title or complaint.title,
                   "units": [complaint.category.default_unit] if complaint.category.default_unit_id else []},
        "reassign": {"units": [u.organisation for u in complaint.units.all()]},
    }
    forms = []
    for spec in COMPLAINT.actions_from(case.state, roles):
        if failed is not None and failed[0].code == spec.code:
            forms.append(failed)
        else:
            forms.append((spec, staff_form(spec, initial=initial.get(spec.code))))
    events = case_timeline(case, public_only=False)
    for event in events:
        spec = COMPLAINT.action(event.action)
        event.action_label = spec.label if spec else _("Laporan dikirim")
        event.to_label = COMPLAINT.state(event.to_state).label if event.to_state else ""
    return render(request, "complaints/staff_case.html", {
        "complaint": complaint, "case": case, "state": COMPLAINT.state(case.state), "forms": forms,
        "events": events, "may_see_identity": complaint.has_identity and bool(identity_roles(case) & roles),
    }, status=status)


@login_required
@require_GET
def staff_case(request, tracking_code):
    """The complaint's staff page: its record, the reporter's identity on request, every action, the history."""
    return _staff_case_page(request, _staff_complaint(request, tracking_code))


@login_required
@require_POST
def staff_action(request, tracking_code, action):
    complaint = _staff_complaint(request, tracking_code)
    spec = COMPLAINT.action(action)
    if spec is None:
        raise Http404
    form = staff_form(spec, request.POST)
    if form.is_valid():
        try:
            case_apply_action(case=complaint.case, action=action, user=request.user,
                              note=form.cleaned_data.get("note", ""), data=form.action_data())
        except ActionNotAllowed as error:
            messages.error(request, error.message)
            return redirect("complaints:staff_case", tracking_code=tracking_code)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Tindakan “%(action)s” tersimpan.") % {"action": spec.label})
            return redirect("complaints:staff_case", tracking_code=tracking_code)
    complaint = _staff_complaint(request, tracking_code)
    return _staff_case_page(request, complaint, failed=(spec, form), status=400)


@never_cache
@login_required
@require_POST
def identity(request, tracking_code):
    """Show the reporter's identity once, to a role that may see it; the view is recorded in the case."""
    complaint = _staff_complaint(request, tracking_code)
    shown = complaint_identity_view(case=complaint.case, user=request.user)
    return render(request, "complaints/identity.html", {"complaint": complaint, "case": complaint.case,
                                                        "identity": shown, "confidential":
                                                        complaint.case.privacy == Privacy.CONFIDENTIAL})
