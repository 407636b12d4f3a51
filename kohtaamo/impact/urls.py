from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("", views.index, name="index"),
    path("outcomes/import/", views.upload, name="upload"),
    path("drivers/", views.drivers, name="drivers"),
]
