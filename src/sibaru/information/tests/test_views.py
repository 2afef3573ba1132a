"""The pages through Django's test client: the request form and receipt, the PPID's page (identity on demand,
logged), the answer with an exempt part, the requester's private page, objection, superior, registers, report."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sibaru.core.models import Case, Event
from sibaru.information.models import CatalogueEntry, InformationRequest, Objection
from sibaru.information.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"requester_type": "person", "name": "Rina Jurnalis", "id_number": "3273014506900002",
            "address": "Jl. Braga 1", "email": "rina@example.test", "information": "Laporan keuangan 2025",
            "purpose": "Liputan", "obtain": "copy", "delivery": "email", "submission_id": "s1",
            "identity_document": SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_whole_path_through_the_pages(client, ppid, orgs, django_assert_max_num_queries):
    entry = CatalogueEntry.objects.create(title="Laporan keuangan 2025", summary="Diaudit.", info_class="periodic",
                                          unit=orgs["unit"], retention="10 tahun", updated_on=date(2026, 2, 2))
    assert client.get(reverse("information:submit") + "?q=keuangan").status_code == 200

    response = client.post(reverse("information:submit"), form_data(identity_document=None))
    assert response.status_code == 400 and "Ada masalah" in response.content.decode()
    assert not Case.objects.exists()

    response = client.post(reverse("information:submit"), form_data(), follow=True)
    page = response.content.decode()
    assert "Permohonan terdaftar" in page and entry.title in page
    private_url = re.search(r'value="(http://testserver/informasi/permohonan/[^"]+)"', page).group(1)
    info = InformationRequest.objects.get()
    code = info.case.tracking_code
    # The same form sent again (a double click) registers nothing new.
    client.post(reverse("information:submit"), form_data())
    assert InformationRequest.objects.count() == 1

    staff = client.__class__()
    staff.force_login(ppid["officer"])
    assert "Buka halaman PPID" in staff.get(reverse("workspace:case", args=[code])).content.decode()
    assert client.get(reverse("portal:track_case", args=[code])).status_code == 200
    with django_assert_max_num_queries(30):
        page = staff.get(reverse("information:manage", args=[code])).content.decode()
    assert info.registration_number in page and "3273014506900002" not in page
    page = staff.post(reverse("information:manage_action", args=[code]), {"op": "identity"}).content.decode()
    assert "3273014506900002" in page
    assert Event.objects.filter(case=info.case, action="identity_viewed", public=False).count() == 1

    url = reverse("information:manage_action", args=[code])
    response = staff.post(url, {"op": "extend", "extend-reason": "Masih dihimpun."})
    assert response.status_code == 302
    response = staff.post(url, {"op": "extend", "extend-reason": "Lagi."}, follow=True)
    assert "satu kali" in response.content.decode()
    parts = {"parts-TOTAL_FORMS": "2", "parts-INITIAL_FORMS": "0", "parts-0-description": "NIK penerima",
             "parts-0-ground": "h3", "parts-0-consequence": ""}
    response = staff.post(url, {"op": "answer", "answer-outcome": "partly_granted", "answer-note": "Sebagian.",
                                **parts})
    assert response.status_code == 400 and "uji konsekuensi" in response.content.decode()
    parts["parts-0-consequence"] = "Data pribadi."
    response = staff.post(url, {"op": "answer", "answer-outcome": "partly_granted", "answer-note": "Sebagian.",
                                **parts})
    assert response.status_code == 302

    anonymous = client.__class__()
    with django_assert_max_num_queries(20):
        page = anonymous.get(private_url).content.decode()
    assert "Diberikan sebagian" in page and "Pasal 17 huruf h angka 3" in page and "Masih dihimpun." in page
    assert anonymous.get(private_url.replace("sbi_", "sbi_x")).status_code == 404
    response = anonymous.post(private_url + "keberatan/", {"ground": "", "statement": "", "submission_id": "o1"})
    assert response.status_code == 400
    response = anonymous.post(private_url + "keberatan/", {"ground": "a", "statement": "Bukan rahasia.",
                                                           "submission_id": "o1"})
    assert response.status_code == 302
    objection = Objection.objects.get()

    superior = client.__class__()
    superior.force_login(ppid["superior"])
    objection_url = reverse("information:manage_objection", args=[objection.case.tracking_code])
    assert superior.get(objection_url).status_code == 200
    assert staff.post(objection_url, {"outcome": "upheld", "response": "x"}).status_code == 403
    response = superior.post(objection_url, {"outcome": "upheld", "response": "Dikuatkan."})
    assert response.status_code == 302
    assert "Menguatkan keputusan PPID" in anonymous.get(private_url).content.decode()

    for name in ("register_requests", "register_objections", "report"):
        assert staff.get(reverse(f"information:{name}") + "?year=2026").status_code == 200
        response = staff.get(reverse(f"information:{name}") + "?year=2026&format=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = staff.get(reverse("information:report") + "?year=2026&format=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert anonymous.get(reverse("information:catalogue") + "?q=keuangan").status_code == 200
    assert anonymous.get(reverse("information:catalogue_entry", args=[entry.pk])).status_code == 200


def test_registers_are_for_the_ppid_only(client, people, ppid):
    client.force_login(people["unit_officer"])
    assert client.get(reverse("information:register_requests")).status_code == 403
    client.force_login(people["evaluator"])
    assert client.get(reverse("information:register_requests")).status_code == 403
    assert client.get(reverse("information:report")).status_code == 200
