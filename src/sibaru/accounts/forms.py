"""Forms of the account pages: log in, password reset and change, and the admin's user and API key forms.

The page forms follow the GOV.UK error pattern (see `ErrorMarkingMixin`): an error summary at the top
(accounts/includes/error_summary.html), inline errors with each field. Password fields never block paste
and carry `autocomplete` so that password managers work (WCAG 2.2, 3.3.8).
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.models import ApiKey, User
from sibaru.accounts.services import api_key_problems


class ErrorMarkingMixin:
    """Labels without a colon, and the `input-error` class on the widgets of invalid fields.

    Fields render with `{{ form.x.as_field_group }}` (templates/django/forms/field.html); Django itself sets
    `aria-invalid` and `aria-describedby` ("<id>_helptext", "<id>_error") to the hint and the error message.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "input-error" not in css.split():
                    widget.attrs["class"] = f"{css} input-error".strip()


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


class EmailUsernameField(forms.EmailField):
    """The e-mail a user logs in with, normalised the way accounts store it (lower case, no spaces)."""

    def to_python(self, value):
        return normalise_email(super().to_python(value))


class LoginForm(ErrorMarkingMixin, auth_forms.AuthenticationForm):
    # Named `username` so that django-axes finds it in the POST data (AXES_USERNAME_FORM_FIELD).
    username = EmailUsernameField(
        label=_("E-mail"),
        max_length=254,
        error_messages={
            "required": _("Masukkan alamat e-mail Anda."),
            "invalid": _("Masukkan alamat e-mail dengan format yang benar, seperti nama@contoh.go.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        error_messages={"required": _("Masukkan kata sandi Anda.")},
        # Paste and password managers stay allowed (WCAG 2.2, 3.3.8).
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # The same words whether the account does not exist, the password is wrong or the account is
    # inactive: the form never tells anyone which e-mail addresses have an account.
    error_messages = {
        "invalid_login": _("E-mail atau kata sandi salah. Periksa keduanya, lalu coba lagi."),
        "inactive": _("E-mail atau kata sandi salah. Periksa keduanya, lalu coba lagi."),
    }


class PasswordResetForm(ErrorMarkingMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Alamat e-mail yang Anda pakai untuk masuk ke SIBARU."),
        error_messages={
            "required": _("Masukkan alamat e-mail Anda."),
            "invalid": _("Masukkan alamat e-mail dengan format yang benar, seperti nama@contoh.go.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # The e-mail speaks the language the account chose, whatever the language of the page.
        language = getattr(context.get("user"), "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)


def _new_password_fields():
    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        help_text=_("Paling sedikit 10 karakter. Jangan memakai kata sandi yang umum atau mirip e-mail Anda."),
        error_messages={"required": _("Masukkan kata sandi baru.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        error_messages={"required": _("Ulangi kata sandi baru.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    return new_password1, new_password2


_PASSWORD_MISMATCH = _("Kedua kata sandi tidak sama. Ketik kata sandi yang sama dua kali.")


class SetPasswordForm(ErrorMarkingMixin, auth_forms.SetPasswordForm):
    new_password1, new_password2 = _new_password_fields()
    error_messages = {"password_mismatch": _PASSWORD_MISMATCH}


class PasswordChangeForm(ErrorMarkingMixin, auth_forms.PasswordChangeForm):
    old_password = forms.CharField(
        label=_("Kata sandi sekarang"),
        strip=False,
        error_messages={"required": _("Masukkan kata sandi Anda sekarang.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1, new_password2 = _new_password_fields()
    error_messages = {
        "password_mismatch": _PASSWORD_MISMATCH,
        "password_incorrect": _("Kata sandi sekarang salah. Ketik lagi."),
    }
    field_order = ["old_password", "new_password1", "new_password2"]


# --- admin -------------------------------------------------------------------------------------------


class _CleanEmailMixin:
    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if email and others.exists():
            raise forms.ValidationError(_("Sudah ada pengguna dengan e-mail ini."), code="unique")
        return email


class UserAddForm(_CleanEmailMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(_CleanEmailMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ApiKeyAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Baca: hanya membaca data. Tulis: juga membuat dan mengubah data."),
    )

    class Meta:
        model = ApiKey
        fields = ("organisation", "acts_as", "name", "scopes")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problems = api_key_problems(
                organisation=cleaned.get("organisation"),
                acts_as=cleaned.get("acts_as"),
                name=cleaned.get("name") or "",
                scopes=cleaned.get("scopes") or [],
            )
            for field, messages in problems.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned

    def save(self, commit=True):
        # Keys are made by services.api_key_create (ApiKeyAdmin.save_model), which generates and hashes the secret.
        if commit:
            raise NotImplementedError("Create API keys with sibaru.accounts.services.api_key_create.")
        return super().save(commit=False)


class ApiKeyChangeForm(forms.ModelForm):
    scopes = ApiKeyAddForm.base_fields["scopes"]

    class Meta:
        model = ApiKey
        fields = ("name", "scopes")
