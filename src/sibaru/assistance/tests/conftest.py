"""A small catalogue of our own (budget year 2031, which the seeded catalogue does not use) and the
directorates and people who work on proposals."""

import pytest

from sibaru.accounts.models import Organisation
from sibaru.accounts.roles import Role
from sibaru.assistance.models import (
    Programme,
    ProgrammeType,
    ProposerCategory,
    Quota,
    Requirement,
    RequirementSet,
    UnitAmount,
)
from sibaru.regions.models import Region
from tests.personas import make_user

YEAR = 2031


@pytest.fixture
def directorates(orgs):
    ministry = orgs["ministry"]
    return {
        "planning": Organisation.objects.create(name="Dit. Perencanaan", kind=Organisation.Kind.DIRECTORATE,
                                                parent=ministry),
        "ruk": Organisation.objects.create(name="Dit. Rumah Umum dan Komersial", kind=Organisation.Kind.DIRECTORATE,
                                           parent=ministry),
        "swadaya": Organisation.objects.create(name="Dit. Rumah Swadaya", kind=Organisation.Kind.DIRECTORATE,
                                               parent=ministry),
        "balai_jabar": Organisation.objects.create(name="Balai P2P Jawa Barat", kind=Organisation.Kind.WORK_UNIT,
                                                   parent=ministry, region_id="32"),
        "developer": Organisation.objects.create(name="PT Rumah Rakyat", kind=Organisation.Kind.DEVELOPER,
                                                 region_id="3273"),
    }


def _programme(code, prefix, verification, directorate, planning):
    programme, _ = Programme.objects.update_or_create(
        code=code, defaults={"name": code.title(), "prefix": prefix, "verification": verification,
                             "directorate": directorate, "planning_directorate": planning},
    )
    requirement_set, _ = RequirementSet.objects.get_or_create(programme=programme, budget_year=YEAR)
    for order, (req_code, kind, mandatory) in enumerate([
        ("surat_usulan", "administrative", True),
        ("bukti_tanah", "administrative", True),
        ("gambar_rencana", "administrative", False),
        ("bebas_bencana", "technical", True),
        ("akses_jalan", "technical", True),
    ]):
        Requirement.objects.get_or_create(
            requirement_set=requirement_set, code=f"{code}_{req_code}",
            defaults={"kind": kind, "title": f"{req_code.replace('_', ' ').title()}", "mandatory": mandatory,
                      "order": order, "accepted_types": ["pdf"]},
        )
    Quota.objects.update_or_create(programme=programme, budget_year=YEAR, defaults={"units": 150})
    return programme


@pytest.fixture
def catalogue(directorates, regions):
    Region.objects.get_or_create(code="3273011002", defaults={"name": "Gegerkalong", "level": "village",
                                                              "kind": "kelurahan", "parent_id": "327301"})
    psu = _programme("psu", "PSU", "site", directorates["ruk"], directorates["planning"])
    swadaya = _programme("swadaya", "RSW", "technical", directorates["swadaya"], directorates["planning"])
    developer_type, _ = ProgrammeType.objects.get_or_create(
        programme=psu, code="test_nsb_developer",
        defaults={"name": "Perumahan selain skala besar (pelaku pembangunan)", "proposer_kind": "developer",
                  "min_capacity": 100, "min_built": 50},
    )
    regional_head, _ = ProposerCategory.objects.get_or_create(
        code="test_regional_head", defaults={"name": "Kepala Daerah", "priority_score": 3}
    )
    regional_head.programmes.add(psu, swadaya)
    president, _ = ProposerCategory.objects.get_or_create(
        code="test_presidential", defaults={"name": "Penugasan Presiden", "directive": True, "priority_score": 7}
    )
    for programme in (psu, swadaya):
        UnitAmount.objects.update_or_create(
            programme=programme, budget_year=YEAR, region_class="regular", activity="",
            defaults={"materials": 17_500_000, "labour": 2_500_000},
        )
    return {"psu": psu, "swadaya": swadaya, "developer_type": developer_type, "regional_head": regional_head,
            "president": president}


@pytest.fixture
def staff(directorates, people):
    return {
        **people,
        "planner": make_user("planner@example.test", directorates["planning"], Role.PLANNING_OFFICER),
        "ruk_verifier": make_user("ruk@example.test", directorates["ruk"], Role.VERIFIER),
        "swadaya_verifier": make_user("swadaya@example.test", directorates["swadaya"], Role.VERIFIER),
        "field_verifier": make_user("balai@example.test", directorates["balai_jabar"], Role.FIELD_VERIFIER),
        "decider": make_user("decider@example.test", people["admin"].memberships.first().organisation,
                             Role.DECISION_MAKER),
        "developer": make_user("dev@example.test", directorates["developer"], Role.PROPOSER_OPERATOR),
    }
