"""The Bantuan pages: the proposer's dossier (task list, one task per page, check answers, confirmation),
the read-only proposal page (province monitors endorse there), and the reviewers' pages (inbox, review,
bulk distribution). Thin: forms validate, services write, selectors read, the case engine moves states."""

import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sibaru.accounts.roles import Role
from sibaru.assistance import documents, rules, services
from sibaru.assistance.forms import (
    BulkDistributeForm,
    CommentForm,
    DocumentReviewForm,
    DocumentUploadForm,
    FieldVisitForm,
    LetterForm,
    LocationForm,
    LocationFormSet,
    NoteForm,
    ProgrammeChoiceForm,
    ProposalStartForm,
    ReadinessForm,
    ReviewActionForm,
    ReviewFilterForm,
    UnitsForm,
    accepted_label,
    default_years,
)
from sibaru.assistance.forms_checkpoints import BulkCheckpointForm, CheckpointMarkForm
from sibaru.assistance.models import (
    FieldVisit,
    PlanningCheckpoint,
    Programme,
    Proposal,
    ProposalCheckpoint,
    ProposalComment,
    ProposalDocument,
    ProposerCategory,
    Requirement,
    RequirementSet,
)
from sibaru.assistance.selectors import (
    document_history,
    proposal_for,
    proposal_review_queue,
    proposals_to_distribute,
    proposals_visible_to,
)
from sibaru.assistance.workflow import REVIEWER_ROLES
from sibaru.core import workflow
from sibaru.core.calendar import explain_due
from sibaru.core.exports import ListExport, rows_by_page
from sibaru.core.models import Attachment
from sibaru.core.scope import is_administrator, memberships_of, roles_for_case
from sibaru.core.services import ActionNotAllowed, IdempotencyConflict, case_apply_action
from sibaru.core.views_exports import export_response
from sibaru.regions import selectors as regions

EDITABLE_STATES = services.EDITABLE_STATES
# Roles that write internal notes (the engine's add_note roles).
NOTE_ROLES = {Role.PLANNING_OFFICER, Role.VERIFIER, Role.FIELD_VERIFIER, Role.DECISION_MAKER, Role.ADMINISTRATOR}
# Roles that record field visits (the engine's field actions).
FIELD_ROLES = {Role.VERIFIER, Role.FIELD_VERIFIER}
TARGET_LOCATION_PROGRAMMES = rules.TARGET_LOCATION_PROGRAMMES
# Actions with a page or form of their own (or nobody's button here).
NOT_BUTTONS = {"submit", "resubmit", "withdraw", "add_note", "lapse"}
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}
PAGE_SIZE = 50
BULK_LIMIT = 200

# Task statuses: few, adjectives, sentence case (GOV.UK task list).
NOT_STARTED, IN_PROGRESS, DONE, CANNOT_START = "not_started", "in_progress", "done", "cannot_start"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Belum dimulai"),
    IN_PROGRESS: gettext_lazy("Sedang dikerjakan"),
    DONE: pgettext_lazy("task status", "Selesai"),
    CANNOT_START: gettext_lazy("Tidak dapat dimulai"),
}


# --- Loading, permissions ---------------------------------------------------------------------------------


def _proposal(request, tracking_code: str) -> Proposal:
    """A proposal the user may see, or 404 (another organisation's draft does not exist for them)."""
    try:
        return proposal_for(request.user, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _roles(request, proposal: Proposal) -> set[str]:
    return roles_for_case(request.user, proposal.case)


def _editable(request, tracking_code: str) -> Proposal:
    """The proposal for a task page: only its proposer, only while a draft or back for revision."""
    proposal = _proposal(request, tracking_code)
    roles = _roles(request, proposal)
    if Role.PROPOSER_OPERATOR not in roles:
        raise PermissionDenied(_("Hanya operator pengusul yang dapat mengubah usulan ini."))
    if proposal.case.state not in EDITABLE_STATES:
        raise _NotEditable(proposal)
    return proposal


class _NotEditable(Exception):
    def __init__(self, proposal):
        self.proposal = proposal


def _task_page(view):
    """Send the proposer of a proposal that can no longer change to its read-only page."""

    @functools.wraps(view)
    def wrapped(request, tracking_code, *args, **kwargs):
        try:
            return view(request, tracking_code, *args, **kwargs)
        except (_NotEditable, ActionNotAllowed, PermissionDenied) as refusal:
            if _is_autosave(request):
                # The script only needs to know it did not save; it never follows a redirect.
                status = 403 if isinstance(refusal, PermissionDenied) else 409
                return JsonResponse({"error": _("Usulan ini tidak dapat diubah.")}, status=status)
            if not isinstance(refusal, _NotEditable):
                raise
            messages.info(request, _("Usulan ini sudah dikirim dan tidak dapat diubah."))
            return redirect("assistance:proposal", tracking_code=tracking_code)

    return wrapped


def _is_autosave(request) -> bool:
    """A task page's form sent in the background by static/sibaru/autosave.js: answered in JSON."""
    return request.method == "POST" and request.headers.get("X-Autosave") == "1"


def _autosave_answer(proposal: Proposal | None = None, invalid=()) -> JsonResponse:
    """200 with the save time, or 422 naming the fields that kept it from saving (nothing was saved); the
    messages themselves are shown when the operator submits the page."""
    if proposal is None:
        return JsonResponse({"fields": sorted(set(invalid))}, status=422)
    return JsonResponse({"saved_at": proposal.updated_at.isoformat()})


def _proposer_organisations(user) -> list:
    return [m.organisation for m in memberships_of(user) if m.role == Role.PROPOSER_OPERATOR]


def _add_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's ValidationError onto the form: on the field it names, or on the form."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = aliases.get(name, name)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _back_to_check(request) -> bool:
    """Task pages opened from check answers return there after saving (GOV.UK check answers)."""
    return request.GET.get("dari") == "periksa" or request.POST.get("dari") == "periksa"


def _after_save(request, proposal: Proposal):
    if _back_to_check(request):
        return redirect("assistance:check", tracking_code=proposal.case.tracking_code)
    return redirect("assistance:proposal", tracking_code=proposal.case.tracking_code)


# --- The dossier: requirements, documents, tasks ---------------------------------------------------------


@dataclass
class DocumentRow:
    requirement: Requirement
    current: ProposalDocument | None
    versions: list[ProposalDocument]
    new: bool = False  # replaced since the previous round
    accepted: str = ""
    form: DocumentUploadForm | None = None
    review_form: DocumentReviewForm | None = None


@dataclass
class Task:
    key: str
    title: str
    status: str
    url: str | None
    hint: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Dossier:
    proposal: Proposal
    flow: workflow.Workflow
    administrative: list[Requirement]
    technical: list[Requirement]
    rows: list[DocumentRow]
    missing: list[Requirement]
    incomplete: list[ProposalDocument]
    locations: list
    region_label: str
    location_labels: dict[str, str]
    uses_locations: bool
    tasks: list[Task] = field(default_factory=list)
    # What keeps the proposal from being sent (rules.submission_problems), read with the tasks.
    problems: list[rules.Missing] = field(default_factory=list)

    @property
    def state(self):
        return self.flow.state(self.proposal.case.state)

    @property
    def task_count(self) -> int:
        return len([t for t in self.tasks if t.key != "check"])

    @property
    def done_count(self) -> int:
        return len([t for t in self.tasks if t.key != "check" and t.status == DONE])

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def readiness_rows(self):
        answers = self.proposal.readiness or {}
        return [(r, answers.get(r.code)) for r in self.technical]


def _dossier(proposal: Proposal, *, with_tasks: bool = False) -> Dossier:
    """Everything the dossier pages show, read with a fixed number of queries."""
    flow = workflow.get(proposal.case.kind)
    applicable = rules.applicable_requirements(proposal)
    administrative = [r for r in applicable if r.kind == Requirement.Kind.ADMINISTRATIVE]
    technical = [r for r in applicable if r.kind == Requirement.Kind.TECHNICAL]
    history = document_history(proposal)  # the prefetched versions, newest first
    this_round = proposal.submission_round
    rows = []
    for requirement in administrative:
        versions = history.get(requirement.pk, [])
        current = next((d for d in versions if d.current), None)
        new = bool(current and this_round > 1 and current.submission_round == this_round and len(versions) > 1)
        rows.append(DocumentRow(requirement=requirement, current=current, versions=versions, new=new,
                                accepted=accepted_label(requirement)))
    # The same rule as rules.missing_requirements, read from what is already loaded.
    missing = [row.requirement for row in rows if row.requirement.mandatory and row.current is None]
    incomplete = [
        row.current for row in rows if row.current and row.current.review == ProposalDocument.Review.INCOMPLETE
    ]
    locations = list(proposal.locations.all())
    region = proposal.case.region
    labels = regions.region_labels([region, *[loc.region for loc in locations]] if region else
                                   [loc.region for loc in locations])
    dossier = Dossier(
        proposal=proposal, flow=flow, administrative=administrative, technical=technical, rows=rows,
        missing=missing, incomplete=incomplete, locations=locations,
        region_label=labels.get(region.code, "") if region else "",
        location_labels=labels, uses_locations=proposal.programme.code in TARGET_LOCATION_PROGRAMMES,
    )
    if with_tasks:
        dossier.problems = rules.submission_problems(proposal)
        dossier.tasks = _tasks(dossier)
    return dossier


def _tasks(dossier: Dossier) -> list[Task]:
    proposal = dossier.proposal
    code = proposal.case.tracking_code

    def url(name):
        return reverse(f"assistance:{name}", kwargs={"tracking_code": code})

    # A task is done when the rules find nothing missing in it; "in progress" when something is filled in.
    blocked = {p.task for p in dossier.problems}
    letter = [proposal.letter_number, proposal.letter_date, proposal.letter_signatory, proposal.letter_position]
    letter_status = DONE if "letter" not in blocked else IN_PROGRESS if any(letter) else NOT_STARTED
    location_status = (
        DONE if "location" not in blocked else IN_PROGRESS if proposal.latitude is not None else NOT_STARTED
    )
    volume_status = DONE if "volume" not in blocked else NOT_STARTED
    uploaded = any(row.current for row in dossier.rows)
    documents_status = DONE if "documents" not in blocked else IN_PROGRESS if uploaded else NOT_STARTED
    documents_hint = ""
    if dossier.incomplete:
        documents_hint = _("%(count)d dokumen perlu diganti.") % {"count": len(dossier.incomplete)}

    tasks = [
        Task("letter", _("Surat usulan"), letter_status, url("letter")),
        Task("location", _("Lokasi"), location_status, url("location")),
        Task("volume", _("Volume dan anggaran"), volume_status, url("volume")),
        Task("documents", _("Dokumen"), documents_status, url("documents"), documents_hint),
    ]
    if dossier.technical:
        ready_status = DONE if "readiness" not in blocked else NOT_STARTED
        tasks.append(Task("readiness", _("Kesiapan teknis"), ready_status, url("readiness")))
    if proposal.programme.code in rules.BENEFICIARY_PROGRAMMES:
        beneficiaries_status = DONE if "beneficiaries" not in blocked else NOT_STARTED
        tasks.append(Task("beneficiaries", _("Calon penerima"), beneficiaries_status, url("beneficiaries")))
    # Answers can be checked once the questions are answered; missing documents are listed there.
    answered = all(t.status == DONE for t in tasks if t.key != "documents")
    tasks.append(Task("check", _("Periksa jawaban dan kirim"), NOT_STARTED if answered else CANNOT_START,
                      url("check") if answered else None,
                      "" if answered else _("Selesaikan dulu tugas di atas, kecuali dokumen.")))
    return tasks


def _comments(proposal: Proposal, *, internal: bool) -> list[ProposalComment]:
    return list(
        ProposalComment.objects.filter(proposal=proposal, internal=internal).select_related("author")
        .order_by("created_at", "pk")
    )


# --- Proposer: lists and a new proposal ---------------------------------------------------------------------


@login_required
@require_GET
def proposal_list(request):
    """“Usulan saya”: the organisation's proposals (a province monitor: those in the province), newest first."""
    organisations = _proposer_organisations(request.user)
    if request.GET.get("format") == "xlsx":
        return export_response(request, PROPOSAL_LIST_EXPORT, {})
    proposals = _proposal_list(request.user, organisations)
    cursor = request.GET.get("cursor", "")
    if cursor.isdigit():
        proposals = proposals.filter(pk__lt=int(cursor))
    page = list(proposals.order_by("-pk")[: PAGE_SIZE + 1])
    rows = [(p, workflow.get(p.case.kind).state(p.case.state)) for p in page[:PAGE_SIZE]]
    return render(request, "assistance/proposal_list.html", {
        "rows": rows,
        "next_cursor": page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None,
        "is_proposer": bool(organisations),
    })


def _proposal_list(user, organisations):
    proposals = proposals_visible_to(user).select_related("case", "case__region", "programme")
    return proposals.filter(proposer__in=organisations) if organisations else proposals


def _proposal_list_rows(user, filters: dict):
    """“Usulan saya” as the page lists it, newest first, a page (one query) at a time."""
    proposals = _proposal_list(user, _proposer_organisations(user)).order_by("-pk")

    def fetch(cursor, limit):
        page = list((proposals.filter(pk__lt=int(cursor)) if cursor else proposals)[: limit + 1])
        return page[:limit], (str(page[limit - 1].pk) if len(page) > limit else None)

    return rows_by_page(fetch)


PROPOSAL_LIST_EXPORT = ListExport(
    path="sibaru.assistance.views.PROPOSAL_LIST_EXPORT", name="usulan", title=gettext_lazy("Daftar usulan"),
    list_url="assistance:list", columns=documents.proposal_list_columns, rows=_proposal_list_rows,
    count=lambda user, filters: _proposal_list(user, _proposer_organisations(user)).count(),
)


def _require_proposer(request):
    organisations = _proposer_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("Hanya operator pengusul yang dapat membuat usulan."))
    return organisations[0]


@login_required
@require_GET
def proposal_new(request):
    """Step 1: which programme (one question on the page)."""
    _require_proposer(request)
    sent = "programme" in request.GET or "lanjut" in request.GET
    form = ProgrammeChoiceForm(request.GET if sent else None, initial={"programme": request.GET.get("pilihan")})
    if sent and form.is_valid():
        return redirect("assistance:new_details", programme=form.cleaned_data["programme"].code)
    return render(request, "assistance/new_programme.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new_details(request, programme):
    """Step 2: category (or PSU type), budget year and title; creates the draft once per form."""
    organisation = _require_proposer(request)
    programme = get_object_or_404(Programme, code=programme)
    published = list(RequirementSet.objects.filter(programme=programme, published=True)
                     .values_list("budget_year", flat=True))
    form = ProposalStartForm(request.POST or None, programme=programme, organisation=organisation,
                             years=default_years(published))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                user=request.user, programme=programme, budget_year=data["budget_year"], title=data["title"],
                region=data.get("region") or organisation.region, category=data.get("category"),
                programme_type=data.get("programme_type"), idempotency_key=data["submission_id"],
            )
        except ValidationError as error:
            _add_errors(form, error, {"region_code": "region"})
        except IdempotencyConflict:
            form.add_error(
                None, _("Formulir ini sudah pernah dikirim dengan isi lain. Muat ulang halaman, lalu isi lagi.")
            )
        else:
            messages.success(request, _("Draf usulan tersimpan. Lengkapi tugas-tugas di bawah ini."))
            return redirect("assistance:proposal", tracking_code=proposal.case.tracking_code)
    return render(request, "assistance/new_details.html", {"form": form, "programme": programme},
                  status=400 if form.errors else 200)


# --- The proposal page: task list for its proposer, read-only for everyone else ------------------------------


@login_required
@require_GET
def proposal_detail(request, tracking_code):
    proposal = _proposal(request, tracking_code)
    roles = _roles(request, proposal)
    editable = Role.PROPOSER_OPERATOR in roles and proposal.case.state in EDITABLE_STATES
    dossier = _dossier(proposal, with_tasks=editable)
    context = {
        "proposal": proposal, "case": proposal.case, "dossier": dossier, "roles": roles,
        "comments": _comments(proposal, internal=False), "comment_form": CommentForm(),
        "can_comment": bool(roles),
    }
    if editable:
        return render(request, "assistance/task_list.html", context)
    context.update({
        "can_review": bool(roles & REVIEWER_ROLES),
        "can_endorse": Role.PROVINCE_MONITOR in roles and not proposal.province_endorsed_at
        and proposal.case.submitted_at is not None and not proposal.case.closed_at,
        "decided": proposal.case.state in rules.DECIDED_STATES,
        "checkpoints": [(c, mark) for c, mark in rules.checkpoint_rows(proposal) if mark],
    })
    return render(request, "assistance/proposal_detail.html", context)


def _task_form_page(request, proposal, form, template: str, *, to_fields=dict, aliases=None, context=None):
    """One dossier task page: a valid POST saves through proposal_update and moves on; a service's refusal
    comes back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, user=request.user, **to_fields(form.cleaned_data))
        except ValidationError as error:
            _add_errors(form, error, aliases)
        else:
            return _autosave_answer(proposal) if _is_autosave(request) else _after_save(request, proposal)
    if _is_autosave(request):
        return _autosave_answer(invalid=[form.add_prefix(name) for name in form.errors])
    page = {"form": form, "proposal": proposal, "from_check": _back_to_check(request), **(context or {})}
    return render(request, template, page, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def proposal_about(request, tracking_code):
    """Change the title and category given when the draft was created."""
    proposal = _editable(request, tracking_code)
    organisation = proposal.proposer
    form = ProposalStartForm(
        request.POST or None, programme=proposal.programme, organisation=organisation, years=[proposal.budget_year],
        initial={"title": proposal.title, "category": proposal.category, "programme_type": proposal.programme_type,
                 "budget_year": proposal.budget_year},
    )
    # The budget year chooses the requirement list: it is fixed once the draft exists.
    del form.fields["budget_year"]
    form.fields.pop("region", None)
    return _task_form_page(
        request, proposal, form, "assistance/task_about.html",
        to_fields=lambda data: {name: data[name] for name in ("title", "category", "programme_type") if name in data},
    )


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def task_letter(request, tracking_code):
    proposal = _editable(request, tracking_code)
    form = LetterForm(request.POST or None, initial={
        name: getattr(proposal, name)
        for name in ("letter_number", "letter_date", "letter_signatory", "letter_position", "description")
    })
    return _task_form_page(request, proposal, form, "assistance/task_letter.html")


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def task_location(request, tracking_code):
    proposal = _editable(request, tracking_code)
    form = LocationForm(
        request.POST or None, min_level=rules.location_level(proposal),
        initial={"region": proposal.case.region, "latitude": proposal.latitude, "longitude": proposal.longitude},
    )
    return _task_form_page(request, proposal, form, "assistance/task_location.html", aliases={"region_code": "region"})


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def task_volume(request, tracking_code):
    """Units; for BSPS the target villages with their PK and PB units and RTLH count, rows added and removed."""
    proposal = _editable(request, tracking_code)
    context = {"proposal": proposal, "from_check": _back_to_check(request)}
    if proposal.programme.code not in TARGET_LOCATION_PROGRAMMES:
        form = UnitsForm(request.POST or None, unit_label=proposal.programme.unit_label,
                         initial={"units": proposal.units or None})
        return _task_form_page(request, proposal, form, "assistance/task_volume.html",
                               to_fields=lambda data: {"units": data["units"]})

    locations = list(proposal.locations.select_related("region"))
    initial = [{"region": loc.region, "units_pk": loc.units_pk, "units_pb": loc.units_pb,
                "uninhabitable_houses": loc.uninhabitable_houses} for loc in locations]
    if request.method == "POST" and "add_row" in request.POST:
        # Without JavaScript: the rows as sent plus an empty one; nothing is saved until “Simpan”.
        data = request.POST.copy()
        total = data.get("form-TOTAL_FORMS", "")
        data["form-TOTAL_FORMS"] = str(min(int(total) + 1, 200) if total.isdigit() else 1)
        formset = LocationFormSet(data, initial=initial)
        return render(request, "assistance/task_locations.html", {**context, "formset": formset, "adding": True})
    formset = LocationFormSet(request.POST or None, initial=initial)
    if not initial:
        formset.extra = 1  # an empty row to start with
    if request.method == "POST" and formset.is_valid():
        try:
            services.proposal_locations_set(proposal=proposal, user=request.user, locations=formset.rows())
        except ValidationError as error:
            errors = [message for messages_ in error.message_dict.values() for message in messages_]
            formset.non_form_errors().extend(errors)
        else:
            if _is_autosave(request):
                return _autosave_answer(proposal)
            if "save_stay" in request.POST:
                messages.success(request, _("Lokasi sasaran tersimpan. Perkiraan anggaran dihitung ulang."))
                return redirect("assistance:volume", tracking_code=tracking_code)
            return _after_save(request, proposal)
    if _is_autosave(request):
        invalid = [form.add_prefix(name) for form in formset.forms for name in form.errors]
        return _autosave_answer(invalid=invalid + (["__all__"] if formset.non_form_errors() else []))
    status = 400 if request.method == "POST" else 200
    return render(request, "assistance/task_locations.html", {**context, "formset": formset}, status=status)


@login_required
@require_GET
@_task_page
def task_documents(request, tracking_code):
    proposal = _editable(request, tracking_code)
    return _render_documents(request, proposal)


def _render_documents(request, proposal, failed: DocumentUploadForm | None = None, status: int = 200):
    dossier = _dossier(proposal)
    for row in dossier.rows:
        if failed is not None and failed.requirement.pk == row.requirement.pk:
            row.form = failed
        else:
            row.form = DocumentUploadForm(requirement=row.requirement, prefix=f"req{row.requirement.pk}")
    return render(request, "assistance/task_documents.html", {
        "proposal": proposal, "dossier": dossier, "failed": failed,
    }, status=status)


@login_required
@require_POST
@_task_page
def document_upload(request, tracking_code, requirement_id):
    """Upload or replace one requirement's document; the earlier version is kept."""
    proposal = _editable(request, tracking_code)
    requirement = get_object_or_404(Requirement, pk=requirement_id, requirement_set_id=proposal.requirement_set_id)
    form = DocumentUploadForm(request.POST, request.FILES, requirement=requirement, prefix=f"req{requirement.pk}")
    if form.is_valid():
        try:
            document = services.proposal_document_upload(
                proposal=proposal, requirement=requirement, checked=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(title)s tersimpan sebagai versi %(version)d.")
                             % {"title": requirement.title, "version": document.version})
            return redirect("assistance:documents", tracking_code=tracking_code)
    return _render_documents(request, _proposal(request, tracking_code), failed=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@_task_page
def task_readiness(request, tracking_code):
    proposal = _editable(request, tracking_code)
    technical = rules.applicable_requirements(proposal, Requirement.Kind.TECHNICAL)
    form = ReadinessForm(request.POST or None, requirements=technical, initial=proposal.readiness or {})
    return _task_form_page(request, proposal, form, "assistance/task_readiness.html",
                           to_fields=lambda data: {"readiness": form.readiness()})


# --- Check answers, send, confirmation ------------------------------------------------------------------------


@dataclass
class Problem:
    message: str
    href: str = ""


def _blocking(dossier: Dossier) -> list[Problem]:
    """The rules' list of what is missing, each linked to the task page that fixes it."""
    urls = {task.key: task.url for task in dossier.tasks}
    links = []
    for problem in dossier.problems:
        href = urls.get(problem.task) or ""
        if href and problem.requirement_id:
            href = f"{href}#dokumen-{problem.requirement_id}"
        links.append(Problem(problem.message, href))
    return links


def _render_check(request, proposal, refusal: str = "", status: int = 200):
    """Check answers; `refusal` is the engine's reason when sending failed, shown above what is missing."""
    dossier = _dossier(proposal, with_tasks=True)
    blocking = _blocking(dossier)
    return render(request, "assistance/check.html", {
        "proposal": proposal, "case": proposal.case, "dossier": dossier, "blocking": blocking,
        "problems": [Problem(refusal), *blocking] if refusal else [],
        "resubmission": proposal.case.state == "revision",
    }, status=status)


@login_required
@require_GET
@_task_page
def check_answers(request, tracking_code):
    proposal = _editable(request, tracking_code)
    return _render_check(request, proposal)


@login_required
@require_POST
@_task_page
def proposal_send(request, tracking_code):
    """Submit (or resubmit after revision); a refusal comes back as the error summary of check answers."""
    proposal = _editable(request, tracking_code)
    action = "resubmit" if proposal.case.state == "revision" else "submit"
    try:
        # The engine checks everything (rules.submission_problems) in its transaction.
        case_apply_action(case=proposal.case, action=action, user=request.user)
    except ActionNotAllowed as error:
        return _render_check(request, _proposal(request, tracking_code), error.message, status=409)
    return redirect("assistance:sent", tracking_code=tracking_code)


@login_required
@require_GET
def proposal_sent(request, tracking_code):
    """The confirmation page: tracking code, what happens next and by when (a receipt to bookmark)."""
    proposal = _proposal(request, tracking_code)
    if Role.PROPOSER_OPERATOR not in _roles(request, proposal) or proposal.case.submitted_at is None:
        raise Http404
    case = proposal.case
    flow = workflow.get(case.kind)
    explanation = ""
    if case.due_start and case.due_days:
        explanation = explain_due(case.due_start, case.due_days, case.due_day_type)
    return render(request, "assistance/sent.html", {
        "proposal": proposal, "case": case, "state": flow.state(case.state), "due_explanation": explanation,
        "resubmitted": proposal.submission_round > 1,
    })


# --- Comments, endorsement, files ---------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request, tracking_code):
    """A comment between proposer and reviewers, from the proposal page or the review page."""
    proposal = _proposal(request, tracking_code)
    form = CommentForm(request.POST)
    back = "assistance:review" if request.POST.get("dari") == "tinjau" else "assistance:proposal"
    if form.is_valid():
        services.proposal_comment_add(proposal=proposal, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Komentar terkirim."))
    else:
        messages.error(request, _("Tulis komentar Anda."))
    return redirect(f"{reverse(back, args=[tracking_code])}#komentar")


@login_required
@require_POST
def proposal_endorse(request, tracking_code):
    proposal = _proposal(request, tracking_code)
    services.proposal_endorse(proposal=proposal, user=request.user)
    messages.success(request, _("Usulan ini sudah didukung pemerintah provinsi."))
    return redirect("assistance:proposal", tracking_code=tracking_code)


# The document review page shows PDFs in an <iframe> of this view: framing by our own pages only.
@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})
@login_required
@require_GET
def attachment_view(request, tracking_code, attachment_id):
    """A document (or a visit photo) of the proposal, shown in the browser when it is a PDF or an image.

    Scope-checked: the proposal must be visible to the user; field-visit photos are for reviewers only."""
    proposal = _proposal(request, tracking_code)
    attachment = get_object_or_404(Attachment, pk=attachment_id, case_id=proposal.case_id)
    is_document = any(d.attachment_id == attachment.pk for d in proposal.documents.all())
    if not is_document and not (_roles(request, proposal) & REVIEWER_ROLES):
        raise Http404
    inline = attachment.content_type in INLINE_TYPES
    response = FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Reviewers: the review page and its forms ---------------------------------------------------------------


def _require_reviewer(request, proposal) -> set[str]:
    roles = _roles(request, proposal)
    if not roles & REVIEWER_ROLES:
        raise PermissionDenied(_("Halaman tinjauan hanya untuk peninjau usulan."))
    return roles


def _render_review(request, proposal, roles, *, failed=None, status: int = 200):
    """The review page; `failed` is a bound form that did not pass, shown with its errors."""
    dossier = _dossier(proposal)
    case = proposal.case
    can_review_documents = case.state == "distributed" and Role.VERIFIER in roles
    for row in dossier.rows:
        if can_review_documents and row.current:
            if isinstance(failed, DocumentReviewForm) and failed.document.pk == row.current.pk:
                row.review_form = failed
            else:
                row.review_form = DocumentReviewForm(document=row.current)
    action_forms = []
    for spec in dossier.flow.actions_from(case.state, roles):
        if spec.code in NOT_BUTTONS:
            continue
        if isinstance(failed, ReviewActionForm) and failed.action_spec.code == spec.code:
            action_forms.append(failed)
        else:
            action_forms.append(ReviewActionForm(action_spec=spec))
    visit_form = None
    if case.state == "field_verification" and roles & FIELD_ROLES:
        visit_form = failed if isinstance(failed, FieldVisitForm) else FieldVisitForm(
            proposal=proposal, locations=dossier.locations, technical=dossier.technical)
    can_note = bool(roles & NOTE_ROLES)
    checkpoint_form = None
    if Role.PLANNING_OFFICER in roles and case.state in services.CHECKPOINT_STATES:
        checkpoint_form = failed if isinstance(failed, CheckpointMarkForm) else CheckpointMarkForm(
            prefix="checkpoint", budget_year=proposal.budget_year)
    visits = list(FieldVisit.objects.filter(proposal=proposal).select_related("verifier", "location__region")
                  .prefetch_related("photos__attachment").order_by("visited_on", "pk"))
    return render(request, "assistance/review.html", {
        "proposal": proposal, "case": case, "dossier": dossier, "roles": roles,
        "action_forms": action_forms, "failed": failed,
        "visit_form": visit_form, "visits": visits,
        "quota_left": rules.quota_left(proposal) if any(f.action_spec.code == "decide" for f in action_forms) else None,
        "comments": _comments(proposal, internal=False), "comment_form": CommentForm(),
        "notes": _comments(proposal, internal=True) if can_note else [],
        "note_form": (failed if isinstance(failed, NoteForm) else NoteForm(prefix="note")) if can_note else None,
        "document_review": can_review_documents,
        "checkpoints": rules.checkpoint_rows(proposal), "checkpoint_form": checkpoint_form,
        "workspace_url": reverse("workspace:case", kwargs={"tracking_code": case.tracking_code}),
    }, status=status)


@login_required
@require_GET
def review(request, tracking_code):
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    return _render_review(request, proposal, roles)


@dataclass
class DocumentPage:
    """One current document among the dossier's, in requirement order, with its neighbours."""

    row: DocumentRow
    position: int
    rows: list[DocumentRow]

    @property
    def previous(self) -> DocumentRow | None:
        return self.rows[self.position - 1] if self.position else None

    @property
    def next(self) -> DocumentRow | None:
        return self.rows[self.position + 1] if self.position + 1 < len(self.rows) else None


def _document_page(dossier: Dossier, document: ProposalDocument) -> DocumentPage:
    rows = [row for row in dossier.rows if row.current]
    for position, row in enumerate(rows):
        if row.current.pk == document.pk:
            return DocumentPage(row=row, position=position, rows=rows)
    raise Http404  # an old version, or a requirement no longer asked of this proposal


def _render_document_review(request, proposal, roles, document, *, form=None, status: int = 200):
    """The document beside its requirement, history and checklist form; `form` is a bound form that failed."""
    dossier = _dossier(proposal)
    current = _document_page(dossier, document)
    if form is None and proposal.case.state == "distributed" and Role.VERIFIER in roles:
        form = DocumentReviewForm(document=current.row.current)
    content_type = document.attachment.content_type
    return render(request, "assistance/document_review.html", {
        "proposal": proposal, "case": proposal.case, "page": current, "row": current.row, "document": document,
        # The version before this one, to say what the proposer was asked to change.
        "previous_version": current.row.versions[1] if len(current.row.versions) > 1 else None,
        "form": form,
        "shown_as": ("pdf" if content_type == "application/pdf" else
                     "image" if content_type in INLINE_TYPES else "download"),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_review(request, tracking_code, document_id):
    """GET: one document beside its checklist, for reviewers. POST: the verifier's verdict on it, sent from this
    page (dari=dokumen: errors shown here, "save and next" goes on) or from the review page."""
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    # The documents were prefetched with the proposal (their requirement and attachment too).
    document = next((d for d in proposal.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    if request.method == "GET":
        if not document.current:  # an earlier version: its requirement's page shows the current one
            current = next((d for d in proposal.documents.all()
                            if d.requirement_id == document.requirement_id and d.current), None)
            if current is None:
                raise Http404
            return redirect("assistance:document_review", tracking_code=tracking_code, document_id=current.pk)
        return _render_document_review(request, proposal, roles, document)
    from_page = request.POST.get("dari") == "dokumen"
    form = DocumentReviewForm(request.POST, document=document)
    if form.is_valid():
        try:
            services.proposal_document_review(document=document, user=request.user,
                                              complete=form.cleaned_data["verdict"] == "complete",
                                              note=form.cleaned_data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Verifikasi %(title)s tersimpan.") % {"title": document.requirement.title})
            review_url = reverse("assistance:review", args=[tracking_code])
            if not from_page:
                return redirect(f"{review_url}#dokumen-{document.requirement_id}")
            if "lanjut" not in request.POST:
                return redirect("assistance:document_review", tracking_code=tracking_code, document_id=document.pk)
            following = _document_page(_dossier(proposal), document).next
            if following is None:  # the last document: back to the actions
                return redirect(f"{review_url}#tindakan")
            return redirect("assistance:document_review", tracking_code=tracking_code,
                            document_id=following.current.pk)
    proposal = _proposal(request, tracking_code)
    if from_page:
        return _render_document_review(request, proposal, roles, document, form=form, status=400)
    return _render_review(request, proposal, roles, failed=form, status=400)


@login_required
@require_POST
def review_action(request, tracking_code, action):
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    flow = workflow.get(proposal.case.kind)
    spec = flow.action(action)
    if spec is None or spec.code in NOT_BUTTONS:
        raise Http404
    form = ReviewActionForm(request.POST, action_spec=spec)
    status = 400
    if form.is_valid():
        try:
            case_apply_action(case=proposal.case, action=spec.code, user=request.user,
                              note=form.cleaned_data.get("note", ""), data=form.action_data())
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
            for messages_ in error.details.values():
                for message in messages_:
                    form.add_error(None, message)
            status = 409
        except ValidationError as error:
            _add_errors(form, error, {"disposition": "note"})
        else:
            messages.success(request, _("Tindakan “%(action)s” tersimpan.") % {"action": spec.label})
            return redirect("assistance:review", tracking_code=tracking_code)
    return _render_review(request, _proposal(request, tracking_code), roles, failed=form, status=status)


@login_required
@require_POST
def field_visit_add(request, tracking_code):
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    dossier = _dossier(proposal)
    form = FieldVisitForm(request.POST, request.FILES, proposal=proposal, locations=dossier.locations,
                          technical=dossier.technical)
    if form.is_valid():
        data = form.cleaned_data
        chosen = set(data["checklist"])
        try:
            services.field_visit_record(
                proposal=proposal, user=request.user, visited_on=data["visited_on"], result=data["result"],
                checklist={r.code: r.code in chosen for r in dossier.technical}, notes=data["notes"],
                location=data.get("location"), photos=form.photos(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kunjungan lapangan tercatat."))
            return redirect(f"{reverse('assistance:review', args=[tracking_code])}#kunjungan")
    return _render_review(request, _proposal(request, tracking_code), roles, failed=form, status=400)


@login_required
@require_POST
def note_add(request, tracking_code):
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.proposal_comment_add(proposal=proposal, user=request.user, body=form.cleaned_data["body"],
                                          internal=True)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Catatan internal tersimpan."))
            return redirect(f"{reverse('assistance:review', args=[tracking_code])}#catatan")
    return _render_review(request, proposal, roles, failed=form, status=400)


# --- Reviewers: inbox and bulk distribution -------------------------------------------------------------------


@login_required
@require_GET
def review_inbox(request):
    """Proposals waiting for the user's role (or filtered otherwise), oldest first, a page at a time."""
    if not {m.role for m in memberships_of(request.user)} & REVIEWER_ROLES and not is_administrator(request.user):
        raise PermissionDenied(_("Halaman tinjauan hanya untuk peninjau usulan."))
    form = ReviewFilterForm(
        request.GET or None, programmes=list(Programme.objects.all()), provinces=regions.provinces(),
        categories=list(ProposerCategory.objects.all()),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if request.GET.get("format") == "xlsx":
        return export_response(request, REVIEW_QUEUE_EXPORT, filters)
    items, next_cursor = proposal_review_queue(
        request.user, filters, cursor=request.GET.get("cursor", ""), limit=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = [(p, workflow.get(p.case.kind).state(p.case.state)) for p in items]
    return render(request, "assistance/review_inbox.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "query": query.urlencode(),
        "can_distribute": any(m.role == Role.PLANNING_OFFICER for m in memberships_of(request.user)),
    })


REVIEW_QUEUE_EXPORT = ListExport(
    path="sibaru.assistance.views.REVIEW_QUEUE_EXPORT", name="tinjauan-usulan",
    title=gettext_lazy("Tinjauan usulan"), list_url="assistance:review_inbox",
    columns=documents.review_queue_columns,
    rows=lambda user, filters: rows_by_page(
        lambda cursor, limit: proposal_review_queue(user, filters, cursor=cursor, limit=limit)
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_distribute(request):
    """The planning officer distributes many submitted proposals to one directorate; each is its own
    transaction, and the page says which failed and why."""
    if not any(m.role == Role.PLANNING_OFFICER for m in memberships_of(request.user)):
        raise PermissionDenied(_("Hanya petugas perencanaan yang mendistribusikan usulan."))
    programmes = list(Programme.objects.all())
    programme = request.GET.get("program", "")
    proposals = proposals_to_distribute(request.user, programme)
    by_code = {p.case.tracking_code: p for p in proposals}
    form = BulkDistributeForm(request.POST or None, codes=list(by_code))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, failed = [], []
        for number, code in enumerate(data["proposals"], start=1):
            proposal = by_code[code]
            try:
                case_apply_action(
                    case=proposal.case, action="distribute", user=request.user,
                    note=data["disposition"],
                    data={"directorate": data["directorate"].pk,
                          "agenda_number": f"{data['agenda_prefix']}{number:03d}",
                          "disposition": data["disposition"]},
                )
            except (ActionNotAllowed, PermissionDenied) as error:
                failed.append((code, getattr(error, "message", None) or str(error)))
            except ValidationError as error:
                failed.append((code, " ".join(error.messages)))
            else:
                done.append(code)
        if done:
            messages.success(request, _("%(count)d usulan didistribusikan ke %(directorate)s: %(codes)s.") % {
                "count": len(done), "directorate": data["directorate"].name, "codes": ", ".join(done)})
        for code, reason in failed:
            messages.error(request, _("%(code)s gagal didistribusikan: %(reason)s") % {"code": code, "reason": reason})
        query = f"?{urlencode({'program': programme})}" if programme else ""
        return redirect(f"{reverse('assistance:distribute')}{query}")
    return render(request, "assistance/distribute.html", {
        "form": form, "proposals": proposals, "programmes": programmes, "programme": programme,
    }, status=400 if form.errors else 200)


# --- Planning officers: the programming-cycle checkpoints -----------------------------------------------------


@login_required
@require_POST
def checkpoint_mark(request, tracking_code):
    """Mark (or re-date) one checkpoint the proposal has passed, from the review page."""
    proposal = _proposal(request, tracking_code)
    roles = _require_reviewer(request, proposal)
    form = CheckpointMarkForm(request.POST, prefix="checkpoint", budget_year=proposal.budget_year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_checkpoint_mark(proposal=proposal, user=request.user, checkpoint=data["checkpoint"],
                                              passed_on=data["passed_on"], note=data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Tahapan “%(name)s” tercatat.") % {"name": data["checkpoint"].name})
            return redirect(f"{reverse('assistance:review', args=[tracking_code])}#tahapan")
    return _render_review(request, _proposal(request, tracking_code), roles, failed=form, status=400)


@login_required
@require_POST
def checkpoint_unmark(request, tracking_code, checkpoint_id):
    proposal = _proposal(request, tracking_code)
    _require_reviewer(request, proposal)
    checkpoint = get_object_or_404(PlanningCheckpoint, pk=checkpoint_id, budget_year=proposal.budget_year)
    try:
        services.proposal_checkpoint_unmark(proposal=proposal, user=request.user, checkpoint=checkpoint)
    except ActionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tahapan “%(name)s” dihapus dari usulan ini.") % {"name": checkpoint.name})
    return redirect(f"{reverse('assistance:review', args=[tracking_code])}#tahapan")


@login_required
@require_http_methods(["GET", "POST"])
def checkpoints_bulk(request):
    """Mark one checkpoint for many proposals of a budget year at once (after a Konreg, say); each proposal is
    its own transaction, and the page says which failed and why."""
    if not any(m.role == Role.PLANNING_OFFICER for m in memberships_of(request.user)):
        raise PermissionDenied(_("Hanya petugas perencanaan yang mencatat tahapan pemrograman."))
    years = sorted(set(PlanningCheckpoint.objects.values_list("budget_year", flat=True)), reverse=True)
    year = request.GET.get("tahun", "")
    year = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    # The running proposals of that year in the officer's scope, oldest first (as on the distribution page).
    proposals = list(
        proposals_visible_to(request.user).filter(budget_year=year, case__state__in=services.CHECKPOINT_STATES)
        .select_related("case", "programme", "proposer").order_by("case__submitted_at", "pk")[:BULK_LIMIT]
    )
    by_code = {p.case.tracking_code: p for p in proposals}
    form = BulkCheckpointForm(request.POST or None, codes=list(by_code), budget_year=year or 0)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, failed = [], []
        for code in data["proposals"]:
            try:
                services.proposal_checkpoint_mark(proposal=by_code[code], user=request.user,
                                                  checkpoint=data["checkpoint"], passed_on=data["passed_on"],
                                                  note=data["note"])
            except (ActionNotAllowed, PermissionDenied) as error:
                failed.append((code, getattr(error, "message", None) or str(error)))
            except ValidationError as error:
                failed.append((code, " ".join(error.messages)))
            else:
                done.append(code)
        if done:
            messages.success(request, _("Tahapan “%(name)s” tercatat untuk %(count)d usulan: %(codes)s.") % {
                "name": data["checkpoint"].name, "count": len(done), "codes": ", ".join(done)})
        for code, reason in failed:
            messages.error(request, _("%(code)s gagal dicatat: %(reason)s") % {"code": code, "reason": reason})
        return redirect(f"{reverse('assistance:checkpoints')}?{urlencode({'tahun': year})}")
    marked = {}
    for mark in ProposalCheckpoint.objects.filter(proposal__in=proposals).select_related("checkpoint"):
        marked.setdefault(mark.proposal_id, []).append(mark.checkpoint.name)
    return render(request, "assistance/checkpoints_bulk.html", {
        "form": form, "rows": [(p, marked.get(p.pk, [])) for p in proposals], "years": years, "year": year,
    }, status=400 if form.errors else 200)
