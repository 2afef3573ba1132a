"""Kemendagri administrative regions: provinces, regencies/cities, districts and villages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten/Kota")
        DISTRICT = "district", _("Kecamatan")
        VILLAGE = "village", _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    # Digits only (2, 4, 6 or 10); the dotted form (32.73.01.1001) is for display.
    code = models.CharField(_("kode"), max_length=10, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", db_constraint=False
    )
    # False once a code has left the Kemendagri list: old records still resolve it, new input may not use it.
    is_current = models.BooleanField(_("masih berlaku"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def dotted_code(self) -> str:
        from sibaru.regions.codes import dotted

        return dotted(self.code)


class RegionWord(models.Model):
    """One word of a current region's name, for type-ahead search by word prefix (see selectors.region_search).

    A LIKE '%…%' over 91,000 names scans the table on SQLite and PostgreSQL alike; a prefix range on this
    index reads only the rows it returns. Written by the loader (services.region_words_rebuild), never by hand.
    """

    word = models.CharField(max_length=60)
    # Search order: 0 = a province's first name word, 1 = another word of a province, 2-3 regencies
    # (their first word after "Kabupaten"/"Kota"), 4-5 districts, 6-7 villages.
    rank = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        indexes = [
            # A prefix range on `word` (PostgreSQL: LIKE 'ab%', which the pattern opclass serves under any
            # database collation), covering what the search reads.
            models.Index(
                fields=["word", "rank", "region"],
                name="region_word_search",
                opclasses=["varchar_pattern_ops", "int2_ops", "varchar_ops"],
            ),
            # A region's other words, for the query's further words; and the loader's deletes.
            models.Index(
                fields=["region", "word"], name="region_word_region", opclasses=["varchar_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.word


class RegionDataset(models.Model):
    """One load of the region data file; the loader skips a file whose SHA-256 was already loaded."""

    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()
    # Rows per level and kind in the file, plus what the load changed (created, updated, obsolete).
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"
        verbose_name = _("muatan data wilayah")
        verbose_name_plural = _("muatan data wilayah")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} @ {self.loaded_at:%Y-%m-%d %H:%M}"
