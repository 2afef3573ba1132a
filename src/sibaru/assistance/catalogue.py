"""Reads of the programme catalogue: programmes with their requirement list for a budget year, the
proposer categories a programme accepts, and the tables the rules read (income ceilings, minimum wages).

The catalogue's texts are data, seeded in Indonesian (migrations/0002_seed_catalogue.py) with their
English in the message catalogue: `translated()` shows them in the active language. A text an
administrator has changed has no catalogue entry and is shown as written.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from sibaru.assistance.models import (
    IncomeCeiling,
    MinimumWage,
    Programme,
    ProgrammeType,
    ProposerCategory,
    Requirement,
    RequirementSet,
)


def translated(text: str) -> str:
    """A seeded catalogue text in the active language (gettext("") would return the catalogue header)."""
    return gettext(text) if text else ""


def default_budget_year(today: date | None = None) -> int:
    """Proposals are made in year N-1 for the budget of year N: the next year is the one being planned."""
    return (today or timezone.localdate()).year + 1


@dataclass(frozen=True)
class ProgrammeEntry:
    """A programme as the catalogue shows it for one budget year."""

    programme: Programme
    budget_year: int
    types: list[ProgrammeType]
    categories: list[ProposerCategory]
    # The set of the budget year, or of the latest earlier year that has one; None if there is none.
    requirement_set: RequirementSet | None
    requirements: list[Requirement]


def _current_set_ids(budget_year: int) -> Subquery:
    return Subquery(
        RequirementSet.objects.filter(programme=OuterRef("pk"), budget_year__lte=budget_year, published=True)
        .order_by("-budget_year")
        .values("pk")[:1]
    )


def programmes_for_year(*, budget_year: int, code: str | None = None) -> list[ProgrammeEntry]:
    """Every programme (or the one with `code`) with its types, categories and current requirement set.

    Five queries whatever the number of programmes and requirements: programmes (with the id of their
    current set), types, categories, sets, requirements.
    """
    programmes = Programme.objects.annotate(current_set_id=_current_set_ids(budget_year)).prefetch_related(
        Prefetch("types", queryset=ProgrammeType.objects.order_by("code")),
        Prefetch("categories", queryset=ProposerCategory.objects.order_by("order", "code")),
    )
    if code is not None:
        programmes = programmes.filter(code=code)
    programmes = list(programmes)
    set_ids = [p.current_set_id for p in programmes if p.current_set_id]
    sets = {}
    if set_ids:
        sets = {
            s.pk: s
            for s in RequirementSet.objects.filter(pk__in=set_ids).prefetch_related(
                Prefetch("requirements", queryset=Requirement.objects.order_by("kind", "order", "pk"))
            )
        }
    entries = []
    for programme in programmes:
        requirement_set = sets.get(programme.current_set_id)
        entries.append(
            ProgrammeEntry(
                programme=programme,
                budget_year=budget_year,
                types=list(programme.types.all()),
                categories=list(programme.categories.all()),
                requirement_set=requirement_set,
                requirements=list(requirement_set.requirements.all()) if requirement_set else [],
            )
        )
    return entries


def programme_for_year(*, code: str, budget_year: int) -> ProgrammeEntry | None:
    entries = programmes_for_year(budget_year=budget_year, code=code)
    return entries[0] if entries else None


def requirement_set_for(*, programme: Programme, budget_year: int) -> RequirementSet | None:
    """The published set of the budget year, or else of the latest earlier year (lists change rarely)."""
    return (
        RequirementSet.objects.filter(programme=programme, budget_year__lte=budget_year, published=True)
        .order_by("-budget_year")
        .first()
    )


def categories_for(*, programme: Programme) -> QuerySet[ProposerCategory]:
    """The proposer categories that may propose this programme, in the catalogue's order."""
    return ProposerCategory.objects.filter(programmes=programme).order_by("order", "code")


def _digits(code: str) -> str:
    return code.replace(".", "").strip()


def income_ceiling_for(*, region_code: str, on: date | None = None) -> IncomeCeiling | None:
    """The MBR income ceiling of a region (any level) on a date.

    The latest regulation in force on that date that lists the region (or one of its ancestors) wins;
    within it the most specific code wins, so a Jabodetabek regency (zone 4) beats its province (zone 1).
    One query.
    """
    code = _digits(region_code)
    on = on or timezone.localdate()
    best: tuple[date, int] | None = None
    found = None
    for ceiling in IncomeCeiling.objects.filter(valid_from__lte=on).order_by("-valid_from", "zone"):
        matches = [len(c) for c in ceiling.region_codes if code.startswith(_digits(str(c)))]
        if not matches:
            continue
        key = (ceiling.valid_from, max(matches))
        if best is None or key > best:
            best, found = key, ceiling
    return found


def minimum_wage_for(*, province_code: str, year: int) -> MinimumWage | None:
    """The provincial minimum wage (UMP) of the year; a region code of any level gives its province.

    No fallback to an earlier year: an out-of-date wage would make the BSPS income test quietly wrong.
    """
    return MinimumWage.objects.filter(province_id=_digits(province_code)[:2], year=year).first()
