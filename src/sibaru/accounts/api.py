"""API authentication for staff and proposers: a bearer token for e-mail and password, and its revocation.

Mounted at /api/v1/auth. Wrong passwords count towards the same django-axes lockout as the login page
(authenticate() is called with the request), and the caller's address is rate-limited like the login form.
"""

from datetime import datetime

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import Throttled

from sibaru.accounts import services
from sibaru.accounts.forms import normalise_email
from sibaru.accounts.limits import lockout_minutes, over_limit
from sibaru.api.errors import ApiError

router = Router(tags=["auth"])


class TokenIn(Schema):
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=4096)


class TokenOut(Schema):
    token: str
    expires_at: datetime


# The shape every error has (sibaru.api.errors), declared here for the OpenAPI document.
class AuthErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class AuthError(Schema):
    error: AuthErrorDetail


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: AuthError, 422: AuthError, 429: AuthError},
    summary="Obtain a bearer token",
    description="Send `Authorization: Bearer <token>` afterwards. Wrong passwords count towards a lockout "
    "of the account from the caller's address (429 `locked_out`).",
)
def token_issue(request, payload: TokenIn):
    if over_limit(request, group="accounts.login", setting="RATELIMIT_LOGIN"):
        raise Throttled(wait=60)
    username = normalise_email(payload.email)
    user = authenticate(request=request, username=username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in the API's error shape; without this AxesMiddleware would replace it with the HTML page.
        request.axes_locked_out = False
        minutes = lockout_minutes(request)
        if minutes:
            message = _(
                "Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci untuk alamat Anda selama "
                "%(minutes)s menit; tunggu, lalu coba lagi."
            ) % {"minutes": minutes}
        else:
            message = _("Terlalu banyak percobaan masuk yang gagal. Hubungi administrator untuk membuka kunci akun.")
        raise ApiError(429, "locked_out", message)
    if user is None:
        raise ApiError(401, "invalid_credentials", _("E-mail atau kata sandi salah."))
    secret, token = services.api_token_issue(user=user)
    # What a login does, without the user_logged_in signal (axes would open a session for this stateless call).
    if settings.AXES_RESET_ON_SUCCESS:
        axes_reset(ip=get_client_ip_address(request), username=username)
    update_last_login(None, user)
    return Status(200, {"token": secret, "expires_at": token.expires_at})


@router.post(
    "/token/revoke",
    response={204: None, 400: AuthError, 401: AuthError},
    summary="Revoke the bearer token of this request",
)
def token_revoke(request):
    _scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if not secret.startswith("sbt_"):
        raise ApiError(400, "not_a_token", _("Hanya token pengguna yang dapat dicabut di sini. Kunci API dicabut "
                                              "oleh administrator."))
    services.api_token_revoke(secret=secret)
    return Status(204, None)
