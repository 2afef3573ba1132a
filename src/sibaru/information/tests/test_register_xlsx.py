"""The request register's XLSX holds what the public typed as text, never as a formula (formula injection)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_a_typed_formula_stays_text_in_the_register(client, ppid, submit):
    case, _token = submit(name="=HYPERLINK(\"http://evil.example\",\"klik\")", information="+62 811 000")
    info = case.information_request
    client.force_login(ppid["officer"])
    url = reverse("information:register_requests") + f"?year={info.received_on.year}&format=xlsx"
    sheet = load_workbook(BytesIO(client.get(url).content)).active
    cells = {cell.value: cell for cell in sheet[2]}
    for typed in (info.name, info.information):
        assert cells[typed].data_type == "s", typed
        assert cells[typed].quotePrefix
