"""GET /api/v1/regions and /api/v1/regions/<code>: public, JSON, constant queries, errors in the caller's language."""

import pytest
from django.utils import translation

from sibaru.regions.codes import INVALID_CODE_MESSAGE, UNKNOWN_CODE_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]

DETAIL_KEYS = {"code", "dotted_code", "name", "level", "kind", "parent", "label", "is_current"}


def in_english(message) -> str:
    with translation.override("en"):
        return str(message)


def test_without_parameters_the_list_is_the_38_provinces(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/regions")
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert len(body["items"]) == 38
    assert body["items"][0] == {
        "code": "11", "dotted_code": "11", "name": "Aceh", "level": "province", "kind": "provinsi",
        "parent": None, "label": "Prov. Aceh", "is_current": True,
    }


@pytest.mark.parametrize("parent", ["3273", "32.73"])
def test_the_children_of_a_parent_with_or_without_dots(client, django_assert_num_queries, parent):
    with django_assert_num_queries(2):
        response = client.get("/api/v1/regions", {"parent": parent})
    items = response.json()["items"]
    assert response.status_code == 200
    assert len(items) == 30
    assert {i["parent"] for i in items} == {"3273"}
    sukasari = next(i for i in items if i["code"] == "327301")
    assert sukasari == {
        "code": "327301", "dotted_code": "32.73.01", "name": "Sukasari", "level": "district",
        "kind": "kecamatan", "parent": "3273", "label": "Kec. Sukasari, Kota Bandung, Prov. Jawa Barat",
        "is_current": True,
    }


def test_the_villages_of_a_district_cost_the_same_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/api/v1/regions", {"parent": "32.04.05"})
    kinds = {i["kind"] for i in response.json()["items"]}
    assert kinds <= {"desa", "kelurahan"} and kinds


def test_children_are_paginated_by_cursor(client):
    seen, cursor, pages = [], None, 0
    while True:
        params = {"parent": "3273", "limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/regions", params).json()
        seen += [i["code"] for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 5
    assert seen == [i["code"] for i in client.get("/api/v1/regions", {"parent": "3273"}).json()["items"]]


def test_search_by_name_ranks_regencies_first_in_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/api/v1/regions", {"q": "bandung"})
    body = response.json()
    assert response.status_code == 200 and body["next_cursor"] is None
    assert [i["code"] for i in body["items"][:3]] == ["3204", "3217", "3273"]
    assert len(body["items"]) == 20
    assert body["items"][2]["label"] == "Kota Bandung, Prov. Jawa Barat"


def test_search_within_a_parent_and_levels(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/api/v1/regions?q=suka&parent=32.73&level=district&level=village&limit=200")
    items = response.json()["items"]
    assert items and all(i["code"].startswith("3273") for i in items)
    assert {i["level"] for i in items} <= {"district", "village"}
    assert items[0]["level"] == "district"


def test_the_limit_is_between_1_and_200(client):
    assert len(client.get("/api/v1/regions", {"q": "s", "limit": 200}).json()["items"]) == 200
    for limit in (0, 201):
        response = client.get("/api/v1/regions", {"q": "s", "limit": limit})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid"
        assert "limit" in response.json()["error"]["fields"]


def test_a_bad_cursor_is_422(client):
    response = client.get("/api/v1/regions", {"parent": "3273", "cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("code", ["3273011001", "32.73.01.1001"])
def test_one_region_with_or_without_dots(client, django_assert_num_queries, code):
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/regions/{code}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_KEYS
    assert body == {
        "code": "3273011001", "dotted_code": "32.73.01.1001", "name": "Sukarasa", "level": "village",
        "kind": "kelurahan", "parent": "327301",
        "label": "Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat", "is_current": True,
    }


def test_a_regency_and_a_province_have_their_kinds(client):
    assert client.get("/api/v1/regions/3204").json()["kind"] == "kabupaten"
    province = client.get("/api/v1/regions/32").json()
    assert (province["level"], province["kind"], province["parent"]) == ("province", "provinsi", None)


@pytest.mark.parametrize(("language", "translate"), [("id", str), ("en", in_english)])
def test_an_unknown_code_is_404_in_the_callers_language(client, django_assert_num_queries, language, translate):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/regions/32.99", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response["Content-Language"] == language
    assert response.json() == {"error": {"code": "not_found", "message": translate(UNKNOWN_CODE_MESSAGE), "fields": {}}}


@pytest.mark.parametrize(("language", "translate"), [("id", str), ("en", in_english)])
@pytest.mark.parametrize("code", ["3", "327", "32.7", "32a73", "32.73.01.100"])
def test_a_malformed_code_is_422_in_the_callers_language(client, django_assert_num_queries, language, translate, code):
    with django_assert_num_queries(0):
        response = client.get(f"/api/v1/regions/{code}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    assert response["Content-Language"] == language
    error = response.json()["error"]
    assert error["code"] == "invalid_region_code"
    assert error["message"] == translate(INVALID_CODE_MESSAGE)
    assert error["fields"] == {"code": [translate(INVALID_CODE_MESSAGE)]}


def test_a_malformed_or_unknown_parent_is_an_error(client):
    response = client.get("/api/v1/regions", {"parent": "3.2"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"parent": [str(INVALID_CODE_MESSAGE)]}
    response = client.get("/api/v1/regions", {"parent": "99"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_endpoints_need_no_token_and_ignore_a_bad_one(client):
    assert client.get("/api/v1/regions/32").status_code == 200
    assert client.get("/api/v1/regions/32", HTTP_AUTHORIZATION="Bearer sbt_wrong").status_code == 200


def test_the_openapi_document_describes_the_endpoints_and_the_licence(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/regions" in paths and "/api/v1/regions/{code}" in paths
    assert "Open Database License" in paths["/api/v1/regions"]["get"]["description"]
    assert not paths["/api/v1/regions/{code}"]["get"].get("security")
