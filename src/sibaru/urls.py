from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sibaru.api.router import api

urlpatterns = [
    path("", include("sibaru.portal.urls")),
    path("akun/", include("sibaru.accounts.urls")),
    path("kerja/", include("sibaru.workspace.urls")),
    path("bantuan/", include("sibaru.assistance.urls")),
    path("pengaduan/", include("sibaru.complaints.urls")),
    path("informasi/", include("sibaru.information.urls")),
    path("wilayah/", include("sibaru.regions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.TRIAL_SERVICE:
    urlpatterns.append(path("uji-coba/", include("sibaru.trial.urls")))
