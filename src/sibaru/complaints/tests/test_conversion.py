"""A "permintaan informasi" complaint becomes an information request without retyping, keeping its history."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sibaru.accounts.roles import Role
from sibaru.accounts.services import api_token_issue
from sibaru.complaints.tests.conftest import submit, verify
from sibaru.core.models import Case, Event, Notification
from sibaru.core.services import ActionNotAllowed, case_apply_action
from sibaru.information.models import InformationRequest
from sibaru.information.services import info_request_by_token
from tests.personas import make_user

CONVERT = "convert_to_information_request"
QUESTION = dict(
    report_type="permintaan_informasi", title="Data penerima BSPS Kota Bandung",
    description="Saya ingin tahu berapa rumah di Kelurahan Sukarasa yang menerima BSPS tahun 2025.",
)


@pytest.fixture
def question(regions, category):
    return submit(regions, category, **QUESTION).case


@pytest.fixture
def ppid_officer(orgs):
    return make_user("ppid@example.test", orgs["ministry"], Role.PPID_OFFICER, full_name="Petugas PPID")


def _snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return case.state, case.closed_at, case.events.count(), InformationRequest.objects.count()


def _private_token(notification) -> str:
    return re.search(r"/permohonan/[A-Z0-9-]+/(sbi_[\w-]+)/", notification.body).group(1)


def test_the_coordinator_converts_it_and_both_timelines_name_each_other(question, people):
    event = case_apply_action(case=question, action=CONVERT, user=people["coordinator"], note="Ditangani PPID.")

    question.refresh_from_db()
    assert question.state == "converted" and question.closed_at is not None
    request = InformationRequest.objects.select_related("case").get()
    assert event.data == {"information_request": request.case.tracking_code}
    assert event.actor == people["coordinator"] and event.public
    # Nothing retyped: the words and the contacts come from the complaint; the identity is still to come.
    assert request.information == f"{QUESTION['title']}\n\n{QUESTION['description']}"
    assert (request.name, request.email, request.phone) == ("Budi Santoso", "budi@example.test", "0812345678")
    assert request.identity_pending and request.id_number == "" and request.identity_document is None
    assert request.case.state == "registered" and request.case.due_date is not None
    opened, link = request.case.events.order_by("seq")
    assert opened.public and question.tracking_code in opened.note
    assert link.action == "converted_from_complaint" and not link.public
    assert link.data == {"complaint": question.tracking_code}


def test_the_requester_gets_the_private_link_of_the_new_request_by_email(question, people):
    case_apply_action(case=question, action=CONVERT, user=people["coordinator"])

    request = InformationRequest.objects.get()
    mail = Notification.objects.get(case=request.case, channel="email", subject__contains="menjadi permohonan")
    assert mail.email == "budi@example.test" and question.tracking_code in mail.body
    assert info_request_by_token(tracking_code=request.case.tracking_code, token=_private_token(mail)) == request


def test_it_can_be_converted_while_postponed(question, people):
    case_apply_action(case=question, action="postpone", user=people["coordinator"], note="Tahun berapa?")
    case_apply_action(case=question, action=CONVERT, user=people["coordinator"])
    question.refresh_from_db()
    assert question.state == "converted" and question.due_paused_days is None


def test_a_unit_officer_may_not_convert(question, people, orgs):
    verify(question, people, orgs)
    before = _snapshot(question)
    with pytest.raises(PermissionDenied):
        case_apply_action(case=question, action=CONVERT, user=people["unit_officer"])
    assert _snapshot(question) == before


def test_a_dispositioned_complaint_is_no_longer_converted(question, people, orgs):
    verify(question, people, orgs)
    with pytest.raises(ActionNotAllowed):
        case_apply_action(case=question, action=CONVERT, user=people["coordinator"])
    assert not InformationRequest.objects.exists()


def test_another_kind_of_report_is_refused(complaint_case, people):
    before = _snapshot(complaint_case)
    with pytest.raises(ActionNotAllowed) as error:
        case_apply_action(case=complaint_case, action=CONVERT, user=people["coordinator"])
    assert error.value.code == "not_information_request"
    assert "permintaan informasi" in error.value.message
    assert _snapshot(complaint_case) == before


def test_an_anonymous_question_cannot_be_converted(regions, category, people):
    case = submit(regions, category, privacy="anonymous", **QUESTION).case
    before = _snapshot(case)
    with pytest.raises(ActionNotAllowed) as error:
        case_apply_action(case=case, action=CONVERT, user=people["coordinator"])
    assert error.value.code == "anonymous" and "anonim" in error.value.message
    assert _snapshot(case) == before


def test_a_failure_after_the_request_was_opened_leaves_neither_case_changed(question, people, monkeypatch):
    from sibaru.core import services

    real_queue = services.notifications_queue

    def fail_on_the_complaint(*, case, **kwargs):
        if case.kind == "complaint":
            raise RuntimeError("outbox down")
        return real_queue(case=case, **kwargs)

    monkeypatch.setattr(services, "notifications_queue", fail_on_the_complaint)
    before, mails = _snapshot(question), Notification.objects.count()
    with pytest.raises(RuntimeError):
        case_apply_action(case=question, action=CONVERT, user=people["coordinator"])
    assert _snapshot(question) == before
    assert not Case.objects.filter(kind="information_request").exists()
    assert Notification.objects.count() == mails


def auth(user) -> dict:
    secret, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_converts_through_transitions(client, question, people, django_assert_max_num_queries):
    headers = auth(people["coordinator"])
    with django_assert_max_num_queries(45):
        response = client.post(f"/api/v1/cases/{question.tracking_code}/transitions", {"action": CONVERT},
                               content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "converted"
    assert InformationRequest.objects.get().identity_pending
    events = client.get(f"/api/v1/cases/{question.tracking_code}", **headers).json()["events"]
    assert events[-1]["action"] == CONVERT


def test_the_api_refuses_an_anonymous_one_with_409(client, regions, category, people):
    case = submit(regions, category, privacy="anonymous", **QUESTION).case
    response = client.post(f"/api/v1/cases/{case.tracking_code}/transitions", {"action": CONVERT},
                           content_type="application/json", **auth(people["coordinator"]))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "anonymous"
    assert not InformationRequest.objects.exists()


def test_the_staff_page_offers_the_button_only_for_a_named_question(client, question, complaint_case, people):
    client.force_login(people["coordinator"])
    page = client.get(reverse("complaints:staff_case", args=[question.tracking_code])).content.decode()
    assert f'id="complaint-{CONVERT}"' in page
    other = client.get(reverse("complaints:staff_case", args=[complaint_case.tracking_code])).content.decode()
    assert f'id="complaint-{CONVERT}"' not in other


def test_the_coordinator_converts_from_the_staff_page_and_the_ppid_sees_the_history(
    client, question, people, ppid_officer, django_assert_max_num_queries
):
    client.force_login(people["coordinator"])
    response = client.post(reverse("complaints:staff_action", args=[question.tracking_code, CONVERT]),
                           {f"{CONVERT}-note": ""})
    assert response.status_code == 302
    code = InformationRequest.objects.get().case.tracking_code
    page = client.get(response.url).content.decode()
    assert "Dialihkan menjadi permohonan informasi" in page and code in page

    client.force_login(ppid_officer)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("workspace:case", args=[code])).content.decode()
    assert "Dialihkan dari pengaduan" in page and question.tracking_code in page
    assert Event.objects.filter(case__tracking_code=code).count() == 2
