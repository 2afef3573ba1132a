"""Demo organisations, one account per role, an API key and sample cases: created only in demo mode."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sibaru.accounts.models import ApiKey, Membership, Organisation, User, hash_secret
from sibaru.accounts.roles import Party, Role
from sibaru.complaints.demo import seed_complaints
from sibaru.core.services import case_apply_action
from sibaru.information.demo import seed_information
from sibaru.portal.demo import seed_publications
from sibaru.regions.models import Region
from sibaru.trial.services import trial_request_submit

# Published in the README; the demo accounts exist only in demo mode.
DEMO_PASSWORD = "demo-sibaru-2026"  # noqa: S105  # nosec B105
DEMO_API_KEY = "sbk_demo_Kc7pQ2rX9mTz4vWb8nLs3yHd6fJg5aRe"
DOMAIN = "demo.sibaru.example"

ORGANISATIONS = {
    "ministry": ("Direktorat Jenderal Perumahan", Organisation.Kind.MINISTRY_AGENCY, None, None),
    "planning": ("Direktorat Perencanaan Perumahan", Organisation.Kind.DIRECTORATE, None, "ministry"),
    "self_help": ("Direktorat Rumah Swadaya", Organisation.Kind.DIRECTORATE, None, "ministry"),
    "flats": ("Direktorat Rumah Susun", Organisation.Kind.DIRECTORATE, None, "ministry"),
    "special": ("Direktorat Rumah Khusus", Organisation.Kind.DIRECTORATE, None, "ministry"),
    "public_housing": ("Direktorat Rumah Umum dan Komersial", Organisation.Kind.DIRECTORATE, None, "ministry"),
    "balai_java": ("Balai Pelaksana Penyediaan Perumahan Jawa III", Organisation.Kind.WORK_UNIT, "32", "ministry"),
    "public_relations": ("Bagian Hukum dan Komunikasi Publik", Organisation.Kind.WORK_UNIT, None, "ministry"),
    "west_java": ("Pemerintah Provinsi Jawa Barat", Organisation.Kind.PROVINCE_GOVERNMENT, "32", None),
    "bandung": ("Pemerintah Kota Bandung", Organisation.Kind.REGENCY_GOVERNMENT, "3273", None),
}

# (e-mail name, full name, organisation, role)
ACCOUNTS = [
    ("admin", "Admin SIBARU", "ministry", Role.ADMINISTRATOR),
    ("operator.bandung", "Operator Kota Bandung", "bandung", Role.PROPOSER_OPERATOR),
    ("monitor.jabar", "Pemantau Provinsi Jawa Barat", "west_java", Role.PROVINCE_MONITOR),
    ("perencanaan", "Petugas Perencanaan", "planning", Role.PLANNING_OFFICER),
    ("verifikator", "Verifikator Rumah Swadaya", "self_help", Role.VERIFIER),
    ("penetap", "Pejabat Penetap", "ministry", Role.DECISION_MAKER),
    ("pengaduan", "Koordinator Pengaduan", "ministry", Role.COMPLAINT_COORDINATOR),
    ("unit", "Petugas Unit Humas", "public_relations", Role.UNIT_OFFICER),
    ("ppid", "Petugas PPID", "ministry", Role.PPID_OFFICER),
    ("atasan.ppid", "Atasan PPID", "ministry", Role.PPID_SUPERIOR),
    ("evaluator", "Evaluator Layanan", "ministry", Role.EVALUATOR),
    ("verifikator.balai", "Verifikator Lapangan Balai Jawa III", "balai_java", Role.FIELD_VERIFIER),
]

# Which directorate reviews each programme; the planning directorate receives and distributes them all.
PROGRAMME_DIRECTORATES = {"rusun": "flats", "rusus": "special", "swadaya": "self_help", "psu": "public_housing"}
DEMO_QUOTA_UNITS = {"rusun": 800, "rusus": 600, "swadaya": 40000, "psu": 30000}

SAMPLE_REQUESTS = [
    ("Siti Rahmawati", "3273011001", "Bagaimana cara pemda kami mengusulkan bantuan rumah swadaya tahun depan?", 3),
    ("Budi Santoso", "3273", "Mohon informasi jadwal sosialisasi program BSPS di Kota Bandung.", 2),
    ("Dewi Lestari", "32", "Apakah rumah susun sewa di wilayah kami menerima penghuni baru?", 1),
    ("Andi Wijaya", "3273011001", "Saya ingin menanyakan status bantuan PSU perumahan kami.", 0),
    ("Rina Marlina", "3273", "Terima kasih atas tanggapan cepatnya kemarin.", 4),
]


def seed_demo() -> bool:
    """Create the demo data once; returns False when it is already there."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only created with SIBARU_MODE=demo.")
    if User.objects.filter(email=f"admin@{DOMAIN}").exists():
        return False
    with transaction.atomic():
        orgs: dict[str, Organisation] = {}
        for key, (name, kind, region, parent) in ORGANISATIONS.items():
            orgs[key] = Organisation.objects.create(
                name=name, kind=kind, region=Region.objects.filter(code=region).first() if region else None,
                parent=orgs.get(parent), email=f"{key}@{DOMAIN}",
            )
        users = {}
        for local, full_name, org, role in ACCOUNTS:
            user = User.objects.create_user(f"{local}@{DOMAIN}", DEMO_PASSWORD, full_name=full_name,
                                            is_staff=role == Role.ADMINISTRATOR,
                                            is_superuser=role == Role.ADMINISTRATOR)
            Membership.objects.create(user=user, organisation=orgs[org], role=role)
            users[local] = user
        system = User.objects.create_user(f"sistem.lapor@{DOMAIN}", None, full_name="Sistem penghubung (API)")
        Membership.objects.create(user=system, organisation=orgs["ministry"], role=Role.COMPLAINT_COORDINATOR)
        ApiKey.objects.create(organisation=orgs["ministry"], acts_as=system, name="Kunci demo",
                              prefix=DEMO_API_KEY[:12], key_hash=hash_secret(DEMO_API_KEY), scopes=["read", "write"])
    _link_programmes(orgs)
    _sample_proposal(users)
    for name, region, message, steps in SAMPLE_REQUESTS:
        case = trial_request_submit(name=name, email="", message=message,
                                    region=Region.objects.filter(code=region).first())
        _advance(case, steps, users, orgs)
    seed_complaints(DOMAIN, DEMO_PASSWORD)
    seed_information(DOMAIN)
    seed_publications(DOMAIN)
    return True


def _advance(case, steps: int, users, orgs) -> None:
    script = [
        dict(action="accept", user=users["pengaduan"], data={"handler": orgs["public_relations"].pk},
             note="Diteruskan ke Bagian Hukum dan Komunikasi Publik."),
        dict(action="answer", user=users["unit"],
             note="Terima kasih. Informasi lengkap tersedia di kantor dinas perumahan setempat."),
        dict(action="reopen", party=Party.APPLICANT, note="Mohon dijelaskan lebih rinci syaratnya."),
        dict(action="answer", user=users["unit"],
             note="Syaratnya: surat usulan bupati/wali kota dan data calon penerima."),
    ]
    for step in script[: min(steps, len(script))]:
        case_apply_action(case=case, **step)


def _link_programmes(orgs) -> None:
    from sibaru.assistance.catalogue import default_budget_year
    from sibaru.assistance.models import Programme, Quota

    for code, org in PROGRAMME_DIRECTORATES.items():
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            continue
        programme.directorate = orgs[org]
        programme.planning_directorate = orgs["planning"]
        programme.save(update_fields=["directorate", "planning_directorate"])
        Quota.objects.get_or_create(programme=programme, budget_year=default_budget_year(),
                                    defaults={"units": DEMO_QUOTA_UNITS[code]})


# The smallest valid PDF: the demo's documents.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _sample_proposal(users) -> None:
    """A Rumah Swadaya proposal of Kota Bandung, submitted, waiting for the planning directorate."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sibaru.assistance.beneficiaries import EXAMPLE_ROW, beneficiary_add
    from sibaru.assistance.catalogue import default_budget_year
    from sibaru.assistance.models import Programme, ProposerCategory, Requirement
    from sibaru.assistance.rules import applicable_requirements, missing_requirements
    from sibaru.assistance.services import (
        proposal_create,
        proposal_document_upload,
        proposal_locations_set,
        proposal_update,
    )
    from sibaru.core.attachments import check_upload

    programme = Programme.objects.filter(code="swadaya").first()
    villages = list(Region.objects.filter(code__startswith="327301", level="village").order_by("code")[:2])
    if programme is None or len(villages) < 2:
        return
    operator = users["operator.bandung"]
    category = (
        ProposerCategory.objects.filter(programmes=programme, directive=False).order_by("-priority_score").first()
    )
    proposal = proposal_create(
        user=operator, programme=programme, budget_year=default_budget_year(), category=category,
        title="BSPS Kecamatan Sukasari", region=villages[0].parent, letter_number="027/415-Disperkim/2026",
        letter_date=timezone.localdate() - timedelta(days=14), letter_signatory="Wali Kota Bandung",
        letter_position="Wali Kota", description="Peningkatan kualitas rumah tidak layak huni di dua kelurahan.",
    )
    technical = applicable_requirements(proposal, Requirement.Kind.TECHNICAL)
    proposal_update(proposal=proposal, user=operator, readiness={r.code: True for r in technical})
    proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": villages[0], "units_pk": 25, "units_pb": 5, "uninhabitable_houses": 64},
        {"region": villages[1], "units_pk": 18, "units_pb": 2, "uninhabitable_houses": 41},
    ])
    for requirement in missing_requirements(proposal):
        name = f"{requirement.code}.pdf"
        proposal_document_upload(proposal=proposal, requirement=requirement, user=operator,
                                 checked=check_upload(SimpleUploadedFile(name, DEMO_PDF)))
    beneficiary_add(proposal=proposal, user=operator, data={
        **EXAMPLE_ROW, "nik": "3273015506850002", "no_kk": "3273010203110004", "nama": "Siti Rahmawati",
        "kode_desa": villages[0].code,
    })
    case_apply_action(case=proposal.case, action="submit", user=operator)
