from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sibaru.accounts.roles import Role
from sibaru.core.attachments import check_upload
from tests.personas import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def clock(monkeypatch):
    """Set the office clock: clock(2026, 3, 17) makes every 'today' that day, 10.00 in Jakarta."""

    def set_day(year, month, day, hour=10):
        moment = datetime(year, month, day, hour, tzinfo=JAKARTA)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


@pytest.fixture
def ppid(people, orgs):
    return {
        "officer": make_user("ppid@example.test", orgs["ministry"], Role.PPID_OFFICER, full_name="Petugas PPID"),
        "superior": make_user("atasan@example.test", orgs["ministry"], Role.PPID_SUPERIOR, full_name="Atasan PPID",
                              position="Sekretaris Direktorat Jenderal"),
    }


def identity():
    return check_upload(SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf"))


@pytest.fixture
def submit(orgs):
    from sibaru.information.services import info_request_submit

    def make(**overrides):
        fields = dict(
            requester_type="person", name="Rina Jurnalis", id_number="3273014506900002", address="Jl. Braga 1",
            email="rina@example.test", information="Daftar penerima BSPS Kota Bandung 2025",
            purpose="Liputan", obtain="copy", delivery="email", identity_document=identity(),
        )
        fields.update(overrides)
        return info_request_submit(**fields)

    return make
