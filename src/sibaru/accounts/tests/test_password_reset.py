"""Password reset by e-mail: the request, the e-mail, the link, the new password, and the links that no longer work."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sibaru.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/akun/lupa-sandi/"
NEW_PASSWORD = "rumah-susun-sederhana-7"


def link_in(message) -> str:
    """The path of the reset link in the e-mail."""
    url = re.search(r"^(https?://\S+)$", message.body, re.MULTILINE).group(1)
    assert url.startswith(settings.SITE_URL + "/")
    return urlsplit(url).path


def reset_path(user, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def test_the_reset_form_asks_for_the_email(client):
    html = client.get(RESET).content.decode()

    assert '<label for="id_email">E-mail</label>' in html
    assert 'autocomplete="email"' in html
    assert 'id="id_email_helptext"' in html


def test_an_empty_address_is_reported(client):
    response = client.post(RESET, {"email": ""})

    assert response.status_code == 200
    assert '<a href="#id_email">Masukkan alamat e-mail Anda.</a>' in response.content.decode()
    assert mail.outbox == []


def test_a_reset_from_request_to_new_password(client, operator):
    response = client.post(RESET, {"email": "Operator@BandungKab.go.id"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["operator@bandungkab.go.id"]
    assert message.subject == "Atur ulang kata sandi akun SIBARU"
    assert "Yth. Siti Rahmawati," in message.body
    assert "Tautan itu berlaku 3 jam dan hanya dapat dipakai sekali." in message.body

    # The link carries the token once, then moves it into the session (Django keeps it out of Referer headers).
    opened = client.get(link_in(message))
    assert opened.status_code == 302
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Buat kata sandi baru" in html
    assert html.count('autocomplete="new-password"') == 2
    assert 'value="operator@bandungkab.go.id" autocomplete="username" readonly' in html

    saved = client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved.status_code == 302
    assert saved["Location"] == reverse("accounts:password_reset_complete")
    operator.refresh_from_db()
    assert operator.check_password(NEW_PASSWORD)
    assert "Kata sandi sudah diubah" in client.get(saved["Location"]).content.decode()


def test_the_check_your_email_page_is_the_same_for_an_unknown_address(client, operator):
    known = client.post(RESET, {"email": operator.email}, follow=True)
    unknown = client.post(RESET, {"email": "tidak-ada@bandungkab.go.id"}, follow=True)

    assert len(mail.outbox) == 1  # only the real account gets an e-mail
    assert known.redirect_chain == unknown.redirect_chain

    def main(response):
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    assert main(known) == main(unknown)
    assert "Jika alamat yang Anda masukkan terdaftar di SIBARU" in main(known)


def test_mismatched_new_passwords_are_reported(client, operator):
    opened = client.get(reset_path(operator, default_token_generator.make_token(operator)))

    response = client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert "Kedua kata sandi tidak sama." in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


@override_settings(PASSWORD_RESET_TIMEOUT=60 * 60)
def test_an_expired_link_says_so_and_offers_a_new_one(client, operator):
    # A real token made 61 minutes ago; only its creation time is moved, the check is Django's own.
    sixty_one_minutes_ago = PasswordResetTokenGenerator()._now() - timedelta(minutes=61)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=sixty_one_minutes_ago):
        old_token = default_token_generator.make_token(operator)
    assert default_token_generator.check_token(operator, old_token) is False

    response = client.get(reset_path(operator, old_token))

    assert response.status_code == 200
    assert response.context["validlink"] is False
    html = response.content.decode()
    assert "Tautan tidak berlaku lagi" in html
    assert "sudah kedaluwarsa atau sudah pernah dipakai" in html
    assert f'href="{reverse("accounts:password_reset")}">Minta tautan baru' in html
    assert 'name="new_password1"' not in html


def test_a_used_link_cannot_be_used_again(client, operator):
    path = reset_path(operator, default_token_generator.make_token(operator))
    opened = client.get(path)
    client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path)

    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "Tautan tidak berlaku lagi" in again.content.decode()


def test_a_mangled_link_gets_the_same_page(client, operator):
    response = client.get(reset_path(operator, "abc-123"))

    assert response.context["validlink"] is False


@override_settings(RATELIMIT_PASSWORD_RESET="2/h")
def test_reset_requests_are_rate_limited_per_address(client, operator):
    client.post(RESET, {"email": operator.email})
    client.post(RESET, {"email": operator.email})

    response = client.post(RESET, {"email": operator.email})

    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_the_email_speaks_the_language_of_the_account(client, operator):
    operator.language = "en"
    operator.save()

    languages: list[str] = []

    def record_language(*args, **kwargs):
        languages.append(translation.get_language())

    # Django's own sending is replaced by a recorder: the English catalogue comes later, the switch is tested now.
    with mock.patch.object(auth_forms.PasswordResetForm, "send_mail", side_effect=record_language):
        client.post(RESET, {"email": operator.email})

    assert languages == ["en"]
    assert translation.get_language() == "id"
