"""The programme catalogue: what the seed migration puts in (and from which source), the requirement list
of a budget year and its fallback, copying a year to the next, the public programmes API, the admin, and
the priority score with its explanations."""

import csv
import gzip
import importlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from sibaru.accounts.models import User
from sibaru.assistance.catalogue import (
    categories_for,
    default_budget_year,
    income_ceiling_for,
    minimum_wage_for,
    programme_for_year,
    programmes_for_year,
    requirement_set_for,
)
from sibaru.assistance.catalogue_services import (
    planning_checkpoints_copy,
    quotas_copy,
    requirement_set_copy,
    unit_amounts_copy,
)
from sibaru.assistance.models import (
    IncomeCeiling,
    MinimumWage,
    PlanningCheckpoint,
    PriorityCriterion,
    Programme,
    ProgrammeType,
    Proposal,
    ProposalDocument,
    ProposalLocation,
    ProposerCategory,
    Quota,
    Requirement,
    RequirementSet,
    UnitAmount,
)
from sibaru.assistance.scoring import priority_score
from sibaru.core.models import Attachment
from sibaru.core.services import case_open
from sibaru.regions.models import Region

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("sibaru.assistance.migrations.0002_seed_catalogue")
REGIONS_CSV = Path(__file__).resolve().parents[2] / "regions" / "data" / "regions.csv.gz"
PASAL_74 = "Permen PUPR 7/2022 Pasal 74"


def codes(requirements) -> list[str]:
    return [r.code for r in requirements]


def seeded_set(programme_code: str, year: int = 2026) -> RequirementSet:
    return RequirementSet.objects.get(programme__code=programme_code, budget_year=year)


# --- The seeded catalogue -------------------------------------------------------------------------


def test_the_four_programmes_are_seeded_with_their_tracking_prefixes_and_kind_of_field_verification():
    rows = list(Programme.objects.order_by("order").values_list("code", "prefix", "verification", "name"))
    assert rows == [
        ("rusun", "RSN", "technical", "Bantuan Rumah Susun"),
        ("rusus", "RSS", "technical", "Bantuan Rumah Khusus"),
        ("swadaya", "RSW", "technical", "Bantuan Stimulan Perumahan Swadaya (BSPS)"),
        ("psu", "PSU", "site", "Bantuan PSU Perumahan"),
    ]
    assert all("Permen PUPR 7/2022" in p.legal_basis and "Permen PKP 10/2025" in p.legal_basis
               for p in Programme.objects.all())
    # Organisations are linked by the demo data or an administrator, not by the seed.
    assert not Programme.objects.filter(directorate__isnull=False).exists()
    assert not Programme.objects.filter(planning_directorate__isnull=False).exists()


def test_every_programme_has_a_published_requirement_list_for_2026_and_2027():
    for code in ("rusun", "rusus", "swadaya", "psu"):
        years = sorted(RequirementSet.objects.filter(programme__code=code, published=True)
                       .values_list("budget_year", flat=True))
        assert years == [2026, 2027]
        assert codes(seeded_set(code, 2026).requirements.all()) == codes(seeded_set(code, 2027).requirements.all())


def test_rumah_khusus_has_the_eight_documents_of_pasal_74_ayat_2_in_order():
    documents = list(seeded_set("rusus").requirements.filter(kind="administrative").order_by("order"))
    assert codes(documents) == [
        "rusus_surat_usulan", "rusus_gambaran_umum", "rusus_pernyataan_pemda", "rusus_pernyataan_penerima",
        "rusus_kesesuaian_rtrw", "rusus_sk_penerima", "rusus_bukti_tanah", "rusus_rencana_pengelolaan",
    ]
    assert [d.legal_basis for d in documents] == [
        f"{PASAL_74} ayat (2) huruf a dan ayat (4)", f"{PASAL_74} ayat (2) huruf b",
        f"{PASAL_74} ayat (2) huruf c dan ayat (3)", f"{PASAL_74} ayat (2) huruf d",
        f"{PASAL_74} ayat (2) huruf e", f"{PASAL_74} ayat (2) huruf f", f"{PASAL_74} ayat (2) huruf g",
        f"{PASAL_74} ayat (2) huruf h",
    ]
    assert documents[0].title == "Surat usulan"
    assert documents[7].title == "Rencana pengelolaan rumah khusus terbangun"
    # Read in the regulation: confirmed, mandatory, PDF.
    assert all(d.mandatory and not d.unconfirmed and d.accepted_types == ["pdf"] for d in documents)


def test_rumah_khusus_technical_criteria_follow_pasal_74_ayat_6_and_flag_what_was_not_read():
    criteria = list(seeded_set("rusus").requirements.filter(kind="technical").order_by("order"))
    read = [(c.code, c.legal_basis, c.unconfirmed) for c in criteria[:5]]
    assert read == [
        ("rusus_lokasi_rtrw", f"{PASAL_74} ayat (6) huruf a", False),
        ("rusus_bebas_bencana", f"{PASAL_74} ayat (6) huruf b", False),
        ("rusus_tanah_tidak_sengketa", f"{PASAL_74} ayat (6) huruf c", False),
        ("rusus_jalan_akses", f"{PASAL_74} ayat (6) huruf d", False),
        ("rusus_siap_bangun", f"{PASAL_74} ayat (6) huruf e", False),
    ]
    # Huruf f is cut off mid-sentence in the source; what follows it was not read at all.
    assert (criteria[5].code, criteria[5].legal_basis, criteria[5].unconfirmed) == (
        "rusus_luas_lahan", f"{PASAL_74} ayat (6) huruf f", True
    )
    assert all(c.unconfirmed for c in criteria[6:]) and len(criteria) == 8


def test_rumah_susun_requirements_come_from_memory_and_are_all_unconfirmed():
    requirements = list(seeded_set("rusun").requirements.all())
    assert requirements and all(r.unconfirmed for r in requirements)
    optional = [r.code for r in requirements if not r.mandatory]
    assert optional == ["rusun_gambar_rencana"]


def test_bsps_asks_the_rtlh_count_the_bupati_letter_and_the_by_name_by_address_data():
    requirements = {r.code: r for r in seeded_set("swadaya").requirements.all()}
    documents = [c for c, r in requirements.items() if r.kind == "administrative"]
    assert documents == ["swadaya_surat_usulan", "swadaya_jumlah_rtlh", "swadaya_data_rtlh", "swadaya_sk_lokasi",
                         "swadaya_pernyataan_apbd"]
    assert requirements["swadaya_surat_usulan"].title == "Surat usulan Bupati/Wali Kota"
    # "Jumlah RTLH" is in the real SIBARU's verification list [S]; the rest of the flow is from memory [M].
    assert not requirements["swadaya_jumlah_rtlh"].unconfirmed
    assert all(r.unconfirmed for c, r in requirements.items() if c != "swadaya_jumlah_rtlh")
    assert len([r for r in requirements.values() if r.kind == "technical"]) == 6  # the six beneficiary criteria


def test_psu_company_documents_apply_to_the_developer_types_only():
    requirement_set = seeded_set("psu")
    developer_only = {r.code for r in requirement_set.requirements.all() if r.types}
    assert developer_only == {"psu_pernyataan_pengembang", "psu_akta_pendirian", "psu_nib", "psu_npwp"}
    for code in developer_only:
        requirement = requirement_set.requirements.get(code=code)
        assert requirement.types == ["psu_sb_developer", "psu_nsb_developer"]
        assert requirement.applies_to(category_code="", type_code="psu_nsb_developer")
        assert not requirement.applies_to(category_code="", type_code="psu_nsb_pemda")
    titles = {r.code: r.title for r in requirement_set.requirements.all()}
    # Permits under their current names.
    assert titles["psu_pbg"] == "Persetujuan Bangunan Gedung (PBG)"
    assert titles["psu_kkpr"] == "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)"
    assert titles["psu_nib"] == "Nomor Induk Berusaha (NIB)"
    assert requirement_set.requirements.get(code="psu_siteplan").accepted_types == ["pdf", "jpg", "png"]
    # Read in Permen 3/2018, the predecessor: unconfirmed for 7/2022.
    assert all(r.unconfirmed and "Permen PUPR 3/2018" in r.legal_basis for r in requirement_set.requirements.all())


def test_the_psu_types_of_2022_onward_with_their_proposers_and_thresholds():
    rows = list(ProgrammeType.objects.filter(programme__code="psu").order_by("code").values_list(
        "code", "proposer_kind", "large_scale", "min_capacity", "min_built", "unconfirmed"))
    assert rows == [
        ("psu_nsb_developer", "developer", False, 100, 50, True),
        ("psu_nsb_pemda", "government", False, 100, 50, True),
        ("psu_sb_developer", "developer", True, 100, 50, True),
        ("psu_sb_pemda", "government", True, 100, 50, True),
    ]
    assert not ProgrammeType.objects.exclude(programme__code="psu").exists()


def test_seven_proposer_categories_with_the_sibaru_priority_scores_and_programmes():
    categories = list(ProposerCategory.objects.order_by("order").prefetch_related("programmes"))
    assert [c.priority_score for c in categories] == [7, 5, 4, 2, 3, 6, 1]
    assert [c.directive for c in categories] == [True, True, True, False, False, False, False]
    allowed = {c.code: sorted(p.code for p in c.programmes.all()) for c in categories}
    everything = ["psu", "rusun", "rusus", "swadaya"]
    assert allowed == {
        "presidential_assignment": everything,
        "state_institution": everything,  # the source table leaves it empty
        "ministry_agency": everything,
        "education_institution": ["psu", "rusun", "swadaya"],
        "regional_head": everything,
        "minister_direction": ["psu", "rusus"],
        "public_housing_development": ["psu"],
    }
    rusus = Programme.objects.get(code="rusus")
    assert [c.code for c in categories_for(programme=rusus)] == [
        "presidential_assignment", "state_institution", "ministry_agency", "regional_head", "minister_direction",
    ]


def test_bsps_unit_amounts_for_2026_and_2027_are_the_last_read_decree_and_unconfirmed():
    for year in (2026, 2027):
        amounts = {a.region_class: a for a in UnitAmount.objects.filter(programme__code="swadaya", budget_year=year)}
        assert {k: (a.materials, a.labour, a.total) for k, a in amounts.items()} == {
            "regular": (Decimal(17_500_000), Decimal(2_500_000), Decimal(20_000_000)),
            "papua_flat": (Decimal(18_500_000), Decimal(5_000_000), Decimal(23_500_000)),
            "papua_remote": (Decimal(35_000_000), Decimal(5_000_000), Decimal(40_000_000)),
        }
        assert all(a.unconfirmed and a.activity == "" and "115/KPTS/M/2022" in a.legal_basis
                   for a in amounts.values())


def test_the_eleven_planning_checkpoints_in_order_without_dates():
    for year in (2026, 2027):
        checkpoints = list(PlanningCheckpoint.objects.filter(budget_year=year).order_by("order"))
        assert [c.code for c in checkpoints] == [
            "rakorbangwil", "konreg", "rakortek", "rakortekrenbang", "musrenbangnas", "sb_pagu_indikatif",
            "sb_pagu_anggaran", "trilateral_meeting_1", "rakortek_2", "sb_alokasi_anggaran", "trilateral_meeting_2",
        ]
        assert all(c.date is None for c in checkpoints)


def test_four_priority_criteria_with_weights_and_an_indonesian_description():
    criteria = {c.code: c for c in PriorityCriterion.objects.all()}
    assert {code: c.weight for code, c in criteria.items()} == {
        "category": Decimal("1.00"), "readiness": Decimal("1.00"), "documents": Decimal("0.50"),
        "rtlh": Decimal("1.00"),
    }
    assert "kategori pengusul" in criteria["category"].description
    assert "BSPS" in criteria["rtlh"].description


def test_no_minimum_wage_is_seeded_because_the_reference_gives_no_figures():
    assert not MinimumWage.objects.exists()


def test_the_seed_is_idempotent_and_its_reverse_removes_what_it_made():
    counts = [m.objects.count() for m in (Programme, ProgrammeType, ProposerCategory, RequirementSet, Requirement,
                                          UnitAmount, IncomeCeiling, PlanningCheckpoint, PriorityCriterion)]
    seed_migration.seed(django_apps, None)
    assert [m.objects.count() for m in (Programme, ProgrammeType, ProposerCategory, RequirementSet, Requirement,
                                        UnitAmount, IncomeCeiling, PlanningCheckpoint,
                                        PriorityCriterion)] == counts
    seed_migration.unseed(django_apps, None)
    assert not Programme.objects.exists() and not Requirement.objects.exists()
    assert not IncomeCeiling.objects.exists() and not PriorityCriterion.objects.exists()
    seed_migration.seed(django_apps, None)
    assert Requirement.objects.count() == counts[4]


# --- Income ceilings and minimum wages -------------------------------------------------------------


def _province_codes() -> list[str]:
    with gzip.open(REGIONS_CSV, "rt", encoding="utf-8") as file:
        return [row["code"] for row in csv.DictReader(file) if row["level"] == "province"]


def test_every_province_is_in_exactly_one_income_zone():
    provinces = _province_codes()
    assert len(provinces) == 38
    listed = [code for ceiling in IncomeCeiling.objects.all() for code in ceiling.region_codes if len(code) == 2]
    assert sorted(listed) == sorted(provinces)


@pytest.mark.parametrize(("region_code", "zone"), [
    ("3273", 1),               # Kota Bandung
    ("32.01.01.2001", 4),      # a village in Kabupaten Bogor: Jabodetabek beats Jawa Barat
    ("3674", 4),               # Kota Tangerang Selatan
    ("3604", 1),               # Kabupaten Serang, Banten
    ("3171", 4),               # Jakarta Pusat
    ("51", 2),                 # Bali
    ("21", 2),                 # Kepulauan Riau
    ("9471", 3),               # Papua Tengah
    ("53", 1),                 # Nusa Tenggara Timur
])
def test_the_income_ceiling_of_a_region(region_code, zone):
    ceiling = income_ceiling_for(region_code=region_code, on=date(2026, 1, 5))
    assert ceiling.zone == zone


def test_income_ceilings_and_their_flags_under_permen_pkp_5_2025():
    rows = {c.zone: c for c in IncomeCeiling.objects.all()}
    assert {z: (c.unmarried, c.married) for z, c in rows.items()} == {
        1: (Decimal(8_500_000), Decimal(10_000_000)), 2: (Decimal(9_000_000), Decimal(11_000_000)),
        3: (Decimal(10_500_000), Decimal(12_000_000)), 4: (Decimal(12_000_000), Decimal(14_000_000)),
    }
    assert [z for z, c in rows.items() if c.unconfirmed] == [4]
    assert {c.valid_from for c in rows.values()} == {date(2025, 4, 22)}


def test_before_permen_pkp_5_2025_there_is_no_ceiling_and_a_later_regulation_takes_over():
    assert income_ceiling_for(region_code="3273", on=date(2025, 4, 21)) is None
    newer = IncomeCeiling.objects.create(zone=1, name="Jawa", region_codes=["32"], unmarried=9_000_000,
                                         married=11_000_000, valid_from=date(2027, 1, 1), legal_basis="Permen baru")
    assert income_ceiling_for(region_code="3273", on=date(2027, 1, 1)) == newer
    assert income_ceiling_for(region_code="3273", on=date(2026, 12, 31)).legal_basis == "Permen PKP 5/2025"


def test_the_minimum_wage_of_a_province_for_a_year(regions):
    wage = MinimumWage.objects.create(province=regions["32"], year=2026, amount=2_300_000, legal_basis="Kepgub")
    assert minimum_wage_for(province_code="3273011001", year=2026) == wage
    assert minimum_wage_for(province_code="32", year=2027) is None
    assert minimum_wage_for(province_code="33", year=2026) is None


# --- Requirement lists per budget year ------------------------------------------------------------


def test_a_year_without_its_own_list_falls_back_to_the_latest_earlier_one():
    rusus = Programme.objects.get(code="rusus")
    assert requirement_set_for(programme=rusus, budget_year=2031) == seeded_set("rusus", 2027)
    assert requirement_set_for(programme=rusus, budget_year=2026) == seeded_set("rusus", 2026)
    assert requirement_set_for(programme=rusus, budget_year=2025) is None
    # A draft list (not published) is not used.
    RequirementSet.objects.create(programme=rusus, budget_year=2029, published=False)
    assert requirement_set_for(programme=rusus, budget_year=2030) == seeded_set("rusus", 2027)

    entry = programme_for_year(code="rusus", budget_year=2030)
    assert (entry.budget_year, entry.requirement_set.budget_year) == (2030, 2027)
    assert len(entry.requirements) == 16
    assert programme_for_year(code="nope", budget_year=2030) is None
    assert programme_for_year(code="rusus", budget_year=2020).requirements == []


def test_the_catalogue_of_a_year_reads_in_five_queries(django_assert_num_queries):
    with django_assert_num_queries(5):
        entries = programmes_for_year(budget_year=2027)
        total = sum(len(e.requirements) + len(e.types) + len(e.categories) for e in entries)
    assert [e.programme.code for e in entries] == ["rusun", "rusus", "swadaya", "psu"] and total > 60


def test_copying_a_list_to_the_next_year_makes_an_unpublished_draft_with_the_same_requirements():
    source = seeded_set("psu", 2027)
    copy = requirement_set_copy(requirement_set=source, budget_year=2028)
    assert (copy.budget_year, copy.published, copy.legal_basis) == (2028, False, source.legal_basis)
    fields = ("code", "kind", "title", "description", "mandatory", "categories", "types", "legal_basis",
              "accepted_types", "max_bytes", "unconfirmed", "order")
    assert list(copy.requirements.order_by("order").values_list(*fields)) == list(
        source.requirements.order_by("order").values_list(*fields))
    psu = Programme.objects.get(code="psu")
    # Until it is published, 2028 keeps the 2027 list.
    assert requirement_set_for(programme=psu, budget_year=2028) == source
    copy.published = True
    copy.save()
    assert requirement_set_for(programme=psu, budget_year=2028) == copy
    with pytest.raises(ValidationError):
        requirement_set_copy(requirement_set=source, budget_year=2028)
    with pytest.raises(ValidationError):
        requirement_set_copy(requirement_set=source, budget_year=2027)


def test_unit_amounts_checkpoints_and_quotas_are_copied_once_to_the_next_year():
    amounts = UnitAmount.objects.filter(budget_year=2027)
    assert unit_amounts_copy(amounts=amounts) == 3
    assert unit_amounts_copy(amounts=amounts) == 0
    assert all(a.unconfirmed for a in UnitAmount.objects.filter(budget_year=2028))

    PlanningCheckpoint.objects.filter(budget_year=2027, code="konreg").update(date=date(2026, 3, 10))
    assert planning_checkpoints_copy(checkpoints=PlanningCheckpoint.objects.filter(budget_year=2027)) == 11
    copied = PlanningCheckpoint.objects.filter(budget_year=2028)
    assert copied.count() == 11 and not copied.exclude(date=None).exists()

    quota = Quota.objects.create(programme=Programme.objects.get(code="rusus"), budget_year=2027, units=300)
    assert quotas_copy(quotas=[quota]) == 1
    assert Quota.objects.get(programme__code="rusus", budget_year=2028).units == 300


# --- The admin ------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_user("root@example.test", "correct-horse-battery-42", full_name="Root",
                                    is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


ADMIN_MODELS = ("programme", "programmetype", "proposercategory", "requirementset", "requirement", "unitamount",
                "incomeceiling", "minimumwage", "planningcheckpoint", "quota", "prioritycriterion")


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_catalogue_table_has_an_admin_list_and_add_page(superuser_client, model):
    assert superuser_client.get(f"/admin/assistance/{model}/").status_code == 200
    assert superuser_client.get(f"/admin/assistance/{model}/add/").status_code == 200


def test_the_admin_lists_filter_by_programme_and_year_and_show_the_unconfirmed_flag(superuser_client):
    rusus = Programme.objects.get(code="rusus")
    response = superuser_client.get(f"/admin/assistance/requirement/?requirement_set__programme__id__exact="
                                    f"{rusus.pk}&requirement_set__budget_year=2026&unconfirmed__exact=1")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3  # huruf f and the two unread criteria
    response = superuser_client.get(f"/admin/assistance/requirementset/{seeded_set('rusus').pk}/change/")
    assert response.status_code == 200
    assert "rusus_rencana_pengelolaan" in response.content.decode()
    assert superuser_client.get("/admin/assistance/requirementset/?q=sertifikat").status_code == 200


def test_the_admin_copies_a_requirement_list_to_the_next_budget_year(superuser_client):
    source = seeded_set("swadaya", 2027)
    response = superuser_client.post("/admin/assistance/requirementset/", {
        "action": "copy_to_next_year", "_selected_action": [source.pk],
    }, follow=True)
    assert response.status_code == 200
    copy = RequirementSet.objects.get(programme__code="swadaya", budget_year=2028)
    assert not copy.published and copy.requirements.count() == source.requirements.count()
    # A second time, the list exists: a warning, nothing made.
    response = superuser_client.post("/admin/assistance/requirementset/", {
        "action": "copy_to_next_year", "_selected_action": [source.pk],
    }, follow=True)
    assert "sudah ada" in response.content.decode()
    assert RequirementSet.objects.filter(programme__code="swadaya", budget_year=2028).count() == 1


def test_the_admin_copies_unit_amounts_to_the_next_budget_year(superuser_client):
    ids = list(UnitAmount.objects.filter(budget_year=2027).values_list("pk", flat=True))
    superuser_client.post("/admin/assistance/unitamount/", {"action": "copy_to_next_year", "_selected_action": ids})
    assert UnitAmount.objects.filter(budget_year=2028).count() == 3


# --- GET /api/v1/programmes -----------------------------------------------------------------------


def test_the_programmes_are_public_with_their_requirements_in_five_queries(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get("/api/v1/programmes", {"budget_year": 2027})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["code"] for i in items] == ["rusun", "rusus", "swadaya", "psu"]
    rusus = items[1]
    assert {k: v for k, v in rusus.items() if k not in ("types", "categories", "requirements", "description")} == {
        "code": "rusus", "name": "Bantuan Rumah Khusus", "tracking_prefix": "RSS", "verification": "technical",
        "legal_basis": "Permen PUPR 7/2022 Pasal 73–74 (kini Permen PKP 10/2025)", "budget_year": 2027,
        "requirements_budget_year": 2027,
    }
    assert rusus["types"] == []
    assert rusus["categories"][0] == {"code": "presidential_assignment", "name": "Penugasan Presiden",
                                      "directive": True, "priority_score": 7}
    assert rusus["requirements"][0] == {
        "code": "rusus_surat_usulan", "kind": "administrative", "title": "Surat usulan",
        "description": "Diajukan oleh pimpinan tertinggi instansi pemohon kepada Menteri.", "mandatory": True,
        "categories": [], "types": [], "legal_basis": f"{PASAL_74} ayat (2) huruf a dan ayat (4)",
        "accepted_types": ["pdf"], "max_bytes": 5 * 1024 * 1024, "unconfirmed": False,
    }
    assert [r["kind"] for r in rusus["requirements"]] == ["administrative"] * 8 + ["technical"] * 8
    psu = items[3]
    assert psu["verification"] == "site"
    assert {t["code"]: (t["proposer_kind"], t["large_scale"], t["min_capacity"], t["min_built"])
            for t in psu["types"]}["psu_sb_developer"] == ("developer", True, 100, 50)
    assert [c["priority_score"] for c in psu["categories"]] == [7, 5, 4, 2, 3, 6, 1]


def test_in_english_the_catalogue_texts_are_translated_at_the_same_cost(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get("/api/v1/programmes?budget_year=2027", HTTP_ACCEPT_LANGUAGE="en")
    items = {i["code"]: i for i in response.json()["items"]}
    assert items["rusus"]["name"] == "Rumah Khusus (special housing) assistance"
    assert items["rusus"]["categories"][0]["name"] == "Presidential assignment"
    assert items["rusus"]["requirements"][0]["title"] == "Proposal letter"
    assert items["psu"]["types"][0] == {
        "code": "psu_nsb_developer", "name": "Housing other than large-scale (proposed by a developer or housing "
        "provider)", "proposer_kind": "developer", "large_scale": False, "min_capacity": 100, "min_built": 50,
        "unconfirmed": True,
    }
    # Legal citations and codes stay as they are.
    assert items["rusus"]["requirements"][0]["legal_basis"] == f"{PASAL_74} ayat (2) huruf a dan ayat (4)"


def test_a_text_an_administrator_changed_is_shown_as_written_in_every_language(client):
    Requirement.objects.filter(code="rusus_surat_usulan").update(title="Surat usulan bermeterai")
    response = client.get("/api/v1/programmes/rusus?budget_year=2027", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["requirements"][0]["title"] == "Surat usulan bermeterai"


def test_without_a_budget_year_the_next_year_is_shown(client):
    items = client.get("/api/v1/programmes").json()["items"]
    assert {i["budget_year"] for i in items} == {timezone.localdate().year + 1} == {default_budget_year()}
    assert default_budget_year(date(2026, 12, 31)) == 2027


def test_a_later_year_shows_the_latest_list_and_says_which(client):
    body = client.get("/api/v1/programmes/swadaya", {"budget_year": 2030}).json()
    assert (body["budget_year"], body["requirements_budget_year"]) == (2030, 2027)
    body = client.get("/api/v1/programmes/swadaya", {"budget_year": 2020}).json()
    assert (body["requirements_budget_year"], body["requirements"]) == (None, [])


def test_one_programme_in_five_queries_and_an_unknown_one_is_404(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get("/api/v1/programmes/psu?budget_year=2026")
    assert response.status_code == 200 and response.json()["code"] == "psu"
    response = client.get("/api/v1/programmes/rumah", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == "Assistance programme not found."


@pytest.mark.parametrize("value", ["1999", "20277", "dua"])
def test_a_bad_budget_year_is_a_422_with_the_field(client, value):
    response = client.get("/api/v1/programmes", {"budget_year": value})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["budget_year"]


def test_the_programmes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/programmes" in paths and "/api/v1/programmes/{code}" in paths


# --- The priority score ---------------------------------------------------------------------------


def make_proposal(orgs, regions, programme_code: str, *, category: str | None = None, readiness=None,
                  programme_type: str | None = None, year: int = 2027) -> Proposal:
    programme = Programme.objects.get(code=programme_code)
    created = {}

    def details(case):
        created["proposal"] = Proposal.objects.create(
            case=case, programme=programme, requirement_set=seeded_set(programme_code, year),
            proposer=orgs["bandung"], budget_year=year, title=f"Usulan {programme_code}",
            category=ProposerCategory.objects.get(code=category) if category else None,
            programme_type=ProgrammeType.objects.get(code=programme_type) if programme_type else None,
            readiness=readiness or {},
        )

    case_open(kind=f"proposal_{programme_code}", subject="Usulan", organisation=orgs["bandung"],
              region=regions["3273"], submitted=False, create_details=details)
    return created["proposal"]


def upload(proposal: Proposal, code: str, *, current: bool = True, version: int = 1) -> ProposalDocument:
    attachment = Attachment.objects.create(case=proposal.case, file=f"test/{code}.pdf", original_name=f"{code}.pdf",
                                           content_type="application/pdf", size=10, sha256="0" * 64)
    return ProposalDocument.objects.create(proposal=proposal, requirement=proposal.requirement_set.requirements.get(
        code=code), attachment=attachment, version=version, current=current)


def test_a_presidential_rusus_proposal_scores_its_category_and_its_readiness(orgs, regions):
    readiness = {"rusus_lokasi_rtrw": True, "rusus_bebas_bencana": True, "rusus_tanah_tidak_sengketa": True,
                 "rusus_jalan_akses": False, "rusus_siap_bangun": True, "not_a_criterion": True}
    proposal = make_proposal(orgs, regions, "rusus", category="presidential_assignment", readiness=readiness)

    score = priority_score(proposal)

    assert [p.code for p in score.parts] == ["category", "readiness"]  # no optional document, not BSPS
    category, ready = score.parts
    assert (category.raw, category.weight, category.points) == (Decimal(7), Decimal("1.00"), Decimal("7.00"))
    assert category.name == "Kategori pengusul"
    assert category.explanation == "Kategori pengusul Penugasan Presiden: nilai prioritas 7 × bobot 1,00 = 7,00"
    assert (ready.raw, ready.points) == (Decimal("5.00"), Decimal("5.00"))  # 4 of the 8 criteria
    assert ready.explanation == (
        "Kesiapan teknis: 4 dari 8 kriteria terpenuhi, nilai 5 dari 10 × bobot 1,00 = 5,00"
    )
    assert score.total == Decimal("12.00")


def test_the_score_is_explained_in_english_too(orgs, regions):
    proposal = make_proposal(orgs, regions, "rusus", category="regional_head",
                             readiness={"rusus_lokasi_rtrw": True})
    with translation.override("en"):
        score = priority_score(proposal)
    assert score.parts[0].name == "Proposer category"
    assert score.parts[0].explanation == (
        "Proposer category Regional head (Governor/Regent/Mayor): priority score 3 × weight 1.00 = 3.00"
    )
    assert score.parts[1].explanation == (
        "Technical readiness: 1 of 8 criteria met, score 1.25 out of 10 × weight 1.00 = 1.25"
    )


def test_optional_documents_count_at_half_weight_and_a_missing_category_scores_zero(orgs, regions):
    proposal = make_proposal(orgs, regions, "rusun")
    upload(proposal, "rusun_surat_usulan")
    score = priority_score(proposal)
    assert score.part("category").explanation == (
        "Kategori pengusul belum dipilih: nilai prioritas 0 × bobot 1,00 = 0,00"
    )
    assert score.part("documents").explanation == (
        "Dokumen pendukung: 0 dari 1 dokumen tidak wajib diunggah, nilai 0 dari 10 × bobot 0,50 = 0,00"
    )
    upload(proposal, "rusun_gambar_rencana", current=False)  # an old version does not count
    assert priority_score(proposal).part("documents").points == Decimal("0.00")
    upload(proposal, "rusun_gambar_rencana", version=2)
    documents = priority_score(proposal).part("documents")
    assert (documents.raw, documents.weight, documents.points) == (Decimal("10.00"), Decimal("0.50"), Decimal("5.00"))
    assert priority_score(proposal).total == Decimal("5.00")


def test_a_bsps_proposal_scores_uninhabitable_houses_per_proposed_unit_capped_at_ten(orgs, regions):
    proposal = make_proposal(orgs, regions, "swadaya", category="regional_head")
    score = priority_score(proposal)
    assert score.part("rtlh").explanation == (
        "Kebutuhan RTLH: belum ada unit yang diusulkan, nilai 0 × bobot 1,00 = 0,00"
    )
    second = Region.objects.create(code="3273011002", name="Gegerkalong", level="village", kind="kelurahan",
                                   parent_id="327301")
    ProposalLocation.objects.create(proposal=proposal, region=regions["3273011001"], units_pk=20, units_pb=5,
                                    uninhabitable_houses=1200)
    ProposalLocation.objects.create(proposal=proposal, region=second, units_pk=15, uninhabitable_houses=300)
    rtlh = priority_score(proposal).part("rtlh")
    assert (rtlh.raw, rtlh.points) == (Decimal("10.00"), Decimal("10.00"))  # 37.5 per unit, capped
    assert rtlh.explanation == (
        "Kebutuhan RTLH: 1.500 RTLH untuk 40 unit yang diusulkan, nilai 10 (paling tinggi 10) × bobot 1,00 = 10,00"
    )
    ProposalLocation.objects.filter(proposal=proposal).update(uninhabitable_houses=30)
    rtlh = priority_score(proposal).part("rtlh")
    assert (rtlh.raw, rtlh.points) == (Decimal("1.50"), Decimal("1.50"))  # 60 houses for 40 units
    assert rtlh.explanation.endswith("nilai 1,50 (paling tinggi 10) × bobot 1,00 = 1,50")


def test_weights_are_data_and_a_deleted_criterion_is_not_scored(orgs, regions):
    proposal = make_proposal(orgs, regions, "psu", category="public_housing_development",
                             programme_type="psu_nsb_pemda")
    PriorityCriterion.objects.filter(code="category").update(weight=Decimal("2.50"))
    PriorityCriterion.objects.filter(code="readiness").delete()
    score = priority_score(proposal)
    assert [p.code for p in score.parts] == ["category"]
    assert score.parts[0].explanation == (
        "Kategori pengusul Pengembangan Perumahan Umum: nilai prioritas 1 × bobot 2,50 = 2,50"
    )
    assert score.total == Decimal("2.50")


def test_a_psu_proposal_meeting_every_criterion_scores_ten_for_readiness(orgs, regions):
    technical = list(seeded_set("psu", 2027).requirements.filter(kind="technical"))
    proposal = make_proposal(orgs, regions, "psu", category="regional_head", programme_type="psu_sb_pemda",
                             readiness={r.code: True for r in technical})
    ready = priority_score(proposal).part("readiness")
    assert ready.raw == Decimal("10.00") and f"{len(technical)} dari {len(technical)}" in ready.explanation
