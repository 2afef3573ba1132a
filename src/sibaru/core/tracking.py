"""Tracking codes: kind prefix, year and a random part, e.g. ``ADU-2026-K7QM-4PXR-9TWC``.

The random part uses an alphabet without the look-alikes 0/O, 1/I/L and U/V, so it reads aloud and
copies by hand without mistakes; its last character is a check character that catches a single typo or
a swap of two neighbours before any database lookup. 11 random characters (29**11 ≈ 1.2e16) make codes
unguessable.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
_RANDOM_LENGTH = 11
_PATTERN = re.compile(r"^([A-Z]{3})(\d{4})([" + ALPHABET + r"]{12})$")


def _value(char: str) -> int:
    # Prefix and year may hold characters outside the alphabet (digits 0 and 1, any letter).
    return ALPHABET.index(char) if char in ALPHABET else ord(char)


def _check_character(body: str) -> str:
    # Weighted sum (position-dependent weights catch transpositions), modulo the prime alphabet size 29.
    total = sum((index + 1) * _value(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_tracking_code(prefix: str, year: int) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_LENGTH))
    random_part = body + _check_character(prefix + str(year) + body)
    return f"{prefix}-{year}-{random_part[0:4]}-{random_part[4:8]}-{random_part[8:12]}"


def normalize_tracking_code(text: str) -> str | None:
    """Return the canonical form of a typed code, or None when it cannot be a valid code."""
    compact = re.sub(r"[\s\-.]", "", (text or "").upper())
    match = _PATTERN.match(compact)
    if not match:
        return None
    prefix, year, random_part = match.groups()
    if _check_character(prefix + year + random_part[:-1]) != random_part[-1]:
        return None
    return f"{prefix}-{year}-{random_part[0:4]}-{random_part[4:8]}-{random_part[8:12]}"
