"""RegionField: a Kemendagri region code (dots optional) cleaned to a Region, at the levels a form allows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sibaru.regions import selectors
from sibaru.regions.codes import INVALID_CODE_MESSAGE, UNKNOWN_CODE_MESSAGE, InvalidRegionCode
from sibaru.regions.models import Region
from sibaru.regions.widgets import LEVELS, RegionPicker

# "sampai tingkat …" reads in lower case.
LEVEL_NOUNS = {
    "province": _("provinsi"),
    "regency": _("kabupaten/kota"),
    "district": _("kecamatan"),
    "village": _("desa/kelurahan"),
}


class RegionField(forms.Field):
    """A region chosen with the picker or typed as a code; cleans to a current Region.

    Levels go from coarse to fine: province, regency, district, village. `min_level` is the coarsest level
    the form accepts and `max_level` the finest: RegionField(min_level="village") needs a village,
    RegionField(max_level="regency") a province or a regency. One query to clean, none with a lookup that
    holds the code (use_lookup).
    """

    widget = RegionPicker
    default_error_messages = {
        "required": _("Pilih wilayah, atau tulis kode wilayahnya."),
        "invalid": INVALID_CODE_MESSAGE,
        "unknown": UNKNOWN_CODE_MESSAGE,
        "retired": _("Kode wilayah ini sudah tidak berlaku. Pilih wilayah yang berlaku sekarang."),
        "too_coarse": _("Wilayah ini terlalu umum: pilih sampai tingkat %(level)s."),
        "too_fine": _("Wilayah ini terlalu rinci: pilih paling rinci tingkat %(level)s."),
    }

    def __init__(self, *, min_level: str = "province", max_level: str = "village", **kwargs):
        if min_level not in LEVELS or max_level not in LEVELS or LEVELS.index(min_level) > LEVELS.index(max_level):
            raise ValueError(f"levels: {min_level!r} .. {max_level!r}")
        self.min_level = min_level
        self.max_level = max_level
        kwargs.setdefault("widget", RegionPicker(min_level=min_level, max_level=max_level))
        super().__init__(**kwargs)
        self.lookup = None

    def use_lookup(self, lookup: selectors.RegionLookup) -> None:
        """Clean and render from regions fetched once for many fields (a formset's rows)."""
        self.lookup = lookup
        self.widget.lookup = lookup

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value) -> Region | None:
        if isinstance(value, Region):
            return value
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        try:
            get = self.lookup.get if self.lookup else selectors.region_get
            region = get(code=str(text))
        except InvalidRegionCode:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if region is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return region

    def validate(self, value: Region | None):
        super().validate(value)
        if value is None:
            return
        if not value.is_current:
            raise ValidationError(self.error_messages["retired"], code="retired")
        depth = LEVELS.index(value.level)
        if depth < LEVELS.index(self.min_level):
            raise ValidationError(
                self.error_messages["too_coarse"], code="too_coarse", params={"level": LEVEL_NOUNS[self.min_level]}
            )
        if depth > LEVELS.index(self.max_level):
            raise ValidationError(
                self.error_messages["too_fine"], code="too_fine", params={"level": LEVEL_NOUNS[self.max_level]}
            )

    def has_changed(self, initial, data) -> bool:
        initial_code = initial.code if isinstance(initial, Region) else (initial or "")
        return str(initial_code).replace(".", "") != str(data or "").replace(".", "").strip()
