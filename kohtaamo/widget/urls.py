from django.urls import path

from . import views

app_name = "widget"
urlpatterns = [
    path("", views.index, name="index"),
]
