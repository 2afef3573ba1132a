"""The one place that answers "which cases may this user see, and in which roles may they act on one".

Every query of cases for a user goes through `cases_visible_to`; every action checks `roles_for_case`.
Visibility follows the user's memberships: a role sees a kind's cases of its own organisation (as owner
or handler) when the kind's workflow lists it in `viewer_roles`; the submitted cases located in its
organisation's region when listed in `region_viewer_roles`; every submitted case of the kind when listed
in `all_viewer_roles`; and what the workflow's `extra_scope` adds (a unit sees the complaints
dispositioned to it). A draft is seen by its own organisation only. Administrators see everything.
"""

from django.db.models import Q, QuerySet

from sibaru.accounts.models import Membership
from sibaru.accounts.roles import Role
from sibaru.core import workflow
from sibaru.core.models import Case


def memberships_of(user) -> list[Membership]:
    """The user's memberships, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_sibaru_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._sibaru_memberships = cached
    return cached


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        m.role == Role.ADMINISTRATOR for m in memberships_of(user)
    )


def is_staff_member(user) -> bool:
    return is_administrator(user) or bool(memberships_of(user))


def _visibility(user) -> Q | None:
    """A filter on Case for the user; None means everything."""
    if is_administrator(user):
        return None
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        org = membership.organisation
        by_org = [w.kind for w in workflow.all_workflows() if membership.role in w.viewer_roles]
        if by_org:
            condition |= Q(kind__in=by_org) & (Q(organisation_id=org.pk) | Q(handler_id=org.pk))
        submitted = Q(submitted_at__isnull=False)
        by_region = [w.kind for w in workflow.all_workflows() if membership.role in w.region_viewer_roles]
        if by_region and org.region_id:
            condition |= Q(kind__in=by_region, region__code__startswith=org.region_id) & submitted
        everywhere = [w.kind for w in workflow.all_workflows() if membership.role in w.all_viewer_roles]
        if everywhere:
            condition |= Q(kind__in=everywhere) & submitted
        for flow in workflow.all_workflows():
            if flow.extra_scope and (extra := flow.extra_scope(membership)) is not None:
                condition |= Q(kind=flow.kind) & extra
    return condition


def cases_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Case.objects.all() if queryset is None else queryset
    condition = _visibility(user)
    return queryset if condition is None else queryset.filter(condition)


def roles_for_case(user, case: Case) -> set[str]:
    """The staff roles in which the user may act on this case."""
    roles: set[str] = set()
    if is_administrator(user):
        roles.add(Role.ADMINISTRATOR)
    flow = workflow.get(case.kind)
    for membership in memberships_of(user):
        org = membership.organisation
        if membership.role in flow.viewer_roles and org.pk in (case.organisation_id, case.handler_id):
            roles.add(membership.role)
        if case.submitted_at is None:
            continue
        if (
            membership.role in flow.region_viewer_roles
            and org.region_id
            and (case.region_id or "").startswith(org.region_id)
        ):
            roles.add(membership.role)
        if membership.role in flow.all_viewer_roles:
            roles.add(membership.role)
        if flow.extra_scope_check and flow.extra_scope_check(membership, case):
            roles.add(membership.role)
    return roles
