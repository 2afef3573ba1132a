"""Any list as an XLSX download: a header row, column widths, a dated filename, at most EXPORT_MAX_ROWS rows.

A list page exports what it shows, through the same selector, so the export has the page's scope:

    columns = [Column(_("Nomor pelacakan"), lambda case: case.tracking_code, width=26), …]
    return xlsx_response(rows_by_page(lambda cursor, limit: my_selector(user, filters, cursor, limit)),
                         columns, name="kotak-masuk")

Rows are written with openpyxl's write-only mode into a temporary file (memory stays flat for a large list)
and the file is streamed to the client. Text that a spreadsheet would run as a formula (starting with
= + - @, or a tab or carriage return) is stored as plain text, never as a formula.
"""

import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAGE = 1000


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[object], object]
    width: int = 18  # characters


def rows_by_page(fetch: Callable[[str, int], tuple[list, str | None]], *, page: int = PAGE) -> Iterator:
    """Every item of a keyset-paginated selector, one page (one query) at a time.

    `fetch(cursor, limit)` returns (items, next cursor or None), as the list pages' selectors do."""
    cursor = ""
    while True:
        items, cursor = fetch(cursor, page)
        yield from items
        if not cursor:
            return


def _cell(sheet, value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime):
        # Excel has no time zones: the local wall-clock time, as the page shows it.
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl took it for a formula: keep it text
        cell.quotePrefix = True  # and keep it text when someone edits the cell
    return cell


def xlsx_response(items: Iterable, columns: list[Column], *, name: str) -> FileResponse:
    """An XLSX attachment named <name>-<YYYY-MM-DD>.xlsx with one row per item (at most EXPORT_MAX_ROWS).

    When the list is longer, the last row says so, and the user filters the list to get the rest."""
    limit = settings.EXPORT_MAX_ROWS
    if isinstance(items, QuerySet):
        items = items[: limit + 1].iterator(chunk_size=2000)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=name[:31])  # Excel's limit on a sheet name
    for index, column in enumerate(columns):
        worksheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, str(column.header))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for written, item in enumerate(itertools.islice(items, limit + 1)):
        if written == limit:
            worksheet.append([gettext("Daftar dipotong pada %(count)d baris: saring daftar untuk mengunduh sisanya.")
                              % {"count": limit}])
            break
        worksheet.append([_cell(worksheet, column.value(item)) for column in columns])
    output = tempfile.TemporaryFile(suffix=".xlsx")  # the response streams it, then closes it
    workbook.save(output)
    output.seek(0)
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
