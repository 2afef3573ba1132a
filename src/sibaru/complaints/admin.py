"""The category tree is managed here by administrators: names, order, and the unit each one is routed to."""

from django.contrib import admin

from sibaru.complaints.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "default_unit", "active", "order")
    list_filter = ("active", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("default_unit",)
    list_select_related = ("parent", "default_unit")
    ordering = ("parent__order", "order", "name")
