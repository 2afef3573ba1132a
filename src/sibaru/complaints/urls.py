from django.urls import path
from django.views.generic import RedirectView

from sibaru.complaints import feeds, views

app_name = "complaints"
urlpatterns = [
    # /pengaduan/ itself, as people type it: the form's first step.
    path("", RedirectView.as_view(pattern_name="complaints:submit"), name="home"),
    path("baru/", views.submit, name="submit"),
    path("terkirim/<str:tracking_code>/", views.submitted, name="submitted"),
    path("ikuti/<str:token>/", views.follow, name="follow"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/rss/", feeds.ReportsFeed(), name="feed_rss"),
    path("laporan/atom/", feeds.ReportsAtomFeed(), name="feed_atom"),
    path("petugas/baru/", views.staff_intake, name="staff_intake"),
    path("petugas/<str:tracking_code>/", views.staff_case, name="staff_case"),
    path("petugas/<str:tracking_code>/tindakan/<str:action>/", views.staff_action, name="staff_action"),
    path("petugas/<str:tracking_code>/identitas/", views.identity, name="identity"),
]
