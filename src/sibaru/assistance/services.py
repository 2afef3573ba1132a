"""Every write of a proposal: create and edit the dossier, upload documents (versions kept), review them
one by one, record field visits, endorse, comment. Workflow transitions go through the case engine
(`sibaru.core.services.case_apply_action`), whose effects are the rules in rules.py."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.roles import Party, Role
from sibaru.assistance.models import (
    FieldVisit,
    FieldVisitPhoto,
    PlanningCheckpoint,
    Programme,
    ProgrammeType,
    Proposal,
    ProposalCheckpoint,
    ProposalComment,
    ProposalDocument,
    ProposalLocation,
    ProposerCategory,
    Requirement,
    RequirementSet,
)
from sibaru.assistance.rules import applicable_requirements, estimate_budget
from sibaru.assistance.workflow import kind_for
from sibaru.core.attachments import CheckedFile, attachment_store, files_removed_on_error
from sibaru.core.events import append_event
from sibaru.core.models import Case, Event
from sibaru.core.scope import memberships_of, roles_for_case
from sibaru.core.services import ActionNotAllowed, case_apply_action, case_open, request_fingerprint

EDITABLE_STATES = ("draft", "revision")


def _proposer_organisation(user):
    for membership in memberships_of(user):
        if membership.role == Role.PROPOSER_OPERATOR:
            return membership.organisation
    raise PermissionDenied(_("Hanya operator pengusul yang dapat membuat usulan."))


def _check_in_area(organisation, region) -> None:
    if organisation.region_id and not region.code.startswith(organisation.region_id):
        raise ValidationError({"region_code": [_("Lokasi di luar wilayah organisasi Anda.")]})


def _locked(proposal: Proposal) -> Case:
    return Case.objects.select_for_update().get(pk=proposal.case_id)


def _require_roles(user, case: Case, roles: tuple[str, ...]) -> str:
    held = roles_for_case(user, case).intersection(roles)
    if not held:
        raise PermissionDenied(_("Peran Anda tidak berwenang melakukan tindakan ini."))
    return sorted(held)[0]


def _require_state(case: Case, states: tuple[str, ...], message: str) -> None:
    if case.state not in states:
        raise ActionNotAllowed(message)


def proposal_create(
    *,
    user,
    programme: Programme,
    budget_year: int,
    title: str,
    region,
    category: ProposerCategory | None = None,
    programme_type: ProgrammeType | None = None,
    idempotency_key: str = "",
    **fields,
) -> Proposal:
    """A draft proposal of the user's organisation; nobody else sees it until it is submitted."""
    organisation = _proposer_organisation(user)
    _check_in_area(organisation, region)
    if category and not category.programmes.filter(pk=programme.pk).exists():
        raise ValidationError({"category": [_("Kategori pengusul ini tidak dapat mengusulkan program ini.")]})
    if programme_type and programme_type.programme_id != programme.pk:
        raise ValidationError({"programme_type": [_("Jenis usulan tidak sesuai dengan programnya.")]})
    if programme_type and not programme_type.open_to(organisation):
        raise ValidationError({"programme_type": [
            _("Jenis usulan ini untuk pengusul “%(kind)s”; organisasi Anda “%(organisation)s”.")
            % {"kind": programme_type.get_proposer_kind_display(), "organisation": organisation.get_kind_display()}
        ]})
    requirement_set = (
        RequirementSet.objects.filter(programme=programme, budget_year__lte=budget_year, published=True)
        .order_by("-budget_year")
        .first()
    )
    if requirement_set is None:
        raise ValidationError({"budget_year": [_("Belum ada daftar persyaratan untuk tahun anggaran ini.")]})
    created = {}

    def details(case: Case) -> None:
        proposal = Proposal(
            case=case, programme=programme, requirement_set=requirement_set, proposer=organisation,
            budget_year=budget_year, title=title, category=category, programme_type=programme_type, **fields,
        )
        proposal.estimated_budget = estimate_budget(proposal)
        proposal.save()
        created["proposal"] = proposal

    fingerprint = request_fingerprint([
        programme.code, budget_year, title, region.code, category.code if category else "",
        programme_type.code if programme_type else "", sorted(fields.items()),
    ])
    case = case_open(
        kind=kind_for(programme.code),
        subject=title,
        organisation=organisation,
        region=region,
        user=user,
        submitted=False,
        create_details=details,
        idempotency=(f"proposal:{organisation.pk}", idempotency_key, fingerprint) if idempotency_key else None,
    )
    return created.get("proposal") or case.proposal


def proposal_update(*, proposal: Proposal, user, **fields) -> Proposal:
    """Edit the dossier while it is a draft or back for revision; after that nothing can change."""
    with transaction.atomic():
        case = _locked(proposal)
        _require_roles(user, case, (Role.PROPOSER_OPERATOR,))
        _require_state(case, EDITABLE_STATES, _("Usulan yang sudah dikirim tidak dapat diubah."))
        region = fields.pop("region", None)
        if region is not None:
            _check_in_area(proposal.proposer, region)
            Case.objects.filter(pk=case.pk).update(region=region)
        for name, value in fields.items():
            setattr(proposal, name, value)
        proposal.estimated_budget = estimate_budget(proposal)
        proposal.full_clean(exclude=["case", "programme", "requirement_set", "proposer"])
        proposal.save()
        if "title" in fields:
            Case.objects.filter(pk=case.pk).update(subject=proposal.title[:200])
        if case.state == "revision" and not _same_edit_recently(case, user, sorted(fields)):
            append_event(case=case, action="edited", actor=user, actor_role=Role.PROPOSER_OPERATOR,
                         from_state=case.state, to_state=case.state, public=False,
                         data={"fields": sorted(fields)})
    return proposal


# Autosave sends a task page every few seconds: one "edited" event stands for a burst of saves of one task by
# one person, so the timeline gets at most one such event per task per this window while someone keeps typing.
EDIT_COALESCE_WINDOW = timedelta(minutes=10)


def _same_edit_recently(case: Case, user, fields: list[str]) -> bool:
    """The case's latest event is this user's edit of the same fields (the same task page), within the window."""
    last = Event.objects.filter(case=case, seq=case.last_event_seq).only("action", "actor", "at", "data").first()
    return (
        last is not None and last.action == "edited" and last.actor_id == user.pk
        and last.data.get("fields") == fields and last.at >= timezone.now() - EDIT_COALESCE_WINDOW
    )


def proposal_locations_set(*, proposal: Proposal, user, locations: list[dict]) -> list[ProposalLocation]:
    """Replace the target locations (BSPS): [{"region": Region, "units_pk", "units_pb", "uninhabitable_houses"}]."""
    with transaction.atomic():
        case = _locked(proposal)
        _require_roles(user, case, (Role.PROPOSER_OPERATOR,))
        _require_state(case, EDITABLE_STATES, _("Usulan yang sudah dikirim tidak dapat diubah."))
        seen = set()
        for location in locations:
            region = location["region"]
            if region.level != "village":
                raise ValidationError({"locations": [_("Lokasi sasaran harus desa/kelurahan.")]})
            _check_in_area(proposal.proposer, region)
            if region.code in seen:
                raise ValidationError({"locations": [_("Desa/kelurahan yang sama tercantum dua kali.")]})
            seen.add(region.code)
        proposal.locations.all().delete()
        rows = ProposalLocation.objects.bulk_create(
            ProposalLocation(
                proposal=proposal, region=loc["region"], units_pk=loc.get("units_pk", 0),
                units_pb=loc.get("units_pb", 0), uninhabitable_houses=loc.get("uninhabitable_houses", 0),
                region_class=loc.get("region_class") or _region_class(loc["region"].code),
            )
            for loc in locations
        )
        proposal.units = sum(r.units_pk + r.units_pb for r in rows)
        proposal.estimated_budget = estimate_budget(proposal)
        proposal.save(update_fields=["units", "estimated_budget", "updated_at"])
    return rows


def _region_class(code: str) -> str:
    # Papua and the provinces split from it: the special BSPS amounts apply (flat areas by default).
    return "papua_flat" if code[:2] in {"91", "92", "93", "94", "95", "96"} else "regular"


def proposal_document_upload(*, proposal: Proposal, requirement: Requirement, checked: CheckedFile, user):
    """Store a new version of a requirement's document; the earlier versions stay, marked not current."""
    if requirement.requirement_set_id != proposal.requirement_set_id or requirement not in applicable_requirements(
        proposal
    ):
        raise ValidationError({"requirement": [_("Persyaratan ini tidak berlaku untuk usulan ini.")]})
    allowed = requirement.accepted_types or ["pdf"]
    if checked.name.rsplit(".", 1)[-1].lower() not in allowed:
        accepted = ", ".join(t.upper() for t in allowed)
        raise ValidationError({"file": [_("Unggah berkas %(types)s.") % {"types": accepted}]})
    if checked.size > requirement.max_bytes:
        raise ValidationError({"file": [_("Berkas melebihi batas ukuran persyaratan ini.")]})
    with files_removed_on_error(), transaction.atomic():
        case = _locked(proposal)
        _require_roles(user, case, (Role.PROPOSER_OPERATOR,))
        _require_state(case, EDITABLE_STATES, _("Dokumen hanya dapat diunggah sebelum dikirim atau saat perbaikan."))
        previous = ProposalDocument.objects.filter(proposal=proposal, requirement=requirement).order_by("-version")
        last = previous.first()
        previous.filter(current=True).update(current=False)
        event = append_event(case=case, action="document_uploaded", actor=user, actor_role=Role.PROPOSER_OPERATOR,
                             from_state=case.state, to_state=case.state, public=False,
                             data={"requirement": requirement.code, "version": (last.version + 1) if last else 1,
                                   "sha256": checked.sha256})
        attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        return ProposalDocument.objects.create(
            proposal=proposal, requirement=requirement, attachment=attachment,
            version=(last.version + 1) if last else 1, current=True,
        )


def proposal_document_review(*, document: ProposalDocument, user, complete: bool, note: str = "") -> ProposalDocument:
    """The verifier's verdict on one document during administrative verification."""
    note = note.strip()
    if not complete and not note:
        raise ValidationError({"note": [_("Tulis apa yang kurang pada dokumen ini.")]})
    with transaction.atomic():
        case = _locked(document.proposal)
        role = _require_roles(user, case, (Role.VERIFIER,))
        _require_state(case, ("distributed",), _("Dokumen diverifikasi pada tahap verifikasi administrasi."))
        if not document.current:
            raise ActionNotAllowed(_("Hanya versi terbaru dokumen yang diverifikasi."), code="not_current")
        document.review = ProposalDocument.Review.COMPLETE if complete else ProposalDocument.Review.INCOMPLETE
        document.review_note = note
        document.reviewed_by = user
        document.reviewed_at = timezone.now()
        document.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        append_event(case=case, action="document_reviewed", actor=user, actor_role=role, from_state=case.state,
                     to_state=case.state, note=note, public=False,
                     data={"requirement": document.requirement.code, "version": document.version,
                           "review": document.review})
    return document


def field_visit_record(
    *, proposal: Proposal, user, visited_on: date, result: str, checklist: dict, notes: str = "",
    location: ProposalLocation | None = None, photos: list[tuple[CheckedFile, float | None, float | None]] = (),
) -> FieldVisit:
    """A technical or site verification visit: date, checklist, notes, geotagged photos, verdict."""
    if result not in FieldVisit.Result.values:
        raise ValidationError({"result": [_("Pilih layak atau tidak layak.")]})
    if location is not None and location.proposal_id != proposal.pk:
        raise ValidationError({"location": [_("Lokasi ini bukan bagian dari usulan.")]})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("Tanggal kunjungan tidak boleh di masa depan.")]})
    with files_removed_on_error(), transaction.atomic():
        case = _locked(proposal)
        role = _require_roles(user, case, (Role.VERIFIER, Role.FIELD_VERIFIER))
        _require_state(case, ("field_verification",), _("Kunjungan lapangan dicatat pada tahap verifikasi lapangan."))
        visit = FieldVisit.objects.create(proposal=proposal, location=location, visited_on=visited_on,
                                          checklist=checklist, notes=notes, result=result, verifier=user)
        event = append_event(case=case, action="field_visit", actor=user, actor_role=role, from_state=case.state,
                             to_state=case.state, note=notes, public=False,
                             data={"visit": visit.pk, "result": result, "location": location.pk if location else None})
        for checked, latitude, longitude in photos:
            attachment = attachment_store(case=case, checked=checked, user=user, event=event)
            FieldVisitPhoto.objects.create(visit=visit, attachment=attachment, latitude=latitude, longitude=longitude)
    return visit


def field_visit_photo_add(*, visit: FieldVisit, user, checked: CheckedFile, latitude=None,
                          longitude=None) -> FieldVisitPhoto:
    """One more geotagged photo of a recorded visit, by the verifiers who record visits, while the proposal is
    at field verification: one transaction with its internal event, and no file left behind on failure."""
    with files_removed_on_error(), transaction.atomic():
        case = _locked(visit.proposal)
        role = _require_roles(user, case, (Role.VERIFIER, Role.FIELD_VERIFIER))
        _require_state(case, ("field_verification",), _("Kunjungan lapangan dicatat pada tahap verifikasi lapangan."))
        event = append_event(case=case, action="field_visit_photo", actor=user, actor_role=role,
                             from_state=case.state, to_state=case.state, public=False, data={"visit": visit.pk})
        attachment = attachment_store(case=case, checked=checked, user=user, event=event)
        return FieldVisitPhoto.objects.create(visit=visit, attachment=attachment, latitude=latitude,
                                              longitude=longitude)


def proposal_endorse(*, proposal: Proposal, user) -> Proposal:
    """The province's endorsement of a submitted proposal of one of its regencies/cities."""
    with transaction.atomic():
        case = _locked(proposal)
        role = _require_roles(user, case, (Role.PROVINCE_MONITOR,))
        if proposal.province_endorsed_at:
            return proposal
        proposal.province_endorsed_at = timezone.now()
        proposal.province_endorsed_by = user
        proposal.save(update_fields=["province_endorsed_at", "province_endorsed_by", "updated_at"])
        append_event(case=case, action="endorsed", actor=user, actor_role=role, from_state=case.state,
                     to_state=case.state, public=True, note=_("Didukung oleh pemerintah provinsi."))
    return proposal


def proposal_comment_add(*, proposal: Proposal, user, body: str, internal: bool = False) -> ProposalComment:
    """A comment between proposer and reviewers; `internal` notes are for reviewers only."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Wajib diisi.")]})
    with transaction.atomic():
        case = _locked(proposal)
        roles = roles_for_case(user, case)
        if not roles:
            raise PermissionDenied(_("Anda tidak dapat mengomentari usulan ini."))
        if internal and roles <= {Role.PROPOSER_OPERATOR, Role.PROVINCE_MONITOR}:
            raise PermissionDenied(_("Catatan internal hanya untuk peninjau."))
        comment = ProposalComment.objects.create(proposal=proposal, author=user, body=body, internal=internal)
        append_event(case=case, action="comment", actor=user, actor_role=sorted(roles)[0], from_state=case.state,
                     to_state=case.state, public=False, data={"comment": comment.pk, "internal": internal})
    return comment


# A proposal takes part in the programming cycle from its submission until it is built (or closed otherwise).
CHECKPOINT_STATES = ("submitted", "distributed", "revision", "field_verification", "for_decision", "decided",
                     "implementation")


def _checkpoint_case(proposal: Proposal, user) -> tuple[Case, str]:
    case = _locked(proposal)
    role = _require_roles(user, case, (Role.PLANNING_OFFICER,))
    _require_state(case, CHECKPOINT_STATES, _("Tahapan pemrograman dicatat untuk usulan yang masih berjalan."))
    return case, role


def proposal_checkpoint_mark(*, proposal: Proposal, user, checkpoint: PlanningCheckpoint, passed_on: date,
                             note: str = "") -> ProposalCheckpoint:
    """The planning officer records that a proposal passed an event of its budget year's programming cycle
    (Konreg, Musrenbangnas …); marking it again changes the date and the note."""
    note = note.strip()
    errors = {}
    if checkpoint.budget_year != proposal.budget_year:
        errors["checkpoint"] = [_("Tahapan ini bukan tahapan tahun anggaran usulan.")]
    if passed_on > timezone.localdate():
        errors["passed_on"] = [_("Tanggal tidak boleh di masa depan.")]
    if len(note) > ProposalCheckpoint._meta.get_field("note").max_length:
        errors["note"] = [_("Catatan paling banyak 300 karakter.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case, role = _checkpoint_case(proposal, user)
        mark, _created = ProposalCheckpoint.objects.update_or_create(
            proposal=proposal, checkpoint=checkpoint, defaults={"passed_on": passed_on, "note": note}
        )
        append_event(case=case, action="checkpoint_marked", actor=user, actor_role=role, from_state=case.state,
                     to_state=case.state, note=note, public=False,
                     data={"checkpoint": checkpoint.code, "passed_on": passed_on.isoformat()})
    return mark


def proposal_checkpoint_unmark(*, proposal: Proposal, user, checkpoint: PlanningCheckpoint) -> bool:
    """Take back a checkpoint marked by mistake; False when it was not marked."""
    with transaction.atomic():
        case, role = _checkpoint_case(proposal, user)
        deleted, _rows = ProposalCheckpoint.objects.filter(proposal=proposal, checkpoint=checkpoint).delete()
        if deleted:
            append_event(case=case, action="checkpoint_unmarked", actor=user, actor_role=role,
                         from_state=case.state, to_state=case.state, public=False,
                         data={"checkpoint": checkpoint.code})
    return bool(deleted)


def proposals_lapse(*, today: date | None = None) -> int:
    """Close undecided proposals past their validity (run daily)."""
    today = today or timezone.localdate()
    lapsed = 0
    open_states = ("submitted", "distributed", "revision", "field_verification", "for_decision")
    for proposal in Proposal.objects.filter(lapses_on__lt=today, case__state__in=open_states).select_related("case"):
        case_apply_action(case=proposal.case, action="lapse", party=Party.SYSTEM,
                          note=_("Masa berlaku usulan dua tahun sejak diterima telah lewat."))
        lapsed += 1
    return lapsed
