from django import template

from sibaru.complaints.models import Complaint
from sibaru.complaints.services import identity_roles
from sibaru.core.scope import roles_for_case

register = template.Library()


@register.inclusion_tag("complaints/staff_panel.html", takes_context=True)
def complaint_panel(context, case):
    """The complaint's record on the workspace case page (its actions are on the complaint's own page)."""
    complaint = (
        Complaint.objects.select_related("category", "duplicate_of").prefetch_related("units__organisation")
        .get(pk=case.pk)
    )
    roles = roles_for_case(context["request"].user, case)
    return {
        "case": case,
        "complaint": complaint,
        "may_see_identity": complaint.has_identity and bool(identity_roles(case) & roles),
        "csrf_token": context.get("csrf_token"),
    }
