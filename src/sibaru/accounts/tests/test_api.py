"""POST /api/v1/auth/token and /api/v1/auth/token/revoke: issue, use, expiry, revocation, bad credentials, lockout."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from sibaru.accounts import services
from sibaru.accounts.models import ApiToken, hash_secret
from sibaru.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
REVOKE = "/api/v1/auth/token/revoke"


def request_token(client, email, password, **headers):
    return client.post(TOKEN, {"email": email, "password": password}, content_type="application/json", headers=headers)


def revoke(client, secret):
    return client.post(REVOKE, headers={"Authorization": f"Bearer {secret}"})


def test_a_token_is_issued_for_the_right_password(client, operator, django_assert_max_num_queries):
    # axes check, user, savepoint around (expired tokens, insert), axes reset, last_login
    with django_assert_max_num_queries(8):
        response = request_token(client, operator.email, PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["token"].startswith("sbt_")
    expires_at = parse_datetime(body["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires_at - timezone.now() <= timedelta(hours=12)
    stored = ApiToken.objects.get()
    assert stored.user == operator
    assert stored.token_hash == hash_secret(body["token"])
    assert body["token"] not in {stored.token_hash, str(stored.pk)}
    assert "sessionid" not in response.cookies


def test_the_token_query_count_does_not_grow_with_old_tokens(client, operator, django_assert_max_num_queries):
    for _number in range(5):
        services.api_token_issue(user=operator)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    with django_assert_max_num_queries(8):
        response = request_token(client, operator.email, PASSWORD)

    assert response.status_code == 200
    assert ApiToken.objects.count() == 1  # the expired ones went


@override_settings(API_TOKEN_HOURS=2)
def test_the_token_lifetime_is_a_setting(client, operator):
    body = request_token(client, operator.email, PASSWORD).json()

    assert parse_datetime(body["expires_at"]) - timezone.now() <= timedelta(hours=2)


def test_the_token_authenticates_until_it_is_revoked(client, operator, django_assert_max_num_queries):
    secret = request_token(client, operator.email, PASSWORD).json()["token"]

    with django_assert_max_num_queries(4):  # token with user; savepoint, delete, release
        first = revoke(client, secret)
    second = revoke(client, secret)

    assert first.status_code == 204
    assert not ApiToken.objects.exists()
    assert second.status_code == 401
    assert second.json()["error"]["code"] == "unauthenticated"


def test_revoking_one_token_keeps_the_others(client, operator):
    kept, _token = services.api_token_issue(user=operator)
    dropped, _token = services.api_token_issue(user=operator)

    assert revoke(client, dropped).status_code == 204
    assert revoke(client, kept).status_code == 204


def test_an_expired_token_is_refused(client, operator):
    secret, token = services.api_token_issue(user=operator)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = revoke(client, secret)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_made_up_token_is_refused(client, operator):
    assert revoke(client, "sbt_" + "x" * 43).status_code == 401
    assert client.post(REVOKE).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(client, operator):
    secret, _token = services.api_token_issue(user=operator)
    operator.is_active = False
    operator.save()

    assert revoke(client, secret).status_code == 401


def test_an_api_key_cannot_be_revoked_as_a_token(client, operator, organisation):
    secret, key = services.api_key_create(organisation=organisation, acts_as=operator, name="SIMDA", scopes=["read"])

    response = revoke(client, secret)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_token"
    key.refresh_from_db()
    assert key.revoked_at is None


def test_wrong_credentials_get_401_without_telling_which_was_wrong(client, operator, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # user, then axes: its lockout check and its record of the failure
        wrong_password = request_token(client, operator.email, "salah")
    unknown_email = request_token(client, "tidak-ada@bandungkab.go.id", "salah")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json() == {
        "error": {"code": "invalid_credentials", "message": "E-mail atau kata sandi salah.", "fields": {}}
    }
    assert not ApiToken.objects.exists()


def test_messages_follow_accept_language(client, operator):
    response = request_token(client, operator.email, "salah", accept_language="en")

    assert response.status_code == 401
    assert response["Content-Language"] == "en"
    with translation.override("en"):
        expected = gettext("E-mail atau kata sandi salah.")
    assert response.json()["error"]["message"] == expected


def test_missing_fields_get_422_with_the_field(client):
    response = client.post(TOKEN, {"email": "operator@bandungkab.go.id"}, content_type="application/json")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"password": ["Wajib diisi."]}


def test_five_wrong_passwords_lock_the_account_for_this_address(client, operator):
    statuses = [request_token(client, operator.email, "salah").status_code for _attempt in range(5)]

    assert statuses == [401, 401, 401, 401, 429]
    locked = request_token(client, operator.email, PASSWORD)
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "locked_out"
    assert "15 menit" in error["message"]
    assert locked["Content-Type"] == "application/json; charset=utf-8"
    assert not ApiToken.objects.exists()


def test_the_api_and_the_login_page_share_one_lockout(client, operator):
    for _attempt in range(3):
        request_token(client, operator.email, "salah")
    for _attempt in range(2):
        client.post("/akun/masuk/", {"username": operator.email, "password": "salah"})

    assert request_token(client, operator.email, PASSWORD).status_code == 429


def test_a_token_clears_earlier_failures(client, operator):
    for _attempt in range(4):
        request_token(client, operator.email, "salah")
    assert request_token(client, operator.email, PASSWORD).status_code == 200

    statuses = [request_token(client, operator.email, "salah").status_code for _attempt in range(4)]

    assert statuses == [401, 401, 401, 401]


@override_settings(RATELIMIT_LOGIN="3/h")
def test_token_requests_are_rate_limited_per_address(client, operator):
    for number in range(3):
        request_token(client, f"orang{number}@contoh.go.id", "salah")

    response = request_token(client, operator.email, PASSWORD)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert response["Retry-After"] == "60"

