"""The public tracking lookup: status and public timeline, nothing personal, a constant number of queries."""

import pytest
from django.urls import reverse

from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_case(trial_case, people, orgs):
    case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    case_apply_action(case=trial_case, action="add_note", user=people["unit_officer"], note="RAHASIA-INTERNAL")
    case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="Jawaban resmi untuk publik.")
    return trial_case


def test_the_lookup_form_redirects_to_the_case_page_whatever_the_case_and_dashes(client, trial_case):
    typed = trial_case.tracking_code.lower().replace("-", " ")
    response = client.get(reverse("portal:track"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_case", args=[trial_case.tracking_code])


def test_the_case_page_shows_status_and_public_events_but_nothing_personal(client, answered_case):
    response = client.get(reverse("portal:track_case", args=[answered_case.tracking_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dijawab" in html
    assert "Jawaban resmi untuk publik." in html
    for secret in ("RAHASIA-INTERNAL", "Siti Rahmawati", "siti@example.test", "Mohon informasi program BSPS"):
        assert secret not in html


def test_the_case_page_explains_the_deadline(client, trial_case):
    response = client.get(reverse("portal:track_case", args=[trial_case.tracking_code]))
    assert "3 hari kerja" in response.content.decode()


def test_the_case_page_takes_a_constant_number_of_queries(client, answered_case, django_assert_num_queries):
    url = reverse("portal:track_case", args=[answered_case.tracking_code])
    with django_assert_num_queries(2):  # the case, its public events
        assert client.get(url).status_code == 200


def test_a_malformed_code_gets_a_clear_message(client):
    response = client.get(reverse("portal:track"), {"code": "ABC-12"})
    assert response.status_code == 400
    assert "tidak sesuai format" in response.content.decode()


def test_an_unknown_code_gets_a_clear_message_in_english_too(client, trial_case):
    from sibaru.core.tracking import new_tracking_code

    unknown = new_tracking_code("UJI", 2026)
    response = client.get(reverse("portal:track_case", args=[unknown]))
    assert response.status_code == 404
    assert "tidak ditemukan" in response.content.decode()
    response = client.get(reverse("portal:track_case", args=[unknown]), HTTP_ACCEPT_LANGUAGE="en")
    assert "not found" in response.content.decode().lower()


def test_lookups_are_rate_limited_per_address(client, settings, trial_case):
    settings.RATELIMIT_TRACKING = "3/m"
    url = reverse("portal:track_case", args=[trial_case.tracking_code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_home_page_lists_the_services_and_the_lookup(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the latest news; nothing else
        response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert 'name="code"' in html


def test_the_language_switch_serves_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Housing public services" in html
