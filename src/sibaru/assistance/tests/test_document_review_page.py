"""The document-by-document review page: each current document beside its requirement, history and checklist
form, with previous / next navigation and "save and go to the next document"; who may open it; the attachment
view that may be framed by our own pages (and no other page may be framed at all)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.assistance import services
from sibaru.assistance.models import Proposal, ProposalDocument, Requirement
from sibaru.assistance.tests.test_views import PNG, distributed, filled, pdf, requirement, text, url
from sibaru.core.attachments import check_upload
from sibaru.core.models import Event
from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def proposal(staff, catalogue, regions, directorates):
    """A distributed BSPS proposal with three documents: two PDFs and, for the optional plan, a PNG."""
    Requirement.objects.filter(code="swadaya_surat_usulan").update(
        legal_basis="Permen PKP 10/2025 Pasal 12", description="Surat bupati/wali kota kepada Menteri.")
    Requirement.objects.filter(code="swadaya_gambar_rencana").update(accepted_types=["pdf", "png"])
    proposal = filled(staff["operator"], catalogue, regions)
    services.proposal_document_upload(
        proposal=proposal, requirement=requirement(catalogue, "gambar_rencana"), user=staff["operator"],
        checked=check_upload(SimpleUploadedFile("denah.png", PNG, content_type="image/png")))
    case_apply_action(case=proposal.case, action="submit", user=staff["operator"])
    case_apply_action(case=proposal.case, action="distribute", user=staff["planner"],
                      data={"directorate": directorates["swadaya"].pk, "agenda_number": "AG-1"})
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def documents(proposal):
    """The current documents in requirement order: the page's order."""
    return list(ProposalDocument.objects.filter(proposal=proposal, current=True).select_related("requirement")
                .order_by("requirement__order"))


def verdict(document, *, stay=False, **data):
    form = {f"doc{document.pk}-{k}": v for k, v in data.items()}
    return {**form, "dari": "dokumen", **({} if stay else {"lanjut": "1"})}


def test_the_verifier_sees_the_pdf_beside_the_requirement_and_the_checklist(client, staff, proposal,
                                                                            django_assert_max_num_queries):
    letter, land, plan = documents(proposal)
    client.force_login(staff["swadaya_verifier"])
    with django_assert_max_num_queries(10):
        response = client.get(url("document_review", proposal, document_id=letter.pk))
    assert response.status_code == 200
    page = text(response)
    frame = url("attachment", proposal, attachment_id=letter.attachment_id)
    assert f'<iframe class="document-frame" src="{frame}" title="Berkas Surat Usulan, versi 1">' in page
    assert "Permen PKP 10/2025 Pasal 12" in page and "Surat bupati/wali kota kepada Menteri." in page
    assert "Dokumen 1 dari 3" in page and "Ini pengiriman pertama" in page
    assert f'name="doc{letter.pk}-verdict"' in page and "Simpan dan lanjut ke dokumen berikutnya" in page
    # The first document has a next one and no previous one.
    assert f'rel="next" href="{url("document_review", proposal, document_id=land.pk)}"' in page
    assert 'rel="prev"' not in page
    # This page itself may not be framed, by anyone.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

    # The image is shown as an image, with a text alternative; the last one has no next document.
    last = text(client.get(url("document_review", proposal, document_id=plan.pk)))
    image = url("attachment", proposal, attachment_id=plan.attachment_id)
    assert f'<img class="document-image" src="{image}" alt="Berkas Gambar Rencana: denah.png">' in last
    assert "<iframe" not in last and 'rel="next"' not in last
    assert f'rel="prev" href="{url("document_review", proposal, document_id=land.pk)}"' in last
    assert "Simpan dan kembali ke halaman tinjauan" in last


def test_a_file_the_browser_cannot_show_is_offered_for_download(client, staff, proposal):
    letter = documents(proposal)[0]
    letter.attachment.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    letter.attachment.save(update_fields=["content_type"])
    client.force_login(staff["swadaya_verifier"])
    page = text(client.get(url("document_review", proposal, document_id=letter.pk)))
    assert "Unduh berkas" in page and "<iframe" not in page and "<img" not in page


def test_only_the_attachment_view_may_be_framed_and_only_by_our_own_pages(client, staff, proposal):
    letter = documents(proposal)[0]
    client.force_login(staff["swadaya_verifier"])
    attachment = client.get(url("attachment", proposal, attachment_id=letter.attachment_id))
    assert attachment.status_code == 200
    assert attachment["X-Frame-Options"] == "SAMEORIGIN"
    policy = attachment["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "default-src 'self'" in policy and "object-src 'none'" in policy
    for other in (url("review", proposal), url("review_inbox"), url("proposal", proposal)):
        response = client.get(other)
        assert response.status_code == 200, other
        assert response["X-Frame-Options"] == "DENY", other
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], other


def test_save_and_next_walks_the_documents_in_order_then_returns_to_the_actions(client, staff, proposal):
    letter, land, plan = documents(proposal)
    client.force_login(staff["swadaya_verifier"])
    address = url("document_review", proposal, document_id=letter.pk)

    first = client.post(address, verdict(letter, verdict="incomplete", note="Tanda tangan belum ada."))
    assert first.status_code == 302 and first.url == url("document_review", proposal, document_id=land.pk)
    following = text(client.get(first.url))
    assert "Verifikasi Surat Usulan tersimpan." in following and "Dokumen 2 dari 3" in following

    second = client.post(first.url, verdict(land, verdict="complete"))
    assert second.url == url("document_review", proposal, document_id=plan.pk)
    last = client.post(second.url, verdict(plan, verdict="complete"))
    assert last.url == url("review", proposal) + "#tindakan"

    # "Simpan" alone stays on the document.
    again = client.post(address, verdict(letter, stay=True, verdict="complete"))
    assert again.url == address

    reviews = {d.pk: (d.review, d.review_note) for d in documents(proposal)}
    assert reviews == {letter.pk: ("complete", ""), land.pk: ("complete", ""), plan.pk: ("complete", "")}
    assert Event.objects.filter(case=proposal.case, action="document_reviewed").count() == 4


def test_a_bad_verdict_is_shown_on_the_document_page_and_changes_nothing(client, staff, proposal):
    letter = documents(proposal)[0]
    client.force_login(staff["swadaya_verifier"])
    address = url("document_review", proposal, document_id=letter.pk)
    response = client.post(address, verdict(letter, verdict="incomplete", note="  "))
    page = text(response)
    assert response.status_code == 400
    assert "Ada masalah" in page and "Tulis apa yang kurang pada dokumen ini." in page
    assert "<iframe" in page and "Dokumen 1 dari 3" in page
    letter.refresh_from_db()
    assert letter.review == "pending"
    assert not Event.objects.filter(case=proposal.case, action="document_reviewed").exists()

    # Posted from the review page, an error still shows the review page.
    from_review = client.post(address, {f"doc{letter.pk}-verdict": "incomplete"})
    assert from_review.status_code == 400
    assert "Dokumen administrasi" in text(from_review) and "Dokumen 1 dari 3" not in text(from_review)


def test_who_may_open_the_page(client, staff, proposal, catalogue, regions, directorates):
    letter = documents(proposal)[0]
    address = url("document_review", proposal, document_id=letter.pk)
    # The field verifier of the region reads it, without the checklist form (not its stage).
    client.force_login(staff["field_verifier"])
    page = text(client.get(address))
    assert "Dokumen 1 dari 3" in page and 'name="doc' not in page
    # The proposer and the province see the proposal, but this is a reviewer's page.
    for persona in ("operator", "province_monitor"):
        client.force_login(staff[persona])
        assert client.get(address).status_code == 403, persona
    # Who does not see the proposal does not see that it exists.
    for persona in ("developer", "other_province_monitor"):
        client.force_login(staff[persona])
        assert client.get(address).status_code == 404, persona
    client.logout()
    assert client.get(address).status_code == 302

    client.force_login(staff["swadaya_verifier"])
    assert client.get(url("document_review", proposal, document_id=999_999)).status_code == 404
    # A document of another proposal is not found through this one.
    other = distributed(staff, catalogue, regions, directorates)
    mine = ProposalDocument.objects.filter(proposal=other).first()
    assert client.get(url("document_review", proposal, document_id=mine.pk)).status_code == 404
    assert client.post(url("document_review", proposal, document_id=mine.pk),
                       verdict(mine, verdict="complete")).status_code == 404
    mine.refresh_from_db()
    assert mine.review == "pending"


def test_after_a_revision_the_replaced_document_is_flagged_with_the_earlier_note(client, staff, proposal, catalogue):
    letter, land, plan = documents(proposal)
    verifier = staff["swadaya_verifier"]
    services.proposal_document_review(document=letter, user=verifier, complete=False,
                                      note="Tanda tangan belum ada.")
    for document in (land, plan):
        services.proposal_document_review(document=document, user=verifier, complete=True)
    case_apply_action(case=proposal.case, action="request_revision", user=verifier)
    operator = staff["operator"]
    services.proposal_document_upload(proposal=proposal, requirement=letter.requirement, user=operator,
                                      checked=check_upload(pdf("surat-ttd.pdf")))
    case_apply_action(case=proposal.case, action="resubmit", user=operator)
    replaced = ProposalDocument.objects.get(proposal=proposal, requirement=letter.requirement, current=True)

    client.force_login(verifier)
    # The review page links each document to its page.
    review = text(client.get(url("review", proposal)))
    for document in (replaced, land, plan):
        assert url("document_review", proposal, document_id=document.pk) in review
    # The old version's address leads to the current one.
    old = client.get(url("document_review", proposal, document_id=letter.pk))
    assert old.status_code == 302 and old.url == url("document_review", proposal, document_id=replaced.pk)
    page = text(client.get(old.url))
    assert "Pengusul mengganti dokumen ini pada pengiriman ke-2." in page
    assert "Versi 1 sebelumnya" in page and "Tanda tangan belum ada." in page and "surat-ttd.pdf" in page
    unchanged = text(client.get(url("document_review", proposal, document_id=land.pk)))
    assert "Dokumen ini tidak diganti pada pengiriman terakhir." in unchanged


def test_the_page_reads_a_constant_number_of_queries(client, staff, proposal, catalogue, regions, directorates,
                                                     django_assert_max_num_queries):
    """Two documents or three: the same queries."""
    client.force_login(staff["swadaya_verifier"])
    two = distributed(staff, catalogue, regions, directorates, title="BSPS Kecamatan Coblong")
    with django_assert_max_num_queries(10) as few:
        assert client.get(url("document_review", two, document_id=documents(two)[0].pk)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("document_review", proposal, document_id=documents(proposal)[0].pk)).status_code == 200
