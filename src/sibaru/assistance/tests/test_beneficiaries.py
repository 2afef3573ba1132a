"""BSPS beneficiaries: the NIK, each row rule, reading XLSX and CSV, duplicates in all four places, the
import and its all-or-nothing choice, the background task with its progress and report, the logged read."""

import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance.beneficiaries import (
    COLUMNS,
    BeneficiaryFileError,
    beneficiaries_for,
    beneficiaries_import,
    beneficiary_add,
    beneficiary_error_report_csv,
    beneficiary_import_progress,
    beneficiary_import_run,
    beneficiary_import_start,
    beneficiary_remove,
    beneficiary_rows_check,
    beneficiary_template_csv,
    beneficiary_template_xlsx,
    beneficiary_upload_check,
    read_beneficiary_file,
)
from sibaru.assistance.models import (
    AssistedHousehold,
    Beneficiary,
    BeneficiaryImport,
    MinimumWage,
    Programme,
    Proposal,
    ProposalLocation,
    RequirementSet,
)
from sibaru.assistance.nik import parse_family_card_number, parse_nik
from sibaru.core.models import Case, Event
from sibaru.core.services import ActionNotAllowed, case_apply_action, case_open
from sibaru.regions.models import Region

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
WAGE = Decimal(2_200_000)


# ---------------------------------------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def bsps_regions(regions):
    """The personas' regions, plus a second village in Sukasari, a district and village in Semarang, an
    obsolete village, and an obsolete district (NIKs registered there stay valid)."""
    extra = [
        Region(code="3273011002", name="Gegerkalong", level="village", kind="kelurahan", parent_id="327301"),
        Region(code="3273011099", name="Lama", level="village", kind="desa", parent_id="327301", is_current=False),
        Region(code="327399", name="Kecamatan Lama", level="district", kind="kecamatan", parent_id="3273",
               is_current=False),
        Region(code="337401", name="Semarang Tengah", level="district", kind="kecamatan", parent_id="3374"),
        Region(code="3374011001", name="Sekayu", level="village", kind="kelurahan", parent_id="337401"),
    ]
    Region.objects.bulk_create(extra, ignore_conflicts=True)
    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def swadaya(db):
    programme, _ = Programme.objects.get_or_create(
        code="swadaya", defaults={"name": "Rumah Swadaya", "prefix": "RSW", "verification": "technical"}
    )
    requirement_set, _ = RequirementSet.objects.get_or_create(programme=programme, budget_year=2027)
    return programme, requirement_set


@pytest.fixture
def wage(bsps_regions):
    return MinimumWage.objects.create(province_id="32", year=THIS_YEAR, amount=WAGE)


def make_proposal(swadaya, org, region, *, title="BSPS Kota Bandung", villages=()) -> Proposal:
    programme, requirement_set = swadaya
    case = case_open(
        kind="proposal_swadaya", submitted=False, organisation=org, region=region,
        create_details=lambda case: Proposal.objects.create(
            case=case, programme=programme, requirement_set=requirement_set, proposer=org, budget_year=2027,
            title=title,
        ),
    )
    proposal = case.proposal
    for code in villages:
        ProposalLocation.objects.create(proposal=proposal, region_id=code, units_pk=10)
    return proposal


@pytest.fixture
def proposal(swadaya, orgs, bsps_regions, wage):
    """A draft BSPS proposal of Pemkot Bandung with one target village (Sukarasa)."""
    return make_proposal(swadaya, orgs["bandung"], bsps_regions["3273"], villages=["3273011001"])


@pytest.fixture
def operator(people):
    return people["operator"]


def nik(serial: int, *, day: int = 5, month: int = 8, year: int = 80, district: str = "327301") -> str:
    return f"{district}{day:02d}{month:02d}{year:02d}{serial:04d}"


def row(serial: int = 1, **values) -> dict:
    """A valid row: a damaged roof in Sukarasa, income under the UMP, own land."""
    data = {
        "nik": nik(serial), "no_kk": f"32730102011{serial:05d}", "nama": f"Warga {serial}",
        "alamat": f"Jl. Sukarasa No. {serial}", "kode_desa": "3273011001", "penghasilan": "1.800.000",
        "status_tanah": "milik sendiri", "jumlah_penghuni": "4", "luas_lantai": "36", "atap_rusak": "ya",
        "dinding_rusak": "tidak", "lantai_rusak": "tidak", "sanitasi_tidak_layak": "tidak",
        "struktur_rusak": "tidak", "kegiatan": "PK",
    }
    data.update(values)
    return data


def check(proposal, *rows):
    return beneficiary_rows_check(proposal, list(rows))


def codes(checked_row, severity=None) -> set[str]:
    return {i.code for i in checked_row.issues if severity is None or i.severity == severity}


def messages(checked_row) -> list[str]:
    return [i.message for i in checked_row.issues]


def xlsx_bytes(rows: list[list], *, header=COLUMNS, cached: dict[str, str] | None = None) -> bytes:
    """An XLSX of these rows under the header. `cached` gives formula cells a cached value (cell → value),
    as Excel saves them; openpyxl itself writes formulas without one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if not cached:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for cell, value in cached.items():
                    xml = re.sub(rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/>', rf"\1<f>\2</f><v>{value}</v>", xml)
                content = xml.encode()
            target.writestr(item, content)
    return out.getvalue()


def csv_bytes(rows: list[dict], *, delimiter=",", bom=False) -> bytes:
    lines = [delimiter.join(COLUMNS)] + [delimiter.join(str(r[c]) for c in COLUMNS) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


# ---------------------------------------------------------------------------------------------------------
# NIK and KK
# ---------------------------------------------------------------------------------------------------------


def test_a_mans_nik_gives_his_birth_date_and_sex():
    info = parse_nik("3515140508680001", district_codes={"351514"})
    assert info.valid and not info.warnings
    assert (info.sex, info.birth_date, info.district_code, info.serial) == (
        "male", datetime.date(1968, 8, 5), "351514", "0001"
    )
    assert (info.province_code, info.regency_code) == ("35", "3515")


def test_a_womans_nik_has_forty_added_to_the_day():
    info = parse_nik("3515144508680002", district_codes={"351514"})
    assert (info.sex, info.birth_date) == ("female", datetime.date(1968, 8, 5))


def test_the_two_digit_year_is_the_most_recent_past_one():
    today = datetime.date(2026, 3, 1)
    assert parse_nik("3273010101050001", district_codes={"327301"}, today=today).birth_date == datetime.date(2005, 1, 1)
    # 15 June 2026 is still ahead on 1 March 2026: born in 1926.
    assert parse_nik("3273011506260001", district_codes={"327301"}, today=today).birth_date == datetime.date(
        1926, 6, 15
    )
    assert parse_nik("3273010101300001", district_codes={"327301"}, today=today).birth_date == datetime.date(1930, 1, 1)


def test_an_impossible_birth_date_is_a_warning_not_an_error():
    info = parse_nik("3273013102900001", district_codes={"327301"})  # 31 February
    assert info.valid
    assert [w.code for w in info.warnings] == ["nik_date"]
    assert (info.birth_date, info.sex) == (None, "male")
    neither = parse_nik("3273013502900001", district_codes={"327301"})  # day 35: neither 01–31 nor 41–71
    assert neither.valid and neither.sex == "" and [w.code for w in neither.warnings] == ["nik_date"]
    assert parse_nik("3273010113900001", district_codes={"327301"}).warnings  # month 13


def test_an_nik_must_be_sixteen_digits_with_a_known_district_and_a_serial():
    known = {"327301"}
    assert [e.code for e in parse_nik("32730105088", district_codes=known).errors] == ["nik_format"]
    assert [e.code for e in parse_nik("32730105088000AB", district_codes=known).errors] == ["nik_format"]
    assert [e.code for e in parse_nik("", district_codes=known).errors] == ["nik_format"]
    assert [e.code for e in parse_nik("9999990508800001", district_codes=known).errors] == ["nik_region"]
    assert [e.code for e in parse_nik("3273010508800000", district_codes=known).errors] == ["nik_serial"]
    # People group the digits when they type them.
    assert parse_nik("3273 0105 0880 0001", district_codes=known).nik == "3273010508800001"


def test_the_district_is_read_from_the_region_list_when_no_set_is_given(bsps_regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert parse_nik("3273010508800001").valid
    with django_assert_num_queries(1):
        assert [e.code for e in parse_nik("3273990508800001").errors] == []  # an obsolete district still counts
    assert [e.code for e in parse_nik("1111110508800001").errors] == ["nik_region"]


def test_a_family_card_number_is_sixteen_digits_with_a_known_district():
    known = {"327301"}
    assert parse_family_card_number("3273010201100001", district_codes=known).valid
    assert [e.code for e in parse_family_card_number("3273", district_codes=known).errors] == ["kk_format"]
    assert [e.code for e in parse_family_card_number("1111110201100001", district_codes=known).errors] == [
        "kk_region"
    ]


# ---------------------------------------------------------------------------------------------------------
# Row rules
# ---------------------------------------------------------------------------------------------------------


def test_a_valid_row_is_cleaned_into_a_beneficiary(proposal):
    [checked] = check(proposal, row(1, penghasilan="Rp 1.800.000", status_tanah="SHM", kode_desa="32.73.01.1001",
                                    luas_lantai="36,5", kegiatan="pb"))
    assert checked.ok and checked.issues == []
    assert checked.monthly_income == Decimal(1_800_000)
    assert checked.floor_area == Decimal("36.50")
    assert (checked.land_status, checked.village, checked.activity) == ("milik_sendiri", "3273011001", "PB")
    assert checked.location_id == proposal.locations.get().pk
    assert checked.house_condition == {"roof": True, "walls": False, "floor": False, "sanitation": False,
                                       "structure": False}


@pytest.mark.parametrize("column", ["nik", "no_kk", "nama", "alamat", "kode_desa", "penghasilan", "status_tanah",
                                    "jumlah_penghuni", "luas_lantai", "kegiatan"])
def test_each_required_column_names_itself_when_empty(proposal, column):
    [checked] = check(proposal, row(1, **{column: "  "}))
    assert not checked.ok
    assert f"Kolom {column}: wajib diisi." in messages(checked)


def test_messages_read_in_english_too(proposal):
    [checked] = check(proposal, row(1, nama=""))
    with translation.override("en"):
        assert checked.issues[0].message.startswith("Column nama:")


def test_nik_and_family_card_errors_reject_the_row(proposal):
    bad_nik, bad_kk, unknown = check(proposal, row(1, nik="12345"), row(2, no_kk="99"),
                                     row(3, nik=nik(3, district="111111")))
    assert codes(bad_nik) == {"nik_format"}
    assert codes(bad_kk) == {"kk_format"}
    assert codes(unknown) == {"nik_region"}
    assert "Kolom nik:" in unknown.issues[0].message


def test_an_impossible_birth_date_keeps_the_row_with_a_warning(proposal, operator):
    result = beneficiaries_import(proposal=proposal, rows=[row(1, nik=nik(1, day=31, month=2))], user=operator,
                                  import_valid_rows=False)
    assert result.imported == 1 and result.warned == 1
    stored = Beneficiary.objects.get(proposal=proposal)
    assert stored.warnings == [{"column": "nik", "code": "nik_date", "params": {}}]
    assert bsps.beneficiary_warning_messages(stored)[0].startswith("Kolom nik: Tanggal lahir pada NIK")


def test_the_village_must_exist_be_current_and_lie_in_a_target_location(proposal):
    unknown, obsolete, outside, malformed = check(
        proposal, row(1, kode_desa="3273019999"), row(2, kode_desa="3273011099"), row(3, kode_desa="3273011002"),
        row(4, kode_desa="32730"),
    )
    assert codes(unknown) == {"village_unknown"}
    assert codes(obsolete) == {"village_unknown"}
    assert codes(outside) == {"village_outside"}
    assert codes(malformed) == {"village_format"}


def test_without_target_locations_any_known_village_will_do(swadaya, orgs, bsps_regions, wage):
    proposal = make_proposal(swadaya, orgs["bandung"], bsps_regions["3273"])
    [checked] = check(proposal, row(1, kode_desa="3273011002"))
    assert checked.ok and checked.location_id is None


def test_income_above_the_ump_is_refused_and_without_an_ump_it_is_a_warning(swadaya, orgs, bsps_regions, wage):
    proposal = make_proposal(swadaya, orgs["bandung"], bsps_regions["3273"])
    at_wage, above, semarang = check(
        proposal, row(1, penghasilan="2200000"), row(2, penghasilan="2.200.001"),
        row(3, kode_desa="3374011001", penghasilan="9000000"),
    )
    assert at_wage.ok and at_wage.issues == []
    assert codes(above) == {"income_above_ump"}
    assert f"melebihi UMP provinsi tahun {THIS_YEAR} (Rp2.200.000)" in above.issues[0].message
    assert semarang.ok and codes(semarang, "warning") == {"ump_missing"}
    assert "UMP belum tersedia" in semarang.issues[0].message


@pytest.mark.parametrize(("value", "ok"), [("milik sendiri", True), ("Girik", True), ("hak_pakai", True),
                                           ("Letter C", True), ("sewa", False), ("numpang", False)])
def test_the_land_status_must_be_an_accepted_title(proposal, value, ok):
    [checked] = check(proposal, row(1, status_tanah=value))
    assert checked.ok is ok
    if not ok:
        assert codes(checked) == {"land_status"} and "milik sendiri" in checked.issues[0].message


def test_a_house_without_damage_or_crowding_is_not_an_rtlh(proposal):
    sound = {"atap_rusak": "tidak", "dinding_rusak": "", "lantai_rusak": "0", "sanitasi_tidak_layak": "tidak",
             "struktur_rusak": "TIDAK"}
    spacious, crowded, damaged = check(
        proposal,
        row(1, **sound, jumlah_penghuni="4", luas_lantai="36"),  # 9 m² per person
        row(2, **sound, jumlah_penghuni="5", luas_lantai="30"),  # 6 m² per person
        row(3, **{**sound, "struktur_rusak": "ya"}, jumlah_penghuni="1", luas_lantai="90"),
    )
    assert codes(spacious) == {"not_rtlh"}
    assert "Rumah tidak memenuhi kriteria RTLH" in spacious.issues[0].message
    assert "9,0 m²" in spacious.issues[0].message and "7,2 m²" in spacious.issues[0].message
    assert crowded.ok and damaged.ok


def test_numbers_must_be_positive_and_flags_yes_or_no(proposal):
    zero_area, zero_people, words, flag, activity, negative = check(
        proposal, row(1, luas_lantai="0"), row(2, jumlah_penghuni="0"), row(3, luas_lantai="luas", penghasilan="x"),
        row(4, dinding_rusak="mungkin"), row(5, kegiatan="XX"), row(6, penghasilan=-5),
    )
    assert codes(zero_area) == {"positive"}
    assert codes(zero_people) == {"integer"}
    assert codes(words) == {"number"}
    assert {i.column for i in words.issues} == {"luas_lantai", "penghasilan"}
    assert codes(flag) == {"flag"}
    assert codes(activity) == {"activity"}
    assert codes(negative) == {"negative"}


def test_names_and_addresses_are_limited_and_control_characters_are_removed(proposal):
    long_name, control = check(proposal, row(1, nama="x" * 151), row(2, alamat="Jl.\x00Mawar\tNo. 2"))
    assert codes(long_name) == {"too_long"}
    assert control.ok and control.address == "Jl. Mawar No. 2"


def test_the_templates_example_row_is_refused(proposal):
    [checked] = check(proposal, {**bsps.EXAMPLE_ROW})
    assert "example_row" in codes(checked)


def test_a_shared_family_card_is_a_warning(proposal):
    first, second = check(proposal, row(1, no_kk="3273010201100001"), row(2, no_kk="3273010201100001"))
    assert first.ok and second.ok
    assert codes(second, "warning") == {"kk_shared_file"}


# ---------------------------------------------------------------------------------------------------------
# Duplicates: in the file, in the proposal, in other open proposals, assisted in the last ten years
# ---------------------------------------------------------------------------------------------------------


def test_a_duplicate_in_the_file_rejects_the_later_rows(proposal):
    first, other, second, third = check(proposal, row(1), row(2), row(1, nama="Lagi"), row(1, nama="Lagi lagi"))
    assert first.ok and other.ok
    assert codes(second, "error") == {"duplicate_file"} and codes(third, "error") == {"duplicate_file"}
    assert "NIK sama dengan baris 2" in second.issues[0].message


def test_a_duplicate_in_the_proposal_is_refused(proposal, operator):
    beneficiaries_import(proposal=proposal, rows=[row(1)], user=operator, import_valid_rows=False)
    [again] = check(proposal, row(1))
    assert codes(again, "error") == {"duplicate_proposal"}


def test_a_person_in_another_open_proposal_is_refused_until_that_one_closes(swadaya, orgs, bsps_regions, wage,
                                                                          proposal, operator):
    other = make_proposal(swadaya, orgs["bandung"], bsps_regions["3273"], title="Usulan lain")
    beneficiaries_import(proposal=other, rows=[row(1)], user=operator, import_valid_rows=False)
    [checked] = check(proposal, row(1))
    assert codes(checked) == {"duplicate_open"}
    case_apply_action(case=other.case, action="withdraw", user=operator, note="Diganti usulan baru")
    [checked] = check(proposal, row(1))
    assert checked.ok


def test_a_person_assisted_in_the_last_ten_years_is_refused(proposal):
    AssistedHousehold.objects.create(nik=nik(1), year=THIS_YEAR - 10, programme="BSPS", source="e-RTLH")
    AssistedHousehold.objects.create(nik=nik(2), year=THIS_YEAR - 11, programme="BSPS", source="e-RTLH")
    recent, long_ago = check(proposal, row(1), row(2))
    assert codes(recent) == {"assisted"}
    assert f"pada tahun {THIS_YEAR - 10}" in recent.issues[0].message
    assert long_ago.ok


def test_a_whole_file_is_checked_in_a_fixed_number_of_queries(proposal):
    small = [row(i) for i in range(1, 4)]
    large = [row(i) for i in range(1, 301)]
    with CaptureQueriesContext(connection) as few:
        check(proposal, *small)
    with CaptureQueriesContext(connection) as many:
        check(proposal, *large)
    assert len(many) == len(few) <= 8


# ---------------------------------------------------------------------------------------------------------
# Import: all or nothing unless asked, one transaction, one event, only while editable
# ---------------------------------------------------------------------------------------------------------


def test_nothing_is_imported_while_a_row_has_an_error(proposal, operator):
    events = proposal.case.events.count()
    result = beneficiaries_import(proposal=proposal, rows=[row(1), row(2, nama=""), row(3)], user=operator,
                                  import_valid_rows=False)
    assert (result.total, result.imported, result.rejected) == (3, 0, 1)
    assert result.has_errors and [(e.row, e.column, e.code) for e in result.errors] == [(3, "nama", "required")]
    assert not Beneficiary.objects.exists()
    assert proposal.case.events.count() == events


def test_the_valid_rows_alone_are_imported_when_asked(proposal, operator):
    result = beneficiaries_import(proposal=proposal, rows=[row(1), row(2, nama=""), row(3)], user=operator,
                                  import_valid_rows=True)
    assert (result.imported, result.rejected) == (2, 1)
    assert sorted(Beneficiary.objects.values_list("nik", flat=True)) == [nik(1), nik(3)]
    event = Event.objects.filter(case=proposal.case).latest("seq")
    assert (event.action, event.public) == ("beneficiaries_imported", False)
    assert event.data == {"rows": 3, "imported": 2, "rejected": 1, "warnings": 0}
    assert nik(1) not in json.dumps(event.data)  # counts only, no personal data


def test_a_failure_half_way_leaves_nothing_imported(proposal, operator, monkeypatch):
    def broken_event(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bsps, "append_event", broken_event)
    with pytest.raises(RuntimeError):
        beneficiaries_import(proposal=proposal, rows=[row(i) for i in range(1, 2500)], user=operator,
                             import_valid_rows=False)
    assert not Beneficiary.objects.exists()


def test_beneficiaries_change_only_while_the_proposal_is_a_draft_or_under_revision(proposal, operator):
    Case.objects.filter(pk=proposal.case_id).update(state="revision")
    assert beneficiaries_import(proposal=proposal, rows=[row(1)], user=operator, import_valid_rows=False).imported
    Case.objects.filter(pk=proposal.case_id).update(state="submitted")
    with pytest.raises(ActionNotAllowed):
        beneficiaries_import(proposal=proposal, rows=[row(2)], user=operator, import_valid_rows=False)
    with pytest.raises(ActionNotAllowed):
        beneficiary_add(proposal=proposal, user=operator, data=row(3))
    with pytest.raises(ActionNotAllowed):
        beneficiary_remove(beneficiary=Beneficiary.objects.get(), user=operator)


def test_only_the_proposers_operator_may_import(proposal, people):
    for someone in (people["outsider"], people["province_monitor"], people["admin"]):
        with pytest.raises(PermissionDenied):
            beneficiaries_import(proposal=proposal, rows=[row(1)], user=someone, import_valid_rows=False)
    assert not Beneficiary.objects.exists()


def test_one_beneficiary_is_added_and_removed_with_the_same_checks(proposal, operator):
    added = beneficiary_add(proposal=proposal, user=operator, data=row(1))
    assert added.pk and added.location == proposal.locations.get()
    with pytest.raises(ValidationError) as refused:
        beneficiary_add(proposal=proposal, user=operator, data=row(1, penghasilan="9.000.000", luas_lantai="0"))
    assert set(refused.value.message_dict) == {"nik", "penghasilan", "luas_lantai"}
    assert refused.value.message_dict["luas_lantai"] == ["Harus lebih dari 0."]
    beneficiary_remove(beneficiary=added, user=operator)
    assert not Beneficiary.objects.exists()
    actions = list(proposal.case.events.order_by("seq").values_list("action", "public"))
    assert actions[-2:] == [("beneficiary_added", False), ("beneficiary_removed", False)]


# ---------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------


def values(data: dict) -> list:
    return [data[c] for c in COLUMNS]


def test_an_xlsx_is_read_with_cached_formula_values_and_formula_text_refused(proposal):
    good = values(row(1))
    good[COLUMNS.index("penghasilan")] = "=1000000+800000"  # a real formula, saved with its value by Excel
    at_sign = values(row(2, alamat="@SUM(A1)"))
    plus = values(row(3, alamat="+62 812"))
    data = xlsx_bytes([good, at_sign, plus], cached={"F2": "1800000"})
    sheet_rows = read_beneficiary_file(io.BytesIO(data), name="penerima.xlsx")
    assert [r.number for r in sheet_rows] == [2, 3, 4]
    assert sheet_rows[0].values["penghasilan"] == 1800000
    first, second, third = check(proposal, *sheet_rows)
    assert first.ok
    assert {(i.column, i.code) for i in second.issues} == {("alamat", "formula")}
    assert {(i.column, i.code) for i in third.issues} == {("alamat", "formula")}
    assert "rumus tidak diterima" in third.issues[0].message


def test_an_xlsx_text_cell_that_looks_like_a_formula_is_refused(proposal):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(values(row(1)))
    cell = sheet.cell(row=2, column=COLUMNS.index("nama") + 1)
    cell.value = '=HYPERLINK("http://contoh.test","klik")'
    cell.data_type = "s"  # stored as text, as a CSV import into Excel would leave it
    buffer = io.BytesIO()
    workbook.save(buffer)
    [sheet_row] = read_beneficiary_file(buffer, name="x.xlsx")
    [checked] = check(proposal, sheet_row)
    assert {(i.column, i.code) for i in checked.issues} == {("nama", "formula")}


def test_a_csv_with_semicolons_and_a_bom_is_read(proposal):
    data = csv_bytes([row(1, penghasilan="1.800.000", luas_lantai="24,5"), row(2)], delimiter=";", bom=True)
    sheet_rows = read_beneficiary_file(io.BytesIO(data), name="penerima.csv")
    assert [r.values["nik"] for r in sheet_rows] == [nik(1), nik(2)]
    first, second = check(proposal, *sheet_rows)
    assert first.ok and second.ok
    assert (first.monthly_income, first.floor_area) == (Decimal(1_800_000), Decimal("24.50"))


def test_a_csv_with_commas_and_no_bom_is_read():
    data = csv_bytes([row(1, nama='"Siti, S.Pd."')])
    [sheet_row] = read_beneficiary_file(io.BytesIO(data), name="penerima.CSV")
    assert sheet_row.values["nama"] == "Siti, S.Pd."


def test_a_broken_csv_row_is_refused_alone(proposal):
    text = csv_bytes([row(1), row(3)]).decode().splitlines()
    text.insert(2, "3273010508800002,3273010201100002,Warga 2")
    sheet_rows = read_beneficiary_file(io.BytesIO("\r\n".join(text).encode()), name="p.csv")
    first, broken, last = check(proposal, *sheet_rows)
    assert first.ok and last.ok
    assert [(i.row, i.code) for i in broken.issues] == [(3, "field_count")]
    assert "berisi 3 kolom, seharusnya 15" in broken.issues[0].message


def test_empty_rows_are_skipped_and_the_header_may_have_spaces_and_capitals():
    header = [c.upper().replace("_", " ") for c in COLUMNS]
    data = xlsx_bytes([values(row(1)), [None] * 15, values(row(2))], header=header)
    assert [r.number for r in read_beneficiary_file(io.BytesIO(data), name="p.xlsx")] == [2, 4]


@pytest.mark.parametrize(("content", "name", "problem"), [
    (b"PK\x03\x04 not really a zip", "p.xlsx", "unreadable"),
    (b"\xff\xfen\x00i\x00k\x00", "p.csv", "encoding"),
    (b"nik,nama\r\n1,a\r\n", "p.csv", "missing_columns"),
    (b"", "p.csv", "empty"),
    (",".join(COLUMNS).encode() + b"\r\n", "p.csv", "no_rows"),
    (b"x", "p.pdf", "file_type"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(content, name, problem):
    with pytest.raises(BeneficiaryFileError) as refused:
        read_beneficiary_file(io.BytesIO(content), name=name)
    assert refused.value.problem == problem
    assert refused.value.messages[0]


class CountingFile(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def read1(self, size=-1):
        chunk = super().read1(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


def test_a_million_row_csv_is_refused_at_the_limit_without_reading_it_all():
    data = ",".join(COLUMNS).encode() + b"\r\n" + b"1\r\n" * 1_000_000
    file = CountingFile(data)
    with pytest.raises(BeneficiaryFileError) as refused:
        read_beneficiary_file(file, name="besar.csv")
    assert refused.value.problem == "too_many_rows"
    assert "20.000" in refused.value.messages[0]
    assert file.bytes_read < len(data) / 20


def test_an_xlsx_over_the_limit_is_refused(settings):
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 50
    data = xlsx_bytes([values(row(i)) for i in range(1, 60)])
    with pytest.raises(BeneficiaryFileError) as refused:
        read_beneficiary_file(io.BytesIO(data), name="p.xlsx")
    assert refused.value.problem == "too_many_rows"
    assert len(read_beneficiary_file(io.BytesIO(xlsx_bytes([values(row(i)) for i in range(1, 51)])),
                                     name="p.xlsx")) == 50


def test_uploads_are_checked_by_content_and_size(settings):
    xlsx = SimpleUploadedFile("penerima.xlsx", xlsx_bytes([values(row(1))]))
    assert beneficiary_upload_check(xlsx).content_type.endswith("spreadsheetml.sheet")
    csv_file = SimpleUploadedFile("penerima.csv", csv_bytes([row(1)], bom=True))
    checked = beneficiary_upload_check(csv_file)
    assert (checked.content_type, len(checked.sha256)) == ("text/csv", 64)
    for upload in (
        SimpleUploadedFile("penerima.csv", b"%PDF-1.7 disguised"),
        SimpleUploadedFile("penerima.csv", "nik;nama\n1;Ñama\n".encode("latin-1")),
        SimpleUploadedFile("penerima.xlsx", csv_bytes([row(1)])),
        SimpleUploadedFile("penerima.txt", b"nik"),
    ):
        with pytest.raises(ValidationError):
            beneficiary_upload_check(upload)
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        beneficiary_upload_check(SimpleUploadedFile("penerima.csv", csv_bytes([row(1)])))


def test_the_templates_have_the_header_an_example_and_a_guide():
    workbook = load_workbook(io.BytesIO(beneficiary_template_xlsx()))
    data, guide = workbook.worksheets
    assert [c.value for c in data[1]] == list(COLUMNS)
    assert [c.value for c in data[2]][0] == bsps.EXAMPLE_ROW["nik"]
    assert data["A2"].number_format == "@"
    explained = [r[0] for r in guide.iter_rows(min_row=2, max_col=1, values_only=True) if r[0] in COLUMNS]
    assert explained == list(COLUMNS)
    # Read back, the templates parse; their example row is the only row.
    for content, name in ((beneficiary_template_xlsx(), "t.xlsx"), (beneficiary_template_csv(), "t.csv")):
        [sheet_row] = read_beneficiary_file(io.BytesIO(content), name=name)
        assert bsps._text(sheet_row.values["nik"]) == bsps.EXAMPLE_ROW["nik"]
    assert beneficiary_template_csv().startswith(b"\xef\xbb\xbfnik,no_kk,")


# ---------------------------------------------------------------------------------------------------------
# The background import
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def start(proposal, operator, content: bytes, name="penerima.csv", **options) -> BeneficiaryImport:
    checked = beneficiary_upload_check(SimpleUploadedFile(name, content))
    return beneficiary_import_start(proposal=proposal, user=operator, checked=checked, **options)


def test_the_task_imports_a_stored_file_with_progress_and_a_report(proposal, operator, media, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    rows = [row(i) for i in range(1, 1201)]
    rows[99] = row(100, nama="")
    rows[699] = row(700, penghasilan="9.000.000")
    with django_capture_on_commit_callbacks() as callbacks:
        job = start(proposal, operator, csv_bytes(rows), import_valid_rows=True)
    assert len(callbacks) == 1  # the task is queued after the commit
    assert job.status == "queued" and job.file.name.startswith("beneficiary-imports/")
    assert "penerima" not in job.file.name
    assert beneficiary_import_progress(job_id=job.pk, user=operator).phase == "queued"

    snapshots = []
    real_context = bsps._context

    def spying_context(proposal, rows):
        snapshots.append(beneficiary_import_progress(job_id=job.pk, user=operator))
        return real_context(proposal, rows)

    monkeypatch.setattr(bsps, "_context", spying_context)
    with CaptureQueriesContext(connection) as queries:
        outcome = bsps.beneficiaries_import_task.call(job.pk)
    assert outcome == {"total": 1200, "imported": 1198, "rejected": 2, "warned": 0}
    # Reading, then checking: the progress was written every 500 rows of each.
    progress_writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "rows_done" in q["sql"]
                       and "beneficiaryimport" in q["sql"]]
    assert len(progress_writes) >= 6
    [during] = snapshots
    assert (during.phase, during.rows_total, during.rows_done, during.percent) == ("checking", 1200, 0, 0)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.imported, job.rejected) == ("done", 1200, 1200, 1198, 2)
    assert not job.file and not list((media / "beneficiary-imports").iterdir())  # personal data not kept
    progress = beneficiary_import_progress(job_id=job.pk, user=operator)
    assert (progress.finished, progress.percent, progress.has_report) == (True, 100, True)
    assert Beneficiary.objects.filter(proposal=proposal).count() == 1198

    report = beneficiary_error_report_csv(job).decode("utf-8-sig").splitlines()
    assert report[0] == "baris,kolom,jenis,pesan"
    assert report[1:] == [
        "101,nama,galat,Kolom nama: wajib diisi.",
        f"701,penghasilan,galat,Kolom penghasilan: penghasilan melebihi UMP provinsi tahun {THIS_YEAR} "
        "(Rp2.200.000).",
    ]
    with translation.override("en"):
        assert beneficiary_error_report_csv(job).decode("utf-8-sig").startswith("row,column,type,message")
    # A second delivery of the same task does nothing.
    assert beneficiary_import_run(job.pk) == {"skipped": True}


def test_a_file_with_errors_imports_nothing_unless_asked(proposal, operator, media):
    job = start(proposal, operator, csv_bytes([row(1), row(2, kegiatan="XX")]))
    beneficiary_import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.rejected) == ("rejected", 0, 1)
    assert not Beneficiary.objects.exists()
    assert job.issues == [[3, "kegiatan", "error", "activity", {}]]


def test_an_unreadable_file_fails_the_job_with_a_message(proposal, operator, media, settings):
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 2
    job = start(proposal, operator, csv_bytes([row(1), row(2), row(3)]))
    beneficiary_import_run(job.pk)
    progress = beneficiary_import_progress(job_id=job.pk, user=operator)
    assert (progress.status, progress.finished) == ("failed", True)
    assert progress.failure == "Berkas berisi lebih dari 2 baris data. Bagi menjadi beberapa berkas."
    assert "lebih dari 2 baris" in beneficiary_error_report_csv(BeneficiaryImport.objects.get()).decode("utf-8-sig")


def test_one_import_at_a_time_and_only_while_editable(proposal, operator, media, people):
    start(proposal, operator, csv_bytes([row(1)]))
    with pytest.raises(ActionNotAllowed):
        start(proposal, operator, csv_bytes([row(2)]))
    with pytest.raises(PermissionDenied):
        beneficiary_import_progress(job_id=BeneficiaryImport.objects.get().pk, user=people["outsider"])
    # A job lost by a dead worker no longer blocks: after half an hour another import may start.
    lost = timezone.now() - datetime.timedelta(minutes=31)
    BeneficiaryImport.objects.update(created_at=lost, status="running", started_at=lost)
    second = start(proposal, operator, csv_bytes([row(2)]))
    BeneficiaryImport.objects.exclude(pk=second.pk).delete()
    job = BeneficiaryImport.objects.get()
    Case.objects.filter(pk=proposal.case_id).update(state="submitted")
    beneficiary_import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", ["not_editable", {}])
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import(proposal, operator, media):
    data = xlsx_bytes([values(row(i)) for i in range(1, 21)])
    job = start(proposal, operator, data, name="penerima.xlsx")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.imported, job.rows_done) == ("done", 20, 20)
    assert Beneficiary.objects.filter(proposal=proposal).count() == 20


# ---------------------------------------------------------------------------------------------------------
# Reading personal data is logged
# ---------------------------------------------------------------------------------------------------------


def test_viewing_beneficiaries_records_who_why_and_how_many(proposal, operator, people):
    beneficiaries_import(proposal=proposal, rows=[row(i) for i in range(1, 6)], user=operator,
                         import_valid_rows=False)
    page = beneficiaries_for(proposal, operator, reason="Memeriksa data sebelum dikirim", limit=3)
    assert [b.nik for b in page] == [nik(1), nik(2), nik(3)]
    rest = beneficiaries_for(proposal, operator, reason="Halaman berikutnya", after=page[-1].pk)
    assert [b.nik for b in rest] == [nik(4), nik(5)]
    viewed = proposal.case.events.filter(action="beneficiaries_viewed").order_by("seq")
    assert [(e.actor, e.public, e.data["rows"]) for e in viewed] == [(operator, False, 3), (operator, False, 2)]
    assert viewed[0].data["reason"] == "Memeriksa data sebelum dikirim"
    with pytest.raises(ValidationError):
        beneficiaries_for(proposal, operator, reason=" ")
    with pytest.raises(PermissionDenied):
        beneficiaries_for(proposal, people["outsider"], reason="Ingin tahu")
    with pytest.raises(PermissionDenied):
        beneficiaries_for(proposal, operator, reason="Bukan peran yang diizinkan", roles=["verifier"])
    assert proposal.case.events.filter(action="beneficiaries_viewed").count() == 2
