"""Demo data of the complaint service, called by the demo seed: categories routed to the demo's units,
unit accounts (password DEMO_PASSWORD) and a few complaints at different stages."""

from sibaru.accounts.models import Membership, Organisation, User
from sibaru.accounts.roles import Party, Role
from sibaru.complaints.models import Category
from sibaru.complaints.services import complaint_submit
from sibaru.core.services import case_apply_action
from sibaru.regions.models import Region

# category code → demo organisation key (see sibaru.demo.data.ORGANISATIONS; "inspectorate" is created here)
ROUTES = {"bsps": "self_help", "rusun": "flats", "rusus": "special", "psu": "public_housing",
          "pungli": "inspectorate", "pelayanan": "public_relations", "lainnya": "public_relations"}
ACCOUNTS = [("unit.rusun", "Petugas Unit Rumah Susun", "flats"),
            ("unit.inspektorat", "Petugas Inspektorat", "inspectorate")]
SAMPLES = [
    # (category, region, privacy, title, description, steps: verify, plan, respond, rate; units other than
    # the rusun unit stop after verification, their officers being the demo's generic accounts)
    ("rusun-fasilitas", "3273011001", "public", "Air Rusunawa blok B mati seminggu",
     "Sejak Senin lalu air di Rusunawa blok B tidak mengalir. Penghuni harus membeli air galon setiap hari.", 3),
    ("rusun-penghunian", "3273011001", "public", "Antrean sewa Rusunawa tidak jelas",
     "Kami sudah mendaftar sewa rusunawa enam bulan lalu tetapi tidak pernah ada kabar urutan antrean.", 4),
    ("bsps-pembangunan", "3273", "anonymous", "Rumah BSPS belum selesai dikerjakan",
     "Bantuan BSPS tahun lalu di kelurahan kami baru sampai pondasi. Tukang tidak datang lagi sejak Juli.", 1),
    ("pungli", "3273", "confidential", "Permintaan uang untuk percepatan berkas",
     "Seorang oknum meminta uang agar berkas bantuan kami diproses lebih cepat. Kami menolak membayar.", 0),
    ("psu", "3273", "public", "Jalan lingkungan perumahan rusak",
     "Jalan lingkungan yang dibangun dengan bantuan PSU sudah berlubang besar dan membahayakan pengendara motor.", 2),
]


def seed_complaints(domain: str, password: str) -> None:
    """Route the categories, add the unit accounts and the sample complaints (demo mode only, called once)."""
    orgs = {o.email.split("@")[0]: o for o in Organisation.objects.filter(email__endswith=f"@{domain}")}
    ministry = orgs["ministry"]
    orgs["inspectorate"] = Organisation.objects.create(
        name="Inspektorat Jenderal", kind=Organisation.Kind.WORK_UNIT, parent=ministry, email=f"inspectorate@{domain}"
    )
    for code, key in ROUTES.items():
        Category.objects.filter(code=code).update(default_unit=orgs[key])
        Category.objects.filter(parent__code=code).update(default_unit=orgs[key])
    users = {}
    for local, full_name, key in ACCOUNTS:
        users[local] = User.objects.create_user(f"{local}@{domain}", password, full_name=full_name)
        Membership.objects.create(user=users[local], organisation=orgs[key], role=Role.UNIT_OFFICER)
    coordinator = User.objects.get(email=f"pengaduan@{domain}")
    unit = users["unit.rusun"]
    for code, region, privacy, title, description, steps in SAMPLES:
        category = Category.objects.get(code=code)
        place = Region.objects.filter(code=region).first()
        if place is None:  # regions not loaded (load_regions runs before the seed in `make demo`)
            continue
        identity = {} if privacy == "anonymous" else {"reporter_name": "Warga Contoh",
                                                      "reporter_email": f"warga@{domain}"}
        case = complaint_submit(report_type="pengaduan", category=category, title=title, description=description,
                                region=place, privacy=privacy, **identity).case
        officer = unit if category.default_unit == orgs["flats"] else None
        script = [
            dict(action="verify", user=coordinator, data={
                "category": code, "units": [category.default_unit_id], "title": title,
                "classification": "supervision" if code == "pungli" else "ordinary"}),
            dict(action="plan", user=officer, note="Petugas akan memeriksa lokasi dalam tiga hari kerja."),
            dict(action="respond", user=officer, note="Sudah diperbaiki. Mohon kabari kami bila masih ada masalah."),
            dict(action="rate", party=Party.APPLICANT, data={"rating": 5, "comment": "Terima kasih, cepat."}),
        ]
        for step in script[:steps if officer else min(steps, 1)]:
            case_apply_action(case=case, **step)
