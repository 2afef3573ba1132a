"""Log in, lock out, log out, "my account" and password change, through the pages."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from sibaru.accounts.models import Membership, Organisation, User
from sibaru.accounts.roles import Role
from sibaru.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
WRONG_LOGIN = "E-mail atau kata sandi salah. Periksa keduanya, lalu coba lagi."


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_urls_have_their_indonesian_paths():
    assert reverse("accounts:login") == "/akun/masuk/"
    assert reverse("accounts:logout") == "/akun/keluar/"
    assert reverse("accounts:account") == "/akun/"
    assert reverse("accounts:password_reset") == "/akun/lupa-sandi/"
    assert reverse("accounts:password_change") == "/akun/ubah-sandi/"


def test_login_page_labels_its_fields_and_lets_password_managers_fill_them(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">E-mail</label>' in html
    assert '<label for="id_password">Kata sandi</label>' in html
    assert 'name="username"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "placeholder" not in html
    assert "onpaste" not in html and "<script>" not in html
    assert reverse("accounts:password_reset") in html


def test_the_right_password_logs_in_and_goes_to_the_inbox(client, operator, django_assert_max_num_queries):
    # axes check, user, new session, axes access log and reset, last_login, session save (with savepoints)
    with django_assert_max_num_queries(13):
        response = log_in(client, "operator@bandungkab.go.id", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:inbox")
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_the_email_is_matched_whatever_its_case_and_spaces(client, operator):
    response = log_in(client, "  Operator@BandungKab.go.id ", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_login_returns_to_the_page_that_asked_for_it(client, operator):
    response = log_in(client, operator.email, PASSWORD, next="/akun/")

    assert response["Location"] == "/akun/"


def test_login_ignores_a_next_address_on_another_site(client, operator):
    response = log_in(client, operator.email, PASSWORD, next="https://evil.example/")

    assert response["Location"] == reverse("workspace:inbox")


def test_the_login_form_keeps_next_when_the_password_was_wrong(client, operator):
    response = log_in(client, operator.email, "salah", next="/akun/")

    assert '<input type="hidden" name="next" value="/akun/">' in response.content.decode()


def test_a_protected_page_sends_to_login_with_next(client):
    response = client.get("/akun/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/akun/"


def test_a_wrong_password_gets_a_clear_message_with_an_error_summary(client, operator, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # user, then axes: its lockout check and its record of the failure
        response = log_in(client, operator.email, "bukan-kata-sandinya")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert WRONG_LOGIN in html
    assert 'class="error-summary" role="alert"' in html
    assert f'<a href="#id_username">{WRONG_LOGIN}</a>' in html
    assert "<title>Kesalahan: Masuk" in html


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, operator):
    wrong_password = log_in(client, operator.email, "bukan-kata-sandinya")
    unknown_email = log_in(client, "tidak-ada@bandungkab.go.id", "bukan-kata-sandinya")

    def errors(response):
        form = response.context["form"]
        return form.non_field_errors(), {name: list(e) for name, e in form.errors.items() if name != "__all__"}

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert errors(wrong_password) == errors(unknown_email)


def test_an_inactive_account_gets_the_same_answer_as_a_wrong_password(client, operator):
    operator.is_active = False
    operator.save()

    response = log_in(client, operator.email, PASSWORD)

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [WRONG_LOGIN]


def test_empty_fields_are_reported_next_to_each_field(client):
    response = client.post(LOGIN, {"username": "", "password": ""})

    html = response.content.decode()
    assert '<a href="#id_username">Masukkan alamat e-mail Anda.</a>' in html
    assert '<a href="#id_password">Masukkan kata sandi Anda.</a>' in html
    assert 'id="id_username_error"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert 'class="input-error"' in html


def test_five_wrong_passwords_lock_the_account_for_this_address(client, operator):
    for _attempt in range(4):
        assert log_in(client, operator.email, "salah").status_code == 200

    fifth = log_in(client, operator.email, "salah")

    assert fifth.status_code == 429
    assert "accounts/locked.html" in [t.name for t in fifth.templates]
    html = fifth.content.decode()
    assert "Akun dikunci sementara" in html
    assert "Tunggu 15 menit, lalu coba masuk lagi." in html
    # Even the right password does not get in until the wait is over.
    right = log_in(client, operator.email, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_tell_whether_the_account_exists(client, operator):
    for _attempt in range(5):
        response = log_in(client, "tidak-ada@bandungkab.go.id", "salah")

    assert response.status_code == 429
    assert "accounts/locked.html" in [t.name for t in response.templates]


def test_a_lockout_of_one_account_leaves_other_accounts_alone(client, operator, administrator):
    for _attempt in range(5):
        log_in(client, administrator.email, "salah")

    assert log_in(client, operator.email, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, operator):
    for _attempt in range(4):
        log_in(client, operator.email, "salah")
    assert log_in(client, operator.email, PASSWORD).status_code == 302
    client.logout()

    assert not AccessAttempt.objects.filter(username=operator.email).exists()
    assert log_in(client, operator.email, "salah").status_code == 200


@override_settings(RATELIMIT_LOGIN="3/h")
def test_login_posts_are_rate_limited_per_address(client, operator):
    for number in range(3):
        assert log_in(client, f"orang{number}@contoh.go.id", "salah").status_code == 200

    response = log_in(client, operator.email, PASSWORD)

    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert client.get(LOGIN).status_code == 200


@override_settings(RATELIMIT_ENABLE=False, RATELIMIT_LOGIN="1/h")
def test_the_rate_limit_can_be_switched_off(client, operator):
    log_in(client, "orang@contoh.go.id", "salah")

    assert log_in(client, operator.email, PASSWORD).status_code == 302


def test_logout_is_post_only(client, operator):
    client.force_login(operator)

    assert client.get("/akun/keluar/").status_code == 405
    response = client.post("/akun/keluar/")

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session


def test_my_account_shows_name_email_organisations_and_roles(client, operator, django_assert_max_num_queries):
    other = Organisation.objects.create(name="Dinas Perkim Jawa Barat", kind=Organisation.Kind.PROVINCE_GOVERNMENT)
    Membership.objects.create(user=operator, organisation=other, role=Role.PROVINCE_MONITOR)
    client.force_login(operator)

    with django_assert_max_num_queries(3):  # session, user, memberships
        response = client.get("/akun/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Siti Rahmawati" in html and "operator@bandungkab.go.id" in html
    assert "Pemerintah Kabupaten Bandung" in html and "Operator pengusul" in html
    assert "Dinas Perkim Jawa Barat" in html and "Pemantau provinsi" in html
    assert reverse("accounts:password_change") in html


def test_my_account_says_so_when_the_user_has_no_role_yet(client, db):
    user = User.objects.create_user("baru@contoh.go.id", PASSWORD, full_name="Pegawai Baru")
    client.force_login(user)

    assert "Anda belum memegang peran" in client.get("/akun/").content.decode()


def test_the_password_can_be_changed_and_the_session_survives(client, operator):
    client.force_login(operator)
    page = client.get("/akun/ubah-sandi/").content.decode()
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page

    response = client.post(
        "/akun/ubah-sandi/",
        {"old_password": PASSWORD, "new_password1": "atap-baru-untuk-semua", "new_password2": "atap-baru-untuk-semua"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    operator.refresh_from_db()
    assert operator.check_password("atap-baru-untuk-semua")
    assert client.get("/akun/").status_code == 200


def test_a_wrong_current_password_is_reported(client, operator):
    client.force_login(operator)

    response = client.post(
        "/akun/ubah-sandi/",
        {"old_password": "salah", "new_password1": "atap-baru-untuk-semua", "new_password2": "atap-baru-untuk-semua"},
    )

    assert response.status_code == 200
    assert '<a href="#id_old_password">Kata sandi sekarang salah. Ketik lagi.</a>' in response.content.decode()


def test_the_login_page_and_its_errors_follow_accept_language(client, operator):
    response = client.post(LOGIN, {"username": operator.email, "password": "salah"}, headers={"accept-language": "en"})

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    with translation.override("en"):
        expected = gettext(WRONG_LOGIN)
    assert list(response.context["form"].non_field_errors()) == [expected]


def test_the_lockout_page_follows_accept_language(client, operator):
    for _attempt in range(5):
        response = client.post(LOGIN, {"username": operator.email, "password": "salah"},
                               headers={"accept-language": "en"})

    assert response.status_code == 429
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
