"""The NIK (Nomor Induk Kependudukan) and the family card (KK) number: structure checks, offline.

NIK, 16 digits (reference/legal.md §7a): 1–6 the district (kecamatan) where it was first registered,
7–8 the day of birth (+40 for women), 9–10 the month, 11–12 the year (two digits), 13–16 a serial from
0001. There is no check digit. Dukcapil does not correct an NIK whose date does not match the birth date,
so an impossible date is a warning, never a reason to reject. The region code of an NIK never changes,
so a district code that has since left the Kemendagri list (``is_current=False``) still counts.

KK number, 16 digits (§7b): 1–6 the district of issue, 7–12 the issue date (no +40 rule, not checked),
13–16 the family serial.

Both parsers take the set of known district codes for bulk work (one query for a whole file); without
it they read the one code they need.
"""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sibaru.regions.models import Region

_DIGITS = re.compile(r"^[0-9]{16}$")
# Spaces, dots and dashes people type to group the digits ("3273 0105 0868 0001").
_SEPARATORS = re.compile(r"[\s.\-]")

MESSAGES = {
    "nik_format": _("NIK harus terdiri dari 16 digit angka."),
    "nik_region": _("Enam digit pertama NIK bukan kode kecamatan yang terdaftar."),
    "nik_serial": _("Empat digit terakhir NIK (nomor urut) tidak boleh 0000."),
    "nik_date": _("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang mungkin; periksa kembali NIK."),
    "kk_format": _("Nomor KK harus terdiri dari 16 digit angka."),
    "kk_region": _("Enam digit pertama nomor KK bukan kode kecamatan yang terdaftar."),
}


@dataclass(frozen=True)
class Issue:
    """A problem found in a number: `code` is stable (for programs), `message` is for people."""

    code: str

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


@dataclass(frozen=True)
class NikInfo:
    nik: str
    district_code: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""  # "male", "female", or "" when the day digits fit neither
    serial: str = ""
    errors: tuple[Issue, ...] = field(default=())
    warnings: tuple[Issue, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def province_code(self) -> str:
        return self.district_code[:2]

    @property
    def regency_code(self) -> str:
        return self.district_code[:4]


@dataclass(frozen=True)
class FamilyCardInfo:
    number: str
    district_code: str = ""
    errors: tuple[Issue, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.errors


def clean_number(text) -> str:
    """The digits of a typed number, without the spaces, dots or dashes that group them."""
    if text is None:
        return ""
    if isinstance(text, int) and not isinstance(text, bool):
        return str(text)
    return _SEPARATORS.sub("", str(text))


def district_codes() -> set[str]:
    """Every district code, current or not (one query): what a bulk check passes to the parsers."""
    return set(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True))


def _known_district(code: str, known: Collection[str] | None) -> bool:
    if known is not None:
        return code in known
    return Region.objects.filter(code=code, level=Region.Level.DISTRICT).exists()


def resolve_birth_date(day: int, month: int, year2: int, *, today: datetime.date | None = None):
    """The birth date of the day/month/two-digit year, in the most recent century that is not in the future.

    Returns None when the day and month make no date (31 February, month 13).
    """
    today = today or timezone.localdate()
    century = today.year - today.year % 100
    for year in (century + year2, century - 100 + year2):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None


def parse_nik(text, *, district_codes: Collection[str] | None = None, today: datetime.date | None = None) -> NikInfo:
    """Check an NIK's structure and read what it encodes. Errors reject it; warnings keep it.

    Errors: not 16 digits, an unknown district prefix, serial 0000. Warning: the encoded birth date is
    impossible (its sex is then read from the day digits when they fit 01–31 or 41–71, else left empty).
    """
    nik = clean_number(text)
    if not _DIGITS.match(nik):
        return NikInfo(nik=nik, errors=(Issue("nik_format"),))
    errors: list[Issue] = []
    district = nik[:6]
    if not _known_district(district, district_codes):
        errors.append(Issue("nik_region"))
    serial = nik[12:]
    if serial == "0000":
        errors.append(Issue("nik_serial"))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = ""
    if 1 <= day <= 31:
        sex = "male"
    elif 41 <= day <= 71:
        sex, day = "female", day - 40
    birth_date = resolve_birth_date(day, month, year2, today=today) if sex else None
    warnings = () if birth_date else (Issue("nik_date"),)
    return NikInfo(
        nik=nik, district_code=district, birth_date=birth_date, sex=sex, serial=serial,
        errors=tuple(errors), warnings=warnings,
    )


def parse_family_card_number(text, *, district_codes: Collection[str] | None = None) -> FamilyCardInfo:
    """Check a KK number: 16 digits whose first six are a known district code (the issue date is not read)."""
    number = clean_number(text)
    if not _DIGITS.match(number):
        return FamilyCardInfo(number=number, errors=(Issue("kk_format"),))
    district = number[:6]
    errors = () if _known_district(district, district_codes) else (Issue("kk_region"),)
    return FamilyCardInfo(number=number, district_code=district, errors=errors)
