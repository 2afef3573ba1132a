"""Bearer authentication for the API: a user's token (POST /auth/token) or an organisation's API key.

Both are stored hashed. Either way `request.auth` is the User whose roles and scope apply: for an API key,
the service account it acts as.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from sibaru.accounts.models import ApiKey, ApiToken, hash_secret


def user_for_bearer(secret: str):
    digest = hash_secret(secret)
    if secret.startswith("sbt_"):
        token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
        if token and token.expires_at > timezone.now() and token.user.is_active:
            return token.user
    elif secret.startswith("sbk_"):
        key = ApiKey.objects.select_related("acts_as").filter(key_hash=digest, revoked_at=None).first()
        if key and key.acts_as.is_active:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
            return key.acts_as
    return None


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return user_for_bearer(token)


class OptionalBearerAuth(BearerAuth):
    """For endpoints anyone may call: identifies the caller when a valid token is sent."""

    def __call__(self, request: HttpRequest):
        return super().__call__(request) or True
