"""RegionField and its picker widget: validation messages, levels, and markup that works without JavaScript."""

import re

import pytest
from django import forms

from sibaru.regions.forms import RegionField
from sibaru.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]


class AnyRegion(forms.Form):
    region = RegionField(label="Lokasi")


class VillageOnly(forms.Form):
    region = RegionField(label="Desa/kelurahan", min_level="village")


class UpToRegency(forms.Form):
    region = RegionField(label="Pemda", max_level="regency", required=False)


@pytest.mark.parametrize("typed", ["3273011001", "32.73.01.1001", " 32.73.01.1001 "])
def test_a_code_with_or_without_dots_cleans_to_the_region_in_one_query(django_assert_num_queries, typed):
    form = VillageOnly({"region": typed})
    with django_assert_num_queries(1):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == Region.objects.get(code="3273011001")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Kode wilayah tidak valid: tulis 2, 4, 6 atau 10 angka, boleh dengan titik, misalnya 32.73.01.1001."),
        ("32.7", "Kode wilayah tidak valid: tulis 2, 4, 6 atau 10 angka, boleh dengan titik, misalnya 32.73.01.1001."),
        ("99.99", "Kode wilayah tidak dikenal."),
        ("3273019999", "Kode wilayah tidak dikenal."),
        ("", "Pilih wilayah, atau tulis kode wilayahnya."),
    ],
)
def test_a_bad_code_gets_a_clear_indonesian_message(typed, message):
    form = AnyRegion({"region": typed})
    assert not form.is_valid()
    assert form.errors["region"] == [message]


@pytest.mark.parametrize("typed", ["32", "32.73", "32.73.01"])
def test_a_form_asking_for_a_village_refuses_a_coarser_region(typed):
    form = VillageOnly({"region": typed})
    assert not form.is_valid()
    assert form.errors["region"] == ["Wilayah ini terlalu umum: pilih sampai tingkat desa/kelurahan."]


def test_a_form_asking_for_a_regency_at_most_refuses_a_district():
    assert UpToRegency({"region": "32.73"}).is_valid()
    assert UpToRegency({"region": "32"}).is_valid()
    form = UpToRegency({"region": "327301"})
    assert not form.is_valid()
    assert form.errors["region"] == ["Wilayah ini terlalu rinci: pilih paling rinci tingkat kabupaten/kota."]


def test_a_retired_code_is_refused_for_new_input():
    Region.objects.filter(code="3273011001").update(is_current=False)
    form = AnyRegion({"region": "3273011001"})
    assert not form.is_valid()
    assert "sudah tidak berlaku" in form.errors["region"][0]


def test_without_a_typed_code_the_finest_chosen_select_counts():
    # Without JavaScript only the province select is there; with it, the selects down to the village.
    assert AnyRegion({"region": "", "region_province": "32"}).is_valid()
    form = AnyRegion({"region": "", "region_province": "32", "region_regency": "3273", "region_district": "327301"})
    assert form.is_valid() and form.cleaned_data["region"].code == "327301"
    # A typed code wins over the selects.
    form = AnyRegion({"region": "3204", "region_province": "33"})
    assert form.is_valid() and form.cleaned_data["region"].code == "3204"
    form = VillageOnly({"region_province": "32"})
    assert form.errors["region"] == ["Wilayah ini terlalu umum: pilih sampai tingkat desa/kelurahan."]


def test_levels_must_be_known_and_in_order():
    with pytest.raises(ValueError):
        RegionField(min_level="village", max_level="province")
    with pytest.raises(ValueError):
        RegionField(min_level="city")


def test_has_changed_compares_codes_without_dots():
    field = RegionField()
    region = Region.objects.get(code="3273")
    assert not field.has_changed(region, "32.73")
    assert field.has_changed(region, "3204")


def render(form) -> str:
    return str(form["region"].as_field_group())


def test_the_picker_renders_a_code_box_and_the_province_select_in_one_query(django_assert_num_queries):
    form = AnyRegion()
    with django_assert_num_queries(1):
        html = render(form)
    # A labelled text box for the code, with its hint: this is what works without JavaScript.
    assert re.search(r'<label for="id_region">Kode wilayah</label>', html)
    assert re.search(r'<input type="text" name="region" id="id_region"[^>]*aria-describedby="id_region_codehint"', html)
    assert 'id="id_region_codehint"' in html and "32.73.01.1001" in html
    # The province select is rendered by the server with the 38 provinces, labelled.
    province = re.search(r'<select id="id_region_province" name="region_province"[^>]*>(.*?)</select>', html, re.S)
    assert province and province.group(1).count("<option") == 39
    assert '<label for="id_region_province">Provinsi</label>' in html
    # One question, several controls: a fieldset with the field's label as legend.
    assert "<fieldset" in html and "<legend" in html and "Lokasi" in html


def test_the_javascript_parts_are_hidden_until_the_script_shows_them():
    html = render(AnyRegion())
    for control in ("id_region_search", "id_region_regency", "id_region_district", "id_region_village"):
        part = re.search(rf'<div class="region-picker-part"([^>]*)>\s*<label for="{control}"', html)
        assert part and "hidden" in part.group(1), control
    search = re.search(r'<input[^>]*id="id_region_search"[^>]*>', html).group(0)
    for attribute in ('role="combobox"', 'aria-expanded="false"', 'aria-controls="id_region_listbox"',
                      'aria-autocomplete="list"'):
        assert attribute in search
    assert re.search(r'<ul id="id_region_listbox" role="listbox"[^>]*hidden', html)


def test_the_picker_has_no_inline_script_or_style():
    html = render(AnyRegion()) + str(AnyRegion().media)
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    assert re.search(r'<script src="/static/sibaru/region-picker.js" defer></script>', str(AnyRegion().media))


def test_the_picker_stops_at_the_finest_level_the_field_accepts():
    html = render(UpToRegency())
    assert 'id="id_region_regency"' in html and 'id="id_region_district"' not in html
    assert 'data-max-level="regency"' in html


def test_a_bound_picker_keeps_the_code_selects_its_province_and_names_the_choice(django_assert_num_queries):
    form = AnyRegion({"region": "32.73.01.1001"})
    form.is_valid()
    with django_assert_num_queries(2):
        html = render(form)
    assert 'value="32.73.01.1001"' in html and 'data-initial="3273011001"' in html
    assert '<option value="32" selected>Jawa Barat</option>' in html
    assert "Terpilih: Kel. Sukarasa, Kec. Sukasari, Kota Bandung, Prov. Jawa Barat" in html


def test_an_invalid_picker_points_to_its_error():
    form = AnyRegion({"region": "abc"})
    html = render(form)
    code_box = re.search(r'<input type="text" name="region"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in code_box
    assert 'aria-describedby="id_region_codehint id_region_error"' in code_box
    assert 'id="id_region_error"' in html
