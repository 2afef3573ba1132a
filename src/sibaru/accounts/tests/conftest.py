"""Personas of the accounts tests: a proposer operator of a regency government, and an administrator."""

import pytest

from sibaru.accounts.models import Membership, Organisation, User
from sibaru.accounts.roles import Role

PASSWORD = "rumah-layak-huni-2026"


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Pemerintah Kabupaten Bandung", kind=Organisation.Kind.REGENCY_GOVERNMENT)


@pytest.fixture
def operator(organisation):
    user = User.objects.create_user("operator@bandungkab.go.id", PASSWORD, full_name="Siti Rahmawati")
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROPOSER_OPERATOR)
    return user


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser("admin@sibaru.go.id", PASSWORD, full_name="Admin SIBARU")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher (PBKDF2, a million rounds) makes each login take a second; these tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
