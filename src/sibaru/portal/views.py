"""Public pages: the home page with the services, the one tracking lookup for every kind of case, and the
ministry's news and announcements."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from sibaru.core.selectors import due_explanation, public_status
from sibaru.core.tracking import normalize_tracking_code
from sibaru.portal import selectors
from sibaru.portal.forms import TrackingForm
from sibaru.portal.models import Publication


def rate_limited(request, exception):
    return render(request, "429.html", status=429)


@require_GET
def home(request):
    return render(request, "portal/home.html", {
        "tracking_form": TrackingForm(), "latest_publications": selectors.publication_latest(),
    })


_track_rate = ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_TRACKING, block=True, group="track")


@require_GET
@_track_rate
def track(request):
    form = TrackingForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("portal:track_case", tracking_code=form.cleaned_data["code"])
    return render(request, "portal/track.html", {"form": form}, status=400 if form.is_bound else 200)


@require_GET
@_track_rate
def track_case(request, tracking_code):
    code = normalize_tracking_code(tracking_code)
    if code and code != tracking_code:
        return redirect("portal:track_case", tracking_code=code)
    status = public_status(code) if code else None
    if status is None:
        form = TrackingForm({"code": tracking_code})
        form.is_valid()
        if "code" not in form.errors:
            form.add_error(
                "code",
                _(
                    "Nomor pelacakan tidak ditemukan. Periksa lagi nomornya, "
                    "atau hubungi kami bila yakin nomornya benar."
                ),
            )
        return render(request, "portal/track.html", {"form": form}, status=404)
    return render(request, "portal/track_case.html", {"status": status, "due_explanation": due_explanation(status)})


# --- News and announcements ---------------------------------------------------------------------------------


@require_GET
def publications(request):
    # An unknown kind is ignored rather than refused: the filter links are the only way to set it.
    kind = request.GET.get("jenis", "")
    kind = kind if kind in Publication.Kind.values else ""
    return render(request, "portal/publications.html", {
        "page": selectors.publication_page(kind=kind, number=request.GET.get("halaman")),
        "kind": kind, "kinds": Publication.Kind.choices,
    })


@require_GET
def publication(request, slug):
    return render(request, "portal/publication.html", {
        "publication": selectors.publication_visible(slug, with_attachments=True),
    })


@require_GET
def publication_image(request, slug):
    item = selectors.publication_visible(slug)
    if not item.image:
        raise Http404
    return FileResponse(item.image.open("rb"))


@require_GET
def publication_attachment(request, slug, pk):
    item = selectors.publication_visible(slug)
    attachment = get_object_or_404(item.attachments, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=f"{slug}-{attachment.pk}.{attachment.extension.lower()}")
