"""The shared documents out: the PDF builder (text beyond Latin-1, metadata, page numbers, the QR code) and the
XLSX export (header, widths, formula neutralisation, the row cap), and the staff inbox's export through it."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sibaru.core.exports import Column, rows_by_page, xlsx_response
from sibaru.core.models import Case, Privacy
from sibaru.core.pdf import Document
from sibaru.core.services import case_apply_action
from sibaru.trial.services import trial_request_submit


def extract(content: bytes) -> tuple[PdfReader, str]:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(content))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def read_xlsx(response):
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    return workbook.active


# --- PDF --------------------------------------------------------------------------------------------------------


def test_a_document_has_the_letterhead_its_text_beyond_latin1_metadata_and_page_numbers(settings):
    settings.MINISTRY_NAME = "Kementerian Uji"
    with translation.override("id"):
        document = Document("Surat “uji” — luas 36 m²", subject="UJI-1", keywords="SIBARU UJI-1")
        document.fields([("Nomor pelacakan", "UJI2026ABC"), ("Luas lantai", "7,2 m²")])
        document.table(["Dokumen", "Catatan"], [(f"Dokumen {i}", "Tanda tangan “belum” ada — ulangi") for i in
                                                range(60)], widths=(40, 60))
        document.paragraph("Paragraf terakhir.")
        content = document.render()
    reader, text = extract(content)
    assert "KEMENTERIAN UJI" in text
    assert "Surat “uji” — luas 36 m²" in text and "7,2 m²" in text and "Tanda tangan “belum” ada — ulangi" in text
    assert "Dokumen 59" in text and "Paragraf terakhir." in text
    pages = len(reader.pages)
    assert pages >= 2
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    # The table's heading row is repeated on the next page.
    assert reader.pages[1].extract_text().count("Catatan") >= 1
    metadata = reader.metadata
    assert metadata.title == "Surat “uji” — luas 36 m²" and metadata.subject == "UJI-1"
    assert metadata.author == "Kementerian Uji" and metadata.creator == "SIBARU"
    assert "/Lang" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "id"
    # The title and the headings are bookmarks.
    assert reader.outline[0].title == "Surat “uji” — luas 36 m²"


def test_the_qr_code_is_an_image_with_its_address_beside_it():
    url = "https://sibaru.example.go.id/lacak/UJI2026ABCDEFGHJKMN/"
    document = Document("QR")
    document.qr_code(url, caption="Pindai untuk melacak")
    reader, text = extract(document.render())
    images = reader.pages[0].images
    assert len(images) == 1
    picture = images[0].image
    assert picture.width == picture.height > 100  # a square code, scale 6
    assert url in text and "Pindai untuk melacak" in text


def test_the_builder_speaks_the_language_active_when_it_was_made():
    with translation.override("en"):
        document = Document("Receipt")
    _reader, text = extract(document.render())
    # The catalogue may not translate the footer yet; what matters is that the language was taken then.
    assert "SIBARU" in text
    assert PdfReader(BytesIO(document.render())).trailer["/Root"]["/Lang"] == "en"


# --- XLSX -------------------------------------------------------------------------------------------------------


COLUMNS = [Column("Teks", lambda row: row[0], width=30), Column("Angka", lambda row: row[1], width=8),
           Column("Tanggal", lambda row: row[2])]


@pytest.mark.parametrize("dangerous", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1",
                                       '=HYPERLINK("http://jahat.example","klik")'])
def test_text_a_spreadsheet_would_run_is_kept_as_text(dangerous):
    sheet = read_xlsx(xlsx_response([(dangerous, -5, None)], COLUMNS, name="uji"))
    cell = sheet["A2"]
    assert cell.value == dangerous and cell.data_type == "s" and cell.quotePrefix
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"  # numbers stay numbers


def test_an_export_has_a_bold_header_widths_a_dated_name_and_typed_values():
    response = xlsx_response([("Satu", Decimal("1500000"), date(2031, 1, 2)), ("Dua", 2, None)], COLUMNS,
                             name="daftar")
    assert re.fullmatch(r'attachment; filename="daftar-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"])
    assert response["Cache-Control"] == "private, no-store"
    sheet = read_xlsx(response)
    assert [c.value for c in sheet[1]] == ["Teks", "Angka", "Tanggal"] and sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["B"].width == 8
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == 1500000 and sheet["C2"].value.date() == date(2031, 1, 2)
    assert sheet.max_row == 3


def test_an_export_stops_at_export_max_rows_and_says_so(settings):
    settings.EXPORT_MAX_ROWS = 2
    fetched = []

    def fetch(cursor, limit):
        start = int(cursor or 0)
        fetched.append(start)
        items = [(f"baris {i}", i, None) for i in range(start, min(start + limit, 10))]
        return items, (str(start + limit) if start + limit < 10 else None)

    sheet = read_xlsx(xlsx_response(rows_by_page(fetch, page=2), COLUMNS, name="uji"))
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:3]] == ["baris 0", "baris 1"]
    assert "dipotong pada 2 baris" in rows[3][0] and len(rows) == 4
    assert fetched == [0, 2]  # pages are read only as far as needed


# --- The staff inbox's export -------------------------------------------------------------------------------------


@pytest.fixture
def cases(people, orgs, regions):
    def submit(region, message):
        return trial_request_submit(name="Warga", email="", message=message, region=region)

    bandung = submit(regions["3273011001"], "Permintaan dari Bandung")
    semarang = submit(regions["3374"], "=Permintaan dari Semarang")
    handed = submit(regions["3273"], "Rahasia: nama pelapor Budi")
    case_apply_action(case=handed, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    Case.objects.filter(pk=handed.pk).update(privacy=Privacy.CONFIDENTIAL)
    return {"bandung": bandung, "semarang": semarang, "handed": handed}


@pytest.mark.django_db
def test_the_inbox_exports_the_users_scope_with_the_pages_filters(client, people, cases,
                                                                  django_assert_max_num_queries):
    url = reverse("workspace:inbox")
    client.force_login(people["province_monitor"])
    page = client.get(url, {"state": "received", "q": "Bandung"}).content.decode()
    assert "?state=received&amp;q=Bandung&amp;format=xlsx" in page
    with django_assert_max_num_queries(5):
        response = client.get(url, {"format": "xlsx"})
    assert re.fullmatch(r'attachment; filename="kotak-masuk-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"])
    sheet = read_xlsx(response)
    header = [c.value for c in sheet[1]]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    # West Java's monitor: the Bandung cases, not Semarang's.
    assert set(rows) == {cases["bandung"].tracking_code, cases["handed"].tracking_code}
    assert rows[cases["bandung"].tracking_code]["Perihal"] == "Permintaan dari Bandung"
    assert rows[cases["bandung"].tracking_code]["Status"] == "Diterima"
    # A confidential case's subject may name the reporter: it is left out.
    assert rows[cases["handed"].tracking_code]["Perihal"] is None
    assert rows[cases["handed"].tracking_code]["Unit penanggung jawab"] == "Bagian Humas"

    filtered = read_xlsx(client.get(url, {"state": "received", "format": "xlsx"}))
    assert [row[0] for row in filtered.iter_rows(min_row=2, values_only=True)] == [cases["bandung"].tracking_code]

    client.force_login(people["coordinator"])
    everything = read_xlsx(client.get(url, {"format": "xlsx"}))
    by_code = {row[0].value: row for row in everything.iter_rows(min_row=2)}
    assert len(by_code) == 3
    assert by_code[cases["semarang"].tracking_code][2].data_type == "s"  # "=Permintaan …" stays text

    client.force_login(people["outsider"])
    assert client.get(url, {"format": "xlsx"}).status_code == 403
