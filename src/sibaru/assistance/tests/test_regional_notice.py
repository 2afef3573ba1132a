"""Field verification is the regional office's work too: when a proposal enters it, the field verifiers of the
Balai/SNVT whose region contains the proposal's are told (in the app and by e-mail), besides the directorate."""

import pytest

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.assistance import services
from sibaru.assistance.models import ProposalDocument
from sibaru.assistance.tests.test_views import distributed, text
from sibaru.core.models import Notification
from sibaru.core.services import case_apply_action
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def test_the_balai_of_the_region_is_told_when_a_proposal_enters_field_verification(
    client, staff, catalogue, regions, directorates, orgs, django_assert_max_num_queries
):
    balai_jateng = Organisation.objects.create(name="Balai P2P Jawa Tengah", kind=Organisation.Kind.WORK_UNIT,
                                               parent=orgs["ministry"], region_id="33")
    elsewhere = make_user("balai-jateng@example.test", balai_jateng, Role.FIELD_VERIFIER)
    # A field verifier of a provincial government in the region is not a regional office of the ministry.
    make_user("pemprov-fv@example.test", orgs["west_java"], Role.FIELD_VERIFIER)
    proposal = distributed(staff, catalogue, regions, directorates)  # in Kota Bandung, Jawa Barat
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=staff["swadaya_verifier"], complete=True)

    with django_assert_max_num_queries(16):
        event = case_apply_action(case=proposal.case, action="pass_administrative", user=staff["swadaya_verifier"])

    told = set(Notification.objects.filter(event=event).values_list("user__email", "channel"))
    balai = staff["field_verifier"].email
    assert {(balai, "in_app"), (balai, "email")} <= told
    assert {(staff["swadaya_verifier"].email, "in_app"), (staff["swadaya_verifier"].email, "email")} <= told
    assert not {email for email, _channel in told} & {elsewhere.email, "pemprov-fv@example.test"}
    mail = Notification.objects.get(event=event, user=staff["field_verifier"], channel="email")
    assert mail.email == balai and proposal.case.tracking_code in mail.body

    # The notice leads the Balai's verifier to the proposal.
    client.force_login(staff["field_verifier"])
    page = text(client.get("/kerja/notifikasi/"))
    assert proposal.case.tracking_code in page
