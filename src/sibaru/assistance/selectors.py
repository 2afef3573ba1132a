"""Reads of proposals, always through the case scope: who may see which proposal is decided once, in core."""

from django.db.models import DateTimeField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Greatest

from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.core import workflow
from sibaru.core.models import Case, Event
from sibaru.core.scope import cases_visible_to, is_administrator, memberships_of


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return Proposal.objects.filter(case__in=cases_visible_to(user).filter(kind__startswith="proposal_"))


def proposals_with_last_change(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate `last_change`: the later of the proposal's own last edit and its case's last event (documents,
    reviews, comments and transitions are all events), for a proposer system's incremental sync."""
    last_event = Event.objects.filter(case_id=OuterRef("case_id")).order_by("-seq").values("at")[:1]
    return proposals.annotate(last_change=Greatest("updated_at", Subquery(last_event), output_field=DateTimeField()))


def proposal_for(user, tracking_code: str) -> Proposal:
    """One proposal the user may see, with what its page and the API show; Proposal.DoesNotExist otherwise."""
    return (
        proposals_visible_to(user)
        .select_related("case", "case__region", "case__handler", "programme", "category", "programme_type",
                        "proposer", "requirement_set")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=ProposalDocument.objects.select_related("requirement", "attachment").order_by(
                    "requirement__order", "-version"
                ),
            ),
            "locations__region",
        )
        .get(case__tracking_code=tracking_code)
    )


def document_history(proposal: Proposal) -> dict[int, list[ProposalDocument]]:
    """Every version of every requirement's document, newest first: what changed between rounds."""
    history: dict[int, list[ProposalDocument]] = {}
    for document in proposal.documents.all():
        history.setdefault(document.requirement_id, []).append(document)
    return history


def case_of(proposal: Proposal) -> Case:
    return proposal.case


def acting_states(user) -> list[str]:
    """The open states in which one of the user's roles is expected to act: the state's responsible role, or
    a role with a step of its own there (a regional office's field verifier in field verification)."""
    held = {m.role for m in memberships_of(user)}
    states = set()
    everything = set()
    for flow in workflow.all_workflows():
        if not flow.kind.startswith("proposal_"):
            continue
        for state in flow.states:
            if state.final or state.code == "draft":
                continue
            everything.add(state.code)
            moves = [a for a in flow.actions_from(state.code, held) if a.target]
            if state.actor in held or moves:
                states.add(state.code)
    if is_administrator(user) or not states:
        return sorted(everything)
    return sorted(states)


def proposal_review_queue(user, filters: dict, *, cursor: str = "", limit: int):
    """Submitted proposals in the user's scope, by default those waiting for one of the user's roles."""
    proposals = (
        proposals_visible_to(user)
        .filter(case__submitted_at__isnull=False)
        .select_related("case", "case__region", "programme", "proposer", "category")
    )
    state = filters.get("state") or ""
    if state == "all":
        pass
    elif state:
        proposals = proposals.filter(case__state=state)
    else:
        proposals = proposals.filter(case__state__in=acting_states(user))
    if filters.get("programme"):
        proposals = proposals.filter(programme__code=filters["programme"])
    if filters.get("province"):
        proposals = proposals.filter(case__region__code__startswith=filters["province"])
    if filters.get("budget_year"):
        proposals = proposals.filter(budget_year=filters["budget_year"])
    if filters.get("category"):
        proposals = proposals.filter(category__code=filters["category"])
    if cursor.isdigit():
        proposals = proposals.filter(pk__gt=int(cursor))
    page = list(proposals.order_by("pk")[: limit + 1])
    return page[:limit], (str(page[limit - 1].pk) if len(page) > limit else None)


def proposals_to_distribute(user, programme: str = "", limit: int = 200):
    """Submitted proposals waiting for the planning directorate, oldest first."""
    proposals = (
        proposals_visible_to(user).filter(case__state="submitted")
        .select_related("case", "case__region", "programme", "proposer")
    )
    if programme:
        proposals = proposals.filter(programme__code=programme)
    return list(proposals.order_by("case__submitted_at", "pk")[:limit])
