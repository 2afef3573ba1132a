"""Letters and documents as PDF: the ministry's letterhead, a title, paragraphs, key-value fields, tables,
a QR code, page numbers and document metadata. Pure Python (fpdf2), so no system library is needed.

Every service builds its PDFs the same way, in the reader's language:

    with translation.override(language):
        document = Document(_("Tanda terima"), subject=tracking_code)
        document.fields([(_("Nomor pelacakan"), tracking_code), …])
        document.paragraph(_("Apa yang terjadi selanjutnya …"))
        document.qr_code(url, caption=url)
        pdf_bytes = document.render()

Text is passed already translated; the builder's own words (the footer) follow the language that was
active when the document was created. The bundled DejaVu Sans (core/fonts/) covers the characters
Indonesian text uses beyond Latin-1 (“ ” — ²).
"""

from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
LINE = 5.5  # mm, body line height
MUTED = (90, 90, 90)


class _Pages(FPDF):
    """FPDF with the page footer: when the document was made, and "page n of N"."""

    footer_text = ""
    page_label = ""

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        # fpdf2 replaces {nb} by the page count when the document is output.
        self.cell(0, 5, self.page_label % {"page": self.page_no(), "pages": "{nb}"}, align="R")
        self.set_text_color(0, 0, 0)


class Document:
    """One A4 document of the ministry. Build it with the methods below, in order, then `render()`."""

    def __init__(self, title: str, *, subject: str = "", keywords: str = ""):
        self.title = str(title)
        pdf = _Pages(format="A4", unit="mm")
        pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_margins(20, 18, 20)
        pdf.set_auto_page_break(True, margin=22)
        pdf.set_title(self.title)
        pdf.set_author(settings.MINISTRY_NAME)
        pdf.set_subject(str(subject) or self.title)
        pdf.set_keywords(str(keywords))
        pdf.set_creator("SIBARU")
        pdf.set_lang(translation.get_language() or settings.LANGUAGE_CODE)
        now = timezone.localtime()
        pdf.footer_text = gettext("Dibuat oleh SIBARU pada %(when)s") % {"when": date_format(now, "j F Y, H.i")}
        pdf.page_label = gettext("Halaman %(page)s dari %(pages)s")
        self.pdf = pdf
        pdf.add_page()
        self._letterhead()
        self.heading(self.title, size=14)

    def _letterhead(self):
        pdf = self.pdf
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(0, 6.5, settings.MINISTRY_NAME.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, settings.MINISTRY_UNIT, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*MUTED)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(0, 4.5, f"{settings.SITE_URL} · {settings.CONTACT_EMAIL} · {settings.CONTACT_PHONE}",
                       align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        y = pdf.get_y() + 2
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, y + 1, pdf.w - pdf.r_margin, y + 1)
        pdf.set_y(y + 6)

    def heading(self, text: str, *, size: float = 11.5) -> None:
        """A section heading (the title is the first, larger one), also a bookmark to navigate by."""
        pdf = self.pdf
        pdf.start_section(str(text), level=0 if size > 12 else 1)
        pdf.ln(2)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, size * 0.55, str(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def paragraph(self, text: str, *, small: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", 8.5 if small else 10)
        if small:
            pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, LINE - (1 if small else 0), str(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)

    def fields(self, rows: Iterable[tuple[str, object]]) -> None:
        """Label and value pairs, the label in bold on the left (a letter's "Nomor: …" block)."""
        self.pdf.set_font(FONT, "", 10)
        with self.pdf.table(col_widths=(35, 65), first_row_as_headings=False, borders_layout="NONE",
                            line_height=LINE, padding=(0.8, 1), text_align="LEFT") as table:
            for label, value in rows:
                row = table.row()
                row.cell(str(label), style=FontFace(emphasis="BOLD"))
                row.cell("" if value is None else str(value))
        self.pdf.ln(3)

    def table(self, headings: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[float] | None = None) -> None:
        """A ruled table with a heading row repeated on every page."""
        self.pdf.set_font(FONT, "", 9)
        with self.pdf.table(col_widths=tuple(widths) if widths else None, line_height=LINE - 0.5,
                            padding=1, text_align="LEFT", repeat_headings=1,
                            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235))) as table:
            heading = table.row()
            for text in headings:
                heading.cell(str(text))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell("" if value is None else str(value))
        self.pdf.ln(3)

    def qr_code(self, url: str, *, caption: str = "", size: float = 32) -> None:
        """A QR code of `url` (a PNG made by segno), with a caption beside it."""
        pdf = self.pdf
        image = BytesIO()
        segno.make(url, error="m").save(image, kind="png", scale=6, border=2)
        if pdf.will_page_break(size):
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(image, x=pdf.l_margin, y=top, w=size, h=size, alt_text=url, title=str(caption) or url)
        pdf.set_xy(pdf.l_margin + size + 4, top + 4)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.8, f"{caption}\n{url}" if caption else url, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), top + size) + 3)

    def render(self) -> bytes:
        return bytes(self.pdf.output())


def pdf_response(content: bytes, filename: str):
    """A PDF as a private download: never cached, never sniffed as something else."""
    from django.http import FileResponse

    response = FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
