"""The complaints API: anyone files (rate-limited, idempotent), staff in scope read, transitions via /cases."""

import pytest

from sibaru.accounts.services import api_token_issue
from sibaru.complaints.models import Complaint
from sibaru.core.models import Case, Event

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "pengaduan", "category": "rusun-fasilitas", "title": "Lift rusun rusak",
    "description": "Lift di Rusunawa Sukarasa blok A rusak sejak dua minggu lalu.", "region_code": "32.73.01.1001",
    "privacy": "public", "reporter": {"name": "Siti", "email": "siti@example.test"},
}


def auth(user) -> dict:
    secret, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def create(client, body=None, **extra):
    return client.post("/api/v1/complaints", body or BODY, content_type="application/json", **extra)


def test_anyone_files_a_complaint_and_a_retry_with_the_same_key_returns_it(client, regions, category,
                                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        first = create(client, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201
    body = first.json()
    assert body["tracking_code"].startswith("ADU-") and body["status"] == "received" and body["due_date"]
    assert "/pengaduan/ikuti/" in body["follow_url"]
    again = create(client, HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["tracking_code"] == body["tracking_code"]
    assert again.json()["follow_url"] is None
    assert Case.objects.count() == 1
    changed = create(client, {**BODY, "title": "Lain sama sekali"}, HTTP_IDEMPOTENCY_KEY="abc")
    assert changed.status_code == 409 and Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "tidak-ada"}, "category"),
        ({"region_code": "99"}, "region_code"),
        ({"region_code": "32"}, "region_code"),
        ({"description": "https://contoh.example/x"}, "description"),
        ({"title": "x" * 151}, "title"),
        ({"kind": "gugatan"}, "kind"),
        ({"reporter": None}, "reporter.name"),
        ({"reporter": {"name": "Siti"}}, "reporter.email"),
    ],
)
def test_bad_input_is_a_422_with_the_field_and_nothing_is_saved(client, regions, category, change, field):
    response = create(client, {**BODY, **change})
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert (Case.objects.count(), Event.objects.count()) == (0, 0)


def test_an_anonymous_complaint_through_the_api_keeps_no_identity(client, regions, category):
    assert create(client, {**BODY, "privacy": "anonymous"}).status_code == 201
    assert Complaint.objects.get().reporter_email == ""


def test_a_flood_is_refused_with_429(client, regions, category, settings):
    settings.RATELIMIT_SUBMIT = "10/h"  # an hour's window: the requests cannot straddle its boundary
    responses = [create(client, HTTP_IDEMPOTENCY_KEY=str(i)).status_code for i in range(12)]
    assert responses.count(429) >= 1 and responses[0] == 201


def test_staff_in_scope_read_the_complaint_and_the_identity_view_is_logged(client, regions, category, people, orgs):
    code = create(client).json()["tracking_code"]
    coordinator = auth(people["coordinator"])
    transition = client.post(f"/api/v1/cases/{code}/transitions", {
        "action": "verify", "data": {"category": "rusun-fasilitas", "units": [orgs["unit"].pk],
                                     "classification": "information"}}, content_type="application/json", **coordinator)
    assert transition.status_code == 200 and transition.json()["status"] == "dispositioned"
    detail = client.get(f"/api/v1/complaints/{code}", **coordinator).json()
    assert detail["units"] == ["Bagian Humas"] and detail["reporter"] is None
    assert Event.objects.filter(action="view_identity").count() == 0
    with_reporter = client.get(f"/api/v1/complaints/{code}?include_reporter=true", **coordinator).json()
    assert with_reporter["reporter"]["email"] == "siti@example.test"
    assert Event.objects.filter(action="view_identity").count() == 1
    assert client.get(f"/api/v1/complaints/{code}", **auth(people["other_unit_officer"])).status_code == 404
    assert client.get(f"/api/v1/complaints/{code}", **auth(people["unit_officer"])).status_code == 200
    bad = client.post(f"/api/v1/cases/{code}/transitions", {"action": "verify", "data": {}},
                      content_type="application/json", **coordinator)
    assert bad.status_code == 409
    assert client.get(f"/api/v1/complaints/{code}").status_code == 401
