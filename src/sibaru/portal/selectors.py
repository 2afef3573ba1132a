"""Reads of the portal's publications: only what the public may see, newest first."""

from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404

from sibaru.portal.models import Publication

PAGE_SIZE = 10
FEED_SIZE = 20


def publication_page(*, kind: str = "", number=1) -> Page:
    publications = Publication.objects.visible()
    if kind:
        publications = publications.filter(kind=kind)
    return Paginator(publications, PAGE_SIZE).get_page(number)


def publication_latest(limit: int = 3) -> list[Publication]:
    return list(Publication.objects.visible()[:limit])


def publication_visible(slug: str, *, with_attachments: bool = False) -> Publication:
    """One visible publication, or Http404 (a scheduled one does not exist yet)."""
    publications = Publication.objects.visible()
    if with_attachments:
        publications = publications.prefetch_related("attachments")
    return get_object_or_404(publications, slug=slug)
