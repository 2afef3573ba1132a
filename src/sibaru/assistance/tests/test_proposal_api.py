"""A developer's PSU proposal walked through the API, from draft to hand-over, with site verification;
the refusals on the way; and who sees a proposal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.accounts.services import api_token_issue
from sibaru.assistance.models import Proposal
from sibaru.assistance.services import proposals_lapse
from sibaru.core.events import verify_chain
from sibaru.core.scope import cases_visible_to

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def auth(user) -> dict:
    secret, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, url, user, body=None, **extra):
    return client.post(url, body or {}, content_type="application/json", **auth(user), **extra)


def upload(client, code, user, requirement, name="dokumen.pdf", content=PDF):
    return client.post(f"/api/v1/proposals/{code}/documents",
                       {"requirement": requirement, "file": SimpleUploadedFile(name, content)}, **auth(user))


def transition(client, code, user, action, note="", **data):
    return post(client, f"/api/v1/cases/{code}/transitions", user, {"action": action, "note": note, "data": data})


DRAFT = {"programme": "psu", "budget_year": 2031, "title": "PSU Perumahan Griya Sukarasa",
         "region_code": "32.73.01.1001", "programme_type": "test_nsb_developer", "units": 80,
         "letter_number": "012/PT-RR/2030", "letter_date": "2030-11-02", "letter_signatory": "Budi",
         "letter_position": "Direktur Utama"}


def test_a_developers_psu_proposal_from_draft_to_hand_over(client, catalogue, staff, directorates):
    developer = staff["developer"]
    response = post(client, "/api/v1/proposals", developer, DRAFT, HTTP_IDEMPOTENCY_KEY="draft-1")
    assert response.status_code == 201, response.content
    draft = response.json()
    code = draft["tracking_code"]
    assert code.startswith("PSU-") and draft["status"] == "draft"
    assert draft["estimated_budget"] == "1600000000"  # 80 units × Rp20 jt
    assert draft["missing_documents"] == ["psu_surat_usulan", "psu_bukti_tanah"]
    # A retry with the same key makes no second draft.
    again = post(client, "/api/v1/proposals", developer, DRAFT, HTTP_IDEMPOTENCY_KEY="draft-1")
    assert again.json()["tracking_code"] == code and Proposal.objects.count() == 1

    # Nobody outside the developer's organisation sees a draft.
    assert client.get(f"/api/v1/proposals/{code}", **auth(staff["planner"])).status_code == 404

    refused = post(client, f"/api/v1/proposals/{code}/submit", developer)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "missing_documents"
    assert set(refused.json()["error"]["fields"]) == {"psu_surat_usulan", "psu_bukti_tanah"}

    assert upload(client, code, developer, "psu_surat_usulan").status_code == 201
    assert upload(client, code, developer, "psu_bukti_tanah").status_code == 201
    submitted = post(client, f"/api/v1/proposals/{code}/submit", developer)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["lapses_on"]
    # After submission nothing can be uploaded any more.
    assert upload(client, code, developer, "psu_gambar_rencana").status_code == 409

    planner = staff["planner"]
    assert client.get(f"/api/v1/proposals/{code}", **auth(planner)).status_code == 200
    response = transition(client, code, planner, "distribute", note="Untuk Dit. RUK",
                          directorate=directorates["ruk"].pk, agenda_number="AG-77")
    assert response.status_code == 200 and response.json()["status"] == "distributed"

    verifier = staff["ruk_verifier"]
    documents = client.get(f"/api/v1/proposals/{code}", **auth(verifier)).json()["documents"]
    for document in documents:
        url = f"/api/v1/proposals/{code}/documents/{document['id']}/review"
        assert post(client, url, verifier, {"complete": True}).json()["review"] == "complete"
    assert transition(client, code, verifier, "pass_administrative").json()["status"] == "field_verification"

    # Site verification (PSU): a visit first, then the verdict.
    assert transition(client, code, verifier, "find_eligible").status_code == 409
    visit = post(client, f"/api/v1/proposals/{code}/field-visits", verifier,
                 {"visited_on": "2026-01-15", "result": "eligible", "checklist": {"psu_akses_jalan": True},
                  "notes": "Jalan akses ada, 60 rumah terbangun."})
    assert visit.status_code == 201
    assert transition(client, code, verifier, "find_eligible").json()["status"] == "for_decision"

    decider = staff["decider"]
    too_many = transition(client, code, decider, "decide", units=200, decision_number="SK-1/2031")
    assert too_many.status_code == 409 and too_many.json()["error"]["code"] == "quota_exceeded"
    assert transition(client, code, decider, "decide", units=80, decision_number="SK-1/2031").status_code == 200
    assert transition(client, code, verifier, "start_implementation").status_code == 200
    assert transition(client, code, verifier, "hand_over").json()["status"] == "handed_over"

    proposal = Proposal.objects.get(case__tracking_code=code)
    assert (proposal.decided_units, proposal.hand_over) == (80, "handed_over")
    assert verify_chain(proposal.case) is None
    track = client.get(f"/api/v1/track/{code}").json()
    assert [e["status"] for e in track["events"]][-1] == "handed_over"


def test_revision_keeps_every_version_and_resubmission_needs_the_replacements(client, catalogue, staff, directorates):
    developer, verifier = staff["developer"], staff["ruk_verifier"]
    code = post(client, "/api/v1/proposals", developer, DRAFT).json()["tracking_code"]
    upload(client, code, developer, "psu_surat_usulan")
    upload(client, code, developer, "psu_bukti_tanah")
    post(client, f"/api/v1/proposals/{code}/submit", developer)
    transition(client, code, staff["planner"], "distribute", directorate=directorates["ruk"].pk, agenda_number="A1")
    detail = client.get(f"/api/v1/proposals/{code}", **auth(verifier)).json()
    documents = {d["requirement"]: d for d in detail["documents"]}
    url = f"/api/v1/proposals/{code}/documents/{documents['psu_bukti_tanah']['id']}/review"
    assert post(client, url, verifier, {"complete": False}).status_code == 422  # a note is required
    post(client, url, verifier, {"complete": False, "note": "Sertifikat tidak terbaca."})
    assert transition(client, code, verifier, "pass_administrative").status_code == 409
    assert transition(client, code, verifier, "request_revision").json()["status"] == "revision"

    blocked = post(client, f"/api/v1/proposals/{code}/submit", developer)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "documents_not_replaced"
    assert upload(client, code, developer, "psu_bukti_tanah", name="sertifikat-baru.pdf").status_code == 201
    assert post(client, f"/api/v1/proposals/{code}/submit", developer).json()["status"] == "distributed"
    versions = [d for d in client.get(f"/api/v1/proposals/{code}", **auth(verifier)).json()["documents"]
                if d["requirement"] == "psu_bukti_tanah"]
    assert [(d["version"], d["current"], d["review"]) for d in versions] == [
        (2, True, "pending"), (1, False, "incomplete")
    ]


def test_bad_input_is_refused_and_creates_nothing(client, catalogue, staff):
    developer = staff["developer"]
    outside = post(client, "/api/v1/proposals", developer, {**DRAFT, "region_code": "3374"})
    assert outside.status_code == 422 and "region_code" in outside.json()["error"]["fields"]
    wrong_category = post(client, "/api/v1/proposals", developer, {**DRAFT, "category": "test_presidential"})
    assert wrong_category.status_code == 422 and "category" in wrong_category.json()["error"]["fields"]
    unknown_region = post(client, "/api/v1/proposals", developer, {**DRAFT, "region_code": "99.99"})
    assert unknown_region.status_code == 422
    not_a_proposer = post(client, "/api/v1/proposals", staff["coordinator"], DRAFT)
    assert not_a_proposer.status_code == 403
    assert Proposal.objects.count() == 0

    code = post(client, "/api/v1/proposals", developer, DRAFT).json()["tracking_code"]
    fake_pdf = upload(client, code, developer, "psu_surat_usulan", content=b"MZ\x90\x00 not a pdf at all")
    assert fake_pdf.status_code == 415 and fake_pdf.json()["error"]["code"] == "content_mismatch"
    assert upload(client, code, developer, "psu_surat_usulan", name="surat.exe").status_code == 415
    assert upload(client, code, developer, "no_such_requirement").status_code == 422
    assert Proposal.objects.get().documents.count() == 0


@pytest.mark.parametrize(
    ("persona", "sees_draft", "sees_submitted"),
    [
        ("developer", True, True),
        ("operator", False, False),  # another organisation's operator
        ("planner", False, True),
        ("decider", False, True),
        ("ruk_verifier", False, False),  # not distributed to that directorate yet
        ("field_verifier", False, True),  # the Balai of the proposal's province
        ("province_monitor", False, True),
        ("other_province_monitor", False, False),
        ("coordinator", False, False),
        ("outsider", False, False),
        ("admin", True, True),
    ],
)
def test_who_sees_a_proposal(client, catalogue, staff, persona, sees_draft, sees_submitted):
    code = post(client, "/api/v1/proposals", staff["developer"], DRAFT).json()["tracking_code"]
    proposal = Proposal.objects.get(case__tracking_code=code)
    assert cases_visible_to(staff[persona]).filter(pk=proposal.case_id).exists() == sees_draft
    upload(client, code, staff["developer"], "psu_surat_usulan")
    upload(client, code, staff["developer"], "psu_bukti_tanah")
    post(client, f"/api/v1/proposals/{code}/submit", staff["developer"])
    assert cases_visible_to(staff[persona]).filter(pk=proposal.case_id).exists() == sees_submitted


def test_an_undecided_proposal_lapses_after_two_years(client, catalogue, staff):
    from datetime import timedelta

    from django.utils import timezone

    code = post(client, "/api/v1/proposals", staff["developer"], DRAFT).json()["tracking_code"]
    upload(client, code, staff["developer"], "psu_surat_usulan")
    upload(client, code, staff["developer"], "psu_bukti_tanah")
    post(client, f"/api/v1/proposals/{code}/submit", staff["developer"])
    proposal = Proposal.objects.get(case__tracking_code=code)
    received = timezone.localdate(proposal.received_at)
    assert proposal.lapses_on.year == received.year + 2
    assert proposals_lapse(today=proposal.lapses_on) == 0
    assert proposals_lapse(today=proposal.lapses_on + timedelta(days=1)) == 1
    proposal.case.refresh_from_db()
    assert proposal.case.state == "lapsed" and proposal.case.closed_at


def test_the_proposal_list_is_scoped_and_constant_in_queries(client, catalogue, staff, django_assert_num_queries):
    for i in range(3):
        post(client, "/api/v1/proposals", staff["developer"], {**DRAFT, "title": f"PSU {i}"})
    headers = auth(staff["developer"])
    client.get("/api/v1/proposals", **headers)
    with django_assert_num_queries(8):
        body = client.get("/api/v1/proposals?limit=2", **headers).json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    assert client.get("/api/v1/proposals", **auth(staff["operator"])).json()["items"] == []


def test_the_budget_follows_the_locations_and_scales_to_the_decided_units(catalogue, staff, regions):
    from sibaru.assistance.rules import estimate_budget
    from sibaru.assistance.services import proposal_create, proposal_locations_set
    from sibaru.regions.models import Region

    operator = staff["operator"]
    proposal = proposal_create(user=operator, programme=catalogue["swadaya"], budget_year=2031,
                               title="BSPS Sukasari", region=regions["327301"])
    proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 2, "uninhabitable_houses": 30},
        {"region": Region.objects.get(code="3273011002"), "units_pk": 8, "units_pb": 0},
    ])
    proposal.refresh_from_db()
    assert (proposal.units, proposal.estimated_budget) == (20, 400_000_000)
    assert estimate_budget(proposal, 10) == 200_000_000
