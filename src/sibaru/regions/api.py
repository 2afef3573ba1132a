"""Public region endpoints: /api/v1/regions (children of a region, or a name search) and /api/v1/regions/<code>.

Region data: idn-area-data (ODbL 1.0), see src/sibaru/regions/data/README.md.
"""

import base64
import binascii
import json
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sibaru.api.errors import ApiError
from sibaru.regions import selectors
from sibaru.regions.codes import INVALID_CODE_MESSAGE, UNKNOWN_CODE_MESSAGE, InvalidRegionCode, normalize
from sibaru.regions.models import Region

router = Router(tags=["regions"])

Level = Literal["province", "regency", "district", "village"]
Kind = Literal["provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"]
SEARCH_LIMIT = 20
ATTRIBUTION = (
    "Region codes and names: Kepmendagri 300.2.2-2138/2025 via idn-area-data 4.0.1 "
    "(https://github.com/fityannugroho/idn-area-data), Open Database License 1.0 "
    "(https://opendatacommons.org/licenses/odbl/1-0/)."
)


class RegionOut(Schema):
    code: str = Field(..., description="Digits only: 2 province, 4 regency/city, 6 district, 10 village.")
    dotted_code: str = Field(..., description="The written form, e.g. 32.73.01.1001.")
    name: str
    level: Level
    kind: Kind
    parent: str | None = Field(..., description="The parent's code; null for a province.")
    label: str = Field(..., description="Name with its ancestors, e.g. 'Kel. Sukarasa, Kec. Sukasari, …'.")
    is_current: bool = Field(..., description="False for a code no longer in the Kemendagri list.")


class RegionList(Schema):
    items: list[RegionOut]
    next_cursor: str | None


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class RegionFilters(Schema):
    parent: str | None = Field(None, description="A region code, dots optional; without it, the provinces.")
    q: str | None = Field(None, max_length=100, description="Name words (each must start a word of the name), "
                                                            "or a code.")
    level: list[Level] | None = Field(None, description="With q: only these levels (repeatable).")
    limit: int | None = Field(None, description=f"1 to 200; by default 200 children or {SEARCH_LIMIT} matches.")
    cursor: str | None = Field(None, max_length=400, description="next_cursor of the previous page (children).")


def _out(region: Region, label: str) -> dict:
    return {
        "code": region.code,
        "dotted_code": region.dotted_code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "parent": region.parent_id,
        "label": label,
        "is_current": region.is_current,
    }


def _code(text: str, field: str) -> str:
    try:
        return normalize(text)
    except InvalidRegionCode:
        message = str(INVALID_CODE_MESSAGE)
        raise ApiError(422, "invalid_region_code", message, {field: [message]}) from None


def _chain_or_404(code: str) -> list[Region]:
    chain = selectors.region_with_ancestors(code=code)
    if not chain:
        raise ApiError(404, "not_found", str(UNKNOWN_CODE_MESSAGE))
    return chain


def _encode_cursor(region: Region) -> str:
    return base64.urlsafe_b64encode(json.dumps([region.name, region.code]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        name, code = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(name, str) and isinstance(code, str):
            return name, code
    except (ValueError, TypeError, binascii.Error):
        pass
    message = _("Kursor halaman tidak valid; pakai next_cursor dari jawaban sebelumnya.")
    raise ApiError(422, "invalid_cursor", message, {"cursor": [message]})


@router.get(
    "",
    auth=None,
    response={200: RegionList, 404: ErrorOut, 422: ErrorOut},
    url_name="region_list",
    summary="List or search regions",
    description=(
        "Without `q`: the current children of `parent` (without it, the 38 provinces), by name, paginated "
        "by cursor. With `q`: the best matches (provinces and regencies before districts and villages), "
        "within `parent` if given; `next_cursor` is then always null: narrow the query to see others. "
        + ATTRIBUTION
    ),
)
def region_list(request, filters: Query[RegionFilters]):
    if filters.limit is not None and not 1 <= filters.limit <= selectors.MAX_LIMIT:
        message = _("Antara 1 dan 200.")
        raise ApiError(422, "invalid", _("Ada isian yang tidak valid."), {"limit": [message]})
    parent = _code(filters.parent, "parent") if filters.parent else None
    chain = _chain_or_404(parent) if parent else []
    known = {region.code: region for region in chain}
    q = (filters.q or "").strip()
    if q:
        found = selectors.region_search_labelled(
            q=q, limit=filters.limit or SEARCH_LIMIT, within=parent, levels=filters.level
        )
        return {"items": [_out(region, label) for region, label in found], "next_cursor": None}

    limit = filters.limit or selectors.MAX_LIMIT
    after = _decode_cursor(filters.cursor) if filters.cursor else None
    # One extra row tells whether another page follows.
    children = selectors.region_children(parent=parent, limit=limit + 1, after=after)
    page = children[:limit]
    items = []
    for region in page:
        known[region.code] = region
        items.append(_out(region, selectors.label_from(known, region.code)))
    return {"items": items, "next_cursor": _encode_cursor(page[-1]) if len(children) > limit else None}


@router.get(
    "/{code}",
    auth=None,
    response={200: RegionOut, 404: ErrorOut, 422: ErrorOut},
    url_name="region_detail",
    summary="One region",
    description="Accepts the code with or without dots (32.73.01.1001 or 3273011001). " + ATTRIBUTION,
)
def region_detail(request, code: str):
    chain = _chain_or_404(_code(code, "code"))
    return _out(chain[-1], selectors.chain_label(chain))
