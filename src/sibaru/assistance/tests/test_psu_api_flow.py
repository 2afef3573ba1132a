"""A developer's own system walks a PSU proposal through the API, from the catalogue to the decision, with site
verification; the refusals a careless client meets on the way; and what the developer's system reads at each step.

The requirement list is the seeded catalogue's (budget year 2027, type `psu_nsb_developer`: the company documents
apply); the directorates and people come from assistance/tests/conftest.py.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.assistance.models import Proposal, ProposalDocument, Quota
from sibaru.core.events import verify_chain
from sibaru.core.models import Attachment, Event
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
YEAR = 2027
DRAFT = {
    "programme": "psu", "budget_year": YEAR, "title": "PSU Perumahan Griya Sukarasa", "region_code": "32.73.01.1001",
    "programme_type": "psu_nsb_developer", "category": "public_housing_development", "units": 80,
    "description": "Jalan lingkungan dan saluran drainase untuk 80 rumah umum.",
    "letter_number": "012/PT-RR/XI/2026", "letter_date": "2026-11-02", "letter_signatory": "Budi Santoso",
    "letter_position": "Direktur Utama", "latitude": "-6.872100", "longitude": "107.589300",
}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


class System:
    """Another organisation's system talking to the API with its own bearer token, as an HTTP client would."""

    def __init__(self, client, user):
        self.client = client
        response = client.post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    def get(self, url, **extra):
        return self.client.get(url, **self.headers, **extra)

    def post(self, url, body=None, **extra):
        return self.client.post(url, body or {}, content_type="application/json", **self.headers, **extra)

    def patch(self, url, body):
        return self.client.patch(url, body, content_type="application/json", **self.headers)

    def upload(self, code, requirement, name="dokumen.pdf", content=PDF):
        return self.client.post(f"/api/v1/proposals/{code}/documents",
                                {"requirement": requirement, "file": SimpleUploadedFile(name, content)},
                                **self.headers)

    def transition(self, code, action, note="", **data):
        return self.post(f"/api/v1/cases/{code}/transitions", {"action": action, "note": note, "data": data})

    def status(self, code) -> tuple[str, list[str]]:
        """What the developer's system records after each step: the status and the public timeline."""
        detail = self.get(f"/api/v1/proposals/{code}")
        assert detail.status_code == 200, detail.content
        timeline = self.get(f"/api/v1/proposals/{code}/timeline").json()
        assert timeline["status"] == detail.json()["status"]
        return detail.json()["status"], [e["status"] for e in timeline["events"]]


def error(response) -> tuple[int, str, set[str]]:
    body = response.json()["error"]
    return response.status_code, body["code"], set(body["fields"])


def test_a_developer_walks_a_psu_proposal_through_the_api_with_site_verification(
    client, catalogue, staff, directorates
):
    Quota.objects.update_or_create(programme=catalogue["psu"], budget_year=YEAR, defaults={"units": 150})
    developer = System(client, staff["developer"])

    # The developer's system reads the requirement list of its proposal type from the public catalogue.
    programme = client.get(f"/api/v1/programmes/psu?budget_year={YEAR}").json()
    assert "psu_nsb_developer" in {t["code"] for t in programme["types"] if t["proposer_kind"] == "developer"}
    mandatory = {r["code"] for r in programme["requirements"]
                 if r["kind"] == "administrative" and r["mandatory"]
                 and (not r["types"] or "psu_nsb_developer" in r["types"])}
    assert {"psu_akta_pendirian", "psu_nib", "psu_npwp"} <= mandatory  # the company's own papers
    criteria = [r["code"] for r in programme["requirements"] if r["kind"] == "technical"]

    # Refused drafts leave nothing behind.
    assert error(developer.post("/api/v1/proposals", {**DRAFT, "category": "test_presidential"})) == (
        422, "invalid", {"category"})
    assert error(developer.post("/api/v1/proposals", {**DRAFT, "region_code": "33.74"})) == (
        422, "invalid", {"region_code"})  # outside the developer's area (Kota Bandung)
    assert error(developer.post("/api/v1/proposals", {**DRAFT, "programme_type": "psu_sb_rusun"}))[2] == {
        "programme_type"}
    # A type meant for a local government is not open to a developer.
    refused = developer.post("/api/v1/proposals", {**DRAFT, "programme_type": "psu_nsb_pemda"})
    assert error(refused) == (422, "invalid", {"programme_type"})
    assert "Pengembang perumahan" in refused.content.decode()
    assert Proposal.objects.count() == 0

    created = developer.post("/api/v1/proposals", DRAFT, HTTP_IDEMPOTENCY_KEY="griya-sukarasa-1")
    assert created.status_code == 201, created.content
    code = created.json()["tracking_code"]
    assert code.startswith("PSU-")
    assert set(created.json()["missing_documents"]) == mandatory
    # What still keeps it from being sent, task by task: the documents and the readiness answers.
    assert {p["code"] for p in created.json()["problems"]} == mandatory | {"readiness"}
    # The network dropped the answer: the retry gets the same draft; the same key for another body is refused.
    retry = developer.post("/api/v1/proposals", DRAFT, HTTP_IDEMPOTENCY_KEY="griya-sukarasa-1")
    assert retry.json()["tracking_code"] == code and Proposal.objects.count() == 1
    other = developer.post("/api/v1/proposals", {**DRAFT, "title": "Lain"}, HTTP_IDEMPOTENCY_KEY="griya-sukarasa-1")
    assert error(other)[:2] == (409, "idempotency_conflict")
    assert developer.status(code) == ("draft", ["draft"])

    # The readiness self-assessment; an unknown criterion is refused.
    assert error(developer.patch(f"/api/v1/proposals/{code}", {"readiness": {"rusun_lahan": True}}))[2] == {
        "readiness"}
    ready = developer.patch(f"/api/v1/proposals/{code}", {"readiness": dict.fromkeys(criteria, True)})
    assert ready.status_code == 200 and ready.json()["readiness"] == dict.fromkeys(criteria, True)
    assert {p["task"] for p in ready.json()["problems"]} == {"documents"}

    # Submitting too early: 409 with the missing list.
    status, code_, missing = error(developer.post(f"/api/v1/proposals/{code}/submit"))
    assert (status, code_, missing) == (409, "missing_documents", mandatory)

    # Wrong files are refused by content, type and requirement, and store nothing.
    assert error(developer.upload(code, "psu_nib", name="nib.exe", content=b"MZ\x90\x00"))[0] == 415
    assert error(developer.upload(code, "psu_nib", name="nib.pdf", content=PNG))[:2] == (415, "content_mismatch")
    assert error(developer.upload(code, "psu_nib", name="nib.png", content=PNG))[0] == 415  # PDF only
    assert error(developer.upload(code, "swadaya_surat_usulan"))[2] == {"requirement"}
    assert not ProposalDocument.objects.exists() and not Attachment.objects.exists()

    for requirement in sorted(mandatory):
        # The site plan may be a picture; every other document is a PDF.
        name, content = ("siteplan.png", PNG) if requirement == "psu_siteplan" else (f"{requirement}.pdf", PDF)
        response = developer.upload(code, requirement, name=name, content=content)
        assert response.status_code == 201, (requirement, response.content)
    documents = developer.get(f"/api/v1/proposals/{code}/documents").json()["items"]
    assert {d["requirement"] for d in documents} == mandatory
    siteplan = next(d for d in documents if d["requirement"] == "psu_siteplan")
    assert siteplan["content_type"] == "image/png"
    download = developer.get(f"/api/v1/proposals/{code}/documents/{siteplan['id']}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG

    submitted = developer.post(f"/api/v1/proposals/{code}/submit")
    assert submitted.status_code == 200 and submitted.json()["missing_documents"] == []
    assert developer.status(code) == ("submitted", ["draft", "submitted"])
    # Sent: the dossier is closed to changes.
    assert error(developer.upload(code, "psu_kuesioner"))[:2] == (409, "invalid_state")
    assert developer.patch(f"/api/v1/proposals/{code}", {"units": 90}).status_code == 409

    # The planning directorate distributes; nobody else may, and not twice.
    planner, verifier, decider = (System(client, staff[p]) for p in ("planner", "ruk_verifier", "decider"))
    assert developer.transition(code, "distribute", directorate=directorates["ruk"].pk,
                                agenda_number="AG-77").status_code == 403
    assert decider.transition(code, "distribute", directorate=directorates["ruk"].pk,
                              agenda_number="AG-77").status_code == 403
    distributed = planner.transition(code, "distribute", note="Untuk Dit. RUK", directorate=directorates["ruk"].pk,
                                     agenda_number="AG-77")
    assert distributed.status_code == 200 and distributed.json()["status"] == "distributed"
    again = planner.transition(code, "distribute", directorate=directorates["ruk"].pk, agenda_number="AG-78")
    assert again.status_code == 409
    assert developer.status(code) == ("distributed", ["draft", "submitted", "distributed"])

    # Administrative verification, document by document.
    assert verifier.transition(code, "pass_administrative").status_code == 409  # nothing reviewed yet
    for document in verifier.get(f"/api/v1/proposals/{code}/documents?current=true").json()["items"]:
        reviewed = verifier.post(f"/api/v1/proposals/{code}/documents/{document['id']}/review", {"complete": True})
        assert reviewed.json()["review"] == "complete"
    verdicts = {d["review"] for d in developer.get(f"/api/v1/proposals/{code}/documents").json()["items"]}
    assert verdicts == {"complete"}
    passed = verifier.transition(code, "pass_administrative")
    assert passed.json()["status"] == "field_verification"
    assert passed.json()["status_label"] == "Verifikasi lokasi"

    # Site verification: the verdict needs a visit; a visit in the future is refused.
    assert error(verifier.transition(code, "find_eligible"))[:2] == (409, "field_visits_missing")
    future = verifier.post(f"/api/v1/proposals/{code}/field-visits",
                           {"visited_on": "2999-01-01", "result": "eligible"})
    assert error(future)[2] == {"visited_on"}
    visit = verifier.post(f"/api/v1/proposals/{code}/field-visits", {
        "visited_on": "2026-01-15", "result": "eligible", "notes": "Jalan akses ada, 60 rumah terbangun.",
        "checklist": {"psu_rumah_terbangun": True, "psu_lahan_psu": True},
    })
    assert visit.status_code == 201 and visit.json()["result"] == "eligible"
    assert developer.post(f"/api/v1/proposals/{code}/field-visits",
                          {"visited_on": "2026-01-15", "result": "eligible"}).status_code == 403
    assert verifier.transition(code, "find_eligible").json()["status"] == "for_decision"
    assert developer.status(code)[0] == "for_decision"

    # The decision, within the year's quota; the verifier may not decide.
    assert verifier.transition(code, "decide", units=80, decision_number="SK-1/2027").status_code == 403
    assert error(decider.transition(code, "decide", units=200, decision_number="SK-1/2027"))[:2] == (
        409, "quota_exceeded")
    assert decider.transition(code, "decide", units=80, decision_number="SK-1/2027").json()["status"] == "decided"

    decided = developer.get(f"/api/v1/proposals/{code}").json()
    assert (decided["status"], decided["decided_units"], decided["decision_number"]) == ("decided", 80, "SK-1/2027")
    assert developer.status(code)[1] == [
        "draft", "submitted", "distributed", "field_verification", "for_decision", "decided"
    ]

    # Building starts (its monitoring and the hand-over are the implementation API's, tested with it).
    assert verifier.transition(code, "start_implementation").status_code == 200
    assert developer.status(code)[1][-1] == "implementation"
    # The public timeline carries no internal step: no uploads, no reviews, no visits.
    case = Proposal.objects.get().case
    assert Event.objects.filter(case=case, public=False).count() > 0
    assert verify_chain(case) is None


def test_the_developers_system_syncs_only_what_changed(client, catalogue, staff, directorates):
    """A local system polls with `updated_since`: each answer holds the proposals changed since its last poll."""
    developer = System(client, staff["developer"])
    first = developer.post("/api/v1/proposals", DRAFT).json()["tracking_code"]
    second = developer.post("/api/v1/proposals", {**DRAFT, "title": "PSU Blok B"}).json()["tracking_code"]
    codes = {i["tracking_code"] for i in developer.get("/api/v1/proposals").json()["items"]}
    assert codes == {first, second}

    # The local system keeps the ISO text of the last change it saw, and asks from there next time.
    checkpoint = developer.get(f"/api/v1/proposals/{second}").json()["updated_at"]
    developer.patch(f"/api/v1/proposals/{first}", {"letter_number": "013/PT-RR/XI/2026"})
    changed = developer.get("/api/v1/proposals", data={"updated_since": checkpoint}).json()["items"]
    assert first in {i["tracking_code"] for i in changed}
    later = developer.get(f"/api/v1/proposals/{first}").json()["updated_at"]
    assert [i["tracking_code"] for i in developer.get("/api/v1/proposals", data={"updated_since": later}).json()[
        "items"]] == [first]
    # A document upload is a change too (it is an event on the case).
    developer.upload(second, "psu_nib")
    after_upload = {i["tracking_code"] for i in developer.get(
        "/api/v1/proposals", data={"updated_since": later}).json()["items"]}
    assert second in after_upload
    bad = developer.get("/api/v1/proposals", data={"updated_since": "kemarin"})
    assert error(bad) == (422, "invalid", {"updated_since"})
