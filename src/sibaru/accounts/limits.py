"""Per-address rate limits of the account forms and the token endpoint (django-ratelimit).

These complement django-axes, which locks one account from one address after repeated wrong passwords:
the limits here stop one address from trying many accounts, or from sending many reset e-mails.
Rates are settings (RATELIMIT_LOGIN, RATELIMIT_PASSWORD_RESET, see settings.py); RATELIMIT_ENABLE
turns every limit off.
"""

import math
from functools import wraps

from axes.helpers import get_cool_off
from django.conf import settings
from django.utils.module_loading import import_string
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited


def _rate(setting: str):
    def rate(group, request) -> str:
        return getattr(settings, setting)

    return rate


def over_limit(request, *, group: str, setting: str) -> bool:
    """Counts this POST against the client address's limit and says whether the limit is exceeded."""
    return is_ratelimited(request, group=group, key="ip", rate=_rate(setting), method="POST", increment=True)


def limit_posts(*, group: str, setting: str):
    """Answers POSTs beyond the limit with the site's 429 page (settings.RATELIMIT_VIEW); GETs are free."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if over_limit(request, group=group, setting=setting):
                return import_string(settings.RATELIMIT_VIEW)(request, Ratelimited())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def lockout_minutes(request=None) -> int | None:
    """How long an axes lockout lasts, in whole minutes (None: until an administrator lifts it)."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    return max(1, math.ceil(cool_off.total_seconds() / 60))
