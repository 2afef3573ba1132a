"""The staff inbox and case page: scoped to what each role may see, filtered, paged, constant queries."""

import pytest
from django.urls import reverse

from sibaru.core.models import Case
from sibaru.core.scope import cases_visible_to
from sibaru.core.services import case_apply_action
from sibaru.trial.services import trial_request_submit
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _submit(region, message="Permintaan informasi nomor satu"):
    return trial_request_submit(name="Warga", email="", message=message, region=region)


@pytest.fixture
def cases(people, orgs, regions):
    bandung = _submit(regions["3273011001"], "Permintaan dari Bandung")
    semarang = _submit(regions["3374"], "Permintaan dari Semarang")
    handed = _submit(regions["3273"], "Permintaan untuk unit")
    case_apply_action(case=handed, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    return {"bandung": bandung, "semarang": semarang, "handed": handed}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("admin", {"bandung", "semarang", "handed"}),
        ("coordinator", {"bandung", "semarang", "handed"}),
        ("evaluator", {"bandung", "semarang", "handed"}),
        ("unit_officer", {"handed"}),
        ("other_unit_officer", set()),
        ("province_monitor", {"bandung", "handed"}),
        ("other_province_monitor", {"semarang"}),
        ("operator", set()),
        ("outsider", set()),
    ],
)
def test_each_role_sees_exactly_its_scope(people, cases, persona, visible):
    seen = set(cases_visible_to(people[persona]).values_list("tracking_code", flat=True))
    assert seen == {cases[name].tracking_code for name in visible}


def test_the_inbox_lists_visible_cases_with_a_constant_number_of_queries(client, people, cases, regions,
                                                                         django_assert_num_queries):
    client.force_login(people["coordinator"])
    url = reverse("workspace:inbox")
    client.get(url)
    # session, user, memberships, cases with handler and region, unread notifications
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    for case in cases.values():
        assert case.tracking_code in response.content.decode()
    for _ in range(5):
        _submit(regions["3273"])
    with django_assert_num_queries(5):
        client.get(url)


def test_the_inbox_filters_and_pages_with_a_cursor(client, people, cases, regions):
    for i in range(60):
        _submit(regions["3273"], f"Permintaan massal {i:02d}")
    client.force_login(people["coordinator"])
    first = client.get(reverse("workspace:inbox"))
    assert "cursor=" in first.content.decode()
    cursor = first.content.decode().split("cursor=")[1].split('"')[0]
    second = client.get(reverse("workspace:inbox"), {"cursor": cursor})
    assert second.status_code == 200
    assert second.content.decode().count("<tr>") == 63 - 50 + 1  # 13 rows and the header row

    handed = client.get(reverse("workspace:inbox"), {"state": "in_process"}).content.decode()
    assert cases["handed"].tracking_code in handed
    assert cases["bandung"].tracking_code not in handed


def test_the_search_finds_a_typed_tracking_code_and_words_of_the_subject(client, people, cases):
    client.force_login(people["coordinator"])
    code = cases["semarang"].tracking_code
    typed = code.lower().replace("-", " ")  # as read out on the phone
    found = client.get(reverse("workspace:inbox"), {"q": typed}).content.decode()
    assert code in found and cases["bandung"].tracking_code not in found
    found = client.get(reverse("workspace:inbox"), {"q": "dari Bandung"}).content.decode()
    assert cases["bandung"].tracking_code in found and code not in found


def test_overdue_filter_shows_only_late_open_cases(client, people, cases):
    Case.objects.filter(pk=cases["semarang"].pk).update(due_date="2020-01-02")
    client.force_login(people["coordinator"])
    html = client.get(reverse("workspace:inbox"), {"due": "overdue"}).content.decode()
    assert cases["semarang"].tracking_code in html
    assert cases["bandung"].tracking_code not in html
    assert "Terlambat" in html


def test_people_without_a_staff_role_cannot_open_the_workspace(client, people):
    client.force_login(people["outsider"])
    assert client.get(reverse("workspace:inbox")).status_code == 403
    client.logout()
    assert client.get(reverse("workspace:inbox")).status_code == 302


def test_a_case_outside_the_users_scope_is_not_found(client, people, cases):
    client.force_login(people["other_unit_officer"])
    assert client.get(reverse("workspace:case", args=[cases["handed"].tracking_code])).status_code == 404


def test_the_case_page_offers_the_actions_of_the_users_role_and_applies_them(client, people, cases, orgs):
    case = cases["handed"]
    client.force_login(people["unit_officer"])
    page = client.get(reverse("workspace:case", args=[case.tracking_code])).content.decode()
    assert 'name="action" value="answer"' in page
    assert 'name="action" value="accept"' not in page
    response = client.post(reverse("workspace:case_action", args=[case.tracking_code]),
                           {"action": "answer", "answer-note": ""})
    assert response.status_code == 400
    assert "Wajib diisi" in response.content.decode() or "required" in response.content.decode()
    response = client.post(reverse("workspace:case_action", args=[case.tracking_code]),
                           {"action": "answer", "answer-note": "Sudah kami jawab."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "answered"


def test_the_case_page_takes_a_constant_number_of_queries(client, people, cases, django_assert_max_num_queries):
    client.force_login(people["coordinator"])
    url = reverse("workspace:case", args=[cases["handed"].tracking_code])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_login_with_the_form_reaches_the_inbox(client, people):
    response = client.post(reverse("accounts:login"), {"username": "coordinator@example.test", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("workspace:inbox")


def test_handlers_get_in_app_notifications_and_can_mark_them_read(client, people, cases):
    client.force_login(people["unit_officer"])
    inbox_html = client.get(reverse("workspace:inbox")).content.decode()
    assert "1 notifikasi baru" in inbox_html  # the case handed to the unit
    page = client.get(reverse("workspace:notifications")).content.decode()
    assert cases["handed"].tracking_code in page and "Baru" in page
    client.post(reverse("workspace:notifications"))
    assert "0 notifikasi baru" in client.get(reverse("workspace:inbox")).content.decode()
