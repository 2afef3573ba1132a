"""The region picker: a code box that works without JavaScript, and cascading selects plus a name search
(WAI-ARIA combobox) that region-picker.js switches on."""

from django import forms
from django.forms.widgets import Script
from django.urls import reverse

from sibaru.regions import selectors
from sibaru.regions.codes import InvalidRegionCode, normalize

LEVELS = ["province", "regency", "district", "village"]


class RegionPicker(forms.Widget):
    template_name = "regions/widgets/region_picker.html"
    # Several controls answer one question: a fieldset whose legend is the field's label.
    use_fieldset = True

    class Media:
        css = {"all": ["sibaru/region-picker.css"]}
        js = [Script("sibaru/region-picker.js", defer=True)]

    def __init__(self, attrs=None, *, min_level: str = "province", max_level: str = "village"):
        super().__init__(attrs)
        self.min_level = min_level
        self.max_level = max_level
        # A selectors.RegionLookup shared by the pickers of one page (see RegionField.use_lookup); without
        # it, each picker reads its label and the provinces itself.
        self.lookup = None

    def levels(self) -> list[str]:
        return LEVELS[: LEVELS.index(self.max_level) + 1]

    def value_from_datadict(self, data, files, name):
        # The typed code wins; without it, the finest select chosen (the province one works without JS).
        typed = (data.get(name) or "").strip()
        if typed:
            return typed
        for level in reversed(self.levels()):
            chosen = (data.get(f"{name}_{level}") or "").strip()
            if chosen:
                return chosen
        return ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{level}" in data for level in self.levels())

    def format_value(self, value):
        if value is None:
            return ""
        return getattr(value, "code", None) or str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        code = widget["value"] or ""
        try:
            code = normalize(code) if code else ""
        except InvalidRegionCode:
            code = ""
        # No `required` on the code box: without JavaScript the province select may answer instead.
        attrs = widget["attrs"]
        base_id = attrs.get("id") or f"id_{name}"
        described = [f"{base_id}_codehint"]
        if attrs.get("aria-invalid"):
            described.append(f"{base_id}_error")
        widget.update(
            {
                "base_id": base_id,
                "code": code,
                "label": (self.lookup.label(code=code) if self.lookup else selectors.region_label(code=code))
                if code else "",
                "described_by": " ".join(described),
                "disabled": bool(attrs.get("disabled")),
                "invalid": bool(attrs.get("aria-invalid")),
                "provinces": self.lookup.provinces() if self.lookup else selectors.provinces(),
                "province_code": code[:2],
                "levels": [{"level": level, "name": f"{name}_{level}", "id": f"{base_id}_{level}"}
                           for level in self.levels()],
                "min_level": self.min_level,
                "max_level": self.max_level,
                "api_url": reverse("api:region_list"),
                "browse_url": reverse("regions:browse"),
            }
        )
        return context
