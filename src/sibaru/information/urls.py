from django.urls import path

from sibaru.information import views

app_name = "information"
urlpatterns = [
    path("", views.home, name="home"),
    path("permohonan/", views.request_submit, name="submit"),
    path("permohonan/terkirim/<str:tracking_code>/", views.submitted, name="submitted"),
    path("permohonan/<str:tracking_code>/<str:token>/", views.private, name="private"),
    path("permohonan/<str:tracking_code>/<str:token>/keberatan/", views.objection_submit, name="object"),
    path("permohonan/<str:tracking_code>/<str:token>/kuitansi/", views.fee_receipt, name="receipt"),
    path("permohonan/<str:tracking_code>/<str:token>/tanda-terima/", views.request_receipt, name="request_receipt"),
    path("daftar/", views.catalogue, name="catalogue"),
    path("daftar/<int:pk>/", views.catalogue_entry, name="catalogue_entry"),
    path("daftar/<int:pk>/dokumen/", views.catalogue_document, name="catalogue_document"),
    path("berkala/", views.periodic_schedule, name="periodic"),
    path("kelola/<str:tracking_code>/", views.manage_request, name="manage"),
    path("kelola/<str:tracking_code>/tindakan/", views.manage_request_action, name="manage_action"),
    path("keberatan/<str:tracking_code>/", views.manage_objection, name="manage_objection"),
    path("register/permohonan/", views.request_register, name="register_requests"),
    path("register/keberatan/", views.objection_register, name="register_objections"),
    path("laporan/", views.report, name="report"),
]
