"""The admin: staff only; users by e-mail; API keys made by the service, their secret shown once; revocation."""

import re

import pytest

from sibaru.accounts.models import ApiKey, Membership, Organisation, User, hash_secret
from sibaru.accounts.roles import Role
from sibaru.accounts.tests.conftest import PASSWORD
from sibaru.api.auth import user_for_bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def service_account(organisation):
    user = User.objects.create_user("simda@bandungkab.go.id", None, full_name="SIMDA Kabupaten Bandung")
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROPOSER_OPERATOR)
    return user


def test_only_staff_reach_the_admin(client, operator):
    client.force_login(operator)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_administrator_adds_a_user_with_email_name_and_password(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Verifikator@PKP.go.id",
            "full_name": "Budi Santoso",
            "usable_password": "true",
            "password1": "verifikasi-teknis-2026",
            "password2": "verifikasi-teknis-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(full_name="Budi Santoso")
    assert user.email == "verifikator@pkp.go.id"
    assert user.check_password("verifikasi-teknis-2026")
    assert not user.is_staff


def test_a_second_user_with_the_same_email_in_other_case_is_refused(admin_client, operator):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "OPERATOR@bandungkab.go.id",
            "full_name": "Kembaran",
            "usable_password": "true",
            "password1": "verifikasi-teknis-2026",
            "password2": "verifikasi-teknis-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


def test_the_admin_pages_of_users_and_organisations_open(admin_client, operator, organisation):
    assert admin_client.get(f"/admin/accounts/user/{operator.pk}/change/").status_code == 200
    assert admin_client.get("/admin/accounts/user/?q=siti").status_code == 200
    assert admin_client.get(f"/admin/accounts/organisation/{organisation.pk}/change/").status_code == 200
    listing = admin_client.get("/admin/accounts/organisation/?kind=regency_government&q=Bandung")
    assert listing.status_code == 200
    assert "Pemerintah Kabupaten Bandung" in listing.content.decode()


def test_creating_an_api_key_shows_its_secret_once_and_stores_only_the_hash(admin_client, organisation,
                                                                            service_account):
    response = admin_client.post(
        "/admin/accounts/apikey/add/",
        {"organisation": organisation.pk, "acts_as": service_account.pk, "name": "SIMDA", "scopes": ["read"],
         "_save": "1"},
    )

    assert response.status_code == 302
    key = ApiKey.objects.get()
    shown = admin_client.get(response["Location"]).content.decode()
    secrets = re.findall(r"sbk_[A-Za-z0-9_-]{40,}", shown)
    assert len(secrets) == 1
    secret = secrets[0]
    assert key.key_hash == hash_secret(secret)
    assert key.prefix == secret[:12]
    assert secret not in {str(v) for v in ApiKey.objects.values_list("name", "prefix", "key_hash", "scopes").get()}
    assert user_for_bearer(secret) == service_account
    # Once: neither the list nor the key's page shows it again.
    assert secret not in admin_client.get(response["Location"]).content.decode()
    assert secret not in admin_client.get(f"/admin/accounts/apikey/{key.pk}/change/").content.decode()


def test_an_api_key_for_an_account_outside_the_organisation_is_refused_in_the_form(admin_client, organisation,
                                                                                   operator):
    other = Organisation.objects.create(name="Kota Bogor", kind=Organisation.Kind.REGENCY_GOVERNMENT)

    response = admin_client.post(
        "/admin/accounts/apikey/add/",
        {"organisation": other.pk, "acts_as": operator.pk, "name": "SIMDA", "scopes": ["read"]},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["acts_as"] == ["Akun ini bukan anggota organisasi pemilik kunci."]
    assert not ApiKey.objects.exists()


def test_the_revoke_action_revokes_the_selected_keys(admin_client, organisation, service_account):
    from sibaru.accounts import services

    secret, key = services.api_key_create(organisation=organisation, acts_as=service_account, name="SIMDA",
                                          scopes=["read"])

    response = admin_client.post(
        "/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [key.pk]}
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert user_for_bearer(secret) is None


def test_an_administrator_can_still_log_in_by_the_admin_login(client, administrator):
    response = client.post("/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
