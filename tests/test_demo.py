"""`make run` seeds the demo: the seed must keep working as the services' rules grow (a sample proposal that
no longer passes the submission rules once broke it)."""

import pytest

from sibaru.accounts.models import User
from sibaru.assistance.models import Proposal
from sibaru.core.models import Case
from sibaru.demo.data import DOMAIN, seed_demo
from sibaru.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_seed_creates_a_case_of_every_service_once(settings, regions, tmp_path):
    settings.DEMO = True
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    Region.objects.create(code="3273011002", name="Gegerkalong", level="village", kind="kelurahan",
                          parent_id="327301")

    assert seed_demo() is True

    assert User.objects.filter(email=f"admin@{DOMAIN}").exists()
    proposal = Proposal.objects.select_related("case").get()
    assert proposal.case.state == "submitted" and proposal.beneficiaries.count() == 1
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert {"proposal_swadaya", "complaint", "information_request"} <= kinds, kinds
    cases = Case.objects.count()
    assert seed_demo() is False and Case.objects.count() == cases
