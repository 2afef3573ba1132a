"""The proposals API piece by piece: editing the draft, BSPS locations, documents and their verdicts, revision and
resubmission, comments, the status list and timeline a local government's system reads, who sees what, and the
queries each read costs. The whole walk of a PSU proposal is in test_psu_api_flow.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.accounts.services import api_token_issue
from sibaru.assistance.models import Proposal
from sibaru.assistance.services import proposals_lapse
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


def answer_readiness(client, code, user):
    return patch(client, code, user, {"readiness": {"psu_bebas_bencana": True, "psu_akses_jalan": True}})


def upload(client, code, user, requirement, name="dokumen.pdf", content=PDF):
    return client.post(f"/api/v1/proposals/{code}/documents",
                       {"requirement": requirement, "file": SimpleUploadedFile(name, content)}, **auth(user))


def patch(client, code, user, body):
    return client.patch(f"/api/v1/proposals/{code}", body, content_type="application/json", **auth(user))


def transition(client, code, user, action, note="", **data):
    return post(client, f"/api/v1/cases/{code}/transitions", user, {"action": action, "note": note, "data": data})


DRAFT = {"programme": "psu", "budget_year": 2031, "title": "PSU Perumahan Griya Sukarasa",
         "region_code": "32.73.01.1001", "programme_type": "test_nsb_developer", "units": 80,
         "letter_number": "012/PT-RR/2030", "letter_date": "2030-11-02", "letter_signatory": "Budi",
         "letter_position": "Direktur Utama"}


def test_revision_keeps_every_version_and_resubmission_needs_the_replacements(client, catalogue, staff, directorates):
    developer, verifier = staff["developer"], staff["ruk_verifier"]
    code = post(client, "/api/v1/proposals", developer, DRAFT).json()["tracking_code"]
    upload(client, code, developer, "psu_surat_usulan")
    upload(client, code, developer, "psu_bukti_tanah")
    answer_readiness(client, code, developer)
    post(client, f"/api/v1/proposals/{code}/submit", developer)
    transition(client, code, staff["planner"], "distribute", directorate=directorates["ruk"].pk, agenda_number="A1")
    detail = client.get(f"/api/v1/proposals/{code}", **auth(verifier)).json()
    documents = {d["requirement"]: d for d in detail["documents"]}
    url = f"/api/v1/proposals/{code}/documents/{documents['psu_bukti_tanah']['id']}/review"
    assert post(client, url, verifier, {"complete": False}).status_code == 422  # a note is required
    post(client, url, verifier, {"complete": False, "note": "Sertifikat tidak terbaca."})
    assert transition(client, code, verifier, "pass_administrative").status_code == 409
    assert transition(client, code, verifier, "request_revision").json()["status"] == "revision"

    # The proposer's system reads what to replace, with the verifier's note.
    back = client.get(f"/api/v1/proposals/{code}", **auth(developer)).json()
    assert back["status"] == "revision" and "submit" not in back["available_actions"]
    assert "resubmit" in back["available_actions"]
    assert back["incomplete_documents"] == [{"requirement": "psu_bukti_tanah", "requirement_title": "Bukti Tanah",
                                             "version": 1, "note": "Sertifikat tidak terbaca."}]
    blocked = post(client, f"/api/v1/proposals/{code}/submit", developer)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "documents_not_replaced"
    assert set(blocked.json()["error"]["fields"]) == {"psu_bukti_tanah"}
    # While back for revision the letter can be corrected too.
    assert patch(client, code, developer, {"letter_number": "012-REV/PT-RR/2030"}).status_code == 200
    assert upload(client, code, developer, "psu_bukti_tanah", name="sertifikat-baru.pdf").status_code == 201
    assert post(client, f"/api/v1/proposals/{code}/submit", developer).json()["status"] == "distributed"
    versions = [d for d in client.get(f"/api/v1/proposals/{code}", **auth(verifier)).json()["documents"]
                if d["requirement"] == "psu_bukti_tanah"]
    assert [(d["version"], d["current"], d["review"]) for d in versions] == [
        (2, True, "pending"), (1, False, "incomplete")
    ]
    assert client.get(f"/api/v1/proposals/{code}", **auth(developer)).json()["incomplete_documents"] == []


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
    answer_readiness(client, code, staff["developer"])
    post(client, f"/api/v1/proposals/{code}/submit", staff["developer"])
    assert cases_visible_to(staff[persona]).filter(pk=proposal.case_id).exists() == sees_submitted


def test_an_undecided_proposal_lapses_after_two_years(client, catalogue, staff):
    from datetime import timedelta

    from django.utils import timezone

    code = post(client, "/api/v1/proposals", staff["developer"], DRAFT).json()["tracking_code"]
    upload(client, code, staff["developer"], "psu_surat_usulan")
    upload(client, code, staff["developer"], "psu_bukti_tanah")
    answer_readiness(client, code, staff["developer"])
    post(client, f"/api/v1/proposals/{code}/submit", staff["developer"])
    proposal = Proposal.objects.get(case__tracking_code=code)
    received = timezone.localdate(proposal.received_at)
    assert proposal.lapses_on.year == received.year + 2
    assert proposals_lapse(today=proposal.lapses_on) == 0
    assert proposals_lapse(today=proposal.lapses_on + timedelta(days=1)) == 1
    proposal.case.refresh_from_db()
    assert proposal.case.state == "lapsed" and proposal.case.closed_at


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


def submitted(client, staff, **changes) -> str:
    code = post(client, "/api/v1/proposals", staff["developer"], {**DRAFT, **changes}).json()["tracking_code"]
    upload(client, code, staff["developer"], "psu_surat_usulan")
    upload(client, code, staff["developer"], "psu_bukti_tanah")
    answer_readiness(client, code, staff["developer"])
    post(client, f"/api/v1/proposals/{code}/submit", staff["developer"])
    return code


def test_the_proposers_system_edits_the_draft_and_nothing_after_sending(client, catalogue, staff):
    developer = staff["developer"]
    code = post(client, "/api/v1/proposals", developer, DRAFT).json()["tracking_code"]
    response = patch(client, code, developer, {
        "letter_number": "020/PT-RR/2030", "letter_date": "2030-12-01", "units": 100, "latitude": "-6.87",
        "longitude": "107.59", "readiness": {"psu_bebas_bencana": True},
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["letter_number"], body["letter_date"], body["units"]) == ("020/PT-RR/2030", "2030-12-01", 100)
    assert body["estimated_budget"] == "2000000000"  # 100 units × Rp20 jt
    assert body["letter_signatory"] == "Budi"  # fields not sent stay
    # Readiness answers are merged, one criterion at a time.
    body = patch(client, code, developer, {"readiness": {"psu_akses_jalan": False}}).json()
    assert body["readiness"] == {"psu_bebas_bencana": True, "psu_akses_jalan": False}

    for bad, field in [({"title": ""}, "title"), ({"units": -1}, "units"), ({"units": None}, "units"),
                       ({"region_code": "33.74"}, "region_code"), ({"region_code": "99"}, "region_code"),
                       ({"readiness": {"psu_surat_usulan": True}}, "readiness"),  # a document, not a criterion
                       ({"letter_date": "1 Desember"}, "letter_date")]:
        refused = patch(client, code, developer, bad)
        assert refused.status_code == 422, bad
        assert field in refused.json()["error"]["fields"], (bad, refused.json())
    proposal = Proposal.objects.get()
    assert (proposal.units, proposal.title, proposal.case.region_id) == (100, DRAFT["title"], "3273011001")

    # Nobody else edits it: another organisation does not even see it; a reviewer is refused once it is sent.
    assert patch(client, code, staff["operator"], {"units": 1}).status_code == 404
    upload(client, code, developer, "psu_surat_usulan")
    upload(client, code, developer, "psu_bukti_tanah")
    assert post(client, f"/api/v1/proposals/{code}/submit", developer).status_code == 200
    sent = patch(client, code, developer, {"units": 1})
    assert sent.status_code == 409 and sent.json()["error"]["code"] == "invalid_state"
    assert patch(client, code, staff["planner"], {"units": 1}).status_code == 403
    assert Proposal.objects.get().units == 100


def test_bsps_target_villages_with_pk_and_pb_units(client, catalogue, staff, regions):
    operator = staff["operator"]
    draft = {"programme": "swadaya", "budget_year": 2031, "title": "BSPS Sukasari", "region_code": "327301",
             "locations": [{"region_code": "32.73.01.1001", "units_pk": 10, "units_pb": 2,
                            "uninhabitable_houses": 30}]}
    created = post(client, "/api/v1/proposals", operator, draft)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["locations"] == [{"region_code": "3273011001", "region_name": "Sukarasa", "units_pk": 10,
                                  "units_pb": 2, "uninhabitable_houses": 30, "region_class": "regular"}]
    assert (body["units"], body["estimated_budget"]) == (12, "240000000")
    code = body["tracking_code"]

    url = f"/api/v1/proposals/{code}/locations"
    replaced = client.put(url, {"locations": [
        {"region_code": "3273011001", "units_pk": 5}, {"region_code": "3273011002", "units_pk": 8, "units_pb": 2},
    ]}, content_type="application/json", **auth(operator))
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["units"], len(replaced.json()["locations"])) == (15, 2)

    for bad in ([{"region_code": "327301", "units_pk": 1}],  # a district, not a village
                [{"region_code": "3273011001"}, {"region_code": "32.73.01.1001"}],  # twice
                [{"region_code": "3273011001", "units_pk": -3}],
                [{"region_code": "9999999999"}]):
        refused = client.put(url, {"locations": bad}, content_type="application/json", **auth(operator))
        assert refused.status_code == 422 and "locations" in str(refused.json()["error"]["fields"]), bad
    assert Proposal.objects.get().locations.count() == 2 and Proposal.objects.get().units == 15

    # A draft whose locations are refused is not created at all.
    refused = post(client, "/api/v1/proposals", operator, {**draft, "locations": [{"region_code": "327301"}]})
    assert refused.status_code == 422 and Proposal.objects.count() == 1


def test_documents_their_verdicts_and_files_for_those_who_see_the_proposal(client, catalogue, staff, directorates):
    developer, verifier = staff["developer"], staff["ruk_verifier"]
    code = submitted(client, staff)
    transition(client, code, staff["planner"], "distribute", directorate=directorates["ruk"].pk, agenda_number="A1")
    items = client.get(f"/api/v1/proposals/{code}/documents", **auth(verifier)).json()["items"]
    letter = next(d for d in items if d["requirement"] == "psu_surat_usulan")
    post(client, f"/api/v1/proposals/{code}/documents/{letter['id']}/review", verifier,
         {"complete": False, "note": "Tanda tangan tidak ada."})

    mine = client.get(f"/api/v1/proposals/{code}/documents", **auth(developer)).json()["items"]
    verdict = next(d for d in mine if d["id"] == letter["id"])
    assert (verdict["review"], verdict["review_note"], verdict["reviewed_at"] is not None) == (
        "incomplete", "Tanda tangan tidak ada.", True)
    assert (verdict["file_name"], verdict["content_type"], verdict["size"]) == ("dokumen.pdf", "application/pdf",
                                                                                  len(PDF))
    file = client.get(f"/api/v1/proposals/{code}/documents/{letter['id']}/file", **auth(developer))
    assert file.status_code == 200 and b"".join(file.streaming_content) == PDF
    assert file["Content-Disposition"].startswith("attachment")
    assert file["X-Content-Type-Options"] == "nosniff"
    for outsider in ("operator", "other_province_monitor"):
        assert client.get(f"/api/v1/proposals/{code}/documents/{letter['id']}/file",
                          **auth(staff[outsider])).status_code == 404
    assert client.get(f"/api/v1/proposals/{code}/documents/999999/file", **auth(developer)).status_code == 404


def test_comments_both_ways_and_internal_notes_stay_with_the_reviewers(client, catalogue, staff, directorates):
    developer, verifier = staff["developer"], staff["ruk_verifier"]
    code = submitted(client, staff)
    transition(client, code, staff["planner"], "distribute", directorate=directorates["ruk"].pk, agenda_number="A1")
    url = f"/api/v1/proposals/{code}/comments"
    asked = post(client, url, verifier, {"body": "Mohon kirim foto lokasi terbaru."})
    assert asked.status_code == 201 and asked.json()["internal"] is False
    assert post(client, url, verifier, {"body": "Cek ulang luas lahan.", "internal": True}).status_code == 201
    assert post(client, url, developer, {"body": "Foto menyusul besok."}).status_code == 201
    assert post(client, url, developer, {"body": "Rahasia", "internal": True}).status_code == 403
    blank = post(client, url, developer, {"body": ""})
    assert blank.status_code == 422 and "body" in blank.json()["error"]["fields"]

    seen_by_developer = [c["body"] for c in client.get(url, **auth(developer)).json()["items"]]
    assert seen_by_developer == ["Mohon kirim foto lokasi terbaru.", "Foto menyusul besok."]
    seen_by_verifier = [c["body"] for c in client.get(url, **auth(verifier)).json()["items"]]
    assert seen_by_verifier == ["Mohon kirim foto lokasi terbaru.", "Cek ulang luas lahan.", "Foto menyusul besok."]
    assert client.get(url, **auth(staff["operator"])).status_code == 404


def test_the_status_list_and_the_public_timeline_a_local_government_reads(client, catalogue, staff, directorates):
    code = submitted(client, staff)
    transition(client, code, staff["planner"], "add_note", note="Internal: cek kuota")
    transition(client, code, staff["planner"], "distribute", directorate=directorates["ruk"].pk, agenda_number="A1")
    # The province follows its regencies' proposals; its list says where each one stands.
    listed = client.get("/api/v1/proposals?programme=psu&status=distributed",
                        **auth(staff["province_monitor"])).json()["items"]
    assert [(i["tracking_code"], i["status"], i["status_label"]) for i in listed] == [
        (code, "distributed", "Verifikasi administrasi")]
    assert client.get("/api/v1/proposals?status=decided", **auth(staff["province_monitor"])).json()["items"] == []

    timeline = client.get(f"/api/v1/proposals/{code}/timeline", **auth(staff["developer"])).json()
    assert [e["status"] for e in timeline["events"]] == ["draft", "submitted", "distributed"]
    assert "Internal" not in str(timeline)
    assert timeline["status_hint"] and timeline["due_date"]
    assert client.get(f"/api/v1/proposals/{code}/timeline", **auth(staff["other_province_monitor"])).status_code == 404

    assert client.get("/api/v1/proposals?limit=0", **auth(staff["developer"])).status_code == 422
    assert client.get("/api/v1/proposals?cursor=abc", **auth(staff["developer"])).status_code == 422
    assert client.get("/api/v1/proposals").status_code == 401


def test_errors_answer_in_the_callers_language(client, catalogue, staff):
    english = post(client, "/api/v1/proposals", staff["developer"], {**DRAFT, "region_code": "99.99"},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"] == {"code": "invalid", "message": "Some fields are not valid.",
                                       "fields": {"region_code": ["Unknown region code."]}}
    indonesian = post(client, "/api/v1/proposals", staff["developer"], {**DRAFT, "region_code": "99.99"})
    assert indonesian.json()["error"]["fields"] == {"region_code": ["Kode wilayah tidak dikenal."]}


def test_the_list_and_the_detail_cost_a_constant_number_of_queries(
    client, catalogue, staff, directorates, django_assert_num_queries, django_assert_max_num_queries
):
    headers = auth(staff["developer"])

    def list_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/proposals?limit=50", **headers).status_code == 200
        return len(captured)

    submitted(client, staff)
    one = list_queries()
    for i in range(4):
        submitted(client, staff, title=f"PSU {i}")
    assert list_queries() == one  # five proposals cost what one did
    # Token, memberships, one page of proposals.
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/proposals?limit=2", **headers).json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    rest = client.get(f"/api/v1/proposals?limit=50&cursor={body['next_cursor']}", **headers).json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert client.get("/api/v1/proposals", **auth(staff["operator"])).json()["items"] == []

    code = body["items"][0]["tracking_code"]
    # Token, memberships, the proposal, its documents, its locations, its requirements, its last event.
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/proposals/{code}", **headers).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/proposals/{code}/timeline", **headers).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/proposals/{code}/documents", **headers).status_code == 200
