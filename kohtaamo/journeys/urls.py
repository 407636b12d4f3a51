from django.urls import path

from . import views

app_name = "journeys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:path_id>/", views.map_view, name="map"),
    path("<int:path_id>/flows/", views.flows_view, name="flows"),
    path("<int:path_id>/quality/", views.quality_view, name="quality"),
    path("<int:path_id>/map.pdf", views.export_pdf, name="pdf"),
    path("<int:path_id>/map.png", views.export_png, name="png"),
    path("<int:path_id>/map.csv", views.export_csv, name="csv"),
    path("<int:path_id>/edit/", views.editor, name="editor"),
    path("<int:path_id>/edit/<slug:action>/", views.editor_action, name="action"),
    path("<int:path_id>/versions/", views.versions, name="versions"),
]
