"""Reads of the region list. Each function costs one query unless its docstring says otherwise."""

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from sibaru.regions.codes import LEVEL_BY_LENGTH, InvalidRegionCode, normalize
from sibaru.regions.models import Region, RegionWord
from sibaru.regions.words import name_words, rank

LEVELS = [Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT, Region.Level.VILLAGE]
DEPTH = {level.value: depth for depth, level in enumerate(LEVELS, start=1)}
MAX_LIMIT = 200
MAX_QUERY_WORDS = 4
_CODE_LIKE = re.compile(r"^[\d.\s]+$")

# What lists, labels and forms read; nothing else is loaded.
_FIELDS = ("code", "name", "level", "kind", "parent_id", "is_current")


def _regions() -> QuerySet[Region]:
    return Region.objects.only(*_FIELDS)


def ancestor_codes(code: str) -> list[str]:
    """A region's ancestors' codes, province first: they are the prefixes of its own code."""
    return [code[:length] for length in (2, 4, 6) if length < len(code)]


def region_get(*, code: str) -> Region | None:
    """The region with this code (dots optional), current or not. Raises InvalidRegionCode if malformed."""
    return _regions().filter(code=normalize(code)).first()


def regions_with_ancestors(*, codes) -> dict[str, Region]:
    """The regions with these digits-only codes and their ancestors, code -> Region, current or not; one
    query (none for no codes). Unknown codes are simply absent."""
    wanted = {a for code in codes for a in (*ancestor_codes(code), code)}
    return _regions().in_bulk(wanted) if wanted else {}


def region_with_ancestors(*, code: str) -> list[Region]:
    """The region and its ancestors, province first; [] if the code is unknown. Raises InvalidRegionCode.

    A parent's code is a prefix of its child's (32 > 3273 > 327301 > 3273011001), so one primary-key
    lookup fetches the whole chain without recursion.
    """
    code = normalize(code)
    chain = sorted(_regions().filter(code__in=[*ancestor_codes(code), code]), key=lambda r: len(r.code))
    return chain if chain and chain[-1].code == code else []


def region_children(
    *, parent: str | None = None, limit: int = MAX_LIMIT, after: tuple[str, str] | None = None
) -> list[Region]:
    """Current children of `parent` (a digits-only code), or the provinces; ordered by name, then code.

    `after` is the (name, code) of the last row of the previous page (keyset pagination).
    """
    rows = _regions().filter(is_current=True)
    rows = rows.filter(parent_id=parent) if parent else rows.filter(parent__isnull=True)
    if after:
        rows = rows.filter(Q(name__gt=after[0]) | Q(name=after[0], code__gt=after[1]))
    return list(rows.order_by("name", "code")[:limit])


def provinces() -> list[Region]:
    """The 38 provinces, by name."""
    return region_children(parent=None)


def _prefix(field: str, prefix: str) -> Q:
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use a binary index; a range can. Words and codes
        # are [a-z0-9], so the next string after every "prefix…" is the prefix with its last character + 1.
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})
    # PostgreSQL: LIKE 'prefix%' uses the varchar_pattern_ops index whatever the database collation.
    return Q(**{f"{field}__startswith": prefix})


def region_search(
    *, q: str, limit: int = 20, within: str | None = None, levels: list[str] | None = None
) -> list[Region]:
    """Current regions matching `q`, best first, at most `limit`; one query, or none for an empty `q`.

    Every word of `q` must start a word of the name ("kota band" finds Kota Bandung; case, dots and
    apostrophes do not matter). Order: provinces, regencies, districts, villages; within a level, names
    whose first word matches before the others (for regencies the word after "Kabupaten"/"Kota"), then
    alphabetically. A `q` that is a region code finds that region. `within` (a digits-only code) keeps
    the descendants of that region; `levels` keeps those levels. Returns regions without their ancestors;
    see region_search_labelled for both in two queries.
    """
    codes = _search_codes(q=q, limit=limit, within=within, levels=levels)
    if not codes:
        return []
    found = _regions().in_bulk(codes)
    return [found[code] for code in codes if code in found and found[code].is_current]


def region_search_labelled(
    *, q: str, limit: int = 20, within: str | None = None, levels: list[str] | None = None
) -> list[tuple[Region, str]]:
    """region_search with each region's label with ancestors, in two queries (none for an empty `q`)."""
    codes = _search_codes(q=q, limit=limit, within=within, levels=levels)
    if not codes:
        return []
    wanted = {*codes, *(a for code in codes for a in ancestor_codes(code))}
    known = _regions().in_bulk(wanted)
    return [
        (known[code], label_from(known, code))
        for code in codes
        if code in known and known[code].is_current
    ]


def _search_codes(*, q: str, limit: int, within: str | None, levels: list[str] | None) -> list[str]:
    text = (q or "").strip()
    if _CODE_LIKE.match(text):
        # A code finds its region (the caller drops it if unknown or no longer current).
        try:
            code = normalize(text.replace(" ", ""))
        except InvalidRegionCode:
            return []
        ok_level = not levels or LEVEL_BY_LENGTH[len(code)] in levels
        inside = not within or (code.startswith(within) and code != within)
        return [code] if ok_level and inside else []
    words = name_words(text)[:MAX_QUERY_WORDS]
    if not words:
        return []
    rows = RegionWord.objects.filter(_prefix("word", words[0]))
    if levels:
        rows = rows.filter(rank__in=[rank(DEPTH[level], first) for level in levels for first in (True, False)])
    for extra in words[1:]:
        rows = rows.filter(Exists(RegionWord.objects.filter(_prefix("word", extra), region=OuterRef("region"))))
    if within:
        rows = rows.filter(_prefix("region__code", within)).exclude(region=within)
    # A region can match twice (two of its words start with the first query word): fetch spares.
    matches = rows.order_by("rank", "word", "region").values_list("region", flat=True)[: limit * 3]
    return list(dict.fromkeys(matches))[:limit]


def _label(region: Region) -> str:
    name = region.name
    if region.kind == Region.Kind.PROVINSI:
        return _("Prov. %(name)s") % {"name": name}
    if region.kind == Region.Kind.KABUPATEN:
        # Regency names carry their kind ("Kabupaten Bandung"); the label abbreviates it.
        return _("Kab. %(name)s") % {"name": name.removeprefix("Kabupaten ")}
    if region.kind == Region.Kind.KOTA:
        return _("Kota %(name)s") % {"name": name.removeprefix("Kota ")}
    if region.kind == Region.Kind.KECAMATAN:
        return _("Kec. %(name)s") % {"name": name}
    if region.kind == Region.Kind.KELURAHAN:
        return _("Kel. %(name)s") % {"name": name}
    return _("Desa %(name)s") % {"name": name}


def chain_label(chain: list[Region]) -> str:
    """'Desa X, Kec. Y, Kab. Z, Prov. W' for a chain as region_with_ancestors returns it (province first)."""
    return ", ".join(_label(region) for region in reversed(chain))


def label_from(known: dict[str, Region], code: str) -> str:
    """The label of `code` from regions already fetched (its ancestors among them)."""
    return chain_label([known[c] for c in [*ancestor_codes(code), code] if c in known])


def region_label(*, code: str) -> str:
    """The label with ancestors of one region; '' if the code is unknown. Raises InvalidRegionCode."""
    return chain_label(region_with_ancestors(code=code))


def region_labels(regions: list[Region]) -> dict[str, str]:
    """Labels with ancestors for many regions, code -> label, in one query (none if nothing is missing)."""
    known = {region.code: region for region in regions}
    missing = {a for region in regions for a in ancestor_codes(region.code)} - known.keys()
    if missing:
        known.update(_regions().in_bulk(missing))
    return {region.code: label_from(known, region.code) for region in regions}


class RegionLookup:
    """Regions for many region fields of one request, fetched together: the codes given, their ancestors
    (for labels) and the province list, one query each however many fields share it.

    A code that was not given falls back to region_get/region_label (one query each), so a lookup never
    answers wrongly, only more slowly. Malformed codes are skipped here; the field still rejects them.
    """

    def __init__(self, codes):
        self.asked = set()
        for code in codes:
            try:
                self.asked.add(normalize(str(code).strip()))
            except InvalidRegionCode:
                continue
        self.known = regions_with_ancestors(codes=self.asked)
        self._provinces = None

    def get(self, *, code: str) -> Region | None:
        """As region_get: raises InvalidRegionCode if malformed; None if unknown."""
        code = normalize(code)
        return self.known.get(code) if code in self.asked else region_get(code=code)

    def label(self, *, code: str) -> str:
        """As region_label, for a digits-only code."""
        if code not in self.asked:
            return region_label(code=code)
        return label_from(self.known, code) if code in self.known else ""

    def provinces(self) -> list[Region]:
        if self._provinces is None:
            self._provinces = provinces()
        return self._provinces
