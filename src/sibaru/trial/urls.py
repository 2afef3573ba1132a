from django.urls import path

from sibaru.trial import views

app_name = "trial"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("terkirim/<str:tracking_code>/", views.submitted, name="submitted"),
]
