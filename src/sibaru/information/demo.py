"""Demo data for Informasi Publik: Daftar Informasi Publik entries and sample requests (demo mode only).

The PPID officer (ppid@…) and superior (atasan.ppid@…) accounts are created with the other demo accounts."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from sibaru.accounts.models import Organisation, User
from sibaru.core.attachments import check_upload
from sibaru.information import services
from sibaru.information.models import CatalogueEntry, ExemptionGround, InfoClass

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ENTRIES = [
    ("Profil dan struktur organisasi Direktorat Jenderal Perumahan", InfoClass.PERIODIC, "Permanen", True),
    ("Laporan keuangan tahun 2025", InfoClass.PERIODIC, "10 tahun", True),
    ("Peringatan dini banjir di lokasi rumah susun", InfoClass.IMMEDIATE, "1 tahun", False),
    ("Rekapitulasi penerima BSPS per kabupaten/kota 2025", InfoClass.ANY_TIME, "10 tahun", True),
    ("Rencana awal pembelian tanah untuk rumah susun 2027", InfoClass.EXEMPT, "Sampai pengadaan selesai", False),
]


def seed_information(domain: str) -> None:
    unit = Organisation.objects.get(email=f"public_relations@{domain}")
    officer = User.objects.get(email=f"ppid@{domain}")
    land_ground = ExemptionGround.objects.get(code="e4")
    entries = []
    for title, info_class, retention, with_document in ENTRIES:
        entry = CatalogueEntry(
            title=title, summary=title + ".", info_class=info_class, unit=unit, retention=retention,
            responsible="PPID Direktorat Jenderal Perumahan", updated_on=date(2026, 1, 15),
            next_update_due=date(2026, 7, 15) if info_class == InfoClass.PERIODIC else None,
            exemption_ground=land_ground if info_class == InfoClass.EXEMPT else None,
            consequence="Membuka rencana awal akan menaikkan harga tanah." if info_class == InfoClass.EXEMPT else "",
        )
        if with_document:
            entry.document.save(f"dip-{len(entries) + 1}.pdf", ContentFile(PDF), save=False)
        entry.save()
        entries.append(entry)

    def request(name, information, obtain="copy"):
        case, _token = services.info_request_submit(
            requester_type="person", name=name, id_number="3273014506900002", address="Jl. Asia Afrika 8, Bandung",
            email="", phone="081234567890", information=information, purpose="Bahan liputan", obtain=obtain,
            delivery="email",
            identity_document=check_upload(SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf")),
        )
        return case.information_request

    request("Rina Jurnalis", "Jadwal penyaluran BSPS di Kota Bandung tahun 2026")
    assigned = request("Yayasan Rumah Layak", "Hasil verifikasi lapangan rumah susun Jawa Barat 2025")
    services.info_request_assign(request=assigned, user=officer, unit=unit, note="Mohon disiapkan.")
    answered = request("Budi Peneliti", "Rekapitulasi penerima BSPS 2025 beserta NIK penerima")
    services.info_request_answer(
        request=answered, user=officer, note="Rekapitulasi diberikan tanpa NIK.", outcome="partly_granted",
        material="Rekapitulasi per kabupaten/kota.",
        exempt_parts=[{"description": "NIK penerima", "ground": "h3",
                       "consequence": "Membuka data pribadi dan kondisi keuangan penerima."}],
        copy_pages=4, copy_medium="page",
    )
