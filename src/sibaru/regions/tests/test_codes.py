"""Region codes: 2, 4, 6 or 10 digits, with or without dots."""

import pytest

from sibaru.regions.codes import InvalidRegionCode, dotted, normalize


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("32", "32"),
        ("3273", "3273"),
        ("32.73", "3273"),
        ("327301", "327301"),
        ("32.73.01", "327301"),
        ("3273011001", "3273011001"),
        ("32.73.01.1001", "3273011001"),
        ("3273.01.1001", "3273011001"),
        (" 32.73.01.1001 ", "3273011001"),
    ],
)
def test_a_code_with_or_without_dots_normalises_to_digits(text, code):
    assert normalize(text) == code


@pytest.mark.parametrize(
    "text",
    ["", "   ", "3", "327", "32735", "32.7", "32..73", ".32", "32.73.", "32.73.01.100", "32.73.01.10011",
     "327301100", "32730110011", "ab", "32-73", "32 73", "3273 01", "٣٢"],
)
def test_anything_else_is_an_invalid_code(text):
    with pytest.raises(InvalidRegionCode):
        normalize(text)


def test_none_is_an_invalid_code():
    with pytest.raises(InvalidRegionCode):
        normalize(None)


@pytest.mark.parametrize(
    ("code", "written"),
    [("32", "32"), ("3273", "32.73"), ("327301", "32.73.01"), ("3273011001", "32.73.01.1001")],
)
def test_the_dotted_form_groups_the_digits_by_level(code, written):
    assert dotted(code) == written
