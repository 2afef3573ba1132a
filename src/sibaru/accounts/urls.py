from django.urls import path

from sibaru.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("masuk/", views.login, name="login"),
    path("keluar/", views.logout, name="logout"),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("lupa-sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("lupa-sandi/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("ubah-sandi/", views.password_change, name="password_change"),
    path("ubah-sandi/selesai/", views.password_change_done, name="password_change_done"),
]
