"""The objection register's last column, "tanggapan pemohon" (Perki 1/2021): what the requester did after the
superior's response, as the PPID records it on the objection page; in the register page and its workbook."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from sibaru.core.models import Event
from sibaru.core.services import ActionNotAllowed
from sibaru.information import exports, selectors, services
from sibaru.information.models import Objection

pytestmark = pytest.mark.django_db

PART = {"description": "NIK dan alamat penerima", "ground": "h3", "consequence": "Membuka data pribadi penerima."}


@pytest.fixture
def objection(submit, clock, ppid):
    """An objection filed on 25 March 2026 against a refusal, not yet decided."""
    clock(2026, 3, 17)
    case, _token = submit()
    clock(2026, 3, 25)
    services.info_request_answer(request=case.information_request, user=ppid["officer"], outcome="refused",
                                 exempt_parts=[PART])
    case.information_request.refresh_from_db()
    objection_case = services.info_objection_submit(request=case.information_request, ground="a",
                                                    statement="Data agregat bukan data pribadi.")
    return objection_case.information_objection


def decide(objection, ppid, clock):
    clock(2026, 4, 1)
    services.info_objection_decide(objection=objection, user=ppid["superior"], outcome="upheld",
                                   response="Keputusan PPID dikuatkan.")
    return Objection.objects.select_related("case").get(pk=objection.pk)


def register_cell(objection) -> str:
    (row,) = selectors.objection_register(selectors.Period(2026, 1))
    return exports.objection_row(row)[-1]


def test_the_column_is_empty_while_undecided_and_says_so_when_nothing_was_recorded(objection, ppid, clock):
    assert register_cell(objection) == ""
    decide(objection, ppid, clock)
    assert register_cell(objection) == "Belum ada tanggapan pemohon yang tercatat"


def test_a_dispute_to_the_komisi_informasi_is_recorded_with_its_date_and_note_and_an_internal_event(
        objection, ppid, clock):
    objection = decide(objection, ppid, clock)
    clock(2026, 4, 15)
    services.info_objection_response_record(objection=objection, user=ppid["officer"], response="dispute",
                                            responded_on=date(2026, 4, 14), note="Registrasi KIP 012/IV/2026.")
    assert register_cell(objection) == ("Mengajukan sengketa ke Komisi Informasi, Selasa, 14 April 2026. "
                                        "Registrasi KIP 012/IV/2026.")
    event = Event.objects.get(case=objection.case, action="requester_response")
    assert (event.public, event.actor, event.data["response"]) == (False, ppid["officer"], "dispute")

    # A later record replaces the earlier one.
    services.info_objection_response_record(objection=objection, user=ppid["superior"], response="accepted",
                                            responded_on=date(2026, 4, 15))
    assert register_cell(objection) == "Menerima tanggapan atasan PPID, Rabu, 15 April 2026"


@pytest.mark.parametrize(("response", "responded_on", "field"), [
    ("", date(2026, 4, 2), "response"),
    ("gugatan", date(2026, 4, 2), "response"),
    ("dispute", None, "responded_on"),
    ("dispute", date(2026, 3, 31), "responded_on"),  # before the superior's response
    ("dispute", date(2026, 4, 16), "responded_on"),  # tomorrow
])
def test_bad_input_is_refused_and_nothing_changes(objection, ppid, clock, response, responded_on, field):
    objection = decide(objection, ppid, clock)
    clock(2026, 4, 15)
    with pytest.raises(ValidationError) as error:
        services.info_objection_response_record(objection=objection, user=ppid["officer"], response=response,
                                                responded_on=responded_on)
    assert set(error.value.message_dict) == {field}
    objection.refresh_from_db()
    assert (objection.requester_response, objection.requester_response_on) == ("", None)
    assert not Event.objects.filter(action="requester_response").exists()


def test_only_the_ppid_records_it_and_only_after_the_superior_responded(objection, ppid, people, clock):
    with pytest.raises(ActionNotAllowed):
        services.info_objection_response_record(objection=objection, user=ppid["officer"], response="accepted",
                                                responded_on=date(2026, 3, 26))
    objection = decide(objection, ppid, clock)
    for user in (people["unit_officer"], people["coordinator"], people["outsider"]):
        with pytest.raises(PermissionDenied):
            services.info_objection_response_record(objection=objection, user=user, response="accepted",
                                                    responded_on=date(2026, 4, 1))
    assert Objection.objects.get(pk=objection.pk).requester_response == ""


def test_the_ppid_records_it_on_the_objection_page_and_the_register_and_workbook_show_it(
        client, objection, ppid, clock, django_assert_max_num_queries):
    url = reverse("information:manage_objection", args=[objection.case.tracking_code])
    client.force_login(ppid["officer"])
    assert "Catat tanggapan pemohon" not in client.get(url).content.decode()  # not before the decision
    decide(objection, ppid, clock)
    clock(2026, 4, 15)
    client.force_login(ppid["officer"])  # a fresh session: the clock moved past the first one's expiry
    page = client.get(url).content.decode()
    assert "Catat tanggapan pemohon" in page and "Belum tercatat" in page

    response = client.post(url, {"op": "requester_response", "response-response": "dispute",
                                 "response-responded_on": "2026-03-01"})
    page = response.content.decode()
    assert response.status_code == 400 and "Ada masalah" in page and "tanggal tanggapan atasan PPID" in page
    assert Objection.objects.get(pk=objection.pk).requester_response == ""

    response = client.post(url, {"op": "requester_response", "response-response": "dispute",
                                 "response-responded_on": "2026-04-14", "response-note": "Registrasi KIP 012."})
    assert response.status_code == 302
    assert Objection.objects.get(pk=objection.pk).outcome == "upheld"  # the decision is untouched
    assert "Mengajukan sengketa ke Komisi Informasi (14 April 2026)" in client.get(url).content.decode()

    register = reverse("information:register_objections") + "?year=2026&semester=1"
    with django_assert_max_num_queries(12):
        page = client.get(register).content.decode()
    assert "Mengajukan sengketa ke Komisi Informasi, Selasa, 14 April 2026. Registrasi KIP 012." in page
    sheet = load_workbook(BytesIO(client.get(register + "&format=xlsx").content)).active
    assert sheet.cell(1, sheet.max_column).value == "Tanggapan pemohon"
    assert sheet.cell(2, sheet.max_column).value.startswith("Mengajukan sengketa ke Komisi Informasi")


def test_the_unit_may_not_record_it(client, objection, ppid, people, clock):
    decide(objection, ppid, clock)
    client.force_login(people["unit_officer"])
    url = reverse("information:manage_objection", args=[objection.case.tracking_code])
    response = client.post(url, {"op": "requester_response", "response-response": "accepted",
                                 "response-responded_on": "2026-04-01"})
    assert response.status_code in (403, 404)
    assert Objection.objects.get(pk=objection.pk).requester_response == ""
