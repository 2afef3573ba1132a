"""Shared personas and data for tests: organisations, one user per role, regions they live in."""

import pytest

from sibaru.accounts.models import Membership, Organisation, User
from sibaru.accounts.roles import Role
from sibaru.regions.models import Region

PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def regions(db):
    """A province, a city in it, a district and a village; and a province elsewhere."""
    rows = [
        Region(code="32", name="Jawa Barat", level="province", kind="provinsi"),
        Region(code="3273", name="Kota Bandung", level="regency", kind="kota", parent_id="32"),
        Region(code="327301", name="Sukasari", level="district", kind="kecamatan", parent_id="3273"),
        Region(code="3273011001", name="Sukarasa", level="village", kind="kelurahan", parent_id="327301"),
        Region(code="33", name="Jawa Tengah", level="province", kind="provinsi"),
        Region(code="3374", name="Kota Semarang", level="regency", kind="kota", parent_id="33"),
    ]
    Region.objects.bulk_create(rows, ignore_conflicts=True)
    return {r.code: Region.objects.get(code=r.code) for r in rows}


@pytest.fixture
def orgs(regions):
    ministry = Organisation.objects.create(name="Direktorat Jenderal Perumahan", kind=Organisation.Kind.MINISTRY_AGENCY)
    return {
        "ministry": ministry,
        "unit": Organisation.objects.create(name="Bagian Humas", kind=Organisation.Kind.WORK_UNIT, parent=ministry),
        "other_unit": Organisation.objects.create(
            name="Bagian Umum", kind=Organisation.Kind.WORK_UNIT, parent=ministry
        ),
        "west_java": Organisation.objects.create(
            name="Pemprov Jawa Barat", kind=Organisation.Kind.PROVINCE_GOVERNMENT, region=regions["32"]
        ),
        "central_java": Organisation.objects.create(
            name="Pemprov Jawa Tengah", kind=Organisation.Kind.PROVINCE_GOVERNMENT, region=regions["33"]
        ),
        "bandung": Organisation.objects.create(
            name="Pemkot Bandung", kind=Organisation.Kind.REGENCY_GOVERNMENT, region=regions["3273"]
        ),
    }


def make_user(email: str, organisation=None, role=None, **fields) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=fields.pop("full_name", email.split("@")[0]), **fields)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def people(orgs):
    """One user per role, each in the organisation where that role works."""
    return {
        "admin": make_user("admin@example.test", orgs["ministry"], Role.ADMINISTRATOR),
        "coordinator": make_user("coordinator@example.test", orgs["ministry"], Role.COMPLAINT_COORDINATOR),
        "unit_officer": make_user("unit@example.test", orgs["unit"], Role.UNIT_OFFICER),
        "other_unit_officer": make_user("other-unit@example.test", orgs["other_unit"], Role.UNIT_OFFICER),
        "province_monitor": make_user("monitor@example.test", orgs["west_java"], Role.PROVINCE_MONITOR),
        "other_province_monitor": make_user("monitor2@example.test", orgs["central_java"], Role.PROVINCE_MONITOR),
        "operator": make_user("operator@example.test", orgs["bandung"], Role.PROPOSER_OPERATOR),
        "evaluator": make_user("evaluator@example.test", orgs["ministry"], Role.EVALUATOR),
        "outsider": make_user("citizen@example.test"),
    }


@pytest.fixture
def trial_case(orgs, regions):
    """A citizen's trial request, just received, located in Kota Bandung."""
    from sibaru.trial.services import trial_request_submit

    return trial_request_submit(
        name="Siti Rahmawati", email="siti@example.test", message="Mohon informasi program BSPS di wilayah kami.",
        region=regions["3273011001"],
    )
