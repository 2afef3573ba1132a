"""The information request a complaint becomes is opened in the name of the coordinator who converted it."""

import pytest

from sibaru.accounts.roles import Role
from sibaru.complaints.tests.conftest import submit
from sibaru.complaints.tests.test_conversion import CONVERT, QUESTION
from sibaru.core.services import case_apply_action
from sibaru.information.models import InformationRequest
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_the_new_requests_first_events_name_the_coordinator_not_the_requester(regions, category, people, orgs,
                                                                               client):
    coordinator = people["coordinator"]
    coordinator.full_name = "Dewi Koordinator"
    coordinator.save(update_fields=["full_name"])
    question = submit(regions, category, **QUESTION).case

    case_apply_action(case=question, action=CONVERT, user=coordinator, note="Ditangani PPID.")

    request_case = InformationRequest.objects.select_related("case").get().case
    opened, link = request_case.events.order_by("seq")
    assert (opened.action, opened.actor, opened.actor_role) == ("open", coordinator, Role.COMPLAINT_COORDINATOR)
    assert (link.action, link.actor, link.actor_role) == (
        "converted_from_complaint", coordinator, Role.COMPLAINT_COORDINATOR
    )
    # The PPID's timeline says who handed it over.
    client.force_login(make_user("ppid@example.test", orgs["ministry"], Role.PPID_OFFICER))
    page = client.get(f"/kerja/kasus/{request_case.tracking_code}/").content.decode()
    assert "Dewi Koordinator" in page and "Pemohon/sistem" not in page
