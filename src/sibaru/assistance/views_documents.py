"""The Bantuan PDFs as downloads: to anyone who may see the proposal, once the document exists."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sibaru.assistance import documents
from sibaru.assistance.models import Proposal
from sibaru.assistance.selectors import proposal_for
from sibaru.core.pdf import pdf_response


@login_required
@require_GET
def proposal_pdf(request, tracking_code, document):
    """Another organisation's proposal, an unknown document and one that does not exist yet are all 404."""
    try:
        proposal = proposal_for(request.user, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None
    kind = documents.KINDS.get(document)
    if kind is None or not kind.exists(proposal):
        raise Http404
    content = documents.render(proposal, kind, language=get_language())
    return pdf_response(content, documents.filename(proposal, kind))
