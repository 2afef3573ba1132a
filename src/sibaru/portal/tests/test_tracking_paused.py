"""While a case waits for its applicant the clock stops: the tracking page and API say so, with the days left."""

import pytest
from django.urls import reverse

from sibaru.complaints.tests.conftest import submit
from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def postponed(regions, orgs, people):
    from sibaru.complaints.models import Category

    case = submit(regions, Category.objects.get(code="rusun-fasilitas")).case
    case_apply_action(case=case, action="postpone", user=people["coordinator"], note="Blok mana?")
    case.refresh_from_db()
    assert case.due_date is None and case.due_paused_days == 3
    return case


def test_the_tracking_page_shows_the_paused_deadline_with_the_days_left(client, postponed,
                                                                         django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = client.get(reverse("portal:track_case", args=[postponed.tracking_code])).content.decode()
    assert "Batas waktu tahap ini" in html and "Dihentikan sementara" in html
    assert "sisa 3 hari kerja" in html


def test_the_track_api_adds_the_paused_days_and_the_explanation(client, postponed):
    body = client.get(f"/api/v1/track/{postponed.tracking_code}").json()
    assert body["due_date"] is None and body["due_paused_days"] == 3
    assert "sisa 3 hari kerja" in body["due_explanation"]


def test_a_running_deadline_keeps_its_explanation_and_no_paused_days(client, trial_case):
    body = client.get(f"/api/v1/track/{trial_case.tracking_code}").json()
    assert body["due_paused_days"] is None and "3 hari kerja" in body["due_explanation"]
