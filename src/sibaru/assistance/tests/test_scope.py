"""The scope rules are tested for every role: who sees a BSPS proposal of Kota Bandung (as a draft and once
distributed to the Rumah Swadaya directorate), through the web pages and the API, and which workflow
actions each role is offered — in particular the split between the directorate's verifier (administrative
verification) and the regional office's field verifier (field verification of its own region only)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.assistance import services
from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.assistance.tests.test_proposal_api import auth
from sibaru.assistance.tests.test_views import LAST_MONTH, distributed, new_draft, url
from sibaru.core import workflow
from sibaru.core.scope import roles_for_case
from sibaru.core.services import case_apply_action
from tests.personas import make_user

pytestmark = pytest.mark.django_db

# persona: (sees the draft, sees it once distributed, opens the review page, actions offered when distributed)
SCOPE = {
    "operator": (True, True, False, set()),  # the proposer's own operator: its drafts, read-only once sent
    "developer": (False, False, False, set()),  # another proposer organisation
    "province_monitor": (False, True, False, set()),  # its province's kab/kota, read-only (endorses)
    "other_province_monitor": (False, False, False, set()),
    "planner": (False, True, True, {"reject", "add_note"}),  # every submitted proposal
    "swadaya_verifier": (False, True, True, {"pass_administrative", "request_revision", "reject", "add_note"}),
    "ruk_verifier": (False, False, False, set()),  # not distributed to that directorate
    "field_verifier": (False, True, True, {"add_note"}),  # the Balai of the region: no administrative action
    "other_field_verifier": (False, False, False, set()),  # a Balai elsewhere
    "decider": (False, True, True, {"add_note"}),
    "evaluator": (False, True, True, set()),  # reads
    "admin": (True, True, True, set()),
    "coordinator": (False, False, False, set()),  # staff of another service
    "outsider": (False, False, False, set()),  # a citizen's account
}


@pytest.fixture
def people_all(staff, orgs):
    central_balai = Organisation.objects.create(name="Balai P2P Jawa Tengah", kind=Organisation.Kind.WORK_UNIT,
                                                parent=orgs["ministry"], region_id="33")
    return {**staff, "other_field_verifier": make_user("balai2@example.test", central_balai, Role.FIELD_VERIFIER)}


@pytest.fixture
def proposals(people_all, catalogue, regions, directorates):
    draft = new_draft(people_all["operator"], catalogue, regions, title="Draf BSPS Sukasari")
    sent = distributed(people_all, catalogue, regions, directorates, title="BSPS Kecamatan Sukasari")
    return {"draft": draft, "sent": sent}


def _offered(user, proposal) -> set[str]:
    case = proposal.case
    roles = roles_for_case(user, case)
    return {a.code for a in workflow.get(case.kind).actions_from(case.state, roles)}


@pytest.mark.parametrize("persona", sorted(SCOPE))
def test_each_role_sees_and_may_do_exactly_its_part(client, people_all, proposals, persona):
    sees_draft, sees_sent, reviews, actions = SCOPE[persona]
    user = people_all[persona]
    client.force_login(user)
    for name, visible in (("draft", sees_draft), ("sent", sees_sent)):
        proposal = proposals[name]
        page = client.get(url("proposal", proposal))
        assert page.status_code == (200 if visible else 404), (name, page.status_code)
        api = client.get(f"/api/v1/proposals/{proposal.case.tracking_code}", **auth(user))
        assert api.status_code == (200 if visible else 404), (name, api.status_code)
        listed = client.get("/api/v1/proposals", **auth(user)).json()["items"]
        assert (proposal.case.tracking_code in {p["tracking_code"] for p in listed}) == visible
    review = client.get(url("review", proposals["sent"]))
    assert review.status_code == (200 if reviews else 403 if sees_sent else 404)
    assert _offered(user, proposals["sent"]) == actions


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_wants_a_token(client, proposals):
    for name in ("proposal", "review", "check"):
        response = client.get(url(name, proposals["sent"]))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    response = client.get(f"/api/v1/proposals/{proposals['sent'].case.tracking_code}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_the_directorate_verifier_sees_a_proposal_only_once_it_is_distributed_to_it(client, people_all, catalogue,
                                                                                    regions):
    from sibaru.assistance.tests.test_views import submitted

    proposal = submitted(people_all, catalogue, regions)
    client.force_login(people_all["swadaya_verifier"])
    assert client.get(url("review", proposal)).status_code == 404
    client.force_login(people_all["planner"])
    assert client.get(url("review", proposal)).status_code == 200


def test_the_province_monitor_endorses_and_another_province_cannot(client, people_all, proposals):
    sent = proposals["sent"]
    client.force_login(people_all["other_province_monitor"])
    assert client.post(url("endorse", sent)).status_code == 404
    client.force_login(people_all["operator"])
    assert client.post(url("endorse", sent)).status_code == 403
    client.force_login(people_all["province_monitor"])
    assert client.post(url("endorse", sent)).status_code == 302
    assert Proposal.objects.get(pk=sent.pk).province_endorsed_by == people_all["province_monitor"]


def test_the_field_verifier_takes_only_field_actions_in_its_own_region(client, people_all, proposals):
    sent = proposals["sent"]
    field = people_all["field_verifier"]
    document = ProposalDocument.objects.filter(proposal=sent, current=True).first()
    with pytest.raises(PermissionDenied):
        services.proposal_document_review(document=document, user=field, complete=True)
    with pytest.raises(PermissionDenied):
        case_apply_action(case=sent.case, action="pass_administrative", user=field)
    client.force_login(field)
    refused = client.post(url("review_action", sent, action="request_revision"), {})
    assert refused.status_code == 403
    api = client.post(f"/api/v1/proposals/{sent.case.tracking_code}/documents/{document.pk}/review",
                      {"complete": True}, content_type="application/json", **auth(field))
    assert api.status_code == 403
    assert ProposalDocument.objects.get(pk=document.pk).review == "pending"

    # The directorate passes the administrative verification; then the Balai verifies in the field.
    verifier = people_all["swadaya_verifier"]
    for document in ProposalDocument.objects.filter(proposal=sent, current=True):
        services.proposal_document_review(document=document, user=verifier, complete=True)
    case_apply_action(case=sent.case, action="pass_administrative", user=verifier)
    assert _offered(field, sent) == {"find_eligible", "find_not_eligible", "add_note"}
    page = client.get(url("review", sent)).content.decode()
    assert "Catat kunjungan lapangan" in page and "Simpan verifikasi" not in page
    for location in sent.locations.all():
        response = client.post(f"/api/v1/proposals/{sent.case.tracking_code}/field-visits",
                               {"visited_on": LAST_MONTH.isoformat(), "result": "eligible",
                                "location_region_code": location.region_id},
                               content_type="application/json", **auth(field))
        assert response.status_code == 201, response.content
    other = people_all["other_field_verifier"]
    with pytest.raises(PermissionDenied):
        services.field_visit_record(proposal=sent, user=other, visited_on=LAST_MONTH, result="eligible", checklist={})
    assert client.post(url("review_action", sent, action="find_eligible"), {}).status_code == 302
    sent.case.refresh_from_db()
    assert sent.case.state == "for_decision"
    assert sent.case.events.get(action="find_eligible").actor_role == Role.FIELD_VERIFIER
