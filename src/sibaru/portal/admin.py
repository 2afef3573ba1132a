"""Editors write publications in the Django admin (staff accounts with the publication permissions)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sibaru.portal.models import Publication, PublicationAttachment


class PublicationAttachmentInline(admin.TabularInline):
    model = PublicationAttachment
    extra = 1


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("title_id", "kind", "publish_at", "published", "has_english")
    list_filter = ("kind", "published")
    search_fields = ("title_id", "title_en", "summary_id")
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title_id",)}
    inlines = [PublicationAttachmentInline]
    fieldsets = [
        (None, {"fields": ("kind", "slug", "publish_at", "published")}),
        (_("Bahasa Indonesia"), {"fields": ("title_id", "summary_id", "body_id")}),
        (_("Bahasa Inggris (bila kosong, teks Indonesia yang tampil)"),
         {"fields": ("title_en", "summary_en", "body_en")}),
        (_("Gambar"), {"fields": ("image", "image_alt_id", "image_alt_en")}),
    ]

    @admin.display(boolean=True, description=_("ada teks Inggris"))
    def has_english(self, obj) -> bool:
        return bool(obj.title_en and obj.body_en)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
