"""Reads of the region list: children, name search and its ranking, labels with ancestors, in few queries."""

import pytest

from sibaru.regions import selectors
from sibaru.regions.codes import InvalidRegionCode
from sibaru.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]


def codes(regions):
    return [r.code for r in regions]


def test_without_a_parent_the_children_are_the_38_provinces_by_name(django_assert_num_queries):
    with django_assert_num_queries(1):
        provinces = selectors.region_children()
    assert len(provinces) == 38
    assert {r.level for r in provinces} == {"province"}
    names = [r.name for r in provinces]
    assert names == sorted(names) and names[0] == "Aceh"


def test_children_of_a_region_are_its_current_direct_children(django_assert_num_queries):
    with django_assert_num_queries(1):
        districts = selectors.region_children(parent="3273")
    assert len(districts) == 30
    assert {r.parent_id for r in districts} == {"3273"}
    assert "327301" in codes(districts)
    assert selectors.region_children(parent="3273011001") == []


def test_children_pages_continue_after_the_last_name_and_code():
    first = selectors.region_children(parent="3273", limit=10)
    second = selectors.region_children(parent="3273", limit=10, after=(first[-1].name, first[-1].code))
    everything = selectors.region_children(parent="3273")
    assert codes(first + second) == codes(everything[:20])


def test_search_ranks_provinces_and_regencies_before_districts_and_villages(django_assert_num_queries):
    with django_assert_num_queries(2):
        found = selectors.region_search(q="jawa", limit=20)
    assert [r.name for r in found[:3]] == ["Jawa Barat", "Jawa Tengah", "Jawa Timur"]
    depths = [len(r.code) for r in found]
    assert depths == sorted(depths)
    assert "village" in {r.level for r in found}


def test_search_finds_regencies_by_the_word_after_their_kind():
    found = selectors.region_search(q="Bandung", limit=5)
    assert codes(found[:3]) == ["3204", "3217", "3273"]  # Kab. Bandung, Kab. Bandung Barat, Kota Bandung
    assert selectors.region_search(q="kota band", limit=10)[-1].code == "3273"
    assert codes(selectors.region_search(q="kab bandung barat")) == ["3217"]


def test_search_is_by_word_prefix_and_ignores_case_dots_and_apostrophes():
    assert "3204052001" in codes(selectors.region_search(q="CILEUNYI kul"))
    assert "3204052001" in codes(selectors.region_search(q="kulon cileunyi", levels=["village"]))
    # Source names like Soka"an are found with or without the mark.
    assert codes(selectors.region_search(q="sokaan")) == codes(selectors.region_search(q="soka'an")) != []


def test_a_search_for_a_code_finds_that_region():
    assert codes(selectors.region_search(q="32.73.01.1001")) == ["3273011001"]
    assert selectors.region_search(q="99.99") == []
    assert selectors.region_search(q="327") == []


def test_search_can_be_limited_to_levels_and_to_the_descendants_of_a_region():
    found = selectors.region_search(q="suka", levels=["district"], limit=50)
    assert found and {r.level for r in found} == {"district"}
    inside = selectors.region_search(q="suka", within="3273", limit=50)
    assert inside and all(r.code.startswith("3273") and r.code != "3273" for r in inside)
    assert "327301" in codes(inside)


def test_search_respects_the_limit_and_returns_each_region_once():
    found = selectors.region_search(q="s", limit=200)
    assert len(found) == 200 == len(set(codes(found)))


def test_an_empty_query_finds_nothing_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.region_search(q="  ") == []
        assert selectors.region_search(q="--") == []


def test_search_with_labels_costs_two_queries_whatever_the_number_of_results(django_assert_num_queries):
    with django_assert_num_queries(2):
        found = selectors.region_search_labelled(q="sukamaju", limit=50)
    assert len(found) == 50
    region, label = found[-1]
    assert label.startswith(("Desa Sukamaju, Kec. ", "Kel. Sukamaju, Kec. ", "Kec. Sukamaju, "))
    assert label.count("Prov. ") == 1


def test_the_label_with_ancestors_is_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        label = selectors.region_label(code="32.73.01.1001")
    assert label == "Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat"
    desa = "Desa Cileunyi Kulon, Kec. Cileunyi, Kab. Bandung, Prov. Jawa Barat"
    assert selectors.region_label(code="3204052001") == desa
    assert selectors.region_label(code="32") == "Prov. Jawa Barat"
    assert selectors.region_label(code="3299") == ""


def test_labels_for_many_regions_cost_one_query(django_assert_num_queries):
    villages = list(Region.objects.filter(parent_id__in=["320405", "327301"]))
    with django_assert_num_queries(1):
        labels = selectors.region_labels(villages)
    assert labels["3273011001"] == "Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat"
    assert len(labels) == len(villages)


def test_get_by_code_accepts_dots_and_rejects_malformed_codes(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.region_get(code="32.73").name == "Kota Bandung"
    assert selectors.region_get(code="3299") is None
    with pytest.raises(InvalidRegionCode):
        selectors.region_get(code="32.7")


def test_the_chain_of_an_unknown_code_is_empty():
    assert selectors.region_with_ancestors(code="3273019999") == []
    assert [r.code for r in selectors.region_with_ancestors(code="3273011001")] == [
        "32", "3273", "327301", "3273011001"]
