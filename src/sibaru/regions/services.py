"""Writes to the region list: loading the Kemendagri data file (see data/README.md) and its search words."""

import csv
import gzip
import hashlib
import io
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from sibaru.regions.models import Region, RegionDataset, RegionWord
from sibaru.regions.words import word_rows

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv.gz"
COLUMNS = ["code", "name", "level", "kind", "parent_code"]
DIGITS = {"province": 2, "regency": 4, "district": 6, "village": 10}
KINDS = {
    "province": ["provinsi"],
    "regency": ["kabupaten", "kota"],
    "district": ["kecamatan"],
    "village": ["desa", "kelurahan"],
}
COUNT_KEYS = [*DIGITS, *(kind for kinds in KINDS.values() for kind in kinds)]
CHUNK = 2000


class RegionDataError(ValueError):
    """The data file breaks a rule; nothing was written."""


@dataclass
class LoadSummary:
    sha256: str
    skipped: bool
    counts: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Codes in the database but no longer in the file: kept (records may point at them), marked not current.
    obsolete: list[str] = field(default_factory=list)
    seconds: float = 0.0


Row = tuple[str, str, str, str, str | None]


def regions_load(*, path: Path | str | None = None, force: bool = False) -> LoadSummary:
    """Bring the Region table in line with the data file: create new codes, update changed ones.

    Idempotent. Never deletes: a code that left the list is marked not current and reported, because
    cases and organisations may still refer to it. When the file's SHA-256 matches the last load (and
    the table still holds that many current regions) it returns at once: `make run` calls it every time.
    Raises RegionDataError, before writing anything, if the file breaks a rule.
    """
    started = time.monotonic()
    data = Path(path or DATA_FILE).read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    last = RegionDataset.objects.only("sha256", "counts").first()
    if not force and last and last.sha256 == sha256:
        counts = {key: last.counts.get(key, 0) for key in COUNT_KEYS}
        # The count guards against a table emptied or restored behind the loader's back.
        if Region.objects.filter(is_current=True).count() == sum(counts[level] for level in DIGITS):
            return LoadSummary(sha256=sha256, skipped=True, counts=counts, seconds=time.monotonic() - started)

    rows, counts = _read_rows(data)
    summary = LoadSummary(sha256=sha256, skipped=False, counts={key: counts[key] for key in COUNT_KEYS})
    with transaction.atomic():
        existing = {
            code: rest
            for code, *rest in Region.objects.order_by().values_list(
                "code", "name", "level", "kind", "parent_id", "is_current"
            )
        }
        changed = [row for row in rows if existing.get(row[0]) != [*row[1:], True]]
        summary.created = sum(1 for row in changed if row[0] not in existing)
        summary.updated = len(changed) - summary.created
        summary.unchanged = len(rows) - len(changed)
        _write_rows(
            Region._meta.db_table,
            ["code", "name", "level", "kind", "parent_id", "is_current"],
            ((*row, True) for row in changed),
            conflict="code",
        )

        in_file = {row[0] for row in rows}
        summary.obsolete = sorted(code for code in existing if code not in in_file)
        retired = [code for code in summary.obsolete if existing[code][4]]
        for start in range(0, len(retired), CHUNK):
            Region.objects.filter(code__in=retired[start : start + CHUNK]).update(is_current=False)

        if len(changed) == len(rows):
            RegionWord.objects.all().delete()
        else:
            _delete_words([*(row[0] for row in changed), *retired])
        _write_words(word for code, name, *_ in changed for word in word_rows(code, name))

        RegionDataset.objects.create(
            sha256=sha256,
            loaded_at=timezone.now(),
            counts={
                **summary.counts,
                "created": summary.created,
                "updated": summary.updated,
                "obsolete": len(summary.obsolete),
            },
        )
    summary.seconds = time.monotonic() - started
    return summary


def region_words_rebuild(*, codes: list[str] | None = None) -> int:
    """Re-index for name search the words of these regions (of every current region if None).

    The loader does this itself; call it after creating regions by other means (tests, a data fix).
    Returns the number of words written.
    """
    with transaction.atomic():
        regions = Region.objects.filter(is_current=True).order_by().values_list("code", "name")
        if codes is None:
            RegionWord.objects.all().delete()
        else:
            _delete_words(codes)
            regions = regions.filter(code__in=codes)
        return _write_words(word for code, name in regions for word in word_rows(code, name))


def _read_rows(data: bytes) -> tuple[list[Row], Counter]:
    reader = csv.reader(io.StringIO(gzip.decompress(data).decode("utf-8")))
    if next(reader, None) != COLUMNS:
        raise RegionDataError(f"expected the columns {','.join(COLUMNS)}")
    rows: list[Row] = []
    counts: Counter = Counter()
    for line, values in enumerate(reader, start=2):
        if len(values) != len(COLUMNS):
            raise RegionDataError(f"line {line}: {len(values)} columns")
        code, name, level, kind, parent = values
        if level not in DIGITS or kind not in KINDS[level]:
            raise RegionDataError(f"line {line}: level {level!r}, kind {kind!r}")
        if len(code) != DIGITS[level] or not code.isdigit() or not name.strip() or len(name) > 120:
            raise RegionDataError(f"line {line}: code {code!r}, name {name!r}")
        if (level == "province") != (parent == "") or not code.startswith(parent):
            raise RegionDataError(f"line {line}: parent {parent!r} of {code}")
        rows.append((code, name, level, kind, parent or None))
        counts[level] += 1
        counts[kind] += 1
    codes = {row[0] for row in rows}
    if len(codes) != len(rows):
        raise RegionDataError("a code appears twice")
    orphans = [row[0] for row in rows if row[4] and row[4] not in codes]
    if orphans:
        raise RegionDataError(f"{len(orphans)} regions have an unknown parent, e.g. {orphans[:5]}")
    return rows, counts


def _delete_words(codes: list[str]) -> None:
    for start in range(0, len(codes), CHUNK):
        RegionWord.objects.filter(region_id__in=codes[start : start + CHUNK]).delete()


def _write_words(words: Iterable[tuple[str, int, str]]) -> int:
    rows = list(words)
    _write_rows(RegionWord._meta.db_table, ["word", "rank", "region_id"], rows)
    return len(rows)


def _write_rows(table: str, columns: list[str], rows: Iterable[tuple], conflict: str | None = None) -> None:
    """INSERT rows into `table` (updating the other columns when `conflict` already exists).

    Raw SQL because the 91,000 regions and 130,000 words of a first load took 13 s (SQLite) and 20 s
    (PostgreSQL) through bulk_create, whose per-object work and client-side parameter binding dominate;
    executemany on SQLite and COPY on PostgreSQL take a few seconds. Identifiers come from the model.
    """
    # Every identifier below comes from the model's metadata, quoted, never from input: nothing to inject.
    quote = connection.ops.quote_name
    target = quote(table)
    names = ", ".join(quote(column) for column in columns)
    upsert = ""
    if conflict:
        updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != conflict)
        upsert = f" ON CONFLICT ({quote(conflict)}) DO UPDATE SET {updates}"  # nosec
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staging = quote(f"staging_{table}")
            create = f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {target} WITH NO DATA"  # noqa: S608  # nosec
            cursor.execute(create)
            with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM {staging}{upsert}")  # noqa: S608  # nosec
            cursor.execute(f"DROP TABLE {staging}")
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            insert = f"INSERT INTO {target} ({names}) VALUES ({placeholders}){upsert}"  # noqa: S608  # nosec
            cursor.executemany(insert, rows)
