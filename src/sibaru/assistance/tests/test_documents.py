"""The Bantuan documents out: the receipt, revision notice and decision letter PDFs (what they say, who may
download them and when), and the XLSX exports of the proposer's list and the reviewers' inbox (their scope
and filters, no personal data)."""

import re
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from sibaru.assistance import documents, services
from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.assistance.tests.test_views import LAST_MONTH, distributed, filled, new_draft, submitted, upload
from sibaru.core.services import case_apply_action
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def pdf_url(proposal, slug):
    return reverse("assistance:document_pdf", kwargs={"tracking_code": proposal.case.tracking_code, "document": slug})


def read_pdf(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def long_day(day) -> str:
    with translation.override("id"):
        return date_format(day, "l, j F Y")


def revision_requested(staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    verifier = staff["swadaya_verifier"]
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True).select_related("requirement"):
        incomplete = document.requirement.code.endswith("surat_usulan")
        services.proposal_document_review(document=document, user=verifier, complete=not incomplete,
                                          note="Tanda tangan wali kota belum ada." if incomplete else "")
    case_apply_action(case=proposal.case, action="request_revision", user=verifier,
                      note="Lengkapi tanda tangan sebelum dikirim ulang.")
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def decided(staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    verifier = staff["swadaya_verifier"]
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=verifier, complete=True)
    case_apply_action(case=proposal.case, action="pass_administrative", user=verifier)
    for location in proposal.locations.all():
        services.field_visit_record(proposal=proposal, user=staff["field_verifier"], visited_on=LAST_MONTH,
                                   result="eligible", checklist={}, location=location)
    case_apply_action(case=proposal.case, action="find_eligible", user=staff["field_verifier"])
    case_apply_action(case=proposal.case, action="decide", user=staff["decider"],
                      data={"units": 12, "decision_number": "KEP/045/DJP/2031", "budget": "240000000"})
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


# --- The PDFs ------------------------------------------------------------------------------------------------------


def test_the_receipt_says_what_was_sent_when_and_what_happens_next_by_when(client, staff, catalogue, regions,
                                                                           django_assert_max_num_queries):
    proposal = submitted(staff, catalogue, regions)
    case = proposal.case
    client.force_login(staff["operator"])
    with django_assert_max_num_queries(10):
        response = client.get(pdf_url(proposal, "tanda-terima"))
    assert response["Content-Disposition"] == f'attachment; filename="tanda-terima-{case.tracking_code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    reader, text = read_pdf(response)

    assert reader.metadata.title == "Tanda terima usulan bantuan perumahan"
    assert "KEMENTERIAN PERUMAHAN DAN KAWASAN PERMUKIMAN" in text
    for expected in (case.tracking_code, "BSPS Kecamatan Sukasari", "Pemkot Bandung", "Kota Bandung", "2031",
                     "050/123/Disperkim"):
        assert expected in text
    # Each document sent, with the start of its SHA-256.
    for document in ProposalDocument.objects.filter(proposal=proposal).select_related("requirement", "attachment"):
        assert document.requirement.title in text
        assert document.attachment.sha256[:16] in text
    # What happens next, by when, and how that date is counted.
    assert "Direktorat perencanaan memeriksa dan mendistribusikan usulan." in text
    assert f"paling lambat {long_day(case.due_date)}" in text
    assert "5 hari kerja sejak" in text
    # The QR code to the tracking page is an image, with the address beside it.
    assert len(reader.pages[-1].images) == 1
    assert f"http://testserver/lacak/{case.tracking_code}/" in text or f"/lacak/{case.tracking_code}/" in text
    assert "Halaman 1 dari 1" in text


def test_the_revision_notice_lists_the_incomplete_documents_with_the_notes_and_the_deadline(
    client, staff, catalogue, regions, directorates
):
    proposal = revision_requested(staff, catalogue, regions, directorates)
    client.force_login(staff["operator"])
    _reader, text = read_pdf(client.get(pdf_url(proposal, "pemberitahuan-perbaikan")))
    assert "Pemberitahuan perbaikan usulan" in text
    assert "Surat Usulan" in text and "Tanda tangan wali kota belum ada." in text
    assert "Bukti Tanah" not in text  # complete: nothing to replace
    assert "Lengkapi tanda tangan sebelum dikirim ulang." in text
    assert f"Kirim perbaikan paling lambat {long_day(proposal.case.due_date)}" in text

    # After the revision is sent the notice still exists, and the receipt is now of the revision.
    deadline = proposal.case.due_date
    upload(proposal, catalogue, "surat_usulan", staff["operator"], name="surat-bertanda-tangan.pdf")
    case_apply_action(case=proposal.case, action="resubmit", user=staff["operator"])
    _reader, later = read_pdf(client.get(pdf_url(proposal, "pemberitahuan-perbaikan")))
    assert "Tanda tangan wali kota belum ada." in later and long_day(deadline) in later
    _reader, receipt = read_pdf(client.get(pdf_url(proposal, "tanda-terima")))
    assert "Tanda terima perbaikan usulan" in receipt and "surat-bertanda-tangan.pdf" in receipt


def test_the_decision_letter_gives_the_number_units_budget_and_locations(client, staff, catalogue, regions,
                                                                        directorates, django_assert_max_num_queries):
    proposal = decided(staff, catalogue, regions, directorates)
    client.force_login(staff["province_monitor"])  # the province sees its kab/kota's decisions too
    with django_assert_max_num_queries(10):
        response = client.get(pdf_url(proposal, "surat-penetapan"))
    _reader, text = read_pdf(response)
    for expected in ("Surat pemberitahuan penetapan usulan", "KEP/045/DJP/2031", "Rp 240.000.000", "12 unit",
                     "tahun anggaran 2031", "Sukarasa", "Gegerkalong"):
        assert expected in text


def test_a_document_is_served_only_to_who_may_see_the_proposal_and_only_once_it_exists(client, staff, catalogue,
                                                                                      regions, directorates):
    draft = new_draft(staff["operator"], catalogue, regions, title="Masih draf")
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["operator"])
    assert client.get(pdf_url(draft, "tanda-terima")).status_code == 404  # not sent yet
    assert client.get(pdf_url(proposal, "pemberitahuan-perbaikan")).status_code == 404  # no revision asked
    assert client.get(pdf_url(proposal, "surat-penetapan")).status_code == 404  # not decided
    assert client.get(pdf_url(proposal, "lainnya")).status_code == 404
    assert client.get(pdf_url(proposal, "tanda-terima")).status_code == 200
    for outsider in ("other_province_monitor", "developer", "outsider"):
        client.force_login(staff[outsider])
        assert client.get(pdf_url(proposal, "tanda-terima")).status_code == 404, outsider
    client.logout()
    assert client.get(pdf_url(proposal, "tanda-terima")).status_code == 302  # to the login page
    client.force_login(staff["planner"])
    assert client.get(pdf_url(proposal, "tanda-terima")).status_code == 200
    assert client.post(pdf_url(proposal, "tanda-terima")).status_code == 405


def test_the_pages_link_exactly_the_documents_that_exist(client, staff, catalogue, regions, directorates):
    """documents_out.html repeats documents.KINDS' rules in the template: they must agree in every state."""
    proposals = {
        "draft": filled(staff["operator"], catalogue, regions, title="Draf"),
        "submitted": submitted(staff, catalogue, regions),
        "revision": revision_requested(staff, catalogue, regions, directorates),
        "decided": decided(staff, catalogue, regions, directorates),
    }
    expected = {
        "draft": set(),
        "submitted": {"tanda-terima"},
        "revision": {"tanda-terima", "pemberitahuan-perbaikan"},
        "decided": {"tanda-terima", "surat-penetapan"},
    }
    for state, proposal in proposals.items():
        # The proposer's own draft (and revision) opens on the task list; the province sees the proposal page.
        client.force_login(staff["operator"] if state == "draft" else staff["province_monitor"])
        proposal = Proposal.objects.select_related("case").get(pk=proposal.pk)
        page = client.get(reverse("assistance:proposal", args=[proposal.case.tracking_code])).content.decode()
        linked = set(re.findall(r"/pdf/([a-z-]+)/", page))
        assert linked == expected[state] == {kind.slug for kind in documents.available(proposal)}, state


# --- The XLSX exports ----------------------------------------------------------------------------------------------


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def test_the_proposer_exports_exactly_the_organisations_proposals(client, staff, catalogue, regions, directorates,
                                                                 django_assert_max_num_queries):
    own = submitted(staff, catalogue, regions)
    draft = new_draft(staff["operator"], catalogue, regions, title="=HYPERLINK(\"http://jahat.example\",\"klik\")")
    colleague = make_user("colleague@example.test", staff["operator"].memberships.first().organisation,
                          "proposer_operator")
    other = new_draft(staff["developer"], catalogue, regions, title="Usulan pengembang")
    client.force_login(staff["operator"])
    page = client.get(reverse("assistance:list")).content.decode()
    assert 'href="?format=xlsx"' in page
    with django_assert_max_num_queries(6):
        response = client.get(reverse("assistance:list"), {"format": "xlsx"})
    assert re.fullmatch(r'attachment; filename="usulan-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"])
    rows = read_xlsx(response)
    assert rows[0][:3] == ("Nomor pelacakan", "Nama kegiatan", "Program")
    codes = {row[0] for row in rows[1:]}
    assert codes == {own.case.tracking_code, draft.case.tracking_code}
    assert other.case.tracking_code not in codes
    by_code = {row[0]: row for row in rows[1:]}
    # A title that a spreadsheet would run as a formula is kept as text.
    assert by_code[draft.case.tracking_code][1] == '=HYPERLINK("http://jahat.example","klik")'
    assert by_code[own.case.tracking_code][5] == "Terkirim" and by_code[own.case.tracking_code][3] == 2031
    # A colleague of the same organisation gets the same list.
    client.force_login(colleague)
    assert {row[0] for row in read_xlsx(client.get(reverse("assistance:list"), {"format": "xlsx"}))[1:]} == codes


def test_the_reviewer_inbox_exports_its_filtered_scope_without_personal_data(client, staff, catalogue, regions,
                                                                            directorates, settings,
                                                                            django_assert_max_num_queries):
    first = submitted(staff, catalogue, regions)
    second = submitted(staff, catalogue, regions, title="BSPS kedua")
    new_draft(staff["operator"], catalogue, regions, title="Draf tidak terlihat")
    client.force_login(staff["planner"])
    page = client.get(reverse("assistance:review_inbox"), {"programme": "swadaya"}).content.decode()
    assert "?programme=swadaya&amp;format=xlsx" in page
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assistance:review_inbox"), {"programme": "swadaya", "format": "xlsx"})
    rows = read_xlsx(response)
    header = rows[0]
    assert "Pengusul" in header and not {"NIK", "Nama", "Alamat", "E-mail"} & set(header)
    assert {row[0] for row in rows[1:]} == {first.case.tracking_code, second.case.tracking_code}
    assert rows[1][header.index("Pengusul")] == "Pemkot Bandung"
    # The page's filter applies: another programme has none.
    empty = read_xlsx(client.get(reverse("assistance:review_inbox"), {"programme": "psu", "format": "xlsx"}))
    assert empty == [header]
    # Read a page at a time, and capped at EXPORT_MAX_ROWS with a note saying so.
    settings.EXPORT_MAX_ROWS = 1
    capped = read_xlsx(client.get(reverse("assistance:review_inbox"), {"format": "xlsx"}))
    assert len(capped) == 3 and "dipotong pada 1 baris" in capped[2][0]
    # Someone who is not a reviewer gets no export.
    client.force_login(staff["operator"])
    assert client.get(reverse("assistance:review_inbox"), {"format": "xlsx"}).status_code == 403
