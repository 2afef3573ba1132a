"""Build regions.csv.gz from the CSV files of the npm package idn-area-data 4.0.1.

    cd /tmp && npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz
    python src/sibaru/regions/data/build_regions.py /tmp/package/data

Writes src/sibaru/regions/data/regions.csv.gz (or the path given by --out): one row per region,
sorted by code, columns code (digits only), name, level, kind, parent_code. The gzip header carries
no timestamp or file name, so the same input always gives the same bytes (and the same SHA-256,
which the loader uses to skip an unchanged file).

Standard library only; it stops with an error instead of writing a file that breaks a rule below.
"""

import argparse
import csv
import gzip
import io
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent / "regions.csv.gz"
HEADER = ["code", "name", "level", "kind", "parent_code"]
DIGITS = {"province": 2, "regency": 4, "district": 6, "village": 10}


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    # A handful of source names are all lower case ("lamuk"); give them the Title Case of the rest.
    if name == name.lower():
        name = " ".join(word[:1].upper() + word[1:] for word in name.split(" "))
    return name


def read(folder: Path, filename: str) -> list[dict[str, str]]:
    with (folder / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def regency_kind(code: str, name: str) -> str:
    # Permendagri 58/2021: KK 01-69 is a kabupaten, 71-99 a kota; the source's name must agree.
    number = int(code[2:4])
    kind = "kabupaten" if 1 <= number <= 69 else "kota" if 71 <= number <= 99 else None
    expected = {"kabupaten": "kabupaten ", "kota": "kota "}.get(kind or "")
    if kind is None or not name.lower().startswith(expected):
        raise SystemExit(f"regency {code} {name!r}: code and name disagree on kabupaten/kota")
    return kind


def village_kind(code: str) -> str:
    # First digit of the last four: 1 kelurahan, 2 desa, 3 desa adat (stored as desa).
    kind = {"1": "kelurahan", "2": "desa", "3": "desa"}.get(code[6])
    if kind is None:
        raise SystemExit(f"village {code}: unknown kind digit {code[6]!r}")
    return kind


def build(folder: Path) -> tuple[list[list[str]], Counter]:
    rows: list[list[str]] = []
    stats: Counter = Counter()

    def add(code: str, name: str, level: str, kind: str, parent: str) -> None:
        code = code.replace(".", "")
        parent = parent.replace(".", "")
        if not re.fullmatch(rf"\d{{{DIGITS[level]}}}", code):
            raise SystemExit(f"{level} {code!r}: not {DIGITS[level]} digits")
        if parent and not code.startswith(parent):
            raise SystemExit(f"{level} {code}: parent {parent} is not its prefix")
        cleaned = clean_name(name)
        stats["names_changed"] += cleaned != name
        rows.append([code, cleaned, level, kind, parent])
        stats[level] += 1
        stats[kind] += 1

    for row in read(folder, "provinces.csv"):
        add(row["code"], row["name"], "province", "provinsi", "")
    for row in read(folder, "regencies.csv"):
        add(row["code"], row["name"], "regency", regency_kind(row["code"].replace(".", ""), row["name"]),
            row["province_code"])
    for row in read(folder, "districts.csv"):
        add(row["code"], row["name"], "district", "kecamatan", row["regency_code"])
    for row in read(folder, "villages.csv"):
        code = row["code"].replace(".", "")
        stats["desa_adat"] += code[6] == "3"
        add(row["code"], row["name"], "village", village_kind(code), row["district_code"])

    codes = [row[0] for row in rows]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate codes in the source")
    known = set(codes)
    missing = [row[0] for row in rows if row[4] and row[4] not in known]
    if missing:
        raise SystemExit(f"{len(missing)} regions have an unknown parent, e.g. {missing[:5]}")
    rows.sort(key=lambda row: row[0])
    return rows, stats


def write(rows: list[list[str]], out: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the data/ folder of the unpacked idn-area-data package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows, stats = build(args.folder)
    write(rows, args.out)
    print(f"wrote {len(rows)} regions to {args.out}", file=sys.stderr)
    for key in ("province", "regency", "kabupaten", "kota", "district", "village", "kelurahan", "desa",
                "desa_adat", "names_changed"):
        print(f"  {key}: {stats[key]}", file=sys.stderr)


if __name__ == "__main__":
    main()
