"""GET /wilayah/: browse the region list, search it by name, and try the region picker. Public, read-only."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sibaru.regions import selectors
from sibaru.regions.codes import InvalidRegionCode, normalize
from sibaru.regions.forms import RegionField

NAME_RESULTS = 50


class RegionLookupForm(forms.Form):
    region = RegionField(
        label=_("Wilayah"),
        help_text=_("Pilih dari daftar, cari dengan nama, atau tulis kodenya."),
    )


def browse(request):
    # The picker's form is only bound once it was sent, so opening the page shows no error.
    form = RegionLookupForm(request.GET if "region" in request.GET else None)
    chosen = chosen_label = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["region"]
        chosen_label = selectors.region_label(code=chosen.code)

    q = request.GET.get("q", "").strip()[:100]
    matches = selectors.region_search_labelled(q=q, limit=NAME_RESULTS) if q else []

    parent_text = request.GET.get("parent", "").strip()
    chain, parent_error = [], ""
    if parent_text:
        try:
            chain = selectors.region_with_ancestors(code=normalize(parent_text))
        except InvalidRegionCode:
            pass
        if not chain:
            parent_error = _("Wilayah induk tidak dikenal; berikut daftar provinsi.")
    children = selectors.region_children(parent=chain[-1].code if chain else None)
    status = 200 if not parent_error else 404
    return render(
        request,
        "regions/browse.html",
        {
            "form": form,
            "chosen": chosen,
            "chosen_label": chosen_label,
            "q": q,
            "matches": matches,
            "chain": chain,
            "parent_error": parent_error,
            "children": children,
        },
        status=status,
    )
