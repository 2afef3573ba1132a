"""The Bantuan pages: the proposer's dossier from a new draft to the confirmation, the read-only page and the
province's endorsement, the reviewers' page with its forms, the inbox and the bulk distribution; who may
see and do what; constant queries on the list pages."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sibaru.assistance import services, views
from sibaru.assistance.models import FieldVisit, Proposal, ProposalComment, ProposalDocument, Requirement
from sibaru.core.models import Case
from sibaru.core.services import ActionNotAllowed, case_apply_action

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64
YEAR = 2031
LAST_MONTH = timezone.localdate() - timedelta(days=30)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def url(name, proposal=None, **kwargs):
    if proposal is not None:
        kwargs["tracking_code"] = proposal.case.tracking_code
    return reverse(f"assistance:{name}", kwargs=kwargs)


def pdf(name="dokumen.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def requirement(catalogue, code):
    return Requirement.objects.get(requirement_set__programme=catalogue["swadaya"],
                                   requirement_set__budget_year=YEAR, code=f"swadaya_{code}")


def new_draft(user, catalogue, regions, title="BSPS Kecamatan Sukasari", key=""):
    return services.proposal_create(user=user, programme=catalogue["swadaya"], budget_year=YEAR, title=title,
                                    region=regions["3273"], category=catalogue["regional_head"],
                                    idempotency_key=key)


def filled(user, catalogue, regions, *, documents=True, title="BSPS Kecamatan Sukasari"):
    """A BSPS draft with every task done (and, unless told, its mandatory documents)."""
    from sibaru.regions.models import Region

    proposal = new_draft(user, catalogue, regions, title=title)
    services.proposal_update(proposal=proposal, user=user, letter_number="050/123/Disperkim",
                             letter_date=LAST_MONTH, letter_signatory="Wali Kota",
                             letter_position="Wali Kota Bandung",
                             readiness={"swadaya_bebas_bencana": True, "swadaya_akses_jalan": True})
    services.proposal_locations_set(proposal=proposal, user=user, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 2, "uninhabitable_houses": 40},
        {"region": Region.objects.get(code="3273011002"), "units_pk": 5, "units_pb": 0, "uninhabitable_houses": 12},
    ])
    add_beneficiary(proposal, regions["3273011001"])
    if documents:
        for code in ("surat_usulan", "bukti_tanah"):
            upload(proposal, catalogue, code, user)
    return Proposal.objects.get(pk=proposal.pk)


def add_beneficiary(proposal, village):
    """One prospective beneficiary (BSPS proposals name theirs before sending); the row checks are tested
    in test_beneficiaries.py."""
    from sibaru.assistance.models import Beneficiary

    return Beneficiary.objects.create(
        proposal=proposal, nik="3273015001900001", family_card_number="3273010101090001", name="Ujang Suparman",
        address="Jl. Sukarasa 1", village=village, monthly_income=2_000_000, land_status="milik",
        household_size=4, floor_area=24, activity="PK",
    )


def upload(proposal, catalogue, code, user, name="dokumen.pdf"):
    from sibaru.core.attachments import check_upload

    return services.proposal_document_upload(proposal=proposal, requirement=requirement(catalogue, code),
                                             checked=check_upload(pdf(name)), user=user)


def submitted(staff, catalogue, regions, **kwargs):
    proposal = filled(staff["operator"], catalogue, regions, **kwargs)
    case_apply_action(case=proposal.case, action="submit", user=staff["operator"])
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def distributed(staff, catalogue, regions, directorates, **kwargs):
    proposal = submitted(staff, catalogue, regions, **kwargs)
    case_apply_action(case=proposal.case, action="distribute", user=staff["planner"],
                      data={"directorate": directorates["swadaya"].pk, "agenda_number": "AG-1"})
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The proposer ----------------------------------------------------------------------------------------------


def test_a_new_proposal_asks_the_programme_then_creates_one_draft_even_if_sent_twice(client, staff, catalogue):
    client.force_login(staff["operator"])
    page = client.get(url("new"))
    assert page.status_code == 200 and "Bantuan apa yang Anda usulkan?" in text(page)
    chosen = client.get(url("new"), {"programme": "swadaya"})
    assert chosen.status_code == 302 and chosen.url == url("new_details", programme="swadaya")

    details = client.get(chosen.url)
    body = text(details)
    # Only the categories allowed for the programme are offered.
    offered = set(re.findall(r'name="category" value="(\d+)"', body))
    assert str(catalogue["regional_head"].pk) in offered and str(catalogue["president"].pk) not in offered
    key = re.search(r'name="submission_id" value="([0-9a-f]+)"', body).group(1)
    form = {"category": catalogue["regional_head"].pk, "budget_year": YEAR, "title": "BSPS Sukasari 2031",
            "submission_id": key}
    first = client.post(chosen.url, form)
    second = client.post(chosen.url, form)
    proposal = Proposal.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == url("proposal", proposal)
    assert proposal.case.state == "draft" and proposal.case.region_id == "3273"  # the organisation's region


def test_a_new_proposal_without_a_title_shows_the_error_summary(client, staff, catalogue):
    client.force_login(staff["operator"])
    response = client.post(url("new_details", programme="swadaya"),
                           {"category": catalogue["regional_head"].pk, "budget_year": YEAR, "submission_id": "k1"})
    assert response.status_code == 400
    assert "Ada masalah" in text(response) and "Tulis nama kegiatan." in text(response)
    assert not Proposal.objects.exists()


def test_only_proposer_operators_may_start_a_proposal(client, staff, catalogue):
    client.force_login(staff["province_monitor"])
    assert client.get(url("new")).status_code == 403
    assert client.post(url("new_details", programme="swadaya"), {}).status_code == 403


def test_the_task_list_shows_each_task_with_its_status(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    body = text(client.get(url("proposal", proposal)))
    assert "Anda telah menyelesaikan 1 dari 6 tugas." in body  # the location is prefilled from the organisation
    for task in ("Surat usulan", "Lokasi", "Volume dan anggaran", "Dokumen", "Kesiapan teknis", "Calon penerima"):
        assert task in body
    assert "Belum dimulai" in body
    # Check answers cannot start yet, and is then not a link.
    assert "Tidak dapat dimulai" in body and url("check", proposal) not in body


def test_the_letter_page_saves_a_partial_draft_and_returns_to_check_answers_when_asked(client, staff, catalogue,
                                                                                      regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    response = client.post(url("letter", proposal), {"letter_number": "050/1"})
    assert response.status_code == 302 and response.url == url("proposal", proposal)
    assert Proposal.objects.get().letter_number == "050/1"
    assert "Sedang dikerjakan" in text(client.get(url("proposal", proposal)))

    back = client.post(url("letter", proposal) + "?dari=periksa",
                       {"letter_number": "050/1", "letter_date": LAST_MONTH.isoformat(), "letter_signatory": "Budi",
                        "letter_position": "Wali Kota", "dari": "periksa"})
    assert back.url == url("check", proposal)
    future = client.post(url("letter", proposal), {"letter_date": "2999-01-01"})
    assert future.status_code == 400 and "tidak boleh di masa depan" in text(future)


def test_the_title_and_category_can_be_changed_from_check_answers(client, staff, catalogue, regions):
    proposal = filled(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    check = text(client.get(url("check", proposal)))
    assert f'href="{url("about", proposal)}?dari=periksa"' in check
    page = text(client.get(url("about", proposal) + "?dari=periksa"))
    assert 'value="BSPS Kecamatan Sukasari"' in page and 'name="budget_year"' not in page
    response = client.post(url("about", proposal), {"title": "BSPS Sukasari dan Sukajadi",
                                                    "category": catalogue["regional_head"].pk, "dari": "periksa"})
    assert response.status_code == 302 and response.url == url("check", proposal)
    proposal.refresh_from_db()
    assert proposal.title == proposal.case.subject == "BSPS Sukasari dan Sukajadi"


def test_the_location_page_takes_a_region_and_typed_coordinates(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    assert client.get(url("location", proposal)).status_code == 200
    swapped = client.post(url("location", proposal), {"region": "3273", "latitude": "107.6", "longitude": "-6.9"})
    assert swapped.status_code == 400 and "tertukar" in text(swapped)
    half = client.post(url("location", proposal), {"region": "3273", "latitude": "-6.9"})
    assert half.status_code == 400 and "keduanya" in text(half)
    outside = client.post(url("location", proposal), {"region": "3374"})
    assert outside.status_code == 400 and "di luar wilayah organisasi" in text(outside)
    saved = client.post(url("location", proposal), {"region": "32.73.01.1001", "latitude": "-6.88",
                                                    "longitude": "107.59"})
    assert saved.status_code == 302
    proposal.refresh_from_db()
    assert proposal.case.region_id == "3273011001" and str(proposal.latitude) == "-6.880000"


def test_the_target_villages_are_saved_with_their_units_and_the_budget_is_estimated(client, staff, catalogue,
                                                                                    regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    page = client.get(url("volume", proposal))
    assert 'name="form-TOTAL_FORMS" value="1"' in text(page)  # one empty row to start with
    rows = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-region": "3273011001", "form-0-units_pk": "10", "form-0-units_pb": "2",
            "form-0-uninhabitable_houses": "40",
            "form-1-region": "3273011002", "form-1-units_pk": "5", "form-1-units_pb": "0",
            "form-1-uninhabitable_houses": "12"}
    added = client.post(url("volume", proposal), {**rows, "add_row": "1"})
    assert added.status_code == 200 and 'name="form-TOTAL_FORMS" value="3"' in text(added)
    assert not proposal.locations.exists()  # adding a row saves nothing

    duplicate = client.post(url("volume", proposal), {**rows, "form-1-region": "3273011001"})
    assert duplicate.status_code == 400 and "sudah tercantum" in text(duplicate)
    no_units = client.post(url("volume", proposal), {**rows, "form-1-units_pk": "0"})
    assert no_units.status_code == 400 and "paling sedikit 1 unit" in text(no_units)

    stay = client.post(url("volume", proposal), {**rows, "save_stay": "1"})
    assert stay.url == url("volume", proposal)
    proposal.refresh_from_db()
    assert proposal.units == 17 and proposal.estimated_budget == 17 * 20_000_000
    assert "Rp340.000.000" in text(client.get(url("volume", proposal)))

    # Removing a row keeps the other.
    removed = client.post(url("volume", proposal), {**rows, "form-INITIAL_FORMS": "2", "form-1-DELETE": "on"})
    assert removed.status_code == 302, text(removed)
    assert list(proposal.locations.values_list("region_id", flat=True)) == ["3273011001"]


def test_documents_are_uploaded_checked_and_replaced_as_new_versions(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    letter = requirement(catalogue, "surat_usulan")
    client.force_login(staff["operator"])
    page = text(client.get(url("documents", proposal)))
    assert "Wajib" in page and "Tidak wajib" in page and "PDF, paling besar 5,0 MB" in page

    wrong = client.post(url("document_upload", proposal, requirement_id=letter.pk),
                        {f"req{letter.pk}-file": SimpleUploadedFile("foto.png", PNG)})
    assert wrong.status_code == 400 and "Ada masalah" in text(wrong) and "Unggah berkas PDF" in text(wrong)
    fake = client.post(url("document_upload", proposal, requirement_id=letter.pk),
                       {f"req{letter.pk}-file": SimpleUploadedFile("surat.pdf", b"not a pdf at all")})
    assert fake.status_code == 400 and "bukan PDF" in text(fake)

    for name in ("surat-v1.pdf", "surat-v2.pdf"):
        done = client.post(url("document_upload", proposal, requirement_id=letter.pk),
                           {f"req{letter.pk}-file": pdf(name)})
        assert done.status_code == 302
    versions = list(ProposalDocument.objects.filter(requirement=letter).values_list("version", "current"))
    assert sorted(versions) == [(1, False), (2, True)]
    page = text(client.get(url("documents", proposal)))
    assert "surat-v2.pdf" in page and "versi 2" in page and "2 versi" in page


def test_the_readiness_self_assessment_is_saved(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    assert "Bebas Bencana" in text(client.get(url("readiness", proposal)))
    response = client.post(url("readiness", proposal), {"swadaya_bebas_bencana": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.readiness == {"swadaya_bebas_bencana": True, "swadaya_akses_jalan": False}


def test_sending_is_blocked_while_mandatory_documents_are_missing(client, staff, catalogue, regions):
    proposal = filled(staff["operator"], catalogue, regions, documents=False)
    client.force_login(staff["operator"])
    check = text(client.get(url("check", proposal)))
    assert "Unggah dokumen untuk mengirim usulan" in check
    assert "Surat Usulan" in check and "Bukti Tanah" in check
    assert "Kirim usulan</button>" not in check
    assert "Ubah<span class=\"visually-hidden\"> nomor surat" in check

    refused = client.post(url("send", proposal))
    assert refused.status_code == 409
    assert "Ada masalah" in text(refused) and "2 dokumen wajib belum ada" in text(refused)
    assert Case.objects.get().state == "draft"


def test_sending_a_complete_proposal_shows_the_confirmation_with_the_due_date(client, staff, catalogue, regions):
    proposal = filled(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    check = text(client.get(url("check", proposal)))
    assert "Kirim usulan</button>" in check
    assert "setelah terkirim, usulan tidak dapat diubah kecuali diminta perbaikan" in check
    sent = client.post(url("send", proposal))
    assert sent.status_code == 302 and sent.url == url("sent", proposal)
    page = text(client.get(sent.url))
    assert proposal.case.tracking_code in page and "Apa yang terjadi selanjutnya" in page
    assert "hari kerja sejak" in page  # the due date, explained
    assert Case.objects.get().state == "submitted"
    # After sending, the task pages lead back to the read-only page.
    again = client.get(url("letter", proposal))
    assert again.status_code == 302 and again.url == url("proposal", proposal)
    assert "Surat usulan" in text(client.get(url("proposal", proposal)))


def test_a_proposer_of_another_organisation_gets_404_everywhere(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["developer"])
    for name in ("proposal", "letter", "location", "volume", "documents", "readiness", "check", "review"):
        assert client.get(url(name, proposal)).status_code == 404, name
    assert client.post(url("send", proposal)).status_code == 404
    assert client.post(url("comment", proposal), {"body": "Halo"}).status_code == 404


def test_the_province_monitor_reads_endorses_but_cannot_edit(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    monitor = staff["province_monitor"]
    client.force_login(monitor)
    page = text(client.get(url("proposal", proposal)))
    assert "Dukung usulan" in page and "Simpan dan lanjutkan" not in page and "?dari=periksa" not in page
    for name in ("letter", "documents", "check"):
        assert client.get(url(name, proposal)).status_code == 403, name
    assert client.post(url("send", proposal)).status_code == 403
    assert client.get(url("review", proposal)).status_code == 403

    assert client.post(url("endorse", proposal)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.province_endorsed_by == monitor
    assert "Dukung usulan</button>" not in text(client.get(url("proposal", proposal)))

    client.force_login(staff["other_province_monitor"])
    assert client.get(url("proposal", proposal)).status_code == 404


def test_comments_are_shared_and_internal_notes_stay_with_reviewers(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["operator"])
    client.post(url("comment", proposal), {"body": "Mohon diprioritaskan."})
    client.force_login(staff["planner"])
    client.post(url("comment", proposal), {"body": "Diterima, akan didistribusikan.", "dari": "tinjau"})
    client.post(url("note", proposal), {"note-body": "Cek ulang status tanah."})
    assert ProposalComment.objects.filter(internal=True).count() == 1
    review = text(client.get(url("review", proposal)))
    assert "Cek ulang status tanah." in review and "Mohon diprioritaskan." in review

    client.force_login(staff["operator"])
    page = text(client.get(url("proposal", proposal)))
    assert "Diterima, akan didistribusikan." in page and "Cek ulang status tanah." not in page


# --- Reviewers -------------------------------------------------------------------------------------------------


def test_the_planning_officer_distributes_from_the_review_page(client, staff, catalogue, regions, directorates):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["planner"])
    page = text(client.get(url("review", proposal)))
    assert "Distribusikan" in page and "Tolak" in page and "Simpan verifikasi" not in page

    action = url("review_action", proposal, action="distribute")
    missing = client.post(action, {})
    assert missing.status_code == 400
    assert "Pilih direktorat teknis." in text(missing) and "Tulis nomor agenda." in text(missing)
    done = client.post(action, {"distribute-directorate": directorates["swadaya"].pk,
                                "distribute-agenda_number": "AG/2031/001",
                                "distribute-note": "Mohon diverifikasi."})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.case.state == "distributed" and proposal.case.handler == directorates["swadaya"]
    assert (proposal.agenda_number, proposal.disposition) == ("AG/2031/001", "Mohon diverifikasi.")


def test_a_reject_needs_its_reason(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["planner"])
    response = client.post(url("review_action", proposal, action="reject"), {})
    assert response.status_code == 400 and "Tulis alasannya." in text(response)
    assert client.post(url("review_action", proposal, action="submit"), {}).status_code == 404


def test_document_review_form_errors_and_the_revision_round(client, staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    verifier = staff["swadaya_verifier"]
    client.force_login(verifier)
    page = text(client.get(url("review", proposal)))
    assert "Simpan verifikasi" in page and "Lolos verifikasi administrasi" in page
    letter, land = sorted(ProposalDocument.objects.filter(current=True), key=lambda d: d.requirement.order)

    def review(document, **data):
        return client.post(url("document_review", proposal, document_id=document.pk),
                           {f"doc{document.pk}-{k}": v for k, v in data.items()})

    nothing = review(letter)
    assert nothing.status_code == 400 and "Pilih lengkap atau tidak lengkap." in text(nothing)
    no_note = review(letter, verdict="incomplete")
    assert no_note.status_code == 400
    assert "Ada masalah" in text(no_note) and "Tulis apa yang kurang pada dokumen ini." in text(no_note)

    # Passing with a document still unreviewed is refused with the reason.
    early = client.post(url("review_action", proposal, action="pass_administrative"), {})
    assert early.status_code == 409 and "harus diverifikasi lengkap" in text(early)

    assert review(letter, verdict="incomplete", note="Tanda tangan belum ada.").status_code == 302
    assert review(land, verdict="complete").status_code == 302
    assert client.post(url("review_action", proposal, action="request_revision"), {}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.case.state == "revision"

    # The proposer sees the note, replaces the document and resubmits.
    operator = staff["operator"]
    client.force_login(operator)
    task_list = text(client.get(url("proposal", proposal)))
    assert "Tanda tangan belum ada." in task_list and "1 dokumen perlu diganti." in task_list
    blocked = client.post(url("send", proposal))
    assert blocked.status_code == 409 and "Ganti dulu dokumen" in text(blocked)
    client.post(url("document_upload", proposal, requirement_id=letter.requirement_id),
                {f"req{letter.requirement_id}-file": pdf("surat-ttd.pdf")})
    assert "Kirim perbaikan</button>" in text(client.get(url("check", proposal)))
    sent = client.post(url("send", proposal))
    assert sent.status_code == 302
    assert "Perbaikan usulan terkirim" in text(client.get(sent.url))
    proposal.refresh_from_db()
    assert proposal.case.state == "distributed" and proposal.submission_round == 2

    # The reviewer sees which document is new in this round.
    client.force_login(verifier)
    page = client.get(url("review", proposal)).content.decode()
    letter_section = page.split(f'id="dokumen-{letter.requirement_id}"')[1].split("</section>")[0]
    land_section = page.split(f'id="dokumen-{land.requirement_id}"')[1].split("</section>")[0]
    assert "Baru" in letter_section and "Baru" not in land_section
    assert "surat-ttd.pdf" in letter_section and "Riwayat: 2 versi" in letter_section


def test_documents_are_shown_inline_only_to_those_who_see_the_proposal(client, staff, catalogue, regions,
                                                                      directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    document = ProposalDocument.objects.filter(current=True).first()
    address = url("attachment", proposal, attachment_id=document.attachment_id)
    client.force_login(staff["swadaya_verifier"])
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(staff["developer"])
    assert client.get(address).status_code == 404
    client.force_login(staff["other_province_monitor"])
    assert client.get(address).status_code == 404


def _to_field_verification(staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=staff["swadaya_verifier"], complete=True)
    case_apply_action(case=proposal.case, action="pass_administrative", user=staff["swadaya_verifier"])
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def test_field_visits_are_recorded_per_location_with_photos_then_found_eligible(client, staff, catalogue, regions,
                                                                                directorates):
    proposal = _to_field_verification(staff, catalogue, regions, directorates)
    client.force_login(staff["field_verifier"])
    page = text(client.get(url("review", proposal)))
    assert "Catat kunjungan lapangan" in page and "Sukarasa" in page and "Gegerkalong" in page

    refused = client.post(url("review_action", proposal, action="find_eligible"), {})
    assert refused.status_code == 409 and "2 lokasi belum" in text(refused)

    bad = client.post(url("field_visit", proposal), {"visit-visited_on": "2999-01-01", "visit-latitude_1": "-6.9"})
    assert bad.status_code == 400
    body = text(bad)
    assert "tidak boleh di masa depan" in body and "Pilih lokasi yang dikunjungi." in body
    assert "Pilih fotonya" in body and "Pilih layak atau tidak layak." in body

    for location in proposal.locations.all():
        response = client.post(url("field_visit", proposal), {
            "visit-visited_on": LAST_MONTH.isoformat(), "visit-location": location.pk, "visit-result": "eligible",
            "visit-checklist": ["swadaya_bebas_bencana", "swadaya_akses_jalan"], "visit-notes": "Sesuai.",
            "visit-photo_1": SimpleUploadedFile("rumah.png", PNG), "visit-latitude_1": "-6.88",
            "visit-longitude_1": "107.59",
        })
        assert response.status_code == 302, text(response)
    visit = FieldVisit.objects.first()
    assert visit.checklist == {"swadaya_bebas_bencana": True, "swadaya_akses_jalan": True}
    assert visit.photos.get().latitude is not None
    photo = visit.photos.get().attachment_id
    assert client.get(url("attachment", proposal, attachment_id=photo)).status_code == 200
    client.force_login(staff["operator"])
    assert client.get(url("attachment", proposal, attachment_id=photo)).status_code == 404  # reviewers only

    client.force_login(staff["field_verifier"])
    assert client.post(url("review_action", proposal, action="find_eligible"), {}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.case.state == "for_decision"


def test_the_decision_shows_the_quota_left_and_refuses_more(client, staff, catalogue, regions, directorates):
    proposal = _to_field_verification(staff, catalogue, regions, directorates)
    for location in proposal.locations.all():
        services.field_visit_record(proposal=proposal, user=staff["field_verifier"], visited_on=LAST_MONTH,
                                    result="eligible", checklist={}, location=location)
    case_apply_action(case=proposal.case, action="find_eligible", user=staff["field_verifier"])
    client.force_login(staff["decider"])
    page = text(client.get(url("review", proposal)))
    assert "Sisa kuota tahun anggaran 2031: 150 unit." in page and "Tidak ditetapkan" in page
    action = url("review_action", proposal, action="decide")
    over = client.post(action, {"decide-units": "151", "decide-decision_number": "KEP/1"})
    assert over.status_code == 409 and "Melebihi kuota" in text(over)
    done = client.post(action, {"decide-units": "17", "decide-decision_number": "KEP/1"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.case.state, proposal.decided_units, proposal.decided_budget) == ("decided", 17, 340_000_000)


# --- Lists -----------------------------------------------------------------------------------------------------


def test_my_proposals_lists_the_organisations_proposals_with_constant_queries(client, staff, catalogue, regions,
                                                                               django_assert_num_queries):
    first = new_draft(staff["operator"], catalogue, regions, title="Usulan pertama")
    client.force_login(staff["operator"])
    address = url("list")
    client.get(address)
    # session, user, memberships, proposals with case, region and programme
    with django_assert_num_queries(4):
        response = client.get(address)
    assert first.case.tracking_code in text(response) and "Draf" in text(response)
    for i in range(4):
        new_draft(staff["operator"], catalogue, regions, title=f"Usulan {i}")
    with django_assert_num_queries(4):
        client.get(address)
    client.force_login(staff["developer"])
    assert first.case.tracking_code not in text(client.get(address))


def test_the_review_inbox_shows_what_waits_for_my_role_with_filters_and_constant_queries(
    client, staff, catalogue, regions, directorates, django_assert_num_queries
):
    waiting = submitted(staff, catalogue, regions, title="Menunggu distribusi")
    client.force_login(staff["planner"])
    address = url("review_inbox")
    client.get(address)
    # session, user, memberships, programmes, categories, provinces, proposals
    with django_assert_num_queries(7):
        response = client.get(address)
    assert waiting.case.tracking_code in text(response)
    for i in range(3):
        submitted(staff, catalogue, regions, title=f"Lainnya {i}")
    with django_assert_num_queries(7):
        response = client.get(address)
    assert text(response).count('href="/bantuan/RSW-') == 4

    assert waiting.case.tracking_code not in text(client.get(address, {"province": "33"}))
    assert waiting.case.tracking_code in text(client.get(address, {"province": "32", "programme": "swadaya",
                                                                   "budget_year": YEAR,
                                                                   "category": "test_regional_head"}))
    assert waiting.case.tracking_code not in text(client.get(address, {"programme": "psu"}))
    assert waiting.case.tracking_code not in text(client.get(address, {"state": "distributed"}))

    # The verifier's queue starts empty: nothing is distributed to the directorate yet.
    client.force_login(staff["swadaya_verifier"])
    assert "Tidak ada usulan yang sesuai." in text(client.get(address))
    client.force_login(staff["operator"])
    assert client.get(address).status_code == 403


def test_the_review_inbox_pages_with_a_cursor(client, staff, catalogue, regions, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(3):
        submitted(staff, catalogue, regions, title=f"Usulan {i}")
    client.force_login(staff["planner"])
    first = text(client.get(url("review_inbox")))
    cursor = re.search(r"cursor=(\d+)", first).group(1)
    second = text(client.get(url("review_inbox"), {"cursor": cursor}))
    assert first.count('href="/bantuan/RSW-') == 2 and second.count('href="/bantuan/RSW-') == 1


def test_bulk_distribution_applies_to_each_and_reports_the_failures(client, staff, catalogue, regions,
                                                                    directorates, monkeypatch,
                                                                    django_assert_num_queries):
    ok, failing = (submitted(staff, catalogue, regions, title=t) for t in ("Satu", "Dua"))
    client.force_login(staff["planner"])
    address = url("distribute")
    client.get(address)
    # session, user, memberships, programmes, proposals, directorates
    with django_assert_num_queries(6):
        page = client.get(address)
    assert ok.case.tracking_code in text(page) and failing.case.tracking_code in text(page)

    empty = client.post(address, {"directorate": directorates["swadaya"].pk, "agenda_prefix": "AG/"})
    assert empty.status_code == 400 and "Pilih paling sedikit satu usulan." in text(empty)

    real = views.case_apply_action

    def flaky(*, case, **kwargs):
        if case.pk == failing.case_id:
            raise ActionNotAllowed("Sedang diubah orang lain.")
        return real(case=case, **kwargs)

    monkeypatch.setattr(views, "case_apply_action", flaky)
    response = client.post(address, {"proposals": [ok.case.tracking_code, failing.case.tracking_code],
                                     "directorate": directorates["swadaya"].pk, "agenda_prefix": "AG/2031/"},
                           follow=True)
    body = text(response)
    assert "1 usulan didistribusikan" in body and f"{failing.case.tracking_code} gagal didistribusikan" in body
    ok.refresh_from_db()
    failing.refresh_from_db()
    assert (ok.case.state, ok.agenda_number) == ("distributed", "AG/2031/001")
    assert failing.case.state == "submitted"

    client.force_login(staff["swadaya_verifier"])
    assert client.get(address).status_code == 403


def test_the_workspace_case_page_shows_the_proposal_and_links_to_it(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["planner"])
    response = client.get(reverse("workspace:case", args=[proposal.case.tracking_code]))
    assert response.status_code == 200
    assert "Buka halaman usulan" in text(response) and proposal.title in text(response)
