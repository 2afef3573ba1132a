"""Public catalogue endpoints: GET /api/v1/programmes and /api/v1/programmes/<code>.

The assistance programmes with, for one budget year, their proposal types, the proposer categories they
accept and their requirement list (administrative documents and technical readiness criteria). Texts are
in the request's language (Accept-Language). Five queries per call, whatever the size of the catalogue.
"""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sibaru.api.errors import ApiError
from sibaru.assistance import catalogue

router = Router(tags=["programmes"])

MIN_YEAR, MAX_YEAR = 2000, 2100
BUDGET_YEAR_HELP = (
    "The budget year (tahun anggaran) the proposal is for. Default: the current year + 1 (office time zone), "
    "since proposals are made in the year before their budget. When that year has no published "
    "requirement list yet, the latest earlier one applies; `requirements_budget_year` says which."
)


class TypeOut(Schema):
    code: str
    name: str
    proposer_kind: str = Field(..., description="government, developer, community or institution.")
    large_scale: bool
    min_capacity: int | None = Field(..., description="Minimum capacity of the estate in units, if any.")
    min_built: int | None = Field(..., description="Minimum number of houses built at verification, if any.")
    unconfirmed: bool = Field(..., description="True when the thresholds are not yet confirmed in a regulation.")


class CategoryOut(Schema):
    code: str
    name: str
    directive: bool = Field(..., description="Direktif (true) or reguler (false).")
    priority_score: int


class RequirementOut(Schema):
    code: str
    kind: str = Field(..., description="administrative (a document to upload) or technical (a readiness "
                                       "criterion the proposer assesses).")
    title: str
    description: str
    mandatory: bool
    categories: list[str] = Field(..., description="Proposer category codes it applies to; empty: all.")
    types: list[str] = Field(..., description="Proposal type codes it applies to; empty: all.")
    legal_basis: str
    accepted_types: list[str] = Field(..., description="Accepted file extensions.")
    max_bytes: int
    unconfirmed: bool = Field(..., description="True when the requirement is not yet confirmed in the text of "
                                               "a regulation.")


class ProgrammeOut(Schema):
    code: str
    name: str
    description: str
    tracking_prefix: str
    verification: str = Field(..., description="technical (per location) or site (PSU).")
    legal_basis: str
    budget_year: int
    requirements_budget_year: int | None = Field(..., description="The year of the requirement list shown.")
    types: list[TypeOut]
    categories: list[CategoryOut]
    requirements: list[RequirementOut]


class ProgrammeList(Schema):
    items: list[ProgrammeOut]


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class CatalogueFilters(Schema):
    budget_year: int | None = Field(None, description=BUDGET_YEAR_HELP)


def _budget_year(filters: CatalogueFilters) -> int:
    if filters.budget_year is None:
        return catalogue.default_budget_year()
    if not MIN_YEAR <= filters.budget_year <= MAX_YEAR:
        message = _("Tahun anggaran antara %(min)d dan %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"budget_year": [message]})
    return filters.budget_year


def _out(entry: catalogue.ProgrammeEntry) -> dict:
    t = catalogue.translated
    programme = entry.programme
    return {
        "code": programme.code,
        "name": t(programme.name),
        "description": t(programme.description),
        "tracking_prefix": programme.prefix,
        "verification": programme.verification,
        "legal_basis": programme.legal_basis,
        "budget_year": entry.budget_year,
        "requirements_budget_year": entry.requirement_set.budget_year if entry.requirement_set else None,
        "types": [
            {"code": k.code, "name": t(k.name), "proposer_kind": k.proposer_kind, "large_scale": k.large_scale,
             "min_capacity": k.min_capacity, "min_built": k.min_built, "unconfirmed": k.unconfirmed}
            for k in entry.types
        ],
        "categories": [
            {"code": c.code, "name": t(c.name), "directive": c.directive, "priority_score": c.priority_score}
            for c in entry.categories
        ],
        "requirements": [
            {"code": r.code, "kind": r.kind, "title": t(r.title), "description": t(r.description),
             "mandatory": r.mandatory, "categories": list(r.categories or []), "types": list(r.types or []),
             "legal_basis": r.legal_basis, "accepted_types": list(r.accepted_types or ["pdf"]),
             "max_bytes": r.max_bytes, "unconfirmed": r.unconfirmed}
            for r in entry.requirements
        ],
    }


@router.get(
    "",
    auth=None,
    response={200: ProgrammeList, 422: ErrorOut},
    url_name="programme_list",
    summary="Assistance programmes with their requirement lists",
    description="Rumah Susun, Rumah Khusus, Rumah Swadaya (BSPS) and PSU, for one budget year. " + BUDGET_YEAR_HELP,
)
def programme_list(request, filters: Query[CatalogueFilters]):
    entries = catalogue.programmes_for_year(budget_year=_budget_year(filters))
    return {"items": [_out(entry) for entry in entries]}


@router.get(
    "/{code}",
    auth=None,
    response={200: ProgrammeOut, 404: ErrorOut, 422: ErrorOut},
    url_name="programme_detail",
    summary="One assistance programme with its requirement list",
    description="`code` is rusun, rusus, swadaya or psu. " + BUDGET_YEAR_HELP,
)
def programme_detail(request, code: str, filters: Query[CatalogueFilters]):
    entry = catalogue.programme_for_year(code=code, budget_year=_budget_year(filters))
    if entry is None:
        raise ApiError(404, "not_found", _("Program bantuan tidak ditemukan."))
    return _out(entry)
