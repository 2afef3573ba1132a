"""Complaints in each privacy, routed to the personas' units (Bagian Humas, Bagian Umum under the ministry)."""

import pytest

from sibaru.accounts.roles import Party
from sibaru.complaints.models import Category
from sibaru.complaints.services import complaint_submit
from sibaru.core.services import case_apply_action


@pytest.fixture
def category(orgs):
    category = Category.objects.get(code="rusun-fasilitas")
    category.default_unit = orgs["unit"]
    category.save()
    return category


def submit(regions, category, *, privacy="public", **fields):
    values = dict(
        report_type="pengaduan", category=category, title="Air rusun mati seminggu",
        description="Sudah seminggu air di Rusunawa Sukarasa blok B tidak mengalir sama sekali.",
        region=regions["3273011001"], privacy=privacy,
    )
    if privacy != "anonymous":
        values.update(reporter_name="Budi Santoso", reporter_email="budi@example.test", reporter_phone="0812345678")
    values.update(fields)
    return complaint_submit(**values)


@pytest.fixture
def submitted(regions, category):
    return submit(regions, category)


@pytest.fixture
def complaint_case(submitted):
    return submitted.case


def verify(case, people, orgs, units=("unit",), classification="ordinary"):
    return case_apply_action(
        case=case, action="verify", user=people["coordinator"],
        data={"category": "rusun-fasilitas", "units": [orgs[u].pk for u in units], "classification": classification,
              "title": "Air Rusunawa Sukarasa tidak mengalir"},
    )


def answer(case, people):
    case_apply_action(case=case, action="plan", user=people["unit_officer"], note="Kami cek pompa besok.")
    case_apply_action(case=case, action="respond", user=people["unit_officer"], note="Pompa sudah diganti.")


def reporter(case, action, **kwargs):
    return case_apply_action(case=case, action=action, party=Party.APPLICANT, **kwargs)
