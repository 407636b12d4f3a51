from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.programme, name="programme"),
    path("import/", views.encounters_import, name="import"),
    path("qr/<int:touchpoint_id>.png", views.qr_png_download, name="qr_png"),
    path("qr/<int:touchpoint_id>.svg", views.qr_svg_download, name="qr_svg"),
]
