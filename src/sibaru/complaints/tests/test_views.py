"""The complaint pages: two-step intake with similar reports, bad input, rate limit, replay, the private
page, the public reports and feeds (never personal data), and the staff pages with their scope."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sibaru.complaints.models import Complaint
from sibaru.core.models import Attachment, Case, Event

from .conftest import answer, submit, verify

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _post(client, **fields):
    data = {
        "report_type": "pengaduan", "category": "rusun-fasilitas", "region": "3273011001",
        "title": "Air rusun mati", "description": "Sudah seminggu air di blok B tidak mengalir sama sekali.",
        "privacy": "anonymous", "submission_id": "s-1",
    }
    data.update(fields)
    return client.post(reverse("complaints:submit"), data)


def test_the_service_address_as_people_type_it_leads_to_the_form(client):
    response = client.get("/pengaduan/")
    assert response.status_code == 302 and response["Location"] == reverse("complaints:submit")


def test_the_first_step_asks_what_and_where_and_the_second_suggests_similar_reports(
    client, regions, category, people, orgs, django_assert_max_num_queries
):
    verified = submit(regions, category).case
    verify(verified, people, orgs)
    assert client.get(reverse("complaints:submit")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:submit"),
                              {"report_type": "pengaduan", "category": "rusun-fasilitas", "region": "3273"})
    content = response.content.decode()
    assert "Laporan serupa di wilayah ini" in content
    assert "Air Rusunawa Sukarasa tidak mengalir" in content and "Budi" not in content
    response = client.get(reverse("complaints:submit"), {"report_type": "pengaduan", "category": "tidak-ada",
                                                         "region": "3273"})
    assert response.status_code == 400 and "Kategori tidak dikenal" in response.content.decode()


def test_an_anonymous_report_with_a_photo_gets_a_tracking_code_and_a_private_link(client, regions, category, media):
    photo = SimpleUploadedFile("air.png", PNG, content_type="image/png")
    response = _post(client, attachments=[photo], reporter_name="Tidak disimpan")
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/terkirim/{case.tracking_code}/")
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code in page and "hari kerja" in page
    link = re.search(r'id="follow-link">([^<]+)<', page).group(1)
    assert Complaint.objects.get().reporter_name == ""
    assert Attachment.objects.get().original_name == "air.png"
    follow = client.get(link)
    assert follow.status_code == 200 and "Air rusun mati" in follow.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "https://contoh.example/foto"}, "tidak boleh hanya berisi tautan"),
        ({"title": ""}, "tidak boleh kosong"),
        ({"title": "x" * 151}, "151"),
        ({"description": "a" * 4001}, "4001"),
        ({"category": "tidak-ada"}, "Kategori tidak dikenal"),
        ({"region": "9999"}, "tidak dikenal"),
        ({"privacy": "public"}, "Tulis nama Anda"),
        ({"privacy": "public", "reporter_name": "Budi"}, "e-mail atau nomor telepon"),
        ({"attachments": [SimpleUploadedFile("foto.png", b"bukan gambar sama sekali", content_type="image/png")]},
         "bukan PNG"),
        ({"incident_date": "2999-01-01"}, "masa depan"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, regions, category, media, fields, message):
    response = _post(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Case.objects.count(), Event.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    assert not any(media.rglob("*.*"))


def test_a_replayed_form_makes_one_case(client, regions, category):
    first, again = _post(client), _post(client)
    assert first["Location"] == again["Location"]
    assert Case.objects.count() == 1


def test_a_flood_from_one_address_is_refused(client, regions, category, settings):
    settings.RATELIMIT_SUBMIT = "2/h"
    assert _post(client, submission_id="a").status_code == 302
    assert _post(client, submission_id="b").status_code == 302
    assert _post(client, submission_id="c").status_code == 429
    assert Case.objects.count() == 2


def test_the_reporter_replies_and_rates_on_the_private_page(client, submitted, people, orgs,
                                                            django_assert_max_num_queries):
    case = submitted.case
    verify(case, people, orgs)
    answer(case, people)
    url = reverse("complaints:follow", args=[submitted.follow_token])
    with django_assert_max_num_queries(6):
        page = client.get(url)
    assert "Pompa sudah diganti." in page.content.decode()
    response = client.post(url, {"action": "reply", "reply-note": "Masih mati di lantai 3."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "in_follow_up"
    # Rating is not possible now: the form is refused and nothing changes.
    assert client.post(url, {"action": "rate", "rate-rating": "5"}).status_code == 302
    assert case.events.count() == 5
    assert client.get(reverse("complaints:follow", args=["salah"])).status_code == 404


def test_a_bad_rating_is_refused_on_the_private_page(client, submitted, people, orgs):
    verify(submitted.case, people, orgs)
    answer(submitted.case, people)
    url = reverse("complaints:follow", args=[submitted.follow_token])
    response = client.post(url, {"action": "rate", "rate-rating": "9"})
    assert response.status_code == 400
    assert Complaint.objects.get().rating is None


def test_the_public_reports_and_feeds_show_verified_public_reports_without_personal_data(
    client, regions, category, people, orgs, django_assert_max_num_queries
):
    public = submit(regions, category).case
    secret = submit(regions, category, privacy="confidential", title="Pungli di kantor").case
    waiting = submit(regions, category, title="Belum diverifikasi").case
    for case in (public, secret):
        verify(case, people, orgs)
    answer(public, people)
    with django_assert_max_num_queries(4):
        page = client.get(reverse("complaints:reports"), {"region": "32", "category": "rusun"}).content.decode()
    assert "Air Rusunawa Sukarasa tidak mengalir" in page and "Pompa sudah diganti." in page
    assert secret.tracking_code not in page and waiting.tracking_code not in page
    for feed in ("complaints:feed_rss", "complaints:feed_atom"):
        body = client.get(reverse(feed), {"category": "rusun-fasilitas"}).content.decode()
        assert public.tracking_code in body and secret.tracking_code not in body
        assert "Budi" not in body and "budi@example.test" not in body
    assert "Budi" not in page and "0812345678" not in page
    assert public.tracking_code not in client.get(reverse("complaints:reports"), {"region": "33"}).content.decode()
    assert client.get(reverse("complaints:reports"), {"region": "abc"}).status_code == 400


def test_staff_see_the_panel_and_identity_only_as_their_role_allows(client, regions, category, people, orgs,
                                                                   django_assert_max_num_queries):
    case = submit(regions, category, privacy="confidential").case
    verify(case, people, orgs)
    client.force_login(people["unit_officer"])
    page = client.get(reverse("workspace:case", args=[case.tracking_code])).content.decode()
    assert "Identitas pelapor dirahasiakan" in page and "Budi" not in page
    assert client.post(reverse("complaints:identity", args=[case.tracking_code])).status_code == 403
    client.force_login(people["other_unit_officer"])
    assert client.get(reverse("workspace:case", args=[case.tracking_code])).status_code == 404
    client.force_login(people["coordinator"])
    page = client.get(reverse("workspace:case", args=[case.tracking_code])).content.decode()
    assert reverse("complaints:staff_case", args=[case.tracking_code]) in page
    with django_assert_max_num_queries(20):
        page = client.get(reverse("complaints:staff_case", args=[case.tracking_code])).content.decode()
    assert "Tampilkan identitas pelapor" in page and "complaint-reassign" in page and "Budi" not in page
    shown = client.post(reverse("complaints:identity", args=[case.tracking_code])).content.decode()
    assert "Budi Santoso" in shown
    assert case.events.filter(action="view_identity", actor=people["coordinator"]).count() == 1


def test_the_coordinator_verifies_from_the_panel_and_bad_input_changes_nothing(client, complaint_case, people, orgs):
    client.force_login(people["coordinator"])
    url = reverse("complaints:staff_action", args=[complaint_case.tracking_code, "verify"])
    bad = client.post(url, {"verify-report_type": "pengaduan", "verify-category": "rusun-fasilitas",
                            "verify-classification": "ordinary", "verify-title": "Judul"})
    assert bad.status_code == 400 and "tidak boleh kosong" in bad.content.decode()
    good = client.post(url, {"verify-report_type": "pengaduan", "verify-category": "rusun-fasilitas",
                             "verify-classification": "supervision", "verify-title": "Air mati",
                             "verify-units": [orgs["unit"].pk]})
    assert good.status_code == 302
    complaint_case.refresh_from_db()
    assert (complaint_case.state, complaint_case.handler_id) == ("dispositioned", orgs["unit"].pk)
    client.force_login(people["unit_officer"])
    page = client.get(reverse("complaints:staff_case", args=[complaint_case.tracking_code])).content.decode()
    assert "complaint-plan" in page and "complaint-verify" not in page
    refused = client.post(url, {"verify-report_type": "pengaduan", "verify-category": "rusun-fasilitas",
                                "verify-classification": "ordinary", "verify-title": "Air mati",
                                "verify-units": [orgs["other_unit"].pk]})
    assert refused.status_code == 403
    plan = reverse("complaints:staff_action", args=[complaint_case.tracking_code, "plan"])
    assert client.post(plan, {"plan-note": ""}).status_code == 400
    assert client.post(plan, {"plan-note": "Cek pompa besok."}).status_code == 302
    complaint_case.refresh_from_db()
    assert (complaint_case.state, complaint_case.handler_id) == ("in_follow_up", orgs["unit"].pk)


def test_staff_intake_records_the_channel(client, regions, category, people):
    client.force_login(people["coordinator"])
    response = client.post(reverse("complaints:staff_intake"), {
        "channel": "letter", "report_type": "pengaduan", "category": "rusun-fasilitas", "region": "3273",
        "title": "Surat warga rusun", "description": "Warga mengirim surat tentang air yang tidak mengalir.",
        "privacy": "public", "reporter_name": "Pak RT", "reporter_phone": "022123456", "submission_id": "x",
    })
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.case.created_by) == ("letter", people["coordinator"])
    client.force_login(people["unit_officer"])
    assert client.get(reverse("complaints:staff_intake")).status_code == 403
