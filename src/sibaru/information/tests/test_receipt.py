"""The receipt a requester gets at once (Perki 1/2021): a PDF behind the private link, never without it."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from sibaru.information.models import InformationRequest
from sibaru.information.selectors import request_clock
from sibaru.information.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def test_the_receipt_names_the_request_and_its_deadline_and_needs_the_private_link(client, ppid,
                                                                                    django_assert_max_num_queries):
    page = client.post(reverse("information:submit"), form_data(), follow=True).content.decode()
    receipt_url = re.search(r'href="(/informasi/permohonan/[^"]+/tanda-terima/)"', page).group(1)
    info = InformationRequest.objects.select_related("case").get()

    with django_assert_max_num_queries(4):
        response = client.get(receipt_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(b"".join(response.streaming_content))).pages)
    text = re.sub(r"\s+", " ", text)
    assert info.registration_number in text and info.case.tracking_code in text
    assert "Laporan keuangan 2025" in text
    assert date_format(request_clock(info).effective_due, "j F Y") in text

    forged = receipt_url.replace(receipt_url.split("/")[-3], "x" * 43)
    assert client.get(forged).status_code == 404
