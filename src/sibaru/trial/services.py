from django.utils.translation import get_language

from sibaru.accounts.models import Organisation
from sibaru.core.attachments import CheckedFile
from sibaru.core.models import Case
from sibaru.core.services import case_open, request_fingerprint
from sibaru.trial.models import TrialRequest


def trial_request_submit(
    *,
    name: str,
    email: str,
    message: str,
    region,
    attachments: list[CheckedFile] = (),
    idempotency_key: str = "",
    scope: str = "web",
) -> Case:
    """Open a trial case for the ministry's complaint desk; a repeated key returns the first case."""
    language = (get_language() or "id")[:2]
    fingerprint = request_fingerprint(
        [name, email, message, region.pk if region else None, [a.sha256 for a in attachments]]
    )
    ministry = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY_AGENCY, parent=None).order_by("pk").first()

    def create_details(case: Case) -> None:
        TrialRequest.objects.create(case=case, name=name, email=email, message=message, language=language)

    return case_open(
        kind="trial",
        subject=message[:80],
        organisation=ministry,
        region=region,
        attachments=attachments,
        create_details=create_details,
        idempotency=(f"trial:{scope}", idempotency_key, fingerprint) if idempotency_key else None,
    )
