from django.urls import path

from . import views

app_name = "staffexperience"
urlpatterns = [
    path("", views.index, name="index"),
]
