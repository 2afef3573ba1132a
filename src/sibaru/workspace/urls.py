from django.urls import include, path

from sibaru.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kasus/<str:tracking_code>/", views.case_detail, name="case"),
    path("kasus/<str:tracking_code>/tindakan/", views.case_action, name="case_action"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("unduhan/", include("sibaru.core.urls_exports")),
]
