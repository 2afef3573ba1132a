"""The API shell: OpenAPI document, JSON errors in the caller's language, bearer auth, tracking, transitions."""

import pytest

from sibaru.accounts.models import ApiKey, hash_secret
from sibaru.core.services import case_apply_action
from sibaru.core.tracking import new_tracking_code

pytestmark = pytest.mark.django_db


def bearer(client, user) -> dict:
    from sibaru.accounts.services import api_token_issue

    secret, _token = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_openapi_document_lists_the_fixed_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    paths = response.json()["paths"]
    for path in ("/api/v1/track/{tracking_code}", "/api/v1/regions", "/api/v1/regions/{code}",
                 "/api/v1/auth/token", "/api/v1/cases/{tracking_code}/transitions"):
        assert path in paths


def test_track_returns_the_public_view_only(client, trial_case, people, orgs, django_assert_num_queries):
    case_apply_action(case=trial_case, action="add_note", user=people["coordinator"], note="INTERNAL-ONLY")
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/track/{trial_case.tracking_code}")
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"tracking_code", "kind", "status", "status_label", "submitted_at", "due_date",
                         "extended_due_date", "due_paused_days", "due_explanation", "closed_at", "events"}
    assert body["status"] == "received" and body["status_label"] == "Diterima"
    assert body["due_date"] == trial_case.due_date.isoformat()
    assert [e["status"] for e in body["events"]] == ["received"]
    assert "INTERNAL-ONLY" not in response.content.decode()
    assert "Siti" not in response.content.decode()


def test_track_errors_are_json_in_the_callers_language(client):
    response = client.get("/api/v1/track/nonsense")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_tracking_code"
    assert "format" in response.json()["error"]["message"]
    unknown = new_tracking_code("UJI", 2026)
    response = client.get(f"/api/v1/track/{unknown}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Tracking code not found.", "fields": {}}


def test_staff_endpoints_need_a_bearer_token(client, trial_case):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer sbt_wrong")
    assert response.status_code == 401


def test_an_api_key_acts_with_its_service_accounts_scope(client, trial_case, people, orgs):
    ApiKey.objects.create(organisation=orgs["ministry"], acts_as=people["coordinator"], name="LAPOR",
                          prefix="sbk_test", key_hash=hash_secret("sbk_test-secret"), scopes=["read"])
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer sbk_test-secret")
    assert response.status_code == 200
    assert [c["tracking_code"] for c in response.json()["items"]] == [trial_case.tracking_code]


def test_the_cases_list_is_scoped_paged_and_constant_in_queries(client, trial_case, people, regions,
                                                                django_assert_num_queries):
    from sibaru.trial.services import trial_request_submit

    for _ in range(4):
        trial_request_submit(name="W", email="", message="Permintaan lainnya", region=regions["3374"])
    headers = bearer(client, people["coordinator"])
    with django_assert_num_queries(3):  # token and user, memberships, cases
        response = client.get("/api/v1/cases?limit=3", **headers)
    body = response.json()
    assert len(body["items"]) == 3 and body["next_cursor"]
    rest = client.get(f"/api/v1/cases?limit=3&cursor={body['next_cursor']}", **headers).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    monitor = client.get("/api/v1/cases", **bearer(client, people["other_province_monitor"])).json()
    assert len(monitor["items"]) == 4  # Semarang only
    assert client.get("/api/v1/cases?limit=500", **headers).status_code == 422


def test_transitions_apply_actions_403_for_the_wrong_role_409_for_the_wrong_state(client, trial_case, people, orgs):
    url = f"/api/v1/cases/{trial_case.tracking_code}/transitions"
    unit = bearer(client, people["unit_officer"])
    assert client.post(url, {"action": "accept"}, content_type="application/json", **unit).status_code == 404

    coordinator = bearer(client, people["coordinator"])
    response = client.post(url, {"action": "close"}, content_type="application/json", **coordinator)
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"

    evaluator = bearer(client, people["evaluator"])
    response = client.post(url, {"action": "accept"}, content_type="application/json", **evaluator)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"

    response = client.post(url, {"action": "accept", "data": {"handler": orgs["unit"].pk}},
                           content_type="application/json", **coordinator)
    assert response.status_code == 200
    assert response.json()["status"] == "in_process"

    response = client.post(url, {"action": "answer"}, content_type="application/json", **unit)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"note": ["Wajib diisi."]}

    detail = client.get(f"/api/v1/cases/{trial_case.tracking_code}", **unit).json()
    assert detail["available_actions"] == ["answer", "add_note"]
    assert [e["action"] for e in detail["events"]] == ["open", "accept"]


def test_malformed_json_is_a_400_not_a_500(client, trial_case, people):
    response = client.post(f"/api/v1/cases/{trial_case.tracking_code}/transitions", "{not json",
                           content_type="application/json", **bearer(client, people["coordinator"]))
    assert response.status_code in (400, 422)
    assert "error" in response.json()
