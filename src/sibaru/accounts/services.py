"""Writes of the accounts app: API tokens for users, API keys for organisations' systems.

Only the SHA-256 of a secret is stored; the secret itself is returned once, to the caller that shows it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.accounts.models import ApiKey, ApiToken, Membership, Organisation, User, hash_secret

API_KEY_PREFIX_LENGTH = 12  # "sbk_" and 8 characters: enough to recognise a key in a list, useless to guess it


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new bearer token for `user`, valid for settings.API_TOKEN_HOURS; the user's expired tokens go."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, token_hash=hash_secret(secret), expires_at=now + timedelta(hours=settings.API_TOKEN_HOURS)
    )
    return secret, token


@transaction.atomic
def api_token_revoke(*, secret: str) -> bool:
    """Deletes the token whose secret this is; False if there was none."""
    deleted, _rows = ApiToken.objects.filter(token_hash=hash_secret(secret)).delete()
    return deleted > 0


def api_key_problems(*, organisation: Organisation | None, acts_as: User | None, name: str,
                     scopes: list[str]) -> dict[str, list[str]]:
    """What stops these values from making a key, per field (empty: nothing). Forms show these before saving.

    The key gets exactly the roles and scope of `acts_as`, so that account must be active, must belong to
    the organisation and must not be a superuser.
    """
    errors: dict[str, list[str]] = {}
    unknown = [s for s in scopes if s not in ApiKey.Scope.values]
    if not scopes or unknown:
        errors["scopes"] = [_("Pilih paling sedikit satu cakupan: %(choices)s.") % {
            "choices": ", ".join(ApiKey.Scope.values)}]
    if not name or not name.strip():
        errors["name"] = [_("Beri nama kunci ini, misalnya nama sistem yang memakainya.")]
    if organisation is None:
        errors["organisation"] = [_("Pilih organisasi pemilik kunci.")]
    if acts_as is None:
        errors["acts_as"] = [_("Pilih akun layanan yang dipakai kunci ini.")]
    else:
        if not acts_as.is_active:
            errors.setdefault("acts_as", []).append(_("Akun ini tidak aktif."))
        if acts_as.is_superuser:
            errors.setdefault("acts_as", []).append(_(
                "Kunci API tidak boleh bertindak sebagai superuser. Pakai akun layanan dengan peran yang perlu saja."
            ))
        if organisation is not None and not Membership.objects.filter(user=acts_as, organisation=organisation).exists():
            errors.setdefault("acts_as", []).append(_("Akun ini bukan anggota organisasi pemilik kunci."))
    return errors


@transaction.atomic
def api_key_create(*, organisation: Organisation, acts_as: User, name: str, scopes: list[str]) -> tuple[str, ApiKey]:
    """A new API key for an organisation's system, acting as one of the organisation's (service) accounts.

    Raises ValidationError with the problems of `api_key_problems`.
    """
    scopes = list(dict.fromkeys(scopes))
    errors = api_key_problems(organisation=organisation, acts_as=acts_as, name=name, scopes=scopes)
    if errors:
        raise ValidationError(errors)

    secret = ApiKey.new_secret()
    key = ApiKey.objects.create(
        organisation=organisation,
        acts_as=acts_as,
        name=name.strip(),
        prefix=secret[:API_KEY_PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        scopes=scopes,
    )
    return secret, key


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revokes the key from now on (idempotent: a revoked key keeps its first revocation time)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        ApiKey.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=key.revoked_at)
    return key
