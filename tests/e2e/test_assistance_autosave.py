"""The proposer's task pages save themselves: the operator types the letter's number, stops, and the status
line says when it was saved, without moving focus; the reloaded page has the value. An invalid date is not
saved and the line says so, without an error message until the page is submitted. axe checks the page with
its status line."""

import pytest
from playwright.sync_api import expect

from sibaru.assistance import services
from sibaru.assistance.models import Programme, Proposal, ProposerCategory
from tests.e2e.helpers import assert_accessible, screenshot
from tests.e2e.test_assistance_bsps import YEAR, bsps, log_in  # noqa: F401  (bsps is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(bsps, regions):  # noqa: F811
    return services.proposal_create(
        user=bsps["operator"], programme=Programme.objects.get(code="swadaya"), budget_year=YEAR,
        title="BSPS Kecamatan Sukasari", region=regions["3273"],
        category=ProposerCategory.objects.get(code="e2e_regional_head"),
    )


def test_the_letter_page_saves_itself_while_the_operator_types(new_page, bsps, draft):  # noqa: F811
    page = log_in(new_page, bsps["operator"])
    page.goto(f"/bantuan/{draft.case.tracking_code}/surat/")
    status = page.get_by_role("status").filter(has_text="disimpan otomatis")
    expect(status).to_have_attribute("aria-live", "polite")

    number = page.get_by_label("Nomor surat")
    number.fill("050/77/Disperkim")
    expect(page.get_by_role("status")).to_contain_text("Tersimpan otomatis pukul")
    expect(number).to_be_focused()  # saving never takes the focus away
    assert Proposal.objects.get(pk=draft.pk).letter_number == "050/77/Disperkim"
    assert_accessible(page)
    screenshot(page, "bantuan-simpan-otomatis", full_page=True)

    page.reload()
    expect(page.get_by_label("Nomor surat")).to_have_value("050/77/Disperkim")
    # The way back says what it does now that the page keeps what was typed.
    expect(page.locator("[data-autosave-back]")).to_have_text("Kembali ke daftar tugas")


# The refused autosave is an expected HTTP 422 of a fetch, which the harness would report as a failed request.
@pytest.mark.allow_browser_errors
def test_an_invalid_date_is_not_saved_and_no_error_shows_until_submit(new_page, bsps, draft):  # noqa: F811
    page = log_in(new_page, bsps["operator"])
    page.goto(f"/bantuan/{draft.case.tracking_code}/surat/")
    page.get_by_label("Nomor surat").fill("050/78")
    page.get_by_label("Tanggal surat").fill("2999-01-01")
    page.get_by_label("Nama pejabat penanda tangan").focus()
    expect(page.get_by_role("status")).to_contain_text("Belum tersimpan")
    expect(page.locator(".error-summary")).to_have_count(0)
    assert Proposal.objects.get(pk=draft.pk).letter_number == ""
    assert_accessible(page)

    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.locator(".error-summary")).to_contain_text("tidak boleh di masa depan")
