"""Demo publications: three news items and one announcement, one of them with an image and an attachment."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sibaru.accounts.models import User
from sibaru.portal.models import Publication, PublicationAttachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

NEWS = [
    ("news", "bsps-2026-dibuka", "Usulan BSPS 2026 dibuka untuk pemerintah kabupaten/kota",
     "BSPS 2026 proposals open to regency and city governments",
     "Pemerintah kabupaten/kota dapat mengusulkan Bantuan Stimulan Perumahan Swadaya melalui SIBARU.",
     "Regency and city governments can propose self-help housing stimulus through SIBARU.",
     "Usulan diajukan secara daring lengkap dengan dokumen dan data calon penerima.\n\n"
     "Setiap usulan mendapat nomor pelacakan yang dapat dipantau di portal.",
     "Proposals are submitted online with their documents and the list of beneficiaries.\n\n"
     "Every proposal gets a tracking code that can be followed on the portal."),
    ("news", "serah-terima-rusun-bandung", "Serah terima Rumah Susun di Kota Bandung", "",
     "Rumah susun dua tower diserahterimakan kepada Pemerintah Kota Bandung.", "",
     "Rumah susun sewa sebanyak 116 unit siap dihuni oleh masyarakat berpenghasilan rendah.", ""),
    ("news", "sosialisasi-sibaru-jawa-barat", "Sosialisasi SIBARU kepada pemerintah daerah di Jawa Barat",
     "SIBARU outreach to local governments in West Java",
     "Operator pemda belajar mengusulkan bantuan dan menanggapi pengaduan secara daring.",
     "Local government operators learned to propose assistance and answer complaints online.",
     "Sosialisasi diikuti operator dari 27 kabupaten/kota.", "Operators from 27 regencies and cities took part."),
    ("announcement", "jadwal-layanan-libur-lebaran", "Jadwal layanan selama cuti bersama Idulfitri",
     "Service hours during the Eid collective leave",
     "Batas waktu layanan dihitung dalam hari kerja; cuti bersama tidak dihitung.",
     "Service deadlines count working days; collective leave days are not counted.",
     "Pengaduan dan permohonan informasi tetap dapat dikirim kapan saja melalui SIBARU.",
     "Complaints and information requests can still be sent at any time through SIBARU."),
]


def _picture() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (960, 540), (22, 88, 142)).save(buffer, format="PNG")
    return SimpleUploadedFile("rusun.png", buffer.getvalue(), content_type="image/png")


def seed_publications(domain: str) -> None:
    author = User.objects.get(email=f"admin@{domain}")
    now = timezone.now()
    for days_ago, (kind, slug, title_id, title_en, summary_id, summary_en, body_id, body_en) in enumerate(NEWS):
        item = Publication(kind=kind, slug=slug, title_id=title_id, title_en=title_en, summary_id=summary_id,
                           summary_en=summary_en, body_id=body_id, body_en=body_en, author=author, published=True,
                           publish_at=now - timedelta(days=days_ago * 3))
        if slug == "serah-terima-rusun-bandung":
            item.image = _picture()
            item.image_alt_id = "Gedung rumah susun dua tower berwarna biru"
        item.full_clean()
        item.save()
        if slug == "bsps-2026-dibuka":
            attachment = PublicationAttachment(publication=item, title="Petunjuk teknis BSPS 2026",
                                               file=SimpleUploadedFile("juknis.pdf", PDF))
            attachment.full_clean()
            attachment.save()
