"""Reads of proposals, always through the case scope: who may see which proposal is decided once, in core."""

from django.db.models import Prefetch, QuerySet

from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.core.models import Case
from sibaru.core.scope import cases_visible_to


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return Proposal.objects.filter(case__in=cases_visible_to(user).filter(kind__startswith="proposal_"))


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
