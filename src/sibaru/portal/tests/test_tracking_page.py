"""The public tracking lookup: status and public timeline, nothing personal, a constant number of queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sibaru.core.calendar import add_working_days, working_day_override_save
from sibaru.core.models import Case
from sibaru.core.selectors import public_status
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


def test_a_calendar_override_shows_at_once_in_the_explanation(client, trial_case, django_capture_on_commit_callbacks):
    url = reverse("portal:track_case", args=[trial_case.tracking_code])
    assert "Libur uji mendadak" not in client.get(url).content.decode()  # the explanation is now kept
    holiday = add_working_days(trial_case.due_start, 1)
    with django_capture_on_commit_callbacks(execute=True):
        working_day_override_save(
            date=holiday, is_working_day=False, name="Libur uji mendadak", decree="Keppres uji 1/2026", user=None
        )
    assert "Libur uji mendadak" in client.get(url).content.decode()


def test_the_shared_chrome_is_kept_per_language_but_not_the_csrf_token_or_the_staff_menu(client, trial_case, people):
    url = reverse("portal:track_case", args=[trial_case.tracking_code])
    html = client.get(url).content.decode()
    assert "Langsung ke konten utama" in html and "Masuk petugas" in html
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Skip to main content" in english and "Langsung ke konten utama" not in english
    # Each visitor's language switch carries a token of its own.
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(html).group(1) != token.search(Client().get(url).content.decode()).group(1)
    client.force_login(people["coordinator"])
    staff = client.get(url).content.decode()
    assert "Keluar" in staff and "Ruang kerja" in staff and "Masuk petugas" not in staff
    assert "Langsung ke konten utama" in staff
    assert "Ruang kerja" not in Client().get(url).content.decode()


def test_the_status_holds_the_values_the_orm_reads(answered_case):
    # public_status reads with its own SQL (speed): the same values, aware datetimes, on every backend.
    status = public_status(answered_case.tracking_code)
    case = Case.objects.get(pk=answered_case.pk)
    fields = (
        "tracking_code", "kind", "state", "submitted_at", "due_date", "extended_due_date", "closed_at",
        "due_start", "due_days", "due_day_type", "due_paused_days",
    )  # fmt: skip
    assert [getattr(status, "status" if name == "state" else name) for name in fields] == [
        getattr(case, name) for name in fields
    ]
    assert timezone.is_aware(status.submitted_at)
    assert [(e.at, e.status, e.note) for e in status.events] == list(
        case.events.filter(public=True).order_by("seq").values_list("at", "to_state", "note")
    )
    assert [str(e.status_label) for e in status.events][-1] == "Dijawab"


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
    settings.RATELIMIT_TRACKING = "3/h"
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
