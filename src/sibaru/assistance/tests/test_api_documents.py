"""The proposals API's files: the PDFs (receipt, revision notice, decision letter) on the web's availability rules
and scope, and the field-visit photos a verifier's system adds to a recorded visit, checked by content."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from sibaru.accounts.services import api_token_issue
from sibaru.assistance.models import FieldVisit, FieldVisitPhoto
from sibaru.assistance.tests.test_documents import decided, revision_requested
from sibaru.assistance.tests.test_views import LAST_MONTH, PDF, PNG, _to_field_verification, filled, submitted
from sibaru.core.models import Attachment, Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def auth(user) -> dict:
    secret, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def pdf_url(proposal, kind: str) -> str:
    return f"/api/v1/proposals/{proposal.case.tracking_code}/pdf/{kind}"


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


# --- The PDFs ------------------------------------------------------------------------------------------------------


def test_each_pdf_exists_once_its_step_happened(client, staff, catalogue, regions, directorates,
                                                django_assert_max_num_queries):
    draft = filled(staff["operator"], catalogue, regions)
    headers = auth(staff["operator"])
    for kind in ("tanda-terima", "pemberitahuan-perbaikan", "surat-penetapan", "tidak-ada"):
        refused = client.get(pdf_url(draft, kind), **headers)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found", kind

    proposal = submitted(staff, catalogue, regions, title="BSPS terkirim")
    code = proposal.case.tracking_code
    client.get(pdf_url(proposal, "tanda-terima"), **headers)
    # token and its user, proposal with documents and locations, memberships, the submission event
    with django_assert_max_num_queries(7):
        receipt = client.get(pdf_url(proposal, "tanda-terima"), **headers)
    assert receipt["Content-Disposition"] == f'attachment; filename="tanda-terima-{code}.pdf"'
    assert receipt["Cache-Control"] == "private, no-store" and receipt["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(receipt)
    assert code in text and "Tanda terima usulan bantuan perumahan" in text
    assert client.get(pdf_url(proposal, "surat-penetapan"), **headers).status_code == 404


def test_the_revision_notice_and_the_decision_letter(client, staff, catalogue, regions, directorates):
    back = revision_requested(staff, catalogue, regions, directorates)
    notice = pdf_text(client.get(pdf_url(back, "pemberitahuan-perbaikan"), **auth(staff["operator"])))
    assert "Tanda tangan wali kota belum ada." in notice

    done = decided(staff, catalogue, regions, directorates)
    for who in ("operator", "swadaya_verifier", "province_monitor"):
        letter = pdf_text(client.get(pdf_url(done, "surat-penetapan"), **auth(staff[who])))
        assert "KEP/045/DJP/2031" in letter, who
    # Another organisation's system does not learn that the proposal exists.
    for who in ("developer", "other_province_monitor"):
        assert client.get(pdf_url(done, "surat-penetapan"), **auth(staff[who])).status_code == 404, who


# --- Field-visit photos --------------------------------------------------------------------------------------------


def photos_url(proposal, visit_id) -> str:
    return f"/api/v1/proposals/{proposal.case.tracking_code}/field-visits/{visit_id}/photos"


def photo(name="rumah.png", content=PNG):
    return SimpleUploadedFile(name, content)


def test_a_verifier_adds_geotagged_photos_to_a_recorded_visit(client, staff, catalogue, regions, directorates,
                                                              django_assert_max_num_queries):
    proposal = _to_field_verification(staff, catalogue, regions, directorates)
    verifier = auth(staff["field_verifier"])
    location = proposal.locations.first()
    visit = client.post(f"/api/v1/proposals/{proposal.case.tracking_code}/field-visits", {
        "visited_on": LAST_MONTH.isoformat(), "result": "eligible", "location_region_code": location.region_id,
    }, content_type="application/json", **verifier).json()

    # token and its user, the proposal (with documents, locations), the visit, memberships, the case lock,
    # the event, the attachment, the photo
    with django_assert_max_num_queries(14):
        added = client.post(photos_url(proposal, visit["id"]),
                            {"photo": photo(), "latitude": "-6.8812345678", "longitude": "107.59"}, **verifier)
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["visit"], body["file_name"], body["content_type"]) == (visit["id"], "rumah.png", "image/png")
    assert (body["latitude"], body["longitude"]) == ("-6.881235", "107.590000")
    saved = FieldVisitPhoto.objects.select_related("attachment").get()
    assert saved.visit_id == visit["id"] and saved.attachment.case_id == proposal.case_id
    event = Event.objects.get(case_id=proposal.case_id, action="field_visit_photo")
    assert event.actor == staff["field_verifier"] and not event.public and saved.attachment.event_id == event.pk
    # Where it was taken is optional.
    bare = client.post(photos_url(proposal, visit["id"]), {"photo": photo("depan.jpg", b"\xff\xd8\xff\xe0" + PNG)},
                       **verifier)
    assert bare.status_code == 201 and bare.json()["latitude"] is None
    assert FieldVisit.objects.get().photos.count() == 2


def test_bad_photos_and_wrong_callers_change_nothing(client, staff, catalogue, regions, directorates, media):
    proposal = _to_field_verification(staff, catalogue, regions, directorates)
    visit = FieldVisit.objects.create(proposal=proposal, location=proposal.locations.first(),
                                      visited_on=LAST_MONTH, result="eligible", verifier=staff["field_verifier"])
    files_before = {p for p in media.rglob("*") if p.is_file()}
    verifier = auth(staff["field_verifier"])
    address = photos_url(proposal, visit.pk)
    for data, status, field in (
        ({"photo": photo("rumah.png", PDF)}, 415, "photo"),  # a PDF renamed
        ({"photo": photo("rumah.gif", PNG)}, 415, "photo"),
        ({"photo": photo("rumah.png", b"")}, 415, "photo"),
        ({"photo": photo(), "latitude": "40.7"}, 422, "latitude"),  # not in Indonesia
        ({"photo": photo(), "longitude": "2.35"}, 422, "longitude"),
        ({"photo": photo(), "latitude": "utara"}, 422, "latitude"),
        ({}, 422, "photo"),
    ):
        response = client.post(address, data, **verifier)
        assert response.status_code == status, data
        assert field in response.json()["error"]["fields"], data
    assert client.post(photos_url(proposal, visit.pk + 1), {"photo": photo()}, **verifier).status_code == 404
    # The proposer sees the proposal but does not verify it; another directorate does not see it.
    operator = client.post(address, {"photo": photo()}, **auth(staff["operator"]))
    assert operator.status_code == 403
    assert client.post(address, {"photo": photo()}, **auth(staff["ruk_verifier"])).status_code == 404
    assert not FieldVisitPhoto.objects.exists()
    assert not Event.objects.filter(action="field_visit_photo").exists()
    assert {p for p in media.rglob("*") if p.is_file()} == files_before  # no orphan file


def test_photos_are_added_only_during_field_verification(client, staff, catalogue, regions, directorates, media):
    done = decided(staff, catalogue, regions, directorates)
    visit = FieldVisit.objects.filter(proposal=done).first()
    attachments = Attachment.objects.count()
    files_before = {p for p in media.rglob("*") if p.is_file()}
    late = client.post(photos_url(done, visit.pk), {"photo": photo()}, **auth(staff["field_verifier"]))
    assert late.status_code == 409
    assert late.json()["error"]["message"] == "Kunjungan lapangan dicatat pada tahap verifikasi lapangan."
    assert Attachment.objects.count() == attachments and not FieldVisitPhoto.objects.exists()
    assert {p for p in media.rglob("*") if p.is_file()} == files_before  # refused before anything is stored
