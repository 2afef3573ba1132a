"""Background exports, mounted under /kerja/unduhan/ by workspace/urls.py."""

from django.urls import path

from sibaru.core import views_exports

app_name = "exports"
urlpatterns = [
    path("<int:job_id>/", views_exports.job, name="job"),
    path("<int:job_id>/status/", views_exports.job_status, name="status"),
    path("<int:job_id>/berkas/", views_exports.job_download, name="download"),
]
