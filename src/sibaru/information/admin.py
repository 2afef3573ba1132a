from django.contrib import admin

from sibaru.information.models import CatalogueEntry, ExemptionGround, ObjectionGround


@admin.register(ExemptionGround)
class ExemptionGroundAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "permanent", "active")
    list_filter = ("active", "permanent")
    search_fields = ("code", "text")


@admin.register(ObjectionGround)
class ObjectionGroundAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "active")


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "info_class", "unit", "published", "updated_on", "next_update_due")
    list_filter = ("info_class", "published")
    search_fields = ("title", "summary")
    autocomplete_fields = ("exemption_ground",)
