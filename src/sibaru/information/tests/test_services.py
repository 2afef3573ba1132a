"""Information requests through the case engine: deadlines on the 2026 calendar, one extension, the
written notice with exempt parts, fees for copies only, objections within their window."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sibaru.core.models import Attachment, Case, Event
from sibaru.core.services import ActionNotAllowed
from sibaru.information import selectors, services
from sibaru.information.models import InformationRequest, Objection, Outcome

pytestmark = pytest.mark.django_db

PART = {"description": "NIK dan alamat penerima", "ground": "h3", "consequence": "Membuka data pribadi penerima."}


def test_a_request_gets_a_registration_number_a_token_and_a_deadline_across_idul_fitri_2026(submit, clock):
    clock(2026, 3, 17)
    case, token = submit()
    info = case.information_request
    assert info.registration_number == "00001/PPID/2026"
    assert token.startswith("sbi_") and info.token_hash != token
    # 18–24 March are Nyepi, Idul Fitri and cuti bersama: the 10th working day is 8 April (domain.md §6.4).
    assert case.due_date == date(2026, 4, 8)
    explained = selectors.request_clock(info).deadlines[0]
    assert explained.due == date(2026, 4, 8) and "Idul Fitri" in explained.explanation
    assert info.identity_document.case_id == case.pk
    assert services.info_request_by_token(tracking_code=case.tracking_code, token=token) == info
    assert services.info_request_by_token(tracking_code=case.tracking_code, token="sbi_wrong") is None


@pytest.mark.parametrize(("overrides", "field"), [
    ({"identity_document": None}, "identity_document"),
    ({"id_number": ""}, "id_number"),
    ({"id_number": "12345"}, "id_number"),
    ({"proxy_name": "Kuasa Hukum"}, "power_of_attorney"),
    ({"email": "", "phone": ""}, "email"),
])
def test_missing_identity_is_refused_and_nothing_is_saved(submit, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(**overrides)
    assert field in error.value.message_dict
    assert (Case.objects.count(), Attachment.objects.count(), InformationRequest.objects.count()) == (0, 0, 0)


def test_the_same_submission_twice_makes_one_request(submit):
    first, token = submit(idempotency_key="k1")
    again, second_token = submit(idempotency_key="k1")
    assert again.pk == first.pk and second_token is None
    assert InformationRequest.objects.count() == 1


def test_assigning_keeps_the_legal_deadline_and_extension_is_allowed_once(submit, clock, ppid, orgs):
    clock(2026, 3, 17)
    case, _token = submit()
    info = case.information_request
    clock(2026, 3, 26)
    services.info_request_assign(request=info, user=ppid["officer"], unit=orgs["unit"])
    case.refresh_from_db()
    assert (case.state, case.handler, case.due_date) == ("in_process", orgs["unit"], date(2026, 4, 8))
    services.info_request_extend(request=info, user=ppid["officer"], reason="Informasi belum terdokumentasi.")
    case.refresh_from_db()
    assert case.extended_due_date == date(2026, 4, 17)  # 7 working days after 8 April (no holiday between)
    info.refresh_from_db()
    with pytest.raises(ActionNotAllowed, match="satu kali"):
        services.info_request_extend(request=info, user=ppid["officer"], reason="Lagi.")
    assert Event.objects.filter(case=case, action="extend").count() == 1
    extend = Event.objects.get(case=case, action="extend")
    assert extend.public and extend.note == "Informasi belum terdokumentasi."
    assert [d.due for d in selectors.request_clock(info).deadlines] == [date(2026, 4, 8), date(2026, 4, 17)]


def test_overdue_and_very_overdue_follow_the_effective_deadline(submit, clock):
    clock(2026, 3, 17)
    case, _token = submit()
    info = case.information_request
    assert selectors.request_clock(info, today=date(2026, 4, 8)).status == "on_time"
    assert selectors.request_clock(info, today=date(2026, 4, 9)).status == "overdue"
    assert selectors.request_clock(info, today=date(2026, 4, 20)).status == "very_overdue"


def test_a_partial_grant_keeps_each_exempt_part_with_its_ground_and_consequence_test(submit, ppid, settings):
    case, _token = submit()
    info = case.information_request
    services.info_request_answer(request=info, user=ppid["officer"], note="Terlampir.", outcome="partly_granted",
                                 material="Daftar penerima tanpa NIK", exempt_parts=[PART],
                                 copy_pages=12, copy_medium="page")
    case.refresh_from_db()
    assert case.state == "answered" and case.closed_at
    decision = info.decision
    assert decision.fee == 12 * settings.INFORMATION_COPY_FEES["page"]
    part = decision.exempt_parts.get()
    assert (part.ground.code, part.consequence) == ("h3", PART["consequence"])
    assert Event.objects.get(case=case, action="answer").data["exempt_parts"][0]["ground"] == "h3"


@pytest.mark.parametrize(("decision", "field"), [
    ({"outcome": "refused"}, "exempt_parts"),
    ({"outcome": "refused", "exempt_parts": [{"description": "Semua", "ground": "", "consequence": ""}]},
     "exempt_parts.0.ground"),
    ({"outcome": "partly_granted", "exempt_parts": [{**PART, "consequence": ""}]}, "exempt_parts.0.consequence"),
    ({"outcome": "already_public"}, "catalogue_entry"),
])
def test_a_refusal_without_a_ground_or_test_is_refused_and_nothing_changes(submit, ppid, decision, field):
    case, _token = submit()
    with pytest.raises(ValidationError) as error:
        services.info_request_answer(request=case.information_request, user=ppid["officer"], **decision)
    assert field in error.value.message_dict
    case.refresh_from_db()
    assert case.state == "registered"
    assert not Event.objects.filter(case=case, action="answer").exists()


def test_a_fee_on_a_view_only_request_is_refused(submit, ppid):
    case, _token = submit(obtain="view")
    with pytest.raises(ValidationError, match="hanya ingin melihat"):
        services.info_request_answer(request=case.information_request, user=ppid["officer"], outcome="granted",
                                     copy_pages=3, copy_medium="page")
    case.refresh_from_db()
    assert case.state == "registered"


def test_a_fee_is_paid_once_with_a_receipt(submit, ppid, people):
    case, _token = submit()
    info = case.information_request
    services.info_request_answer(request=info, user=ppid["officer"], outcome="granted", copy_pages=2,
                                 copy_medium="page")
    with pytest.raises(PermissionDenied):
        services.info_fee_record_payment(request=info, user=people["unit_officer"])
    decision = services.info_fee_record_payment(request=info, user=ppid["officer"])
    assert decision.fee_receipt_number.startswith("KW/")
    with pytest.raises(ActionNotAllowed):
        services.info_fee_record_payment(request=info, user=ppid["officer"])


def test_viewing_the_identity_is_logged_and_only_the_ppid_may(submit, ppid, people, orgs):
    case, _token = submit()
    info = case.information_request
    services.info_request_assign(request=info, user=ppid["officer"], unit=orgs["unit"])
    with pytest.raises(PermissionDenied):
        services.info_request_identity_view(request=info, user=people["unit_officer"])
    services.info_request_identity_view(request=info, user=ppid["officer"])
    event = Event.objects.get(case=case, action="identity_viewed")
    assert (event.public, event.actor) == (False, ppid["officer"])


def test_an_objection_within_30_working_days_goes_to_the_superior_who_decides(submit, clock, ppid):
    clock(2026, 3, 17)
    case, _token = submit()
    info = case.information_request
    with pytest.raises(ActionNotAllowed, match="masih dalam batas waktu"):
        services.info_objection_submit(request=info, ground="c", statement="Belum dijawab.")
    clock(2026, 3, 25)
    services.info_request_answer(request=info, user=ppid["officer"], outcome="refused", exempt_parts=[PART])
    info = InformationRequest.objects.get(pk=info.pk)
    with pytest.raises(ValidationError) as error:
        services.info_objection_submit(request=info, ground="", statement="")
    assert set(error.value.message_dict) == {"ground", "statement"}
    objection_case = services.info_objection_submit(request=info, ground="a", statement="Data agregat bukan pribadi.")
    objection = objection_case.information_objection
    assert objection.ground_arose_on == date(2026, 3, 25)
    assert objection_case.due_date == date(2026, 5, 8)  # 30 working days, not counting Good Friday and 1 May
    assert Event.objects.filter(case=case, action="objection_filed").exists()
    with pytest.raises(PermissionDenied):
        services.info_objection_decide(objection=objection, user=ppid["officer"], outcome="upheld", response="x")
    clock(2026, 4, 1)
    services.info_objection_decide(objection=objection, user=ppid["superior"], outcome="partly",
                                   response="Data agregat diberikan.")
    objection = Objection.objects.get(pk=objection.pk)
    deadlines = selectors.objection_deadlines(objection)
    assert deadlines[1].due == date(2026, 4, 22)  # Komisi Informasi: 14 working days (3 April is Good Friday)


def test_an_objection_after_its_deadline_is_refused(submit, clock, ppid):
    clock(2026, 3, 17)
    case, _token = submit()
    info = case.information_request
    services.info_request_answer(request=info, user=ppid["officer"], outcome="refused", exempt_parts=[PART])
    clock(2026, 5, 8)  # 30 working days after 17 March (past Idul Fitri) end on 7 May
    info = InformationRequest.objects.get(pk=info.pk)
    with pytest.raises(ActionNotAllowed, match="sudah lewat"):
        services.info_objection_submit(request=info, ground="a", statement="Terlambat.")
    assert not Objection.objects.exists()


def test_the_semester_report_counts_requests_outcomes_grounds_and_objections(submit, clock, ppid):
    clock(2026, 3, 17)
    first, _t = submit()
    second, _t = submit(information="Rencana pembelian tanah rusun")
    submit(information="Belum dijawab")
    services.info_request_answer(request=first.information_request, user=ppid["officer"], outcome="partly_granted",
                                 exempt_parts=[PART])
    services.info_request_answer(request=second.information_request, user=ppid["officer"], outcome="refused",
                                 exempt_parts=[{**PART, "ground": "e4"}])
    services.info_objection_submit(request=InformationRequest.objects.get(case=first), ground="a", statement="x")
    report = selectors.ppid_report(selectors.Period(2026, 1))
    assert (report.received, report.answered, report.open, report.objections) == (3, 2, 1, 1)
    outcomes = dict(report.by_outcome)
    assert outcomes[Outcome.PARTLY_GRANTED.label] == 1 and outcomes[Outcome.REFUSED.label] == 1
    assert dict(report.refusal_grounds) == {"h3": 1, "e4": 1}
    assert selectors.ppid_report(selectors.Period(2026, 2)).received == 0


def test_reminders_of_the_annual_report_and_periodic_updates_are_sent_once(ppid, people, orgs):
    from sibaru.core.models import Notification
    from sibaru.information.models import CatalogueEntry

    CatalogueEntry.objects.create(title="Profil pimpinan", summary="x", info_class="periodic", unit=orgs["unit"],
                                  retention="5 tahun", updated_on=date(2025, 9, 1), next_update_due=date(2026, 3, 1))
    assert services.info_reminders_send(today=date(2026, 1, 10)) == 0
    assert services.info_reminders_send(today=date(2026, 3, 2)) == 2
    assert services.info_reminders_send(today=date(2026, 3, 3)) == 0
    subjects = dict(Notification.objects.values_list("user__email", "subject"))
    assert "31 Maret 2026" in subjects["ppid@example.test"]
    assert "Profil pimpinan" in subjects["unit@example.test"]

    # Without a set date the update is due 6 months after the last one (here 31 August → 28 February).
    CatalogueEntry.objects.create(title="Laporan keuangan", summary="x", info_class="periodic", unit=orgs["unit"],
                                  retention="5 tahun", updated_on=date(2025, 8, 31))
    assert services.info_reminders_send(today=date(2026, 2, 13)) == 0
    assert services.info_reminders_send(today=date(2026, 2, 14)) == 1
    assert Notification.objects.filter(subject__contains="28-02-2026: Laporan keuangan").exists()


def test_the_demo_data_builds_a_catalogue_and_requests_in_every_stage(orgs, ppid):
    from sibaru.information.demo import seed_information
    from sibaru.information.models import CatalogueEntry

    orgs["unit"].email = "public_relations@demo.test"
    orgs["unit"].save()
    ppid["officer"].email = "ppid@demo.test"
    ppid["officer"].save()
    seed_information("demo.test")
    assert CatalogueEntry.objects.count() == 5
    assert sorted(Case.objects.values_list("state", flat=True)) == ["answered", "in_process", "registered"]
