"""Loading the Kemendagri region file: counts, kinds, idempotency, the fast path, and retired codes."""

import csv
import gzip
import hashlib
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.db.models.functions import Substr

from sibaru.accounts.models import Organisation
from sibaru.regions import selectors
from sibaru.regions.models import Region, RegionDataset, RegionWord
from sibaru.regions.services import DATA_FILE, RegionDataError, region_words_rebuild, regions_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]

EXPECTED = {
    "province": 38, "regency": 514, "district": 7285, "village": 83762,
    "provinsi": 38, "kabupaten": 416, "kota": 98, "kecamatan": 7285, "desa": 75266, "kelurahan": 8496,
}


def write_file(path, rows, header="code,name,level,kind,parent_code"):
    text = io.StringIO()
    text.write(header + "\n")
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_bytes(gzip.compress(text.getvalue().encode()))
    return path


def test_the_first_load_creates_every_region_of_the_file(loaded_regions):
    assert not loaded_regions.skipped
    assert loaded_regions.created == 91599
    assert (loaded_regions.updated, loaded_regions.obsolete) == (0, [])
    assert loaded_regions.counts == EXPECTED


def test_the_database_holds_the_expected_counts_per_level_and_kind():
    by_level = dict(Region.objects.values_list("level").annotate(n=Count("code")).order_by())
    by_kind = dict(Region.objects.values_list("kind").annotate(n=Count("code")).order_by())
    assert by_level == {k: v for k, v in EXPECTED.items() if k in ("province", "regency", "district", "village")}
    assert by_kind == {k: v for k, v in EXPECTED.items() if k not in by_level}
    assert not Region.objects.filter(is_current=False).exists()


def test_kinds_follow_the_code_rules():
    regencies = Region.objects.filter(level="regency").annotate(kk=Substr("code", 3, 2))
    assert all((int(r.kk) <= 69) == (r.kind == "kabupaten") for r in regencies)
    assert all(r.name.startswith("Kabupaten " if r.kind == "kabupaten" else "Kota ") for r in regencies)
    villages = Region.objects.filter(level="village").annotate(digit=Substr("code", 7, 1))
    assert not villages.filter(kind="kelurahan").exclude(digit="1").exists()
    assert not villages.filter(kind="desa").exclude(digit__in=["2", "3"]).exists()
    # Desa adat (3xxx) are stored as desa.
    assert villages.filter(digit="3").count() == 14
    assert set(villages.filter(digit="3").values_list("kind", flat=True)) == {"desa"}


def test_every_region_but_a_province_has_its_code_prefix_as_parent():
    assert not Region.objects.filter(level="province").exclude(parent=None).exists()
    for level, parent_length in (("regency", 2), ("district", 4), ("village", 6)):
        rows = Region.objects.filter(level=level).annotate(prefix=Substr("code", 1, parent_length))
        assert not rows.exclude(parent_id=F("prefix")).exists()


def test_known_regions_have_their_names_and_kinds():
    rows = {r.code: (r.name, r.kind, r.parent_id) for r in Region.objects.filter(
        code__in=["32", "3273", "3204", "327301", "3273011001", "3204052001"])}
    assert rows == {
        "32": ("Jawa Barat", "provinsi", None),
        "3273": ("Kota Bandung", "kota", "32"),
        "3204": ("Kabupaten Bandung", "kabupaten", "32"),
        "327301": ("Sukasari", "kecamatan", "3273"),
        "3273011001": ("Sukarasa", "kelurahan", "327301"),
        "3204052001": ("Cileunyi Kulon", "desa", "320405"),
    }


def test_an_unchanged_file_is_skipped_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        summary = regions_load()
    assert summary.skipped
    assert summary.counts == EXPECTED
    assert summary.sha256 == hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()
    assert RegionDataset.objects.count() == 1


def test_loading_again_changes_nothing():
    words = RegionWord.objects.count()
    summary = regions_load(force=True)
    assert (summary.created, summary.updated, summary.unchanged, summary.obsolete) == (0, 0, 91599, [])
    assert Region.objects.count() == 91599
    assert RegionWord.objects.count() == words


def test_a_changed_name_or_kind_is_restored_and_its_search_words_follow():
    Region.objects.filter(code="3273").update(name="Kota Kembang", kind="kabupaten")
    region_words_rebuild(codes=["3273"])
    assert [r.code for r in selectors.region_search(q="kembang", levels=["regency"])] == ["3273"]

    summary = regions_load(force=True)

    assert (summary.created, summary.updated) == (0, 1)
    assert Region.objects.values_list("name", "kind").get(code="3273") == ("Kota Bandung", "kota")
    assert selectors.region_search(q="kembang", levels=["regency"]) == []
    assert "3273" in [r.code for r in selectors.region_search(q="bandung", levels=["regency"])]


def test_a_table_emptied_behind_the_loader_is_loaded_again():
    Region.objects.filter(level="village", code__startswith="3273").delete()
    summary = regions_load()
    assert not summary.skipped
    assert summary.created == Region.objects.filter(level="village", code__startswith="3273").count() > 0


def test_a_code_that_left_the_list_is_kept_marked_and_reported():
    retired = Region.objects.create(code="3299", name="Kabupaten Zuzuzu", level="regency", kind="kabupaten",
                                    parent_id="32")
    region_words_rebuild(codes=["3299"])
    assert selectors.region_search(q="zuzuzu") == [retired]
    org = Organisation.objects.create(name="Pemkab Lama", kind=Organisation.Kind.REGENCY_GOVERNMENT, region=retired)

    summary = regions_load(force=True)

    assert summary.obsolete == ["3299"]
    retired.refresh_from_db()
    assert retired.is_current is False
    assert Organisation.objects.get(pk=org.pk).region_id == "3299"
    assert selectors.region_search(q="zuzuzu") == []
    assert "3299" not in [r.code for r in selectors.region_children(parent="32")]
    assert selectors.region_get(code="32.99") == retired


def test_a_new_edition_adds_renames_and_retires_only_what_changed(tmp_path):
    rows = list(csv.reader(io.StringIO(gzip.decompress(DATA_FILE.read_bytes()).decode())))[1:]
    rows = [row for row in rows if row[0] != "3273011001"]  # Sukarasa leaves the list
    for row in rows:
        if row[0] == "327301":
            row[1] = "Sukasari Baru"
    rows.append(["3273019001", "Kelurahan Baru", "village", "kelurahan", "327301"])

    summary = regions_load(path=write_file(tmp_path / "edition.csv.gz", rows))

    assert (summary.created, summary.updated, summary.obsolete) == (1, 1, ["3273011001"])
    assert Region.objects.get(code="327301").name == "Sukasari Baru"
    assert Region.objects.get(code="3273011001").is_current is False
    assert codes_of(selectors.region_search(q="sukasari baru")) == ["327301"]
    assert "3273019001" in codes_of(selectors.region_children(parent="327301"))
    assert "3273011001" not in codes_of(selectors.region_children(parent="327301"))


def codes_of(regions):
    return [r.code for r in regions]


@pytest.mark.parametrize(
    ("rows", "header"),
    [
        ([["32", "Jawa Barat", "province", "provinsi", ""]], "code,name,level,kind"),
        ([["32", "Jawa Barat", "province", "kota", ""]], None),
        ([["3273", "Kota Bandung", "regency", "kota", "99"]], None),
        ([["3273", "Kota Bandung", "regency", "kota", "33"]], None),
        ([["32.73", "Kota Bandung", "regency", "kota", "32"]], None),
        ([["32", "Jawa Barat", "province", "provinsi", ""], ["32", "Jawa Barat", "province", "provinsi", ""]], None),
        ([["32", "", "province", "provinsi", ""]], None),
    ],
)
def test_a_bad_file_is_refused_and_writes_nothing(tmp_path, rows, header):
    path = write_file(tmp_path / "bad.csv.gz", rows, **({"header": header} if header else {}))
    before = (Region.objects.count(), RegionDataset.objects.count())
    with pytest.raises(RegionDataError):
        regions_load(path=path)
    assert (Region.objects.count(), RegionDataset.objects.count()) == before


def test_the_command_reports_an_unchanged_file():
    out = io.StringIO()
    call_command("load_regions", stdout=out)
    assert "unchanged" in out.getvalue()
    assert "village 83762" in out.getvalue()


def test_the_command_lists_retired_codes(tmp_path):
    Region.objects.create(code="3298", name="Kota Lama", level="regency", kind="kota", parent_id="32")
    out = io.StringIO()
    call_command("load_regions", "--force", stdout=out)
    assert "1 codes are no longer in the file" in out.getvalue()
    assert "3298" in out.getvalue()
