"""API tokens and API keys: only hashes are stored, keys act as a member of their organisation, revocation holds."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from sibaru.accounts import selectors, services
from sibaru.accounts.models import ApiKey, ApiToken, Membership, Organisation, User, hash_secret
from sibaru.accounts.roles import Role
from sibaru.api.auth import user_for_bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_account(organisation):
    user = User.objects.create_user("simda@bandungkab.go.id", None, full_name="SIMDA Kabupaten Bandung")
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROPOSER_OPERATOR)
    return user


def stored_values(instance) -> set[str]:
    return {str(value) for value in model_to_dict(instance).values()}


def test_a_token_is_stored_as_its_hash_only(operator):
    secret, token = services.api_token_issue(user=operator)

    assert secret.startswith("sbt_") and len(secret) > 40
    token.refresh_from_db()
    assert token.token_hash == hash_secret(secret)
    assert secret not in stored_values(token)
    assert user_for_bearer(secret) == operator


def test_issuing_a_token_clears_the_users_expired_tokens_only(operator, administrator):
    services.api_token_issue(user=operator)
    services.api_token_issue(user=administrator)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    services.api_token_issue(user=operator)

    assert ApiToken.objects.filter(user=operator).count() == 1
    assert ApiToken.objects.filter(user=administrator).count() == 1


def test_revoking_a_token_deletes_it(operator):
    secret, _token = services.api_token_issue(user=operator)

    assert services.api_token_revoke(secret=secret) is True
    assert services.api_token_revoke(secret=secret) is False
    assert user_for_bearer(secret) is None


def test_an_api_key_is_stored_as_its_hash_only(organisation, service_account):
    secret, key = services.api_key_create(
        organisation=organisation, acts_as=service_account, name=" SIMDA ", scopes=["read", "write", "read"]
    )

    assert secret.startswith("sbk_")
    key.refresh_from_db()
    assert key.key_hash == hash_secret(secret)
    assert key.prefix == secret[:12]
    assert secret not in stored_values(key)
    assert key.name == "SIMDA"
    assert key.scopes == ["read", "write"]
    assert user_for_bearer(secret) == service_account


def test_a_revoked_key_no_longer_authenticates(organisation, service_account):
    secret, key = services.api_key_create(organisation=organisation, acts_as=service_account, name="SIMDA",
                                          scopes=["read"])

    services.api_key_revoke(key=key)
    first_revocation = ApiKey.objects.get().revoked_at
    services.api_key_revoke(key=key)

    assert first_revocation is not None
    assert ApiKey.objects.get().revoked_at == first_revocation
    assert user_for_bearer(secret) is None


def test_a_key_must_act_as_an_active_member_of_its_organisation(organisation, service_account):
    outsider_org = Organisation.objects.create(name="Kota Bogor", kind=Organisation.Kind.REGENCY_GOVERNMENT)

    with pytest.raises(ValidationError) as error:
        services.api_key_create(organisation=outsider_org, acts_as=service_account, name="SIMDA", scopes=["read"])
    assert "acts_as" in error.value.message_dict

    service_account.is_active = False
    service_account.save()
    with pytest.raises(ValidationError) as error:
        services.api_key_create(organisation=organisation, acts_as=service_account, name="SIMDA", scopes=["read"])
    assert error.value.message_dict["acts_as"] == ["Akun ini tidak aktif."]
    assert not ApiKey.objects.exists()


def test_a_key_cannot_act_as_a_superuser(organisation, administrator):
    Membership.objects.create(user=administrator, organisation=organisation, role=Role.ADMINISTRATOR)

    with pytest.raises(ValidationError) as error:
        services.api_key_create(organisation=organisation, acts_as=administrator, name="SIMDA", scopes=["read"])

    assert "acts_as" in error.value.message_dict


def test_a_key_needs_a_name_and_known_scopes(organisation, service_account):
    with pytest.raises(ValidationError) as error:
        services.api_key_create(organisation=organisation, acts_as=service_account, name=" ", scopes=["admin"])

    assert set(error.value.message_dict) == {"name", "scopes"}
    with pytest.raises(ValidationError):
        services.api_key_create(organisation=organisation, acts_as=service_account, name="SIMDA", scopes=[])


def test_memberships_are_read_in_one_query(operator, django_assert_num_queries):
    province = Organisation.objects.create(name="Provinsi Jawa Barat", kind=Organisation.Kind.PROVINCE_GOVERNMENT)
    Membership.objects.create(user=operator, organisation=province, role=Role.PROVINCE_MONITOR)

    with django_assert_num_queries(1):
        rows = [(m.organisation.name, m.organisation.region, m.role) for m in selectors.user_memberships(user=operator)]

    assert rows == [
        ("Pemerintah Kabupaten Bandung", None, Role.PROPOSER_OPERATOR),
        ("Provinsi Jawa Barat", None, Role.PROVINCE_MONITOR),
    ]

