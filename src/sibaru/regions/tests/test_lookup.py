"""RegionLookup: many region fields cleaned and rendered from one fetch, with the same answers and errors as
one field alone."""

import pytest
from django import forms

from sibaru.regions import selectors
from sibaru.regions.codes import InvalidRegionCode
from sibaru.regions.forms import RegionField
from sibaru.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]


class VillageOnly(forms.Form):
    region = RegionField(label="Desa/kelurahan", min_level="village")


def test_the_codes_and_their_ancestors_come_in_one_query(django_assert_num_queries):
    label = selectors.region_label(code="3273011001")
    with django_assert_num_queries(1):
        lookup = selectors.RegionLookup(["32.73.01.1001", "3273011002", "3273019999", "12x", ""])
    with django_assert_num_queries(0):
        assert lookup.get(code="32.73.01.1001").name == "Sukarasa"
        assert lookup.get(code="3273019999") is None
        assert lookup.label(code="3273011001") == label
        assert lookup.label(code="3273019999") == ""  # unknown: no label, not its parents' one
        with pytest.raises(InvalidRegionCode):
            lookup.get(code="12x")
    with django_assert_num_queries(1):
        assert lookup.provinces() == lookup.provinces()
    assert lookup.provinces() == selectors.provinces()
    # A code it was not given is still answered, by its own query.
    with django_assert_num_queries(1):
        assert lookup.get(code="3273").name == "Kota Bandung"


def test_fields_sharing_a_lookup_clean_and_render_without_further_queries(django_assert_num_queries):
    Region.objects.filter(code="3273011002").update(is_current=False)
    sent = {"3273011001": None, "3273011002": "retired", "3273019999": "unknown", "327301": "too_coarse",
            "32.73.x": "invalid"}
    lookup = selectors.RegionLookup(sent)
    lookup.provinces()
    with django_assert_num_queries(0):
        for code, error in sent.items():
            form = VillageOnly({"region": code})
            form.fields["region"].use_lookup(lookup)
            assert form.is_valid() is (error is None), code
            if error:
                assert form.errors.as_data()["region"][0].code == error
            html = str(form["region"])
            if error is None:
                assert "Terpilih: Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat" in html
            assert '<option value="32" selected>' in html or code.startswith("32.73.x")
