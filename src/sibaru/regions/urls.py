from django.urls import path

from sibaru.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
]
