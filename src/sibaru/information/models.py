"""Informasi Publik (UU 14/2008, Perki 1/2021): requests, the PPID's decision with its exempt parts, objections,
the grounds (Pasal 17 and Pasal 35(1), seeded verbatim, editable in the admin) and the public information list.

Each request and each objection is a case of the engine (one-to-one); the workflow lives in workflow.py."""

import calendar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemptionGround(models.Model):
    """One ground of UU 14/2008 Pasal 17 (huruf, and the angka where the huruf lists some), verbatim."""

    code = models.CharField(_("kode"), max_length=5, unique=True, help_text=_("Huruf dan angka, mis. a1 atau b."))
    text = models.TextField(_("bunyi"))
    # Pasal 20(1): the exemptions of huruf a–f are not permanent, so they need an end date.
    permanent = models.BooleanField(_("permanen"), default=False)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("alasan pengecualian (Pasal 17)")
        verbose_name_plural = _("alasan pengecualian (Pasal 17)")

    def __str__(self) -> str:
        letter, point = self.code[0], self.code[1:]
        label = _("Pasal 17 huruf %(letter)s") % {"letter": letter}
        if point:
            label = _("%(label)s angka %(point)s") % {"label": label, "point": point}
        return label


class ObjectionGround(models.Model):
    """One ground of objection of UU 14/2008 Pasal 35 ayat (1), verbatim."""

    code = models.CharField(_("kode"), max_length=5, unique=True)
    text = models.TextField(_("bunyi"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("alasan keberatan (Pasal 35)")
        verbose_name_plural = _("alasan keberatan (Pasal 35)")

    def __str__(self) -> str:
        return _("Pasal 35 ayat (1) huruf %(code)s") % {"code": self.code}


class InfoClass(models.TextChoices):
    PERIODIC = "periodic", _("Informasi berkala")
    IMMEDIATE = "immediate", _("Informasi serta-merta")
    ANY_TIME = "any_time", _("Informasi tersedia setiap saat")
    EXEMPT = "exempt", _("Informasi dikecualikan")


class CatalogueEntry(models.Model):
    """One row of the Daftar Informasi Publik (the columns of Perki 1/2010 Lampiran II)."""

    title = models.CharField(_("judul informasi"), max_length=250)
    summary = models.TextField(_("ringkasan isi informasi"))
    info_class = models.CharField(_("klasifikasi"), max_length=12, choices=InfoClass.choices)
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit yang menguasai informasi"))
    responsible = models.CharField(_("penanggung jawab pembuatan/penerbitan"), max_length=200, blank=True)
    made = models.CharField(_("waktu dan tempat pembuatan"), max_length=200, blank=True)
    formats = models.CharField(_("format yang tersedia"), max_length=100, default="softcopy, hardcopy")
    retention = models.CharField(_("jangka waktu penyimpanan (retensi)"), max_length=100)
    document = models.FileField(_("dokumen"), upload_to="informasi/", blank=True)
    link = models.URLField(_("tautan dokumen"), blank=True)
    exemption_ground = models.ForeignKey(ExemptionGround, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("dasar pengecualian"))
    consequence = models.TextField(_("uji konsekuensi"), blank=True)
    exempt_until = models.DateField(_("dikecualikan sampai"), null=True, blank=True)
    published = models.BooleanField(_("tampil di portal"), default=True)
    updated_on = models.DateField(_("terakhir diperbarui"))
    next_update_due = models.DateField(_("pembaruan berikutnya"), null=True, blank=True,
                                       help_text=_("Informasi berkala diperbarui paling lambat 6 bulan sekali."))

    class Meta:
        ordering = ["info_class", "title"]
        verbose_name = _("entri Daftar Informasi Publik")
        verbose_name_plural = _("Daftar Informasi Publik")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(info_class="exempt") | models.Q(exemption_ground__isnull=False),
                name="catalogue_exempt_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.published and self.info_class != InfoClass.EXEMPT

    @property
    def update_due(self):
        """When periodic information must next be updated: the set date, or 6 months after the last update
        (UU 14/2008 Pasal 9: at least every 6 months)."""
        if self.next_update_due:
            return self.next_update_due
        day = self.updated_on
        month = day.month + 6
        year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
        return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class RequesterType(models.TextChoices):
    PERSON = "person", _("Perorangan")
    LEGAL_ENTITY = "legal_entity", _("Badan hukum")


class Obtain(models.TextChoices):
    VIEW = "view", _("Melihat/membaca/mendengarkan/mencatat")
    COPY = "copy", _("Mendapatkan salinan (softcopy/hardcopy)")


class Delivery(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Pos")
    PICKUP = "pickup", _("Mengambil langsung")


class InformationRequest(models.Model):
    """A request for public information (Perki 1/2021 form; UU 14/2008 Pasal 22(2))."""

    case = models.OneToOneField("core.Case", on_delete=models.PROTECT, related_name="information_request")
    registration_number = models.CharField(_("nomor pendaftaran"), max_length=30, unique=True)
    received_on = models.DateField(_("tanggal diterima"))
    requester_type = models.CharField(_("jenis pemohon"), max_length=12, choices=RequesterType.choices)
    name = models.CharField(_("nama"), max_length=150)
    id_number = models.CharField(_("NIK atau nomor SK badan hukum"), max_length=60)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    address = models.TextField(_("alamat"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    proxy_name = models.CharField(_("nama kuasa"), max_length=150, blank=True)
    information = models.TextField(_("rincian informasi yang dibutuhkan"))
    purpose = models.TextField(_("tujuan penggunaan informasi"))
    obtain = models.CharField(_("cara memperoleh informasi"), max_length=5, choices=Obtain.choices)
    delivery = models.CharField(_("cara mendapatkan salinan"), max_length=6, choices=Delivery.choices)
    language = models.CharField(max_length=5, default="id")
    # The requester's private link: only its hash is kept, like an API token.
    token_hash = models.CharField(max_length=64, unique=True)
    identity_document = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    power_of_attorney = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    extended_on = models.DateField(_("diperpanjang pada"), null=True, blank=True)
    # A request converted from a complaint has no NIK, address or identity document yet: the PPID asks the
    # requester for them and clears the flag once they are recorded.
    identity_pending = models.BooleanField(
        _("identitas belum lengkap"), default=False,
        help_text=_("NIK, alamat dan dokumen identitas pemohon belum ada (dialihkan dari pengaduan)."),
    )

    class Meta:
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")
        indexes = [models.Index(fields=["received_on"], name="inforequest_received")]

    def __str__(self) -> str:
        return self.registration_number


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Diberikan seluruhnya")
    PARTLY_GRANTED = "partly_granted", _("Diberikan sebagian")
    REFUSED = "refused", _("Ditolak")
    NOT_HELD = "not_held", _("Tidak dikuasai")
    ALREADY_PUBLIC = "already_public", _("Sudah tersedia untuk umum")


class Decision(models.Model):
    """The written notice of UU 14/2008 Pasal 22(7): what is given, what is exempt and why, at what cost."""

    request = models.OneToOneField(InformationRequest, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("keputusan"), max_length=15, choices=Outcome.choices)
    material = models.TextField(_("materi informasi yang diberikan"), blank=True)
    holder = models.CharField(_("badan publik yang menguasai"), max_length=200, blank=True)
    catalogue_entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("entri DIP"))
    decided_at = models.DateTimeField(_("tanggal pemberitahuan"))
    days_taken = models.PositiveSmallIntegerField(_("hari kerja yang diperlukan"))
    copy_pages = models.PositiveIntegerField(_("jumlah lembar/keping salinan"), default=0)
    copy_medium = models.CharField(_("media salinan"), max_length=20, blank=True)
    fee = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    fee_paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    fee_receipt_number = models.CharField(_("nomor kuitansi"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan tertulis")
        verbose_name_plural = _("pemberitahuan tertulis")

    def __str__(self) -> str:
        return f"{self.request} {self.outcome}"


class ExemptPart(models.Model):
    """A part of the information withheld, with its Pasal 17 ground and the recorded consequence test."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="exempt_parts")
    description = models.TextField(_("informasi yang dikecualikan"))
    ground = models.ForeignKey(ExemptionGround, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("dasar pengecualian"))
    consequence = models.TextField(_("uji konsekuensi"))
    until = models.DateField(_("dikecualikan sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("bagian yang dikecualikan")
        verbose_name_plural = _("bagian yang dikecualikan")

    def __str__(self) -> str:
        return f"{self.ground}: {self.description[:60]}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Menguatkan keputusan PPID")
    GRANTED = "granted", _("Keberatan diterima: informasi diberikan")
    PARTLY = "partly", _("Keberatan diterima sebagian")


class RequesterResponse(models.TextChoices):
    """What the requester did after the superior's response: the register's "tanggapan pemohon" (Perki 1/2021)."""

    ACCEPTED = "accepted", _("Menerima tanggapan atasan PPID")
    DISPUTE = "dispute", _("Mengajukan sengketa ke Komisi Informasi")


class Objection(models.Model):
    """An objection to the PPID's superior (UU 14/2008 Pasal 35–36; Perki 1/2021 Pasal 39–41)."""

    case = models.OneToOneField("core.Case", on_delete=models.PROTECT, related_name="information_objection")
    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="objections")
    registration_number = models.CharField(_("nomor registrasi keberatan"), max_length=30, unique=True)
    received_on = models.DateField(_("tanggal diterima"))
    ground = models.ForeignKey(ObjectionGround, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("alasan keberatan"))
    ground_arose_on = models.DateField(_("tanggal timbulnya alasan"))
    statement = models.TextField(_("kasus posisi"))
    proxy_name = models.CharField(_("nama kuasa"), max_length=150, blank=True)
    outcome = models.CharField(_("keputusan atasan PPID"), max_length=10, choices=ObjectionOutcome.choices,
                               blank=True)
    response = models.TextField(_("tanggapan atasan PPID"), blank=True)
    decided_at = models.DateTimeField(_("tanggal tanggapan"), null=True, blank=True)
    # Recorded by the PPID once the requester answers (or files a dispute, UU 14/2008 Pasal 37); empty until then.
    requester_response = models.CharField(_("tanggapan pemohon"), max_length=10, choices=RequesterResponse.choices,
                                          blank=True)
    requester_response_on = models.DateField(_("tanggal tanggapan pemohon"), null=True, blank=True)
    requester_response_note = models.TextField(_("keterangan tanggapan pemohon"), blank=True)

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self) -> str:
        return self.registration_number
