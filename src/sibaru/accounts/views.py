"""Account pages: log in and out, password reset by e-mail, password change, and "my account".

Django's auth views do the work (session rotation, token checks, safe `next` redirects); these classes
only choose the forms, the templates and the URLs of the `accounts` namespace.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from sibaru.accounts import forms
from sibaru.accounts.limits import limit_posts
from sibaru.accounts.selectors import user_memberships


class LoginView(auth_views.LoginView):
    authentication_form = forms.LoginForm
    template_name = "accounts/login.html"


class LogoutView(auth_views.LogoutView):
    """POST only (Django answers GET with 405); then to settings.LOGOUT_REDIRECT_URL."""


def reset_link_lifetime() -> dict:
    """How long a reset link lasts, for the e-mail and the "check your e-mail" page: whole hours, or minutes."""
    timeout = settings.PASSWORD_RESET_TIMEOUT
    return {
        "timeout_hours": timeout // 3600 if timeout % 3600 == 0 else None,
        "timeout_minutes": max(1, timeout // 60),
    }


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links in the e-mail point at the configured site address, never at the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL, **reset_link_lifetime()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **reset_link_lifetime()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The new-password form, or (validlink False) the page for an expired or already used link."""

    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


login = limit_posts(group="accounts.login", setting="RATELIMIT_LOGIN")(LoginView.as_view())
logout = LogoutView.as_view()
password_reset = limit_posts(group="accounts.password_reset", setting="RATELIMIT_PASSWORD_RESET")(
    PasswordResetView.as_view()
)
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()
# The current password is checked without authenticate(), so axes does not see it: limit it per address.
password_change = limit_posts(group="accounts.password_change", setting="RATELIMIT_LOGIN")(
    PasswordChangeView.as_view()
)
password_change_done = PasswordChangeDoneView.as_view()


@login_required
def account(request):
    return render(request, "accounts/account.html", {"memberships": user_memberships(user=request.user)})
