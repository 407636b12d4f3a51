from django.urls import path

from . import views

app_name = "stakeholders"
urlpatterns = [
    path("", views.index, name="index"),
    path("side-by-side.csv", views.export_csv, name="export_csv"),
    path("side-by-side.pdf", views.export_pdf, name="export_pdf"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:partner_id>/", views.partner, name="partner"),
    path("partners/<int:partner_id>/import/", views.partner_import, name="partner_import"),
    path("internal/", views.internal_services, name="internal"),
    path("internal/<int:service_id>/delete/", views.internal_service_remove, name="internal_delete"),
    path("rounds/", views.rounds, name="rounds"),
]
