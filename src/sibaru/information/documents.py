"""The receipt of an information request as a PDF (Perki 1/2021: the requester gets a registration number and
a receipt at once): what was asked, how it will be given, and by when, in the requester's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sibaru.core.pdf import Document
from sibaru.information import selectors
from sibaru.information.models import InformationRequest


def request_receipt_pdf(info: InformationRequest, *, language: str) -> bytes:
    code = info.case.tracking_code
    tracking_url = settings.SITE_URL.rstrip("/") + reverse("portal:track_case", args=[code])
    with translation.override(language):
        clock = selectors.request_clock(info)
        document = Document(_("Tanda bukti penerimaan permohonan informasi publik"), subject=code)
        document.fields([
            (_("Nomor pendaftaran"), info.registration_number),
            (_("Nomor pelacakan"), code),
            (_("Tanggal diterima"), date_format(info.received_on, "j F Y")),
            (_("Nama pemohon"), info.name),
            (_("Cara memperoleh informasi"), info.get_obtain_display()),
            (_("Cara mendapatkan salinan"), info.get_delivery_display()),
        ])
        document.heading(_("Informasi yang diminta"))
        document.paragraph(info.information)
        document.heading(_("Batas waktu"))
        for deadline in clock.deadlines:
            document.paragraph(f"{deadline.label}: {date_format(deadline.due, 'l, j F Y')}. {deadline.explanation}")
        document.paragraph(_("Biaya hanya dikenakan untuk salinan, sesuai biaya nyata; melihat dan membaca tidak "
                             "dipungut biaya. Bila permohonan tidak dijawab atau ditolak, Anda dapat mengajukan "
                             "keberatan kepada atasan PPID."), small=True)
        document.qr_code(tracking_url, caption=_("Pindai untuk melihat status permohonan."))
        return document.render()


def request_receipt_filename(info: InformationRequest) -> str:
    return f"tanda-terima-{info.case.tracking_code}.pdf"
