"""Publications: the ministry's news and announcements, in Indonesian and English, with an image and
attachments, visible from their publish time. Editors write them in the admin (admin.py)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sibaru.core.attachments import DEFAULT_TYPES, IMAGE_TYPES, SPREADSHEET_TYPES, check_upload

# Slugs the feed addresses take under /berita/.
RESERVED_SLUGS = {"rss", "atom"}


def _stored_name(folder: str, filename: str) -> str:
    """A random name, never the one the editor's computer gave (as core attachments do)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"publikasi/{folder}/{uuid.uuid4().hex}.{extension}"


def upload_image(instance, filename: str) -> str:
    return _stored_name("gambar", filename)


def upload_attachment(instance, filename: str) -> str:
    return _stored_name("lampiran", filename)


def _check_new_upload(value, allowed: dict[str, str]) -> None:
    # Only a new upload is checked: a stored file keeps the content it was accepted with.
    if value and not getattr(value, "_committed", True):
        check_upload(value.file, allowed=allowed)


def validate_image(value) -> None:
    _check_new_upload(value, IMAGE_TYPES)


def validate_attachment(value) -> None:
    _check_new_upload(value, DEFAULT_TYPES | SPREADSHEET_TYPES)


class PublicationQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: published, and its publish time has come."""
        return self.filter(published=True, publish_at__lte=timezone.now())


class Publication(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("Berita")
        ANNOUNCEMENT = "announcement", _("Pengumuman")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.NEWS)
    title_id = models.CharField(_("judul (Indonesia)"), max_length=200)
    title_en = models.CharField(_("judul (Inggris)"), max_length=200, blank=True)
    slug = models.SlugField(_("alamat"), max_length=120, unique=True,
                            help_text=_("Bagian alamat halaman: huruf kecil, angka dan tanda hubung."))
    summary_id = models.TextField(_("ringkasan (Indonesia)"), max_length=500)
    summary_en = models.TextField(_("ringkasan (Inggris)"), max_length=500, blank=True)
    body_id = models.TextField(_("isi (Indonesia)"), help_text=_("Teks biasa; pisahkan paragraf dengan baris kosong."))
    body_en = models.TextField(_("isi (Inggris)"), blank=True)
    image = models.FileField(_("gambar"), upload_to=upload_image, blank=True, validators=[validate_image],
                             help_text=_("JPG, PNG atau WEBP."))
    image_alt_id = models.CharField(_("teks alternatif gambar (Indonesia)"), max_length=250, blank=True,
                                    help_text=_("Apa yang tampak pada gambar, untuk pembaca layar. "
                                                "Wajib bila ada gambar."))
    image_alt_en = models.CharField(_("teks alternatif gambar (Inggris)"), max_length=250, blank=True)
    publish_at = models.DateTimeField(_("terbit pada"), default=timezone.now,
                                      help_text=_("Sebelum waktu ini publikasi tidak tampil di portal dan feed."))
    published = models.BooleanField(_("terbitkan"), default=False,
                                    help_text=_("Biarkan kosong untuk menyimpan sebagai draf."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False,
                               related_name="+", verbose_name=_("penulis"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("publikasi")
        verbose_name_plural = _("publikasi")
        indexes = [models.Index(fields=["published", "-publish_at"], name="publication_visible")]
        constraints = [
            # WCAG 1.1.1: an image without a text alternative is refused, in the database too.
            models.CheckConstraint(condition=models.Q(image="") | ~models.Q(image_alt_id=""),
                                   name="publication_image_has_alt"),
        ]

    def __str__(self) -> str:
        return self.title_id

    def clean(self) -> None:
        errors = {}
        if self.image and not self.image_alt_id.strip():
            errors["image_alt_id"] = _("Tulis teks alternatif gambar: apa yang tampak, untuk pembaca layar.")
        if self.image_alt_en and not self.image:
            errors["image_alt_en"] = _("Teks alternatif hanya diisi bila ada gambar.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Alamat \"%(slug)s\" dipakai oleh feed. Pilih alamat lain.") % {"slug": self.slug}
        if errors:
            raise ValidationError(errors)


class PublicationAttachment(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("judul lampiran"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=upload_attachment, validators=[validate_attachment],
                            help_text=_("PDF, XLSX, JPG, PNG atau WEBP."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper()
