"""Writes of the programme catalogue: carrying a budget year's lists and tables over to the next year.

The administrator copies, edits what changed, then publishes. Permissions are the admin's (these run from
admin actions that require the model's add permission).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sibaru.assistance.catalogue import translated
from sibaru.assistance.models import PlanningCheckpoint, Quota, Requirement, RequirementSet, UnitAmount

REQUIREMENT_FIELDS = (
    "code", "kind", "title", "description", "mandatory", "categories", "types", "legal_basis", "accepted_types",
    "max_bytes", "unconfirmed", "order",
)


def requirement_set_copy(*, requirement_set: RequirementSet, budget_year: int) -> RequirementSet:
    """A copy of the set and its requirements for another budget year, not published yet.

    Until it is published, proposals for that year keep using the latest earlier published set (the
    catalogue's fallback), so the copy can be edited without anyone seeing half a list.
    """
    if budget_year == requirement_set.budget_year:
        raise ValidationError({"budget_year": [_("Pilih tahun anggaran lain.")]})
    with transaction.atomic():
        if RequirementSet.objects.filter(programme_id=requirement_set.programme_id, budget_year=budget_year).exists():
            raise ValidationError(
                {"budget_year": [_("Daftar persyaratan %(programme)s untuk tahun anggaran %(year)d sudah ada.")
                                 % {"programme": translated(requirement_set.programme.name), "year": budget_year}]}
            )
        copy = RequirementSet.objects.create(
            programme_id=requirement_set.programme_id,
            budget_year=budget_year,
            legal_basis=requirement_set.legal_basis,
            published=False,
        )
        Requirement.objects.bulk_create(
            Requirement(requirement_set=copy, **{name: getattr(r, name) for name in REQUIREMENT_FIELDS})
            for r in requirement_set.requirements.order_by("kind", "order", "pk")
        )
    return copy


def unit_amounts_copy(*, amounts, budget_year_offset: int = 1) -> int:
    """Copy unit amounts to a later year; rows that exist there are left alone. Returns how many were made.

    The copies are unconfirmed: each year's amounts are set by a new decree, to be checked.
    """
    created = 0
    with transaction.atomic():
        for amount in amounts:
            _row, made = UnitAmount.objects.get_or_create(
                programme_id=amount.programme_id,
                budget_year=amount.budget_year + budget_year_offset,
                region_class=amount.region_class,
                activity=amount.activity,
                defaults={"materials": amount.materials, "labour": amount.labour,
                          "legal_basis": amount.legal_basis, "unconfirmed": True},
            )
            created += made
    return created


def planning_checkpoints_copy(*, checkpoints, budget_year_offset: int = 1) -> int:
    """Copy planning checkpoints to a later year without their dates; existing ones are left alone."""
    created = 0
    with transaction.atomic():
        for checkpoint in checkpoints:
            _row, made = PlanningCheckpoint.objects.get_or_create(
                budget_year=checkpoint.budget_year + budget_year_offset,
                code=checkpoint.code,
                defaults={"name": checkpoint.name, "order": checkpoint.order, "date": None},
            )
            created += made
    return created


def quotas_copy(*, quotas, budget_year_offset: int = 1) -> int:
    """Copy quotas to a later year as a starting point; existing ones are left alone."""
    created = 0
    with transaction.atomic():
        for quota in quotas:
            _row, made = Quota.objects.get_or_create(
                programme_id=quota.programme_id,
                budget_year=quota.budget_year + budget_year_offset,
                defaults={"units": quota.units, "budget": quota.budget},
            )
            created += made
    return created
