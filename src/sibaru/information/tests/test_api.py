"""The information API: a request as API.md fixes it, the requester's objection with the private token,
the catalogue; answers go through the shared transitions endpoint."""

import pytest

from sibaru.accounts.models import ApiToken, hash_secret
from sibaru.information.models import InformationRequest, Objection

pytestmark = pytest.mark.django_db

BODY = {"requester": {"type": "person", "name": "Rina Jurnalis", "id_number": "3273014506900002",
                      "address": "Jl. Braga 1", "email": "rina@example.test"},
        "information": "Daftar penerima BSPS 2025", "purpose": "Liputan", "obtain": "copy", "delivery": "email"}


def bearer(user):
    from datetime import timedelta

    from django.utils import timezone

    secret = f"sbt_test_{user.pk}"
    ApiToken.objects.create(user=user, token_hash=hash_secret(secret), expires_at=timezone.now() + timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_request_answer_and_objection_through_the_api(client, ppid, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = client.post("/api/v1/information-requests", BODY, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY="r1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"tracking_code", "registration_number", "status", "due_date", "private_token"}
    again = client.post("/api/v1/information-requests", BODY, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="r1").json()
    assert again["tracking_code"] == body["tracking_code"] and again["private_token"] is None
    assert InformationRequest.objects.count() == 1
    code = body["tracking_code"]

    officer = bearer(ppid["officer"])
    response = client.post(f"/api/v1/cases/{code}/transitions", {
        "action": "answer", "note": "Ditolak.", "data": {"outcome": "refused"}}, content_type="application/json",
        **officer)
    assert response.status_code == 422 and "exempt_parts" in response.json()["error"]["fields"]
    response = client.post(f"/api/v1/cases/{code}/transitions", {
        "action": "answer", "note": "Ditolak.", "data": {"outcome": "refused", "exempt_parts": [
            {"description": "Seluruhnya", "ground": "h3", "consequence": "Data keuangan pribadi."}]}},
        content_type="application/json", **officer)
    assert response.status_code == 200, response.content

    url = f"/api/v1/information-requests/{code}/objections"
    objection = {"ground": "a", "statement": "Data agregat bukan pribadi."}
    assert client.post(url, objection, content_type="application/json").status_code == 401
    assert client.post(url, objection, content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer sbi_wrong").status_code == 401
    token = {"HTTP_AUTHORIZATION": f"Bearer {body['private_token']}"}
    response = client.post(url, {"ground": "z", "statement": ""}, content_type="application/json", **token)
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"ground", "statement"}
    response = client.post(url, objection, content_type="application/json", **token)
    assert response.status_code == 201 and response.json()["tracking_code"].startswith("KBR-")
    response = client.post(url, objection, content_type="application/json", **token)
    assert response.status_code == 409 and response.json()["error"]["code"] == "objection_open"
    assert Objection.objects.count() == 1


def test_a_request_without_identity_number_is_refused(client, orgs):
    body = {**BODY, "requester": {**BODY["requester"], "id_number": ""}}
    response = client.post("/api/v1/information-requests", body, content_type="application/json")
    assert response.status_code == 422
    assert "requester.id_number" in response.json()["error"]["fields"]
    assert not InformationRequest.objects.exists()


def test_the_catalogue_lists_published_entries(client, orgs):
    from datetime import date

    from sibaru.information.models import CatalogueEntry

    CatalogueEntry.objects.create(title="Profil Direktorat", summary="Profil.", info_class="periodic",
                                  unit=orgs["unit"], retention="Permanen", updated_on=date(2026, 1, 5))
    CatalogueEntry.objects.create(title="Draf", summary="x", info_class="periodic", unit=orgs["unit"],
                                  retention="-", updated_on=date(2026, 1, 5), published=False)
    items = client.get("/api/v1/information-catalogue?q=profil").json()
    assert [i["title"] for i in items] == ["Profil Direktorat"]
