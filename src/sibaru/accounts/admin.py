"""Administration of users, organisations, memberships and API keys (Django admin: `is_staff` accounts only)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sibaru.accounts import forms, services
from sibaru.accounts.models import ApiKey, Membership, Organisation, User


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    fields = ("organisation", "role")
    autocomplete_fields = ("organisation",)
    extra = 0


class MembershipOfOrganisationInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = forms.UserChangeForm
    add_form = forms.UserAddForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Data diri"), {"fields": ("full_name", "position", "language")}),
        (_("Hak akses"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "position", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    inlines = (MembershipOfUserInline,)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "parent")
    list_filter = ("kind",)
    list_select_related = ("region", "parent")
    search_fields = ("name", "email")
    raw_id_fields = ("region",)
    autocomplete_fields = ("parent",)
    inlines = (MembershipOfOrganisationInline,)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made by services.api_key_create: the secret is shown once, in a message, and only its hash kept."""

    list_display = ("name", "organisation", "prefix", "acts_as", "scope_list", "created_at", "last_used_at",
                    "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("organisation", "acts_as")
    search_fields = ("name", "prefix", "organisation__name")
    autocomplete_fields = ("organisation", "acts_as")
    actions = ("revoke",)
    readonly_on_change = ("organisation", "acts_as", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = forms.ApiKeyChangeForm if obj else forms.ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organisation", "acts_as", "name", "scopes")
        return ("name", "scopes", *self.readonly_on_change)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj else ()

    @admin.display(description=_("Cakupan"))
    def scope_list(self, key: ApiKey) -> str:
        labels = dict(ApiKey.Scope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in key.scopes)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        secret, key = services.api_key_create(
            organisation=form.cleaned_data["organisation"],
            acts_as=form.cleaned_data["acts_as"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        # The admin goes on with `obj` (log entry, redirect): make it the saved key.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        obj._state.db = key._state.db
        messages.warning(
            request,
            _(
                "Kunci API untuk “%(name)s”: %(secret)s — Salin dan simpan sekarang di sistem pemakainya. "
                "SIBARU hanya menyimpan sidik kunci ini dan tidak dapat menampilkannya lagi."
            )
            % {"name": key.name, "secret": secret},
        )

    @admin.action(description=_("Cabut kunci API yang dipilih"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at=None):
            services.api_key_revoke(key=key)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d kunci API dicabut.", "%(count)d kunci API dicabut.", count) % {"count": count},
            messages.SUCCESS,
        )
