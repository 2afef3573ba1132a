"""Bantuan: the programmes and their requirements (data, versioned per budget year), the tables the
rules read (unit amounts, income ceilings, minimum wages, PSU thresholds, planning checkpoints, quotas),
and the proposals with their documents, locations, verifications, comments and beneficiaries.

Facts marked [M] or [S2] in the reference (shared/reference/housing.md) are seeded as data, flagged
`unconfirmed`, and editable by an administrator; nothing of them is a constant in code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """Rumah Susun, Rumah Khusus, Rumah Swadaya (BSPS), PSU: one workflow each (tracking prefix)."""

    class Verification(models.TextChoices):
        TECHNICAL = "technical", _("Verifikasi teknis per lokasi")
        SITE = "site", _("Verifikasi lokasi")

    code = models.CharField(_("kode"), max_length=10, unique=True)  # rusun, rusus, swadaya, psu
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(_("awalan nomor pelacakan"), max_length=3, unique=True)
    description = models.TextField(_("uraian"), blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    verification = models.CharField(_("jenis verifikasi lapangan"), max_length=10, choices=Verification.choices)
    directorate = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("direktorat teknis"),
    )
    # Receives submitted proposals and distributes them (the planning directorate).
    planning_directorate = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("direktorat perencanaan"),
    )
    unit_label = models.CharField(_("satuan volume"), max_length=30, default="unit")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("program bantuan")
        verbose_name_plural = _("program bantuan")

    def __str__(self) -> str:
        return self.name


class ProgrammeType(models.Model):
    """A kind of proposal within a programme (the PSU types by proposer and scale), with its thresholds."""

    class ProposerKind(models.TextChoices):
        GOVERNMENT = "government", _("Pemerintah daerah")
        DEVELOPER = "developer", _("Pengembang")
        COMMUNITY = "community", _("Kelompok MBR")
        INSTITUTION = "institution", _("Instansi")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="types")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    proposer_kind = models.CharField(_("pengusul"), max_length=12, choices=ProposerKind.choices)
    large_scale = models.BooleanField(_("skala besar"), default=False)
    min_capacity = models.PositiveIntegerField(_("daya tampung minimal (unit)"), null=True, blank=True)
    min_built = models.PositiveIntegerField(_("rumah terbangun minimal (unit)"), null=True, blank=True)
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)

    class Meta:
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="programme_type_code")]
        verbose_name = _("jenis usulan")
        verbose_name_plural = _("jenis usulan")

    def __str__(self) -> str:
        return self.name

    # Which kinds of organisation may propose under a type of each proposer kind: a developer cannot take a
    # type meant for a local government, and the reverse.
    ORGANISATION_KINDS = {
        ProposerKind.GOVERNMENT: ("province_government", "regency_government"),
        ProposerKind.DEVELOPER: ("developer",),
        ProposerKind.COMMUNITY: ("community", "other_institution"),
        ProposerKind.INSTITUTION: ("ministry_agency", "other_institution"),
    }

    @classmethod
    def proposer_kinds_of(cls, organisation) -> list[str]:
        return [kind for kind, organisation_kinds in cls.ORGANISATION_KINDS.items()
                if organisation.kind in organisation_kinds]

    def open_to(self, organisation) -> bool:
        return self.proposer_kind in self.proposer_kinds_of(organisation)


class ProposerCategory(models.Model):
    """Where a proposal comes from (the real SIBARU's "jenis data usulan"), with its priority score."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    directive = models.BooleanField(_("direktif"), default=False)
    priority_score = models.PositiveSmallIntegerField(_("nilai prioritas"))
    programmes = models.ManyToManyField(Programme, related_name="categories", verbose_name=_("program"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("kategori pengusul")
        verbose_name_plural = _("kategori pengusul")

    def __str__(self) -> str:
        return self.name


class RequirementSet(models.Model):
    """The requirement list of one programme for one budget year; a new year copies and edits the last."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="requirement_sets")
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    published = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        ordering = ["programme", "-budget_year"]
        constraints = [models.UniqueConstraint(fields=["programme", "budget_year"], name="requirement_set_year")]
        verbose_name = _("daftar persyaratan")
        verbose_name_plural = _("daftar persyaratan")

    def __str__(self) -> str:
        return f"{self.programme} {self.budget_year}"


class Requirement(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Dokumen administrasi")
        TECHNICAL = "technical", _("Kriteria kesiapan teknis")

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(_("kode"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("nama"), max_length=300)
    description = models.TextField(_("penjelasan"), blank=True)
    mandatory = models.BooleanField(_("wajib"), default=True)
    # Empty lists mean "every category" / "every type".
    categories = models.JSONField(_("kategori pengusul"), default=list, blank=True)
    types = models.JSONField(_("jenis usulan"), default=list, blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    accepted_types = models.JSONField(_("jenis berkas"), default=list, blank=True)  # extensions; [] = PDF
    max_bytes = models.PositiveIntegerField(_("ukuran maksimal (bita)"), default=5 * 1024 * 1024)
    # True where the reference marks the requirement [M] or [S2]: shown as such to administrators.
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["requirement_set", "kind", "order"]
        constraints = [models.UniqueConstraint(fields=["requirement_set", "code"], name="requirement_code")]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self) -> str:
        return self.title

    def content_types(self) -> dict[str, str]:
        """Extension → the content type an upload for this requirement must show (PDF when none is named)."""
        from sibaru.core.attachments import DOCUMENT_TYPES, IMAGE_TYPES, SPREADSHEET_TYPES

        known = DOCUMENT_TYPES | IMAGE_TYPES | SPREADSHEET_TYPES
        allowed = {ext: known[ext] for ext in self.accepted_types or ["pdf"] if ext in known}
        if "jpg" in allowed:
            allowed["jpeg"] = known["jpeg"]
        return allowed

    def applies_to(self, *, category_code: str, type_code: str) -> bool:
        return (not self.categories or category_code in self.categories) and (
            not self.types or type_code in self.types
        )


class UnitAmount(models.Model):
    """The assistance per unit for a programme, budget year, location class and activity (BSPS PK/PB)."""

    class RegionClass(models.TextChoices):
        REGULAR = "regular", _("Lokasi reguler")
        PAPUA_FLAT = "papua_flat", _("Papua: dataran dan perkotaan")
        PAPUA_REMOTE = "papua_remote", _("Papua: pulau kecil, terpencil, pegunungan")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="unit_amounts")
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    region_class = models.CharField(_("kelas lokasi"), max_length=15, choices=RegionClass.choices)
    activity = models.CharField(_("kegiatan"), max_length=2, blank=True)  # PK, PB or "" for any
    materials = models.DecimalField(_("bahan bangunan (Rp)"), max_digits=14, decimal_places=0)
    labour = models.DecimalField(_("upah (Rp)"), max_digits=14, decimal_places=0)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "budget_year", "region_class", "activity"], name="unit_amount_key"
            )
        ]
        verbose_name = _("nilai bantuan per unit")
        verbose_name_plural = _("nilai bantuan per unit")

    def __str__(self) -> str:
        return f"{self.programme} {self.budget_year} {self.region_class} {self.activity}"

    @property
    def total(self):
        return self.materials + self.labour


class IncomeCeiling(models.Model):
    """MBR income ceilings per zone (Permen PKP 5/2025 and its amendments)."""

    zone = models.PositiveSmallIntegerField(_("zona"))
    name = models.CharField(_("wilayah"), max_length=300)
    # Region codes (provinces, or regencies for Jabodetabek) that belong to the zone.
    region_codes = models.JSONField(_("kode wilayah"), default=list)
    unmarried = models.DecimalField(_("tidak kawin (Rp/bulan)"), max_digits=14, decimal_places=0)
    married = models.DecimalField(_("kawin (Rp/bulan)"), max_digits=14, decimal_places=0)
    valid_from = models.DateField(_("berlaku sejak"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)

    class Meta:
        ordering = ["-valid_from", "zone"]
        verbose_name = _("batas penghasilan MBR")
        verbose_name_plural = _("batas penghasilan MBR")

    def __str__(self) -> str:
        return f"Zona {self.zone} ({self.valid_from:%Y})"


class MinimumWage(models.Model):
    """Provincial minimum wage (UMP) per year: the BSPS income test."""

    province = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(_("UMP (Rp/bulan)"), max_digits=14, decimal_places=0)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="minimum_wage_year")]
        verbose_name = _("upah minimum provinsi")
        verbose_name_plural = _("upah minimum provinsi")

    def __str__(self) -> str:
        return f"{self.province_id} {self.year}"


class PlanningCheckpoint(models.Model):
    """An event of the annual programming cycle (Konreg, Musrenbangnas, pagu indikatif …)."""

    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["budget_year", "order"]
        constraints = [models.UniqueConstraint(fields=["budget_year", "code"], name="checkpoint_code")]
        verbose_name = _("tahapan pemrograman")
        verbose_name_plural = _("tahapan pemrograman")

    def __str__(self) -> str:
        return f"{self.name} {self.budget_year}"


class Quota(models.Model):
    """How much a programme may decide in a budget year."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="quotas")
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    units = models.PositiveIntegerField(_("unit"))
    budget = models.DecimalField(_("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "budget_year"], name="quota_year")]
        verbose_name = _("kuota")
        verbose_name_plural = _("kuota")

    def __str__(self) -> str:
        return f"{self.programme} {self.budget_year}: {self.units}"


class PriorityCriterion(models.Model):
    """One visible criterion of the prioritisation score, with its weight."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("cara menghitung"))
    weight = models.DecimalField(_("bobot"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kriteria prioritas")
        verbose_name_plural = _("kriteria prioritas")

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """A proposal for housing assistance: the service record of a case of kind proposal_<programme>."""

    class HandOver(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("Belum diajukan")
        BAST_IN_PROCESS = "bast_in_process", _("Proses BAST")
        SECRETARY_GENERAL = "secretary_general", _("Persetujuan Sekjen")
        FINANCE_REVIEW = "finance_review", _("Proses pencermatan di Kemenkeu")
        DECREE_ISSUED = "decree_issued", _("Telah diterbitkan SK penghapusan dan BAST")
        HANDED_OVER = "handed_over", _("Sudah serah terima aset")

    case = models.OneToOneField("core.Case", on_delete=models.PROTECT, related_name="proposal")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="proposals")
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.PROTECT, related_name="+")
    programme_type = models.ForeignKey(
        ProgrammeType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("jenis usulan")
    )
    category = models.ForeignKey(
        ProposerCategory, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kategori pengusul")
    )
    proposer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="proposals")
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran yang diusulkan"))
    title = models.CharField(_("nama kegiatan"), max_length=200)
    description = models.TextField(_("gambaran umum"), blank=True)
    # The incoming letter.
    letter_number = models.CharField(_("nomor surat"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    letter_signatory = models.CharField(_("penanda tangan"), max_length=150, blank=True)
    letter_position = models.CharField(_("jabatan penanda tangan"), max_length=150, blank=True)
    # Location: the case's region (down to a village) and an optional point.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    units = models.PositiveIntegerField(_("volume (unit)"), default=0)
    estimated_budget = models.DecimalField(_("perkiraan anggaran (Rp)"), max_digits=16, decimal_places=0, default=0)
    readiness = models.JSONField(_("penilaian kesiapan"), default=dict, blank=True)  # requirement code → bool
    # Distribution by the planning directorate.
    agenda_number = models.CharField(_("nomor agenda"), max_length=50, blank=True)
    disposition = models.TextField(_("disposisi"), blank=True)
    # Decision.
    decided_units = models.PositiveIntegerField(_("unit ditetapkan"), null=True, blank=True)
    decided_budget = models.DecimalField(
        _("anggaran ditetapkan"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    decision_number = models.CharField(_("nomor penetapan"), max_length=100, blank=True)
    hand_over = models.CharField(
        _("serah terima aset"), max_length=20, choices=HandOver.choices, default=HandOver.NOT_SUBMITTED
    )
    province_endorsed_at = models.DateTimeField(null=True, blank=True)
    province_endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    lapses_on = models.DateField(_("kedaluwarsa"), null=True, blank=True)
    submission_round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        indexes = [models.Index(fields=["programme", "budget_year"], name="proposal_programme_year")]

    def __str__(self) -> str:
        return self.title


class ProposalLocation(models.Model):
    """A target location of a BSPS proposal: units of quality improvement (PK) and new build (PB) per village."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="locations")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    units_pk = models.PositiveIntegerField(_("unit PK"), default=0)
    units_pb = models.PositiveIntegerField(_("unit PB"), default=0)
    uninhabitable_houses = models.PositiveIntegerField(_("jumlah RTLH"), default=0)
    region_class = models.CharField(
        _("kelas lokasi"), max_length=15, choices=UnitAmount.RegionClass.choices, default=UnitAmount.RegionClass.REGULAR
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "region"], name="proposal_location_region")]

    def __str__(self) -> str:
        return f"{self.region_id}: PK {self.units_pk}, PB {self.units_pb}"


class ProposalDocument(models.Model):
    """One uploaded version of one requirement's document, with the verifier's verdict on it."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Belum diverifikasi")
        COMPLETE = "complete", _("Lengkap")
        INCOMPLETE = "incomplete", _("Tidak lengkap")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField()
    current = models.BooleanField(default=True)
    submission_round = models.PositiveSmallIntegerField(default=0)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "requirement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "requirement", "version"], name="proposal_document_version"),
            models.UniqueConstraint(
                fields=["proposal", "requirement"], condition=models.Q(current=True), name="proposal_document_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version}"


class FieldVisit(models.Model):
    """A technical (per location) or site verification visit, with its checklist and verdict."""

    class Result(models.TextChoices):
        ELIGIBLE = "eligible", _("Layak")
        NOT_ELIGIBLE = "not_eligible", _("Tidak layak")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="field_visits")
    location = models.ForeignKey(ProposalLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    visited_on = models.DateField(_("tanggal kunjungan"))
    checklist = models.JSONField(_("daftar periksa"), default=dict)  # requirement code → bool
    notes = models.TextField(_("catatan"), blank=True)
    result = models.CharField(_("hasil"), max_length=15, choices=Result.choices)
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.visited_on} {self.result}"


class FieldVisitPhoto(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="photos")
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.latitude}, {self.longitude}"


class ProposalCheckpoint(models.Model):
    """Which events of the programming cycle a proposal has passed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="checkpoints")
    checkpoint = models.ForeignKey(PlanningCheckpoint, on_delete=models.PROTECT, related_name="+")
    passed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "checkpoint"], name="proposal_checkpoint")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.checkpoint_id} {self.passed_on}"


class ProposalComment(models.Model):
    """A comment between proposer and reviewers, or a reviewer's private note (internal)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("komentar"))
    internal = models.BooleanField(_("catatan internal peninjau"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.body[:40]}"


class Beneficiary(models.Model):
    """A prospective BSPS beneficiary of a proposal (personal data: shown only to roles that need it)."""

    class Activity(models.TextChoices):
        PK = "PK", _("Peningkatan kualitas")
        PB = "PB", _("Pembangunan baru")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="beneficiaries")
    location = models.ForeignKey(ProposalLocation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16)
    family_card_number = models.CharField(_("nomor KK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    address = models.CharField(_("alamat"), max_length=300)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    monthly_income = models.DecimalField(_("penghasilan per bulan"), max_digits=14, decimal_places=0)
    land_status = models.CharField(_("status tanah"), max_length=30)
    household_size = models.PositiveSmallIntegerField(_("jumlah penghuni"))
    floor_area = models.DecimalField(_("luas lantai (m²)"), max_digits=7, decimal_places=2)
    house_condition = models.JSONField(_("kondisi rumah"), default=dict)  # RTLH component → bool (damaged)
    activity = models.CharField(_("kegiatan"), max_length=2, choices=Activity.choices)
    warnings = models.JSONField(default=list, blank=True)  # row checks that warn but do not reject
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "nik"], name="beneficiary_proposal_nik")]
        indexes = [models.Index(fields=["nik"], name="beneficiary_nik")]
        verbose_name = _("calon penerima")
        verbose_name_plural = _("calon penerima")

    def __str__(self) -> str:
        return self.name


class AssistedHousehold(models.Model):
    """Someone who received housing assistance (from SIBARU or an imported history): the 10-year rule."""

    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    programme = models.CharField(_("program"), max_length=100)
    source = models.CharField(_("sumber data"), max_length=100)

    class Meta:
        verbose_name = _("riwayat penerima bantuan")
        verbose_name_plural = _("riwayat penerima bantuan")

    def __str__(self) -> str:
        return f"{self.nik} {self.year}"


# ---------------------------------------------------------------------------------------------------------
# Beneficiary imports (sibaru.assistance.beneficiaries): one uploaded spreadsheet validated and imported by a
# background task, with its progress and its row-level report. Added with migration 0003_beneficiary_import.
# ---------------------------------------------------------------------------------------------------------


def beneficiary_import_path(instance, filename: str) -> str:
    """Never the uploader's name: a random name under the import folder, keeping the extension."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"beneficiary-imports/{uuid.uuid4().hex}.{extension}"


class BeneficiaryImport(models.Model):
    """One upload of a beneficiary file (XLSX or CSV). The file holds personal data: the task deletes it
    once the run is over, and keeps only the counts and the report (row, column, message code)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu diproses")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai diproses")
        REJECTED = "rejected", _("Tidak diimpor: ada baris yang salah")
        FAILED = "failed", _("Gagal")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="beneficiary_imports")
    file = models.FileField(upload_to=beneficiary_import_path, max_length=200, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    sha256 = models.CharField(max_length=64)
    import_valid_rows = models.BooleanField(_("impor baris yang benar saja"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("baris diperiksa"), default=0)
    imported = models.PositiveIntegerField(_("baris diimpor"), default=0)
    rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    warned = models.PositiveIntegerField(_("baris dengan peringatan"), default=0)
    # [[row, column, severity, code, params], …]: rendered in the reader's language (beneficiaries.py).
    issues = models.JSONField(default=list, blank=True)
    # A problem with the whole file (unreadable, too many rows, missing columns): [code, params] or [].
    failure = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor calon penerima")
        verbose_name_plural = _("impor calon penerima")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.original_name} ({self.status})"


# ---------------------------------------------------------------------------------------------------------
# Implementation monitoring after the decision (sibaru.assistance.implementation): the beneficiary decree (SK),
# beneficiary groups (KPB), field facilitators (TFL), material suppliers, the material purchase plan
# (RAB/DRPB2), payment tranches, progress per house in stages with photos, and the asset hand-over (BMN)
# steps. Added with migration 0004_implementation. Which stages and tranches apply are [M]
# (shared/reference/housing.md §3.4): settings and data, never constants.
# ---------------------------------------------------------------------------------------------------------


class BeneficiaryDecree(models.Model):
    """The SK penetapan penerima (by the PPK of the Balai): for BSPS it names the beneficiaries."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decrees")
    number = models.CharField(_("nomor SK"), max_length=100)
    date = models.DateField(_("tanggal SK"))
    signatory = models.CharField(_("penanda tangan"), max_length=150)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    beneficiaries = models.ManyToManyField(Beneficiary, related_name="decrees", blank=True,
                                           verbose_name=_("penerima yang ditetapkan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="decree_number")]
        verbose_name = _("SK penetapan penerima")
        verbose_name_plural = _("SK penetapan penerima")

    def __str__(self) -> str:
        return self.number


class BeneficiaryGroup(models.Model):
    """A KPB (kelompok penerima bantuan): beneficiaries of one proposal who build together, with a chair."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("nama KPB"), max_length=150)
    chair = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="+", verbose_name=_("ketua"))
    members = models.ManyToManyField(Beneficiary, related_name="groups", verbose_name=_("anggota"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "name"]
        constraints = [models.UniqueConstraint(fields=["proposal", "name"], name="group_name")]
        verbose_name = _("kelompok penerima bantuan (KPB)")
        verbose_name_plural = _("kelompok penerima bantuan (KPB)")

    def __str__(self) -> str:
        return self.name


class Facilitator(models.Model):
    """A TFL (tenaga fasilitator lapangan) assigned to groups and target villages of a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="facilitators")
    name = models.CharField(_("nama"), max_length=150)
    phone = models.CharField(_("telepon"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    groups = models.ManyToManyField(BeneficiaryGroup, related_name="facilitators", blank=True,
                                    verbose_name=_("KPB dampingan"))
    locations = models.ManyToManyField(ProposalLocation, related_name="+", blank=True,
                                       verbose_name=_("desa/kelurahan dampingan"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "name"]
        verbose_name = _("tenaga fasilitator lapangan (TFL)")
        verbose_name_plural = _("tenaga fasilitator lapangan (TFL)")

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """A building-material shop (toko/penyedia bahan) the beneficiaries chose, paid by transfer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(_("nama toko/penyedia"), max_length=150)
    registration = models.CharField(_("NPWP atau nomor induk berusaha"), max_length=30)
    address = models.CharField(_("alamat"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "name"]
        constraints = [models.UniqueConstraint(fields=["proposal", "registration"], name="supplier_registration")]
        verbose_name = _("penyedia bahan")
        verbose_name_plural = _("penyedia bahan")

    def __str__(self) -> str:
        return self.name


class PurchasePlanLine(models.Model):
    """One line of a group's material purchase plan (RAB / DRPB2): item, quantity, unit price, supplier."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="purchase_lines")
    group = models.ForeignKey(BeneficiaryGroup, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="purchase_lines", verbose_name=_("KPB"))
    item = models.CharField(_("bahan"), max_length=150)
    quantity = models.DecimalField(_("jumlah"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=20)
    unit_price = models.DecimalField(_("harga satuan (Rp)"), max_digits=14, decimal_places=0)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("penyedia"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "group", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="purchase_line_quantity"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="purchase_line_price"),
        ]
        verbose_name = _("rencana pembelian bahan")
        verbose_name_plural = _("rencana pembelian bahan")

    def __str__(self) -> str:
        return f"{self.item} {self.quantity} {self.unit}"

    @property
    def total(self):
        return self.quantity * self.unit_price


class PaymentTranche(models.Model):
    """A disbursed tranche (tahap penyaluran) with its proof of transfer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tahap ke-"))
    percentage = models.DecimalField(_("persentase"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=16, decimal_places=0)
    paid_on = models.DateField(_("tanggal penyaluran"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("dibayarkan ke penyedia"))
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="tranche_number"),
            models.CheckConstraint(condition=models.Q(percentage__gt=0, percentage__lte=100),
                                   name="tranche_percentage"),
        ]
        verbose_name = _("tahap penyaluran dana")
        verbose_name_plural = _("tahap penyaluran dana")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.number} ({self.percentage} %)"


class ProgressReport(models.Model):
    """A house (a BSPS beneficiary, or a named unit of another programme) reaching a stage, with its photo.

    Stages are percentages from settings.ASSISTANCE_PROGRESS_STAGES (default 0, 50, 100)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="progress_reports")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.CharField(_("unit/bangunan"), max_length=100, blank=True)  # other programmes: "Blok A"
    stage = models.PositiveSmallIntegerField(_("tahap (%)"))
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_on = models.DateField(_("tanggal foto"))
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "beneficiary", "unit", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "beneficiary", "stage"], condition=models.Q(unit=""),
                                    name="progress_beneficiary_stage"),
            models.UniqueConstraint(fields=["proposal", "unit", "stage"], condition=~models.Q(unit=""),
                                    name="progress_unit_stage"),
            models.CheckConstraint(condition=models.Q(stage__lte=100), name="progress_stage_percent"),
        ]
        verbose_name = _("laporan kemajuan")
        verbose_name_plural = _("laporan kemajuan")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.beneficiary_id or self.unit} {self.stage} %"


class HandOverStep(models.Model):
    """One step of the asset hand-over (BMN), e.g. the signed BAST; the last step sets Proposal.hand_over."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="hand_over_steps")
    status = models.CharField(_("status serah terima"), max_length=20, choices=Proposal.HandOver.choices)
    document_number = models.CharField(_("nomor dokumen"), max_length=100, blank=True)
    date = models.DateField(_("tanggal"))
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "date", "pk"]
        verbose_name = _("langkah serah terima aset")
        verbose_name_plural = _("langkah serah terima aset")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status} {self.date}"
