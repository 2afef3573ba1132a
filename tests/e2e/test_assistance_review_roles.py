"""The review roles in the browser: the planning officer records a programming-cycle checkpoint on the review
page (and for several proposals at once), the Balai's field verifier sees only the field work of a proposal
of its region, the operator sees the checkpoint on its proposal page and each step among its notifications,
and the staff case page sends reviewers to the review page. Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from sibaru.assistance import services
from sibaru.assistance.models import Beneficiary, PlanningCheckpoint, Proposal, ProposalDocument, Requirement
from sibaru.core.attachments import check_upload
from sibaru.core.services import case_apply_action
from tests.e2e import test_assistance_bsps as bsps_walk
from tests.e2e.helpers import assert_accessible, screenshot
from tests.e2e.test_assistance_bsps import PDF, YEAR, log_in, messages

pytestmark = pytest.mark.django_db(transaction=True)

# The BSPS walk's catalogue, reviewers and media folder.
bsps = bsps_walk.bsps
media = bsps_walk.media


def _in_field_verification(bsps, regions) -> Proposal:
    """A BSPS proposal of Kota Bandung sent, distributed and past administrative verification (set up through
    the services: its browser walk is test_assistance_bsps.py)."""
    operator = bsps["operator"]
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
    for code in ("e2e_surat_usulan", "e2e_proposal"):
        services.proposal_document_upload(
            proposal=proposal, requirement=Requirement.objects.get(code=code), user=operator,
            checked=check_upload(SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf")))
    case_apply_action(case=proposal.case, action="submit", user=operator)
    case_apply_action(case=proposal.case, action="distribute", user=bsps["planner"],
                      data={"directorate": bsps["directorate"].pk, "agenda_number": "AG/2031/001"})
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=bsps["verifier"], complete=True)
    case_apply_action(case=proposal.case, action="pass_administrative", user=bsps["verifier"])
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def test_checkpoints_the_field_verifier_and_the_operators_notices(new_page, bsps, regions):
    proposal = _in_field_verification(bsps, regions)
    code = proposal.case.tracking_code
    for order, name in enumerate(("Konsultasi Regional (Konreg)", "Musrenbangnas"), start=1):
        PlanningCheckpoint.objects.get_or_create(budget_year=YEAR, code=f"e2e_{order}",
                                                 defaults={"name": name, "order": order})
    passed = (timezone.localdate() - timedelta(days=7)).isoformat()

    # --- The planning officer records the Konreg on the review page --------------------------------------
    planner = log_in(new_page, bsps["planner"])
    planner.goto(f"/kerja/kasus/{code}/")
    planner.get_by_role("link", name="Buka halaman layanan untuk mengambil tindakan").click()
    expect(planner.get_by_role("heading", level=1)).to_have_text("BSPS Kecamatan Sukasari 2031")
    planner.get_by_role("button", name="Simpan tahapan").click()  # nothing chosen: the error summary
    expect(planner.get_by_role("alert")).to_contain_text("Pilih tahapan pemrograman.")
    assert_accessible(planner)
    planner.get_by_label("Tahapan pemrograman", exact=True).select_option(label="Konsultasi Regional (Konreg)")
    planner.get_by_label("Tanggal dilalui").fill(passed)
    planner.get_by_label("Catatan (tidak wajib)").fill("Disepakati pada Konreg regional Jawa")
    planner.get_by_role("button", name="Simpan tahapan").click()
    expect(messages(planner)).to_contain_text("tercatat")
    section = planner.locator("section").filter(has=planner.get_by_role("heading", name="Tahapan pemrograman"))
    expect(section).to_contain_text("Disepakati pada Konreg regional Jawa")
    assert_accessible(planner)
    section.scroll_into_view_if_needed()
    screenshot(planner, "bantuan-tahapan")

    # … and the Musrenbangnas for several proposals at once.
    planner.get_by_role("link", name="Catat satu tahapan untuk beberapa usulan sekaligus").click()
    expect(planner.get_by_role("heading", level=1)).to_have_text("Tahapan pemrograman")
    planner.get_by_label(f"Pilih {code}").check()
    planner.get_by_label("Tahapan pemrograman", exact=True).select_option(label="Musrenbangnas")
    planner.get_by_label("Tanggal dilalui").fill(passed)
    assert_accessible(planner)
    planner.get_by_role("button", name="Catat tahapan untuk usulan terpilih").click()
    expect(messages(planner)).to_contain_text("tercatat untuk 1 usulan")
    expect(planner.get_by_role("row").filter(has_text=code)).to_contain_text("Musrenbangnas")

    # --- The Balai's field verifier: field work only --------------------------------------------------------
    field = log_in(new_page, bsps["field_verifier"])
    field.goto(f"/bantuan/{code}/tinjau/")
    expect(field.get_by_role("heading", name="Catat kunjungan lapangan")).to_be_visible()
    expect(field.get_by_role("button", name="Layak", exact=True)).to_be_visible()
    expect(field.get_by_role("button", name="Lolos verifikasi administrasi")).to_have_count(0)
    expect(field.get_by_role("button", name="Simpan tahapan")).to_have_count(0)
    assert_accessible(field)
    field.get_by_role("heading", name="Kunjungan lapangan", exact=True).scroll_into_view_if_needed()
    screenshot(field, "bantuan-verifikator-lapangan")

    # --- The operator: the checkpoints on the proposal page, each step among the notifications -------------
    operator = log_in(new_page, bsps["operator"])
    operator.goto(f"/bantuan/{code}/")
    checkpoints = operator.locator("main")
    expect(checkpoints).to_contain_text("Tahapan pemrograman yang sudah dilalui")
    expect(checkpoints).to_contain_text("Konsultasi Regional (Konreg)")
    assert_accessible(operator)
    operator.goto("/kerja/notifikasi/")
    expect(operator.get_by_role("link", name=f"[SIBARU] {code}: Verifikasi teknis")).to_be_visible()
    assert_accessible(operator)
