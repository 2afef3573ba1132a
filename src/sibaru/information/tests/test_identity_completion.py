"""The PPID completes the identity of a request converted from a complaint: the same rules as the public form,
the document stored once, an internal event without personal data, and the deadline left running."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sibaru.complaints.tests.conftest import category, submit  # noqa: F401  (the category fixture)
from sibaru.core.models import Attachment, Case, Event, Notification
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.information.models import InformationRequest
from sibaru.information.services import info_request_identity_complete
from sibaru.information.tests.conftest import PDF, identity

pytestmark = pytest.mark.django_db
NIK = "3273014506900002"
IDENTITY = {"requester_type": "person", "id_number": NIK, "address": "Jl. Braga 1, Bandung",
            "purpose": "Liputan", "occupation": "Jurnalis"}


@pytest.fixture
def converted(regions, category, people):  # noqa: F811
    complaint = submit(regions, category, report_type="permintaan_informasi", title="Data penerima BSPS Bandung",
                       description="Berapa rumah di Kelurahan Sukarasa yang menerima BSPS tahun 2025?").case
    case_apply_action(case=complaint, action="convert_to_information_request", user=people["coordinator"])
    return InformationRequest.objects.select_related("case").get()


def _form(**overrides):
    data = {f"identity-{k}": v for k, v in IDENTITY.items()}
    data["identity-identity_document"] = SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf")
    data["op"] = "identity_complete"
    data.update({f"identity-{k}": v for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


def _files(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_the_officer_completes_it_from_the_page(client, converted, ppid, tmp_path, django_assert_max_num_queries):
    code = converted.case.tracking_code
    due = converted.case.due_date
    client.force_login(ppid["officer"])
    with django_assert_max_num_queries(30):
        page = client.get(reverse("information:manage", args=[code])).content.decode()
    assert "Identitas belum lengkap" in page and "Lengkapi identitas pemohon" in page
    complaint_code = Case.objects.get(kind="complaint").tracking_code
    assert f"Dialihkan dari pengaduan {complaint_code}" in page
    register = client.get(reverse("information:register_requests")).content.decode()
    assert "Identitas belum lengkap" in register

    response = client.post(reverse("information:manage_action", args=[code]), _form())
    assert response.status_code == 302

    info = InformationRequest.objects.select_related("identity_document", "case").get()
    assert not info.identity_pending
    assert (info.id_number, info.address, info.purpose, info.occupation) == (
        NIK, "Jl. Braga 1, Bandung", "Liputan", "Jurnalis")
    assert info.identity_document.original_name == "ktp.pdf" and info.identity_document.case_id == info.case_id
    assert info.identity_document.file.read() == PDF
    event = Event.objects.get(case=info.case, action="identity_completed")
    assert not event.public and event.actor == ppid["officer"]
    assert NIK not in str(event.data) and "Braga" not in str(event.data) + event.note
    # UU 14/2008 counts from receipt: completing the identity does not move the deadline.
    assert info.case.due_date == due

    page = client.get(reverse("information:manage", args=[code])).content.decode()
    assert "Identitas belum lengkap" not in page and "Lengkapi identitas pemohon" not in page
    assert f"Dialihkan dari pengaduan {complaint_code}" in page
    assert "Identitas belum lengkap" not in client.get(reverse("information:register_requests")).content.decode()


def test_the_requester_reads_that_the_ppid_will_ask(client, converted):
    body = Notification.objects.get(case=converted.case, body__contains="/sbi_").body
    token = re.search(r"/(sbi_[\w-]+)/", body).group(1)
    page = client.get(reverse("information:private", args=[converted.case.tracking_code, token])).content.decode()
    assert "PPID akan menghubungi Anda" in page


def test_only_the_ppid_officer_completes_it(client, converted, ppid, people):
    for user in (ppid["superior"], people["coordinator"]):
        with pytest.raises(PermissionDenied):
            info_request_identity_complete(request=converted, user=user, data=IDENTITY, identity_document=identity())
    client.force_login(ppid["superior"])
    page = client.get(reverse("information:manage", args=[converted.case.tracking_code])).content.decode()
    assert "Lengkapi identitas pemohon" not in page
    response = client.post(reverse("information:manage_action", args=[converted.case.tracking_code]), _form())
    assert response.status_code == 403
    converted.refresh_from_db()
    assert converted.identity_pending and not Attachment.objects.exists()


def test_a_request_with_its_identity_is_not_completed_again(submit, ppid, tmp_path):
    case, _token = submit()
    info = InformationRequest.objects.get(case=case)
    before = _files(tmp_path)
    with pytest.raises(ActionNotAllowed):
        info_request_identity_complete(request=info, user=ppid["officer"], data=IDENTITY, identity_document=identity())
    assert Attachment.objects.count() == 1 and _files(tmp_path) == before
    assert not Event.objects.filter(action="identity_completed").exists()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(client, converted, ppid, tmp_path):
    client.force_login(ppid["officer"])
    fake = SimpleUploadedFile("ktp.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = client.post(reverse("information:manage_action", args=[converted.case.tracking_code]),
                           _form(identity_document=fake))
    assert response.status_code == 400 and "bukan PDF" in response.content.decode()
    converted.refresh_from_db()
    assert converted.identity_pending and converted.id_number == ""
    assert not Attachment.objects.exists() and _files(tmp_path) == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"id_number": ""}, 'href="#id_identity-id_number"'),
    ({"id_number": "12345"}, "NIK terdiri atas 16 angka."),
])
def test_a_missing_or_short_nik_is_refused_and_nothing_changes(client, converted, ppid, tmp_path, overrides,
                                                              message):
    client.force_login(ppid["officer"])
    response = client.post(reverse("information:manage_action", args=[converted.case.tracking_code]),
                           _form(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    converted.refresh_from_db()
    assert converted.identity_pending and not Attachment.objects.exists() and _files(tmp_path) == []
    assert not Event.objects.filter(action="identity_completed").exists()


def test_the_service_applies_the_form_rules_itself(converted, ppid, tmp_path):
    with pytest.raises(ValidationError) as raised:
        info_request_identity_complete(request=converted, user=ppid["officer"], data={**IDENTITY, "address": " "},
                                       identity_document=None)
    assert set(raised.value.message_dict) == {"address", "identity_document"}
    assert not Attachment.objects.exists() and _files(tmp_path) == []
