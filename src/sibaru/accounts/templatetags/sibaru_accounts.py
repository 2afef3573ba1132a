from django import template

from sibaru.accounts.limits import lockout_minutes as _lockout_minutes

register = template.Library()


@register.simple_tag(takes_context=True)
def lockout_minutes(context):
    """{% lockout_minutes as minutes %}: how long the axes lockout lasts, in minutes (None: no end)."""
    return _lockout_minutes(context.get("request"))
