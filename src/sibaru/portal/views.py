"""Public pages: the home page with the services, the one tracking lookup for every kind of case."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from sibaru.core.selectors import due_explanation, public_status
from sibaru.core.tracking import normalize_tracking_code
from sibaru.portal.forms import TrackingForm


def rate_limited(request, exception):
    return render(request, "429.html", status=429)


@require_GET
def home(request):
    return render(request, "portal/home.html", {"tracking_form": TrackingForm()})


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
