"""data/build_regions.py: the conversion of idn-area-data's CSV files into regions.csv.gz."""

import csv
import gzip
import importlib.util
import io
from pathlib import Path

import pytest

from sibaru.regions.services import DATA_FILE

SCRIPT = DATA_FILE.parent / "build_regions.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_regions", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source(folder: Path, regencies=None) -> Path:
    files = {
        "provinces.csv": "code,name\n32,Jawa Barat\n",
        "regencies.csv": regencies or "code,province_code,name\n32.04,32,Kabupaten Bandung\n32.73,32,Kota Bandung\n",
        "districts.csv": "code,regency_code,name\n32.73.01,32.73,Sukasari\n",
        "villages.csv": 'code,district_code,name\n32.73.01.1001,32.73.01,Sukarasa\n'
                        '32.73.01.2001,32.73.01,lamuk  baru\n32.73.01.3001,32.73.01,"Soka""an"\n',
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))


def test_the_script_writes_digits_only_codes_kinds_and_parents(build, tmp_path):
    out = tmp_path / "out.csv.gz"
    build.main([str(source(tmp_path)), "--out", str(out)])
    assert rows_of(out) == [
        ["code", "name", "level", "kind", "parent_code"],
        ["32", "Jawa Barat", "province", "provinsi", ""],
        ["3204", "Kabupaten Bandung", "regency", "kabupaten", "32"],
        ["3273", "Kota Bandung", "regency", "kota", "32"],
        ["327301", "Sukasari", "district", "kecamatan", "3273"],
        ["3273011001", "Sukarasa", "village", "kelurahan", "327301"],
        ["3273012001", "Lamuk Baru", "village", "desa", "327301"],
        ["3273013001", 'Soka"an', "village", "desa", "327301"],
    ]


def test_the_same_source_gives_the_same_bytes(build, tmp_path):
    first, second = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    build.main([str(source(tmp_path)), "--out", str(first)])
    build.main([str(source(tmp_path)), "--out", str(second)])
    assert first.read_bytes() == second.read_bytes()


def test_a_regency_whose_name_contradicts_its_code_stops_the_script(build, tmp_path):
    folder = source(tmp_path, regencies="code,province_code,name\n32.73,32,Kabupaten Bandung\n")
    with pytest.raises(SystemExit):
        build.main([str(folder), "--out", str(tmp_path / "out.csv.gz")])


def test_the_committed_file_is_the_one_the_readme_names():
    import hashlib

    readme = (DATA_FILE.parent / "README.md").read_text()
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() in readme
