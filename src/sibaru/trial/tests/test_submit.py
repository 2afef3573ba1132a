"""The citizen's thin path: the form makes one case (even when sent twice), bad input changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sibaru.core.models import Attachment, Case, Event
from sibaru.trial.models import TrialRequest

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _form(**overrides):
    data = {"name": "Siti Rahmawati", "email": "siti@example.test", "region": "3273011001",
            "message": "Bagaimana cara mengusulkan BSPS?", "submission_id": "f" * 32}
    data.update(overrides)
    return data


def test_a_submission_makes_a_case_and_shows_the_tracking_code(client, orgs, regions):
    response = client.post(reverse("trial:submit"), _form(attachment=SimpleUploadedFile("rumah.png", PNG)))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trial:submitted", args=[case.tracking_code])
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code in page
    assert "hari kerja" in page  # what happens next and by when
    request = TrialRequest.objects.get(case=case)
    assert (request.name, request.email, case.region_id, case.organisation) == (
        "Siti Rahmawati", "siti@example.test", "3273011001", orgs["ministry"])
    assert case.attachments.get().original_name == "rumah.png"


def test_sending_the_same_form_twice_makes_one_case(client, orgs, regions):
    first = client.post(reverse("trial:submit"), _form())
    second = client.post(reverse("trial:submit"), _form())
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_form_id_with_other_content_is_refused_not_merged(client, orgs, regions):
    client.post(reverse("trial:submit"), _form())
    response = client.post(reverse("trial:submit"), _form(message="Pesan yang sama sekali berbeda"))
    assert response.status_code == 200
    assert "sudah pernah dikirim" in response.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "wajib"),
        ({"message": "pendek"}, "message", "paling sedikit 10"),
        ({"region": "99.99"}, "region", "tidak dikenal"),
        ({"region": "abc"}, "region", ""),
        ({"email": "bukan-email"}, "email", ""),
        ({"attachment": SimpleUploadedFile("foto.jpg", b"\x7fELF" + b"\x00" * 100)}, "attachment", "bukan JPG"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(client, orgs, regions, media, overrides, field, message):
    response = client.post(reverse("trial:submit"), _form(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}' in html
    assert message.lower() in html.lower()
    assert (Case.objects.count(), Event.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    assert not any(p.is_file() for p in media.rglob("*"))


def test_submissions_are_rate_limited_per_address(client, orgs, regions, settings):
    settings.RATELIMIT_SUBMIT = "2/h"
    codes = [client.post(reverse("trial:submit"), _form(submission_id=str(i) * 8)).status_code for i in range(3)]
    assert codes == [302, 302, 429]


def test_the_form_is_served_in_english(client):
    response = client.get(reverse("trial:submit"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
