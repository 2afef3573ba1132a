import pytest

from sibaru.core.tracking import ALPHABET, new_tracking_code, normalize_tracking_code


def test_codes_have_prefix_year_and_three_groups_without_look_alikes():
    code = new_tracking_code("ADU", 2026)
    prefix, year, *groups = code.split("-")
    assert (prefix, year) == ("ADU", "2026")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert set("".join(groups)) <= set(ALPHABET)
    assert not set("01ILOUV") & set("".join(groups))


def test_codes_do_not_repeat():
    assert len({new_tracking_code("ADU", 2026) for _ in range(5000)}) == 5000


def test_typed_codes_are_normalised():
    code = new_tracking_code("UJI", 2026)
    compact = code.replace("-", "").lower()
    assert normalize_tracking_code(compact) == code
    assert normalize_tracking_code(f"  {code.lower()} ") == code
    assert normalize_tracking_code(code.replace("-", " ")) == code


@pytest.mark.parametrize("text", ["", "ABC", "UJI-2026", "UJI-2026-AAAA-AAAA-AAA", "UJI-2026-0000-0000-0000",
                                  "UJI-26-AAAA-AAAA-AAAA", "<script>", "UJI-2026-AAAA-AAAA-AAAA-AAAA"])
def test_malformed_codes_are_refused(text):
    assert normalize_tracking_code(text) is None


def test_a_single_typo_or_a_swap_of_neighbours_is_caught_by_the_check_character():
    code = new_tracking_code("UJI", 2026)
    compact = code.replace("-", "")
    random_part = compact[7:]
    for i, char in enumerate(random_part):
        for other in ALPHABET:
            if other != char:
                typo = compact[:7] + random_part[:i] + other + random_part[i + 1:]
                assert normalize_tracking_code(typo) is None
    for i in range(len(random_part) - 1):
        a, b = random_part[i], random_part[i + 1]
        if a != b:
            swapped = compact[:7] + random_part[:i] + b + a + random_part[i + 2:]
            assert normalize_tracking_code(swapped) is None
