"""The Balai's field verifier learns in the app that a proposal of its region waits for field verification, and
follows the notice to the field work; a Balai of another province is not told. Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.core.models import Notification
from tests.e2e import test_assistance_bsps as bsps_walk
from tests.e2e.helpers import assert_accessible, screenshot
from tests.e2e.test_assistance_bsps import log_in
from tests.e2e.test_assistance_review_roles import _in_field_verification
from tests.personas import make_user

pytestmark = pytest.mark.django_db(transaction=True)

bsps = bsps_walk.bsps
media = bsps_walk.media


def test_the_balai_field_verifier_is_told_and_follows_the_notice(new_page, bsps, regions):
    central_java = Organisation.objects.create(name="Balai P2P Jawa Tengah", kind=Organisation.Kind.WORK_UNIT,
                                               region_id="33")
    other_balai = make_user("balai-jateng@example.test", central_java, Role.FIELD_VERIFIER)
    proposal = _in_field_verification(bsps, regions)  # Kota Bandung, Jawa Barat
    code = proposal.case.tracking_code
    assert Notification.objects.filter(user=bsps["field_verifier"], case=proposal.case, channel="email").exists()

    field = log_in(new_page, bsps["field_verifier"])
    field.goto("/kerja/notifikasi/")
    notice = field.get_by_role("link", name=f"[SIBARU] {code}: Verifikasi teknis")
    expect(notice).to_be_visible()
    assert_accessible(field)
    screenshot(field, "bantuan-balai-notifikasi")
    notice.click()
    field.get_by_role("link", name="Buka halaman layanan untuk mengambil tindakan").click()
    expect(field.get_by_role("heading", name="Catat kunjungan lapangan")).to_be_visible()
    assert_accessible(field)

    phone = log_in(lambda _desktop: new_page("phone"), bsps["field_verifier"])
    phone.goto("/kerja/notifikasi/")
    expect(phone.get_by_role("link", name=f"[SIBARU] {code}: Verifikasi teknis")).to_be_visible()
    assert_accessible(phone)
    screenshot(phone, "bantuan-balai-notifikasi-ponsel")

    elsewhere = log_in(new_page, other_balai)
    elsewhere.goto("/kerja/notifikasi/")
    expect(elsewhere.get_by_text("Belum ada notifikasi.")).to_be_visible()
    assert_accessible(elsewhere)
