"""Region codes: 2 (province), 4 (regency/city), 6 (district) or 10 (village) digits, dots optional."""

import re

from django.utils.translation import gettext_lazy

# ASCII digits only: \d would also accept other scripts' digits.
_CODE = re.compile(r"^\d{2}(\.?\d{2}(\.?\d{2}(\.?\d{4})?)?)?$", re.ASCII)
LEVEL_BY_LENGTH = {2: "province", 4: "regency", 6: "district", 10: "village"}


class InvalidRegionCode(ValueError):
    pass


def normalize(code: str) -> str:
    """Return the digits-only form of a region code, or raise InvalidRegionCode."""
    text = (code or "").strip()
    if not _CODE.match(text):
        raise InvalidRegionCode(code)
    return text.replace(".", "")


def dotted(code: str) -> str:
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    return ".".join(part for part in parts if part)


# Shared by the form field and the API, so a person and a program read the same explanation.
INVALID_CODE_MESSAGE = gettext_lazy(
    "Kode wilayah tidak valid: tulis 2, 4, 6 atau 10 angka, boleh dengan titik, misalnya 32.73.01.1001."
)
UNKNOWN_CODE_MESSAGE = gettext_lazy("Kode wilayah tidak dikenal.")
