"""Reads of the accounts app."""

from django.db.models import QuerySet

from sibaru.accounts.models import Membership, User


def user_memberships(*, user: User) -> QuerySet[Membership]:
    """The user's roles, one row per organisation and role, with the organisation and its region (one query)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name", "role")
    )
