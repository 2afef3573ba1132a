from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from sibaru.core.selectors import DUE_SOON_DAYS

register = template.Library()


@register.inclusion_tag("workspace/due_tag.html")
def due_tag(case):
    """The deadline of an open case as text plus a tag that says (not only shows) whether it is late."""
    due = case.extended_due_date or case.due_date
    if case.closed_at or due is None:
        return {"due": None}
    days_left = (due - timezone.localdate()).days
    if days_left < 0:
        label, css = _("Terlambat"), "tag-overdue"
    elif days_left <= DUE_SOON_DAYS:
        label, css = _("Segera"), "tag-soon"
    else:
        label, css = "", ""
    return {"due": due, "label": label, "css": css}
