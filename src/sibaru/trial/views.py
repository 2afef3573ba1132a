import uuid

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from sibaru.core.selectors import due_explanation, public_status
from sibaru.core.services import IdempotencyConflict
from sibaru.trial.forms import TrialRequestForm
from sibaru.trial.services import trial_request_submit


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_SUBMIT, method="POST", block=True)
def submit(request):
    form = TrialRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attachment = data["attachment"]
        try:
            case = trial_request_submit(
                name=data["name"],
                email=data["email"],
                message=data["message"],
                region=data["region"],
                attachments=[attachment] if attachment else [],
                idempotency_key=data["submission_id"],
            )
        except IdempotencyConflict:
            data = request.POST.copy()
            data["submission_id"] = uuid.uuid4().hex  # sending again makes a new request
            form = TrialRequestForm(data)
            form.is_valid()
            form.add_error(
                None, _("Formulir ini sudah pernah dikirim dengan isi lain. Periksa isiannya, lalu kirim lagi.")
            )
        else:
            return redirect("trial:submitted", tracking_code=case.tracking_code)
    return render(request, "trial/submit.html", {"form": form})


def submitted(request, tracking_code):
    status = public_status(tracking_code)
    if status is None or status.kind != "trial":
        raise Http404
    return render(request, "trial/submitted.html", {"status": status, "due_explanation": due_explanation(status)})
