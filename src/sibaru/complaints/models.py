"""Pengaduan: the category tree (administrator-managed, each category routed to a default unit), the
complaint one-to-one with its Case, and the units it was dispositioned to. No workflow here (workflow.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportType(models.TextChoices):
    ASPIRATION = "aspirasi", _("Aspirasi")
    COMPLAINT = "pengaduan", _("Pengaduan")
    # Kept as a complaint of this type until information requests can take it over (see services).
    INFORMATION_REQUEST = "permintaan_informasi", _("Permintaan informasi")


class Classification(models.TextChoices):
    """The tier that sets the follow-up deadline (SP4N-LAPOR!: 5 / 14 / 60 working days)."""

    INFORMATION = "information", _("Permintaan informasi")
    ORDINARY = "ordinary", _("Tidak berkadar pengawasan")
    SUPERVISION = "supervision", _("Berkadar pengawasan (maladministrasi, penyalahgunaan wewenang, korupsi)")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    API = "api", _("API")
    WALK_IN = "walk_in", _("Datang langsung")
    LETTER = "letter", _("Surat")
    PHONE = "phone", _("Telepon")
    SOCIAL_MEDIA = "social_media", _("Media sosial")


class Category(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk")
    )
    default_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit tujuan bawaan"),
        help_text=_("Unit yang diusulkan saat koordinator memverifikasi pengaduan kategori ini."),
    )
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Complaint(models.Model):
    # The case's primary key is the complaint's, so scope filters need no join.
    case = models.OneToOneField("core.Case", on_delete=models.PROTECT, primary_key=True, related_name="complaint")
    report_type = models.CharField(_("jenis laporan"), max_length=30, choices=ReportType.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("kategori"))
    title = models.CharField(_("judul"), max_length=150)
    # The title the coordinator gives it at verification: what the public reports page shows.
    public_title = models.CharField(_("judul publik"), max_length=150, blank=True)
    description = models.TextField(_("uraian"))
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=8, decimal_places=5, null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    # The reporter's identity: empty for an anonymous report, which stores none at all.
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("e-mail pelapor"), blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)
    language = models.CharField(max_length=5, default="id")
    # SHA-256 of the secret in the reporter's private link; the secret itself is never stored.
    follow_token_hash = models.CharField(max_length=64, unique=True)
    classification = models.CharField(
        _("klasifikasi"), max_length=20, choices=Classification.choices, default=Classification.ORDINARY
    )
    forwarded_to = models.CharField(_("diteruskan kepada"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("duplikat dari")
    )
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    # The state entry (Case.state_entered_at) whose passed deadline was escalated: once per stage.
    escalated_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="complaint_rating",
            )
        ]

    def __str__(self) -> str:
        return str(self.case_id)

    @property
    def has_identity(self) -> bool:
        return bool(self.reporter_name)


class ComplaintUnit(models.Model):
    """A unit the complaint is dispositioned to; the unit's officers see and act on it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="units")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "organisation"], name="complaint_unit_once"),
        ]
        indexes = [models.Index(fields=["organisation", "complaint"], name="complaint_unit_org")]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.organisation_id}"
