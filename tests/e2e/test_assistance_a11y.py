"""The Bantuan pages with a keyboard, on a phone and in English.

With a dossier like the demo's (a BSPS draft of Kota Bandung with its letter, two target villages, documents
and readiness answers; and a second one already sent and distributed to the directorate), every page the
operator works on (the task list, each task page, check answers, the confirmation) and the verifier's (the
review inbox and the review page) is opened and checked:

- keyboard only: the first Tab reaches the skip link, which moves focus past the header; Tab then reaches
  the page's main action, and every element focused on the way shows a visible focus indicator
  (WCAG 2.4.7 and 2.4.11);
- on a phone (390 px): nothing scrolls sideways (WCAG 1.4.10);
- in English, chosen with the language switch: the page heading is the English text of the catalogue.

axe checks each page in each of the three passes.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import expect

from sibaru.assistance import services
from sibaru.assistance.models import Beneficiary, Programme, ProposerCategory
from sibaru.core.attachments import check_upload
from sibaru.core.services import case_apply_action
from sibaru.regions.models import Region
from tests.e2e.helpers import assert_accessible, screenshot
from tests.e2e.test_assistance_bsps import PDF, YEAR, bsps  # noqa: F401  (bsps is a fixture)
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# What makes a focus indicator visible here: an outline, a ring (box-shadow) or the yellow focus background.
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const ring = s.boxShadow && s.boxShadow !== 'none';
    return {tag: el.tagName, text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
            style: `outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}`,
            visible: outline || ring, inMain: !!el.closest('main'), isMainAction: el.matches('[data-e2e-main]')};
}"""


def _dossier(bsps, regions, *, title):  # noqa: F811
    """A BSPS draft with every task done, as an operator would leave it before checking the answers."""
    operator = bsps["operator"]
    programme = Programme.objects.get(code="swadaya")
    proposal = services.proposal_create(
        user=operator, programme=programme, budget_year=YEAR, title=title, region=regions["3273"],
        category=ProposerCategory.objects.get(code="e2e_regional_head"),
    )
    services.proposal_update(
        proposal=proposal, user=operator, description="Peningkatan kualitas rumah tidak layak huni di Sukasari.",
        letter_number="050/123/Disperkim", letter_date="2030-10-01", letter_signatory="Wali Kota Bandung",
        letter_position="Wali Kota", readiness={"e2e_bebas_bencana": True, "e2e_tanah": True},
    )
    villages = [regions["3273011001"], Region.objects.get(code="3273011002")]
    services.proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": villages[0], "units_pk": 10, "units_pb": 2, "uninhabitable_houses": 40},
        {"region": villages[1], "units_pk": 6, "units_pb": 0, "uninhabitable_houses": 25},
    ])
    for requirement in proposal.requirement_set.requirements.filter(kind="administrative", mandatory=True):
        checked = check_upload(SimpleUploadedFile(f"{requirement.code}.pdf", PDF), allowed=requirement.content_types())
        services.proposal_document_upload(proposal=proposal, requirement=requirement, checked=checked, user=operator)
    for i, village in enumerate(villages):
        Beneficiary.objects.create(
            proposal=proposal, village=village, nik=f"327301010190{i:04d}", family_card_number=f"327301020190{i:04d}",
            name=f"Warga {i + 1}", address=f"Jl. Sukasari {i + 1}", monthly_income=Decimal(2_500_000),
            land_status="milik", household_size=4, floor_area=Decimal(36), activity="PK",
        )
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def dossiers(bsps, regions):  # noqa: F811
    draft = _dossier(bsps, regions, title="BSPS Sukasari 2031")
    sent = _dossier(bsps, regions, title="BSPS Sukasari tahap 2")
    case_apply_action(case=sent.case, action="submit", user=bsps["operator"])
    sent.case.refresh_from_db()
    case_apply_action(case=sent.case, action="distribute", user=bsps["planner"],
                      data={"directorate": bsps["directorate"].pk, "agenda_number": "AG-31"})
    return {"draft": draft.case.tracking_code, "sent": sent.case.tracking_code}


def log_in(page, user):
    page.goto("/akun/masuk/?next=/bantuan/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def operator_pages(page, code):
    """The proposer's pages of a draft: the task list and every task page it links to, then check answers."""
    page.goto(f"/bantuan/{code}/")
    tasks = page.locator("main .task-list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(tasks) >= 5, tasks
    return [f"/bantuan/{code}/", *dict.fromkeys(tasks)]


# The main action of a page: its (first) submit button, or for the pages without a form, the link onwards.
MAIN_ACTION = "main :is(button[type=submit], input[type=submit])"
MAIN_LINK = {
    "task_list": "main .task-list a",
    "sent": "main a[href$='/'][href*='/bantuan/RSW-']:not(.back-link)",
    "inbox": "main table a",
}


def tab_to_main_action(page, url, main=MAIN_ACTION):
    """Keyboard only: skip link first, then Tab to the main action; every focused element shows its focus."""
    page.goto(url)
    page.locator(main).first.evaluate("el => el.setAttribute('data-e2e-main', '')")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first and first["text"].startswith("Langsung ke konten"), (url, first)
    assert first["visible"], (url, "the skip link shows no focus")
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        assert focused, (url, "focus left the page")
        assert focused["inMain"], (url, "after the skip link the next Tab must land in the main content", focused)
        assert focused["visible"], (url, "no visible focus indicator", focused)
        if focused["isMainAction"]:
            return
    pytest.fail(f"{url}: the main action is not reachable with Tab")


def test_every_bantuan_page_works_with_a_keyboard(new_page, bsps, dossiers):  # noqa: F811
    operator = new_page("desktop")
    log_in(operator, bsps["operator"])
    task_list, *task_pages = operator_pages(operator, dossiers["draft"])
    tab_to_main_action(operator, task_list, MAIN_LINK["task_list"])
    assert_accessible(operator)
    for url in task_pages:
        tab_to_main_action(operator, url)
        assert_accessible(operator)
    tab_to_main_action(operator, f"/bantuan/{dossiers['sent']}/terkirim/", MAIN_LINK["sent"])
    assert_accessible(operator)

    verifier = new_page("desktop")
    log_in(verifier, bsps["verifier"])
    tab_to_main_action(verifier, "/bantuan/tinjauan/", MAIN_LINK["inbox"])
    assert_accessible(verifier)
    tab_to_main_action(verifier, f"/bantuan/{dossiers['sent']}/tinjau/")
    assert_accessible(verifier)


def no_sideways_scroll(page, url):
    page.goto(url)
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{url} scrolls sideways on a phone: {widths[0]} px in {widths[1]} px"


def test_every_bantuan_page_fits_a_phone(new_page, bsps, dossiers):  # noqa: F811
    operator = new_page("phone")
    log_in(operator, bsps["operator"])
    for url in [*operator_pages(operator, dossiers["draft"]), f"/bantuan/{dossiers['sent']}/terkirim/"]:
        no_sideways_scroll(operator, url)
        assert_accessible(operator)
    no_sideways_scroll(operator, f"/bantuan/{dossiers['draft']}/")
    screenshot(operator, "bantuan-phone-task-list", full_page=True)

    verifier = new_page("phone")
    log_in(verifier, bsps["verifier"])
    for url in ("/bantuan/tinjauan/", f"/bantuan/{dossiers['sent']}/tinjau/"):
        no_sideways_scroll(verifier, url)
        assert_accessible(verifier)
    screenshot(verifier, "bantuan-phone-review", full_page=True)


# Page → the Indonesian heading (its msgid). Only headings whose English text is in the catalogue are compared.
HEADINGS = {
    "letter": "Surat usulan",
    "location": "Lokasi",
    "documents": "Dokumen",
    "readiness": "Kesiapan teknis",
    "check": "Periksa jawaban sebelum mengirim usulan",
    "sent": "Usulan terkirim",
    "inbox": "Tinjauan usulan",
}


def english(msgid: str) -> str | None:
    with translation.override("en"):
        text = translation.gettext(msgid)
    return text if text != msgid else None


def test_the_bantuan_pages_speak_english_after_the_language_switch(new_page, bsps, dossiers):  # noqa: F811
    draft, sent = dossiers["draft"], dossiers["sent"]
    urls = {
        "letter": f"/bantuan/{draft}/surat/", "location": f"/bantuan/{draft}/lokasi/",
        "documents": f"/bantuan/{draft}/dokumen/", "readiness": f"/bantuan/{draft}/kesiapan/",
        "check": f"/bantuan/{draft}/periksa/", "sent": f"/bantuan/{sent}/terkirim/", "inbox": "/bantuan/tinjauan/",
    }
    translated = {key: english(msgid) for key, msgid in HEADINGS.items() if english(msgid)}
    assert len(translated) >= 4, "the English catalogue lost the Bantuan headings"

    operator = new_page("desktop")
    log_in(operator, bsps["operator"])
    operator.get_by_role("button", name="English").click()
    expect(operator.locator("html")).to_have_attribute("lang", "en")
    verifier = new_page("desktop")
    log_in(verifier, bsps["verifier"])
    verifier.get_by_role("button", name="English").click()
    expect(verifier.locator("html")).to_have_attribute("lang", "en")

    for key, text in translated.items():
        page = verifier if key == "inbox" else operator
        page.goto(urls[key])
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_contain_text(text)
        # The skip link and the header are English too: no Indonesian-only chrome around the page.
        expect(page.locator(".skip-link")).not_to_have_text("Langsung ke konten utama")
        assert_accessible(page)
    screenshot(operator, "bantuan-english-confirmation")
