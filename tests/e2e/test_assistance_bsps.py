"""A Rumah Swadaya (BSPS) proposal walked through the browser, from a kab/kota draft to the hand-over:

the city's operator creates it, fills the dossier (two target villages, one prospective beneficiary entered
by hand) and sends it; the planning officer distributes it; the directorate's verifier marks two documents
incomplete and asks for revision; the operator replaces them and sends the revision; the verifier passes
it; the regional office's field verifier records an eligible visit for each village and finds it eligible;
the decision maker decides it within the quota; the verifier starts the implementation, records the SK,
KPB, TFL, supplier, purchase plan, tranche and BAST, the operator reports each house at 0/50/100 % with
photos, and the verifier hands it over. Every distinct page is checked with axe.

The catalogue is the test's own (budget year 2031), made with get_or_create/update_or_create, so the test
works with or without the seeded catalogue."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.assistance.models import (
    FieldVisit,
    Programme,
    Proposal,
    ProposerCategory,
    Quota,
    Requirement,
    RequirementSet,
    UnitAmount,
)
from sibaru.regions.models import Region
from tests.e2e.helpers import assert_accessible, screenshot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2031
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64
LETTER = "Surat usulan bupati/wali kota"
PROPOSAL_DOC = "Proposal dan gambaran umum lokasi"
PHOTOS_DOC = "Foto kondisi rumah"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def bsps(people, orgs, regions):
    """Directorates, reviewers, and a BSPS catalogue of our own for budget year 2031."""
    Region.objects.get_or_create(code="3273011002", defaults={"name": "Gegerkalong", "level": "village",
                                                              "kind": "kelurahan", "parent_id": "327301"})
    ministry = orgs["ministry"]
    planning = Organisation.objects.create(name="Direktorat Perencanaan", kind=Organisation.Kind.DIRECTORATE,
                                           parent=ministry)
    swadaya = Organisation.objects.create(name="Direktorat Rumah Swadaya", kind=Organisation.Kind.DIRECTORATE,
                                          parent=ministry)
    balai = Organisation.objects.create(name="Balai P2P Jawa Barat", kind=Organisation.Kind.WORK_UNIT,
                                        parent=ministry, region=regions["32"])
    programme, _ = Programme.objects.update_or_create(
        code="swadaya", defaults={"name": "Rumah Swadaya (BSPS)", "prefix": "RSW", "verification": "technical",
                                  "directorate": swadaya, "planning_directorate": planning, "unit_label": "unit"},
    )
    requirement_set, _ = RequirementSet.objects.get_or_create(programme=programme, budget_year=YEAR)
    ours = [
        ("e2e_surat_usulan", "administrative", LETTER, True, ["pdf"]),
        ("e2e_proposal", "administrative", PROPOSAL_DOC, True, ["pdf"]),
        ("e2e_foto", "administrative", PHOTOS_DOC, False, ["pdf", "jpg", "png"]),
        ("e2e_bebas_bencana", "technical", "Lokasi di luar kawasan rawan bencana", True, []),
        ("e2e_tanah", "technical", "Status tanah tidak dalam sengketa", True, []),
    ]
    requirement_set.requirements.exclude(code__in=[row[0] for row in ours]).delete()
    for order, (code, kind, title, mandatory, types) in enumerate(ours):
        Requirement.objects.update_or_create(
            requirement_set=requirement_set, code=code,
            defaults={"kind": kind, "title": title, "mandatory": mandatory, "accepted_types": types, "order": order},
        )
    category, _ = ProposerCategory.objects.get_or_create(
        code="e2e_regional_head", defaults={"name": "Usulan kepala daerah", "priority_score": 3}
    )
    category.programmes.add(programme)
    for activity, materials, labour in (("PK", 17_500_000, 2_500_000), ("PB", 35_000_000, 5_000_000)):
        UnitAmount.objects.update_or_create(
            programme=programme, budget_year=YEAR, region_class="regular", activity=activity,
            defaults={"materials": materials, "labour": labour},
        )
    Quota.objects.update_or_create(programme=programme, budget_year=YEAR, defaults={"units": 100})
    return {
        "operator": people["operator"],
        "planner": make_user("perencanaan@example.test", planning, Role.PLANNING_OFFICER, full_name="Rina Perencana"),
        "verifier": make_user("swadaya@example.test", swadaya, Role.VERIFIER, full_name="Dedi Verifikator"),
        "field_verifier": make_user("balai@example.test", balai, Role.FIELD_VERIFIER, full_name="Asep Balai"),
        "decider": make_user("penetap@example.test", ministry, Role.DECISION_MAKER, full_name="Pejabat Penetap"),
        "directorate": swadaya,
    }


def log_in(new_page, user):
    page = new_page("desktop")
    page.goto("/akun/masuk/?next=/bantuan/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def form_with_button(page, name):
    return page.locator("form").filter(has=page.get_by_role("button", name=name, exact=True))


def document_section(page, title):
    return page.locator("section.document-item").filter(has=page.get_by_role("heading", name=title))


def messages(page):
    """The page's flash messages (a role=status region; the region pickers have their own)."""
    return page.locator("main > .messages")


def expect_saved(page):
    expect(messages(page)).to_be_visible()


def test_a_bsps_proposal_from_draft_to_hand_over(new_page, bsps, regions):
    last_month = (timezone.localdate() - timedelta(days=30)).isoformat()

    # --- The city's operator creates the draft -------------------------------------------------------------
    operator = log_in(new_page, bsps["operator"])
    expect(operator.get_by_role("heading", level=1)).to_have_text("Usulan saya")
    assert_accessible(operator)
    operator.get_by_role("link", name="Buat usulan").click()
    operator.get_by_role("button", name="Lanjutkan").click()  # nothing chosen: the error summary
    expect(operator.get_by_role("alert")).to_contain_text("Pilih program bantuan.")
    assert_accessible(operator)
    operator.get_by_label("Rumah Swadaya (BSPS)").check()
    operator.get_by_role("button", name="Lanjutkan").click()

    expect(operator.get_by_role("heading", level=1)).to_have_text("Tentang usulan")
    operator.get_by_label("Usulan kepala daerah").check()
    operator.get_by_label("Tahun anggaran yang diusulkan").select_option(str(YEAR))
    operator.get_by_label("Nama kegiatan").fill("BSPS Kecamatan Sukasari 2031")
    assert_accessible(operator)
    operator.get_by_role("button", name="Buat draf usulan").click()

    expect(operator.get_by_role("heading", level=1)).to_have_text("BSPS Kecamatan Sukasari 2031")
    expect_saved(operator)
    proposal = Proposal.objects.get()
    code = proposal.case.tracking_code
    assert code.startswith("RSW-") and proposal.case.state == "draft"
    task_list_url = f"/bantuan/{code}/"
    expect(operator.locator(".task-list")).to_contain_text("Tidak dapat dimulai")
    assert_accessible(operator)

    # The proposal letter.
    operator.get_by_role("link", name="Surat usulan").click()
    operator.get_by_label("Nomor surat").fill("050/412/Disperkim")
    operator.get_by_label("Tanggal surat").fill(last_month)
    operator.get_by_label("Nama pejabat penanda tangan").fill("Muhammad Farhan")
    operator.get_by_label("Jabatan penanda tangan").fill("Wali Kota Bandung")
    assert_accessible(operator)
    operator.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("BSPS Kecamatan Sukasari 2031")

    # The location: prefilled from the organisation, refined to the district, with typed coordinates.
    operator.get_by_role("link", name="Lokasi").click()
    expect(operator.get_by_text("Terpilih: ")).to_contain_text("Kota Bandung")
    operator.get_by_label("Kecamatan").select_option("327301")
    expect(operator.get_by_text("Terpilih: ")).to_contain_text("Sukasari")
    operator.get_by_label("Lintang (tidak wajib)").fill("-6.8790")
    operator.get_by_label("Bujur (tidak wajib)").fill("107.5880")
    assert_accessible(operator)
    operator.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("BSPS Kecamatan Sukasari 2031")

    # Two target villages: the first with the cascading selects, the second by its typed code.
    operator.get_by_role("link", name="Volume dan anggaran").click()
    first = operator.locator("fieldset.location-row").nth(0)
    first.get_by_label("Provinsi").select_option("32")
    first.get_by_label("Kabupaten/kota").select_option("3273")
    first.get_by_label("Kecamatan").select_option("327301")
    first.get_by_label("Desa/kelurahan", exact=True).select_option("3273011001")
    first.get_by_label("Unit peningkatan kualitas (PK)").fill("10")
    first.get_by_label("Unit pembangunan baru (PB)").fill("2")
    first.get_by_label("Jumlah RTLH di desa ini").fill("40")
    operator.get_by_role("button", name="Tambah desa sasaran").click()
    second = operator.locator("fieldset.location-row").nth(1)
    second.get_by_label("Kode wilayah").fill("32.73.01.1002")
    second.get_by_label("Unit peningkatan kualitas (PK)").fill("5")
    second.get_by_label("Unit pembangunan baru (PB)").fill("1")
    second.get_by_label("Jumlah RTLH di desa ini").fill("12")
    operator.get_by_role("button", name="Simpan dan hitung anggaran").click()
    expect_saved(operator)
    # 15 PK × Rp20 jt + 3 PB × Rp40 jt
    expect(operator.get_by_text("Perkiraan anggaran saat ini")).to_contain_text("Rp420.000.000")
    assert_accessible(operator)
    operator.get_by_role("button", name="Simpan dan lanjutkan").click()

    # One prospective beneficiary entered by hand (the file import has its own walk:
    # test_assistance_beneficiaries.py).
    operator.get_by_role("link", name="Calon penerima").click()
    operator.get_by_role("link", name="Tambah calon penerima").click()
    operator.get_by_label("NIK").fill("3273015001900001")
    operator.get_by_label("Nomor Kartu Keluarga").fill("3273010101090001")
    operator.get_by_label("Nama lengkap").fill("Ujang Suparman")
    operator.get_by_label("Alamat rumah").fill("Jl. Sukarasa 1 RT 001/RW 002")
    operator.get_by_label("Kode wilayah").fill("32.73.01.1001")
    operator.get_by_label("Penghasilan keluarga per bulan (rupiah)").fill("2.000.000")
    operator.get_by_label("Status tanah").select_option("milik_sendiri")
    operator.get_by_label("Jumlah penghuni").fill("4")
    operator.get_by_label("Luas lantai (m²)").fill("24")
    operator.get_by_label("Atap").check()
    operator.get_by_label("Peningkatan kualitas (PK)").check()
    operator.get_by_role("button", name="Simpan", exact=True).click()
    expect(operator.locator("main > .messages")).to_contain_text("Ujang Suparman ditambahkan")
    assert proposal.beneficiaries.get().nik == "3273015001900001"
    operator.goto(task_list_url)

    # Readiness, then the task list as the guide shows it.
    operator.get_by_role("link", name="Kesiapan teknis").click()
    operator.get_by_label("Lokasi di luar kawasan rawan bencana").check()
    operator.get_by_label("Status tanah tidak dalam sengketa").check()
    assert_accessible(operator)
    operator.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(operator.locator(".task-list-progress")).to_have_text("Anda telah menyelesaikan 5 dari 6 tugas.")
    screenshot(operator, "bantuan-task-list", full_page=True)

    # Check answers before the documents: the missing mandatory documents are listed, no send button.
    operator.get_by_role("link", name="Periksa jawaban dan kirim").click()
    expect(operator.get_by_role("heading", name="Unggah dokumen untuk mengirim usulan")).to_be_visible()
    expect(operator.get_by_role("button", name="Kirim usulan")).to_have_count(0)
    operator.get_by_role("link", name=LETTER).first.click()

    # Documents: a wrong type is refused with the error summary; then the two mandatory ones.
    expect(operator.get_by_role("heading", level=1)).to_have_text("Dokumen")
    letter = document_section(operator, LETTER)
    expect(letter).to_contain_text("PDF, paling besar 5,0 MB")
    letter.get_by_label(LETTER).set_input_files({"name": "surat.png", "mimeType": "image/png", "buffer": PNG})
    letter.get_by_role("button", name=f"Unggah {LETTER}").click()
    expect(operator.get_by_role("alert")).to_contain_text("Unggah berkas PDF")
    assert_accessible(operator)
    for title, name in ((LETTER, "surat-usulan.pdf"), (PROPOSAL_DOC, "proposal.pdf")):
        section = document_section(operator, title)
        section.get_by_label(title).set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
        section.get_by_role("button", name=f"Unggah {title}").click()
        expect(messages(operator)).to_contain_text("versi 1")
    assert_accessible(operator)
    operator.get_by_role("link", name="Lanjutkan").click()

    operator.get_by_role("link", name="Periksa jawaban dan kirim").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Periksa jawaban sebelum mengirim usulan")
    warning = "setelah terkirim, usulan tidak dapat diubah kecuali diminta perbaikan"
    expect(operator.get_by_text(warning)).to_be_visible()
    assert_accessible(operator)
    screenshot(operator, "bantuan-check-answers", full_page=True)
    operator.get_by_role("button", name="Kirim usulan").click()

    expect(operator.get_by_role("heading", level=1)).to_have_text("Usulan terkirim")
    expect(operator.locator(".panel-code")).to_have_text(code)
    expect(operator.get_by_text("hari kerja sejak")).to_be_visible()
    assert_accessible(operator)
    operator.get_by_role("link", name="Lihat usulan yang terkirim").click()
    expect(operator.locator("main")).to_contain_text("Terkirim")
    assert_accessible(operator)

    # --- The planning officer distributes it --------------------------------------------------------------
    planner = log_in(new_page, bsps["planner"])
    planner.goto("/bantuan/tinjauan/")
    expect(planner.get_by_role("row").filter(has_text=code)).to_contain_text("Terkirim")
    assert_accessible(planner)
    planner.get_by_role("link", name=code).click()
    expect(planner.get_by_role("heading", name="Distribusikan")).to_be_visible()
    assert_accessible(planner)
    planner.goto("/bantuan/distribusi/")
    planner.get_by_label(f"Pilih {code}").check()
    planner.get_by_label("Direktorat teknis").select_option(label="Direktorat Rumah Swadaya")
    planner.get_by_label("Awalan nomor agenda").fill("AG/2031/")
    assert_accessible(planner)
    planner.get_by_role("button", name="Distribusikan usulan terpilih").click()
    expect(messages(planner)).to_contain_text("1 usulan didistribusikan")
    proposal.refresh_from_db()
    assert (proposal.case.state, proposal.agenda_number) == ("distributed", "AG/2031/001")

    # --- The directorate's verifier finds two documents incomplete ----------------------------------------
    verifier = log_in(new_page, bsps["verifier"])
    verifier.goto("/bantuan/tinjauan/")
    verifier.get_by_role("link", name=code).click()
    for title, note in ((LETTER, "Belum ditandatangani wali kota."), (PROPOSAL_DOC, "Peta lokasi tidak ada.")):
        section = document_section(verifier, title)
        section.get_by_label("Tidak lengkap").check()
        section.get_by_label("Keterangan").fill(note)
        section.get_by_role("button", name=f"Simpan verifikasi {title}").click()
        expect(messages(verifier)).to_contain_text("tersimpan")
    # A link to view the document in the browser: served inline, not sniffed.
    href = document_section(verifier, LETTER).get_by_role("link", name=f"Lihat berkas {LETTER}").get_attribute("href")
    response = verifier.request.get(href)
    assert response.ok and response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_accessible(verifier)
    verifier.evaluate("document.getElementById('documents-title').scrollIntoView(); window.scrollBy(0, -40)")
    screenshot(verifier, "bantuan-review")
    form_with_button(verifier, "Minta perbaikan").get_by_label("Pesan untuk pengusul (tidak wajib)").fill(
        "Lengkapi tanda tangan dan peta lokasi.")
    verifier.get_by_role("button", name="Minta perbaikan", exact=True).click()
    expect(messages(verifier)).to_contain_text("Minta perbaikan")
    proposal.refresh_from_db()
    assert proposal.case.state == "revision"

    # --- The operator replaces both and sends the revision -------------------------------------------------
    operator.goto(task_list_url)
    expect(operator.get_by_role("heading", name="Usulan diminta perbaikan")).to_be_visible()
    expect(operator.locator("main")).to_contain_text("Belum ditandatangani wali kota.")
    assert_accessible(operator)
    operator.get_by_role("link", name="Dokumen").click()
    for title, name in ((LETTER, "surat-usulan-ttd.pdf"), (PROPOSAL_DOC, "proposal-dengan-peta.pdf")):
        section = document_section(operator, title)
        expect(section.locator(".document-note")).to_be_visible()
        section.get_by_label(title).set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
        section.get_by_role("button", name=f"Ganti berkas {title}").click()
        expect(messages(operator)).to_contain_text("versi 2")
    operator.goto(f"/bantuan/{code}/periksa/")
    operator.get_by_role("button", name="Kirim perbaikan").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Perbaikan usulan terkirim")

    # --- The verifier sees what is new, passes it ------------------------------------------------------------
    verifier.goto(f"/bantuan/{code}/tinjau/")
    for title in (LETTER, PROPOSAL_DOC):
        section = document_section(verifier, title)
        expect(section.get_by_text("Baru", exact=True)).to_be_visible()
        section.get_by_label("Lengkap", exact=True).check()
        section.get_by_role("button", name=f"Simpan verifikasi {title}").click()
        expect(messages(verifier)).to_contain_text("tersimpan")
    verifier.get_by_role("button", name="Lolos verifikasi administrasi").click()
    expect(messages(verifier)).to_contain_text("tersimpan")

    # --- The province's field verifier visits both villages -----------------------------------------------
    field = log_in(new_page, bsps["field_verifier"])
    field.goto(f"/bantuan/{code}/tinjau/")
    for village, village_code in (("Sukarasa", "32.73.01.1001"), ("Gegerkalong", "32.73.01.1002")):
        visit = form_with_button(field, "Simpan kunjungan")
        visit.get_by_label("Tanggal kunjungan").fill(last_month)
        visit.get_by_label("Lokasi yang dikunjungi").select_option(label=f"{village} ({village_code})")
        visit.get_by_label("Lokasi di luar kawasan rawan bencana").check()
        visit.get_by_label("Status tanah tidak dalam sengketa").check()
        visit.get_by_label("Catatan kunjungan").fill(f"RTLH di {village} sesuai data.")
        visit.get_by_label("Layak", exact=True).check()
        visit.get_by_label("Foto 1 (tidak wajib)", exact=True).set_input_files(
            {"name": f"{village.lower()}.png", "mimeType": "image/png", "buffer": PNG})
        visit.get_by_label("Lintang foto 1 (tidak wajib)").fill("-6.8712")
        visit.get_by_label("Bujur foto 1 (tidak wajib)").fill("107.5901")
        if village == "Sukarasa":
            assert_accessible(field)
        visit.get_by_role("button", name="Simpan kunjungan").click()
        expect(messages(field)).to_contain_text("Kunjungan lapangan tercatat")
    assert FieldVisit.objects.filter(result="eligible").count() == 2
    field.get_by_role("button", name="Layak", exact=True).click()
    expect(messages(field)).to_contain_text("tersimpan")

    # --- The decision maker decides within the quota ------------------------------------------------------
    decider = log_in(new_page, bsps["decider"])
    decider.goto("/bantuan/tinjauan/")
    decider.get_by_role("link", name=code).click()
    decide = form_with_button(decider, "Tetapkan")
    expect(decide).to_contain_text("Sisa kuota tahun anggaran 2031: 100 unit.")
    decide.get_by_label("Unit ditetapkan").fill("18")
    decide.get_by_label("Nomor penetapan").fill("KEP-BSPS/2031/017")
    decide.get_by_label("Anggaran ditetapkan, Rp (tidak wajib)").fill("420000000")
    assert_accessible(decider)
    decider.evaluate("document.getElementById('tindakan').scrollIntoView(); window.scrollBy(0, -40)")
    screenshot(decider, "bantuan-decide")
    decide.get_by_role("button", name="Tetapkan").click()
    expect(messages(decider)).to_contain_text("tersimpan")
    proposal.refresh_from_db()
    assert (proposal.case.state, proposal.decided_units, proposal.decided_budget) == ("decided", 18, 420_000_000)

    # --- The verifier starts the implementation; the hand-over waits for the houses and the BAST -----------
    verifier.goto(f"/bantuan/{code}/tinjau/")
    verifier.get_by_role("button", name="Mulai pelaksanaan").click()
    expect(messages(verifier)).to_contain_text("tersimpan")
    verifier.get_by_role("button", name="Serah terima aset").click()
    expect(verifier.get_by_role("alert")).to_contain_text("Belum dapat diserahterimakan")
    implementation_walk(verifier, operator, proposal, today=timezone.localdate().isoformat())
    verifier.goto(f"/bantuan/{code}/tinjau/")
    verifier.get_by_role("button", name="Serah terima aset").click()
    expect(messages(verifier)).to_contain_text("tersimpan")
    proposal.refresh_from_db()
    assert (proposal.case.state, proposal.hand_over) == ("handed_over", "handed_over")

    operator.goto(task_list_url)
    expect(operator.locator("main")).to_contain_text("Serah terima")


def record(page, title, fields, button):
    """Open one recording form of the implementation page, fill it and save it."""
    panel = page.locator("details").filter(has=page.get_by_text(title, exact=True))
    panel.get_by_text(title, exact=True).click()
    for label, value in fields:
        field = panel.get_by_label(label, exact=True)
        if isinstance(value, dict):
            field.set_input_files(value)
        elif value is True:
            field.check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    panel.get_by_role("button", name=button).click()
    expect(messages(page)).to_contain_text("tercatat")


def house_photo(shade: int) -> bytes:
    """A real (decodable) 160×120 PNG, so the previous stage's photo shows on the page and in the guide."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((shade, 120, 80)) * 160 for _ in range(120))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 160, 120, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def implementation_walk(verifier, operator, proposal, *, today):
    """After "start implementation": the SK, a KPB, a TFL, a supplier, a purchase-plan line, a tranche, the
    0/50/100 % photos of every house (the operator reports them, the previous photo beside the upload) and
    the BAST, with the dashboard checked at its start and its end."""
    code = proposal.case.tracking_code
    houses = [f"{b.name}, {b.village.name}" for b in proposal.beneficiaries.select_related("village").order_by("name")]
    pdf = {"mimeType": "application/pdf", "buffer": PDF}

    verifier.get_by_role("link", name="Pelaksanaan dan serah terima").click()
    expect(verifier.get_by_role("heading", level=1)).to_have_text("Pelaksanaan dan serah terima")
    expect(verifier.locator("#syarat-serah-terima")).to_contain_text("BAST serah terima belum dicatat.")
    assert_accessible(verifier)
    record(verifier, "Catat SK penetapan penerima", [
        ("Nomor SK", "SK-PPK/BSPS/2031/07"), ("Tanggal SK", today), ("Pejabat penanda tangan", "PPK Rumah Swadaya"),
        ("Berkas SK", {**pdf, "name": "sk-penerima.pdf"}), *[(house, True) for house in houses],
    ], "Simpan SK")
    record(verifier, "Bentuk KPB", [("Nama KPB", "KPB Mawar"), *[(house, True) for house in houses],
                                    ("Ketua", houses[0])], "Simpan KPB")
    record(verifier, "Tambah TFL", [("Nama TFL", "Budi Santoso"), ("Nomor telepon", "0812 3456 7890"),
                                    ("KPB Mawar", True), ("Sukarasa", True)], "Simpan TFL")
    record(verifier, "Tambah penyedia bahan", [
        ("Nama toko/penyedia", "TB Sinar Jaya"), ("NPWP atau NIB", "01.234.567.8-901.000"),
        ("Alamat", "Jl. Setiabudi 10, Bandung")], "Simpan penyedia")
    record(verifier, "Tambah baris rencana pembelian", [
        ("KPB", "KPB Mawar"), ("Bahan", "Semen 50 kg"), ("Jumlah", "40"), ("Satuan", "sak"),
        ("Harga satuan (Rp)", "65000"), ("Penyedia", "TB Sinar Jaya")], "Simpan baris")
    record(verifier, "Catat tahap penyaluran", [
        ("Persentase (%)", "50"), ("Jumlah (Rp)", "210000000"), ("Tanggal penyaluran", today),
        ("Dibayarkan ke penyedia (tidak wajib)", "TB Sinar Jaya"), ("Bukti transfer", {**pdf, "name": "transfer.pdf"}),
    ], "Simpan tahap")

    # The operator reports each house's stages; from 50 % on, the previous photo is shown beside the upload.
    operator.goto(f"/bantuan/{code}/pelaksanaan/")
    for stage in (0, 50, 100):
        for house in houses:
            operator.get_by_role("link", name=f"Laporkan kemajuan {house}").click()
            expect(operator.get_by_role("heading", level=1)).to_have_text(house)
            expect(operator.get_by_label(f"{stage} %", exact=True)).to_be_checked()
            if stage:
                expect(operator.get_by_role("img", name=f"Foto tahap {stage - 50} % rumah {house}")).to_be_visible()
            operator.get_by_label("Foto rumah").set_input_files(
                {"name": f"rumah-{stage}.png", "mimeType": "image/png", "buffer": house_photo(80 + stage)})
            operator.get_by_label("Tanggal foto").fill(today)
            if stage == 50 and house == houses[0]:
                operator.get_by_label("Lintang (tidak wajib)").fill("-6.8712")
                operator.get_by_label("Bujur (tidak wajib)").fill("107.5901")
                assert_accessible(operator)
                screenshot(operator, "bantuan-pelaksanaan-foto", full_page=True)
            operator.get_by_role("button", name="Simpan laporan").click()
            expect(messages(operator)).to_contain_text(f"Kemajuan {stage} % tercatat")
    expect(operator.get_by_text("mencapai 100 %")).to_contain_text(f"{len(houses)} dari {len(houses)} rumah")

    verifier.reload()
    record(verifier, "Catat langkah serah terima", [
        ("Langkah", "Telah diterbitkan SK penghapusan dan BAST"), ("Nomor dokumen (wajib untuk BAST)", "BAST/2031/12"),
        ("Tanggal", today), ("Berkas (wajib untuk BAST)", {**pdf, "name": "bast.pdf"})], "Simpan langkah")
    expect(verifier.get_by_text("Siap diserahterimakan")).to_be_visible()
    assert_accessible(verifier)
    screenshot(verifier, "bantuan-pelaksanaan", full_page=True)
