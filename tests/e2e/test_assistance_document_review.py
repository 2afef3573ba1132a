"""The verifier reviews a proposal's three documents in a row on the document-by-document page: each document
(a PDF in a frame, a photo as an image) beside its requirement and the checklist form, an error for an
incomplete document without a note, "save and go to the next document" through to the review page's actions;
then the same page on a phone, stacked, with the PDF behind a link. Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fpdf import FPDF
from playwright.sync_api import expect

from sibaru.assistance import services
from sibaru.assistance.models import Beneficiary, Proposal, ProposalDocument, Requirement
from sibaru.core.attachments import check_upload
from sibaru.core.services import case_apply_action
from tests.e2e import test_assistance_bsps as bsps_walk
from tests.e2e.helpers import assert_accessible, screenshot
from tests.e2e.test_assistance_bsps import LETTER, PDF, PHOTOS_DOC, PNG, PROPOSAL_DOC, YEAR, log_in, messages
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# The BSPS walk's catalogue, reviewers and media folder.
bsps = bsps_walk.bsps
media = bsps_walk.media


def _letter_pdf() -> bytes:
    """A real one-page letter, so the browser's PDF viewer shows it (the walk's minimal PDF it cannot read)."""
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    for line in ("PEMERINTAH KOTA BANDUNG", "Nomor: 050/412/Disperkim", "Perihal: Usulan BSPS 2031",
                 "Kepada Yth. Menteri Perumahan dan Kawasan Permukiman"):
        document.cell(text=line, new_x="LMARGIN", new_y="NEXT", h=10)
    return bytes(document.output())


def _distributed(bsps, regions) -> Proposal:
    """A BSPS proposal of Kota Bandung with two PDFs and a photo, sent and distributed to the directorate (set
    up through the services: the browser walk of the dossier is test_assistance_bsps.py)."""
    operator = bsps["operator"]
    Requirement.objects.filter(code="e2e_surat_usulan").update(
        legal_basis="Permen PKP 10/2025", description="Surat bupati/wali kota kepada Menteri, ditandatangani.")
    proposal = services.proposal_create(user=operator, programme=Requirement.objects.get(code="e2e_tanah")
                                        .requirement_set.programme, budget_year=YEAR,
                                        title="BSPS Kecamatan Sukasari 2031", region=regions["327301"])
    services.proposal_update(proposal=proposal, user=operator, letter_number="050/412/Disperkim",
                             letter_date=timezone.localdate() - timedelta(days=30), letter_signatory="Farhan",
                             letter_position="Wali Kota Bandung",
                             readiness={"e2e_bebas_bencana": True, "e2e_tanah": True})
    services.proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 0, "uninhabitable_houses": 30}])
    Beneficiary.objects.create(
        proposal=proposal, nik="3273015001900001", family_card_number="3273010101090001", name="Ujang Suparman",
        address="Jl. Sukarasa 1", village=regions["3273011001"], monthly_income=2_000_000, land_status="milik",
        household_size=4, floor_area=24, activity="PK",
    )
    files = (("e2e_surat_usulan", "surat-usulan.pdf", _letter_pdf(), "application/pdf"),
             ("e2e_proposal", "proposal.pdf", PDF, "application/pdf"),
             ("e2e_foto", "rumah.png", PNG, "image/png"))
    for code, name, content, content_type in files:
        services.proposal_document_upload(
            proposal=proposal, requirement=Requirement.objects.get(code=code), user=operator,
            checked=check_upload(SimpleUploadedFile(name, content, content_type=content_type)))
    case_apply_action(case=proposal.case, action="submit", user=operator)
    case_apply_action(case=proposal.case, action="distribute", user=bsps["planner"],
                      data={"directorate": bsps["directorate"].pk, "agenda_number": "AG/2031/001"})
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def test_a_verifier_reviews_three_documents_in_a_row(new_page, bsps, regions):
    proposal = _distributed(bsps, regions)
    code = proposal.case.tracking_code
    verifier = log_in(new_page, bsps["verifier"])
    verifier.goto(f"/bantuan/{code}/tinjau/")
    verifier.get_by_role("link", name=f"Periksa dokumen {LETTER}").click()

    # The first document: the PDF in a frame beside the requirement and the checklist.
    expect(verifier.get_by_role("heading", level=1)).to_have_text(LETTER)
    expect(verifier.get_by_text("Dokumen 1 dari 3")).to_be_visible()
    frame = verifier.locator(f'iframe[title="Berkas {LETTER}, versi 1"]')
    expect(frame).to_be_visible()
    side = verifier.locator(".document-side")
    expect(side).to_contain_text("Permen PKP 10/2025")
    # Side by side on a wide screen: the checklist starts to the right of the document.
    assert side.bounding_box()["x"] > frame.bounding_box()["x"] + frame.bounding_box()["width"]
    assert_accessible(verifier)
    screenshot(verifier, "bantuan-periksa-dokumen")

    # Incomplete without a note: the error summary, nothing saved.
    verifier.get_by_label("Tidak lengkap", exact=True).check()
    verifier.get_by_role("button", name="Simpan dan lanjut ke dokumen berikutnya").click()
    expect(verifier.get_by_role("alert")).to_contain_text("Tulis apa yang kurang pada dokumen ini.")
    assert_accessible(verifier)
    verifier.get_by_label("Keterangan").fill("Tanda tangan wali kota belum ada.")
    verifier.get_by_role("button", name="Simpan dan lanjut ke dokumen berikutnya").click()

    # The second document, reached by "save and next"; the keyboard goes back and forth with the links.
    expect(verifier.get_by_role("heading", level=1)).to_have_text(PROPOSAL_DOC)
    expect(messages(verifier)).to_contain_text(f"Verifikasi {LETTER} tersimpan.")
    expect(verifier.get_by_role("link", name=f"Sebelumnya: {LETTER}")).to_be_visible()
    verifier.get_by_role("link", name=f"Berikutnya: {PHOTOS_DOC}").focus()
    verifier.keyboard.press("Enter")
    expect(verifier.get_by_role("heading", level=1)).to_have_text(PHOTOS_DOC)
    verifier.get_by_role("link", name=f"Sebelumnya: {PROPOSAL_DOC}").click()
    expect(verifier.get_by_role("heading", level=1)).to_have_text(PROPOSAL_DOC)
    verifier.get_by_label("Lengkap", exact=True).check()
    verifier.get_by_role("button", name="Simpan dan lanjut ke dokumen berikutnya").click()

    # The third: a photo, shown as an image; the last button goes back to the review page.
    expect(verifier.get_by_role("heading", level=1)).to_have_text(PHOTOS_DOC)
    expect(verifier.get_by_role("img", name=f"Berkas {PHOTOS_DOC}: rumah.png")).to_be_visible()
    assert_accessible(verifier)
    verifier.get_by_label("Lengkap", exact=True).check()
    verifier.get_by_role("button", name="Simpan dan kembali ke halaman tinjauan").click()
    expect(verifier.get_by_role("heading", level=1)).to_have_text("BSPS Kecamatan Sukasari 2031")
    checklist = verifier.locator("aside.checklist")
    expect(checklist.get_by_role("listitem").filter(has_text=LETTER)).to_contain_text("Tidak lengkap")
    expect(checklist.get_by_role("listitem").filter(has_text=PHOTOS_DOC)).to_contain_text("Lengkap")
    reviews = dict(ProposalDocument.objects.filter(proposal=proposal, current=True)
                   .values_list("requirement__code", "review"))
    assert reviews == {"e2e_surat_usulan": "incomplete", "e2e_proposal": "complete", "e2e_foto": "complete"}

    # On a phone: stacked, the PDF behind a link (a frame that small is no use).
    phone = new_page("phone")
    phone.goto(f"/akun/masuk/?next=/bantuan/{code}/tinjau/")
    phone.get_by_label("E-mail").fill(bsps["verifier"].email)
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.get_by_role("link", name=f"Periksa dokumen {LETTER}").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(LETTER)
    expect(phone.locator("iframe")).to_be_hidden()
    opener = phone.get_by_role("link", name=f"Buka berkas di tab baru {LETTER}")
    expect(opener).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
    expect(phone.get_by_label("Keterangan")).to_have_value("Tanda tangan wali kota belum ada.")
    assert_accessible(phone)
    screenshot(phone, "bantuan-periksa-dokumen-ponsel")
