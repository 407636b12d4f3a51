from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("limesurvey/", views.lss_import, name="lss_import"),
]
