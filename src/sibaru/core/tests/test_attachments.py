"""Uploads are judged by their content and size, stored under their hash, and never left orphaned."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.core.attachments import check_upload
from sibaru.core.models import Attachment, Case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def test_a_real_pdf_is_accepted_and_hashed():
    checked = check_upload(SimpleUploadedFile("surat.pdf", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.size == len(PDF)


def test_a_renamed_executable_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("foto.jpg", ELF))
    assert error.value.code == "content_mismatch"
    assert "bukan JPG" in error.value.messages[0]


def test_a_pdf_that_is_not_a_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("surat.pdf", b"just some text pretending"))
    assert error.value.code == "content_mismatch"


def test_an_oversized_file_is_refused_with_the_limit_in_the_message(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("besar.pdf", PDF + b"0" * 2000))
    assert error.value.code == "too_large"
    assert "Batasnya 1,0\xa0KB" in error.value.messages[0]


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "a/b.pdf", "evil\x00.pdf", "..pdf"])
def test_a_path_traversal_name_is_refused(name):
    with pytest.raises(ValidationError) as error:
        check_upload(_named(name, PDF))
    assert error.value.code == "bad_name"


def _named(name, content):
    upload = SimpleUploadedFile("x.pdf", content)
    # UploadedFile's name setter strips directories, as Django's upload parser does; files reach
    # check_upload by other paths too (API, imports), so the check must not rely on that.
    upload._name = name
    return upload


def test_an_extension_that_is_not_allowed_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("script.exe", ELF))
    assert error.value.code == "bad_type"


@pytest.mark.django_db
def test_stored_files_carry_their_hash_not_their_name(orgs, regions, media):
    from sibaru.trial.services import trial_request_submit

    case = trial_request_submit(name="A", email="", message="Foto rumah rusak", region=regions["3273"],
                                attachments=[check_upload(SimpleUploadedFile("rumah saya.png", PNG))])
    attachment = case.attachments.get()
    assert attachment.original_name == "rumah saya.png"
    assert attachment.file.name == f"attachments/{attachment.sha256[:2]}/{attachment.sha256}"
    assert default_storage.open(attachment.file.name).read() == PNG


@pytest.mark.django_db
def test_a_failed_submission_leaves_no_case_and_no_file(orgs, regions, media, monkeypatch):
    from sibaru.core import services as engine
    from sibaru.trial import services

    def outbox_fails(**kwargs):  # the last step of the transaction, after the file was stored
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine, "notifications_queue", outbox_fails)
    with pytest.raises(RuntimeError):
        services.trial_request_submit(name="A", email="", message="Foto rumah rusak", region=regions["3273"],
                                      attachments=[check_upload(SimpleUploadedFile("r.png", PNG))])
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))
